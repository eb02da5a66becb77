# Notices of news that belongs to no dossier (a delegation starting or ending): no event, no
# dossier, one per person per `key`.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0001_initial'),
        ('workflow', '0008_notices_and_disposisi'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='notice',
            name='key',
            field=models.CharField(blank=True, default='', max_length=100, verbose_name='perihal'),
        ),
        migrations.AlterField(
            model_name='notice',
            name='dossier',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='workflow.dossier'),
        ),
        migrations.AlterField(
            model_name='notice',
            name='event',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='workflow.auditevent'),
        ),
        migrations.AddConstraint(
            model_name='notice',
            constraint=models.UniqueConstraint(condition=models.Q(('key', ''), _negated=True), fields=('recipient', 'key'), name='satu_pemberitahuan_per_perihal'),
        ),
    ]
