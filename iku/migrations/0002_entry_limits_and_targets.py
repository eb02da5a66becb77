from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("iku", "0001_initial")]

    operations = []
