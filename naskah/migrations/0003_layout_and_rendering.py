from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("naskah", "0002_document_record")]

    operations = []
