"""Each stay's due and near moments stored when it begins, so the dashboard asks the database
(an index over the open stays) instead of working out every running clock in Python. Existing
stays get theirs from the calendar as it stands."""

from django.db import migrations, models

from worktime.clock import Calendar
from worktime.models import calendar_data


def schedule_existing(apps, schema_editor):
    from workflow.sla import due_moments

    StepVisit = apps.get_model("workflow", "StepVisit")
    calendar = Calendar(**calendar_data())
    batch = []
    for visit in StepVisit.objects.only("pk", "state", "entered_at").iterator(chunk_size=2000):
        visit.due_at, visit.near_at = due_moments(visit.state, visit.entered_at, calendar)
        batch.append(visit)
        if len(batch) == 1000:
            StepVisit.objects.bulk_update(batch, ["due_at", "near_at"])
            batch = []
    StepVisit.objects.bulk_update(batch, ["due_at", "near_at"])


class Migration(migrations.Migration):
    dependencies = [("workflow", "0009_audit_chain"), ("worktime", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="stepvisit", name="due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="batas waktu"),
        ),
        migrations.AddField(
            model_name="stepvisit", name="near_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="mendekati batas"),
        ),
        migrations.AddIndex(
            model_name="stepvisit",
            index=models.Index(condition=models.Q(left_at__isnull=True), fields=["due_at"], name="kunjungan_terbuka_batas"),
        ),
        migrations.RunPython(schedule_existing, migrations.RunPython.noop),
    ]
