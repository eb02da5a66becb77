from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    # Installed after every migrate (workflow.data_version.install); gone with the table they move.
    from workflow.data_version import uninstall

    uninstall(schema_editor)


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
