import importlib

from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    # The code of this migration's time installed them after every migrate; 0023 drops them, so a
    # database migrated back this far with today's code has none left.
    drop = importlib.import_module("workflow.migrations.0023_no_data_version").drop_triggers
    drop(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0020_report_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='DataVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'versi data',
                'verbose_name_plural': 'versi data',
            },
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
