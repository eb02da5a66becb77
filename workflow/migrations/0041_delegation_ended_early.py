"""A delegation ended before its last day records when and by whom (`Delegation.end_early`). Those
ended early before this release cannot be told apart from those that ran to their date: left as
they are."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0040_dossier_actors'),
    ]

    operations = [
        migrations.AddField(
            model_name='delegation',
            name='ended_early_at',
            field=models.DateTimeField(blank=True, db_default=None, editable=False, null=True, verbose_name='diakhiri lebih awal pada'),
        ),
        migrations.AddField(
            model_name='delegation',
            name='ended_early_by',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=150, verbose_name='diakhiri lebih awal oleh'),
        ),
    ]
