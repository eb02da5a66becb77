from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflow", "0006_models_moved_to_apps")]

    operations = []
