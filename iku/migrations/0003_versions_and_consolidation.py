from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("iku", "0002_entry_limits_and_targets")]

    operations = []
