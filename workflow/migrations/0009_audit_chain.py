from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflow", "0008_notices_and_disposisi")]

    operations = []
