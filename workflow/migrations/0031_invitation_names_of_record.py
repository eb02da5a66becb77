"""The agencies' names as a round's draft decree left the bureau, kept on its invitations, so that a
later rename does not rewrite that decree, its IKU tables and its round. Rounds already forwarded
keep the names they read now (a rename made before this migration cannot be told apart)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def keep_forwarded(apps, schema_editor):
    Invitation = apps.get_model("workflow", "Invitation")
    Skpd = apps.get_model("workflow", "Skpd")
    agency = Skpd.objects.filter(pk=OuterRef("skpd_id"))
    Invitation.objects.filter(dossier__forwarded_at__isnull=False).update(
        nama_tercatat=Subquery(agency.values("nama")[:1]),
        nama_pendek_tercatat=Subquery(agency.values("nama_pendek")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0030_admin_labels'),
    ]

    operations = [
        migrations.AddField(
            model_name='invitation',
            name='nama_pendek_tercatat',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=150, verbose_name='nama pendek saat diteruskan'),
        ),
        migrations.AddField(
            model_name='invitation',
            name='nama_tercatat',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=255, verbose_name='nama resmi saat diteruskan'),
        ),
        migrations.RunPython(keep_forwarded, migrations.RunPython.noop),
    ]
