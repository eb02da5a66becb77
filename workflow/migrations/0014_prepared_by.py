from django.conf import settings
from django.db import migrations, models

# Frozen here: the steps as they were when the migration was written.
PREPARING_STATE = "langkah_6"
REVIEWING_STATES = ("langkah_7", "langkah_8")


def remember_preparers(apps, schema_editor):
    """Dossiers already under review learn who sent them on from step 6: its last finisher."""
    Dossier = apps.get_model("workflow", "Dossier")
    AuditEvent = apps.get_model("workflow", "AuditEvent")
    for dossier in Dossier.objects.filter(state__in=REVIEWING_STATES):
        actor = (AuditEvent.objects.filter(dossier=dossier, from_state=PREPARING_STATE, action="selesaikan")
                 .order_by("-at", "-pk").values_list("actor_id", flat=True).first())
        if actor is not None:
            dossier.prepared_by.add(actor)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0013_decree_scan"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="prepared_by",
            field=models.ManyToManyField(blank=True, related_name="+", to=settings.AUTH_USER_MODEL,
                                         verbose_name="disiapkan oleh"),
        ),
        migrations.RunPython(remember_preparers, migrations.RunPython.noop),
    ]
