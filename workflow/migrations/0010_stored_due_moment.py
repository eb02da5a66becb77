from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflow", "0009_audit_chain")]

    operations = []
