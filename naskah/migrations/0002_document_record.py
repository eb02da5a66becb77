from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("naskah", "0001_initial")]

    operations = []
