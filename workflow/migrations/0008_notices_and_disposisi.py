from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflow", "0007_decree_record")]

    operations = []
