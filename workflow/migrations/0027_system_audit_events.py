# An audit event with no person acting: what the site does by itself (renew_timestamps). Only drops
# NOT NULL (on PostgreSQL one catalogue change, no rewrite): the previous release, which always names
# an actor, keeps writing during an upgrade.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0026_invitation_waiting'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='pelaku'),
        ),
    ]
