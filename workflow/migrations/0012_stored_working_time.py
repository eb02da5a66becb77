"""Each stay's allowed and used working time stored, for the year's report. Ended stays get theirs
the first time the report needs them (workflow.sla.fill_worked), not here: a large install migrates
in seconds."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0011_bounded_texts'),
    ]

    operations = [
        migrations.AddField(
            model_name='stepvisit',
            name='allowed_seconds',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='waktu baku (detik kerja)'),
        ),
        migrations.AddField(
            model_name='stepvisit',
            name='used_seconds',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='terpakai (detik kerja)'),
        ),
    ]
