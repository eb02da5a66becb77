"""Who sent each IKU version, named as they were then, kept on the version: a later rename of the
account does not rewrite who sent an earlier one. Existing versions take the name the audit log
wrote for their send (the event of the same submission at the same moment); one the log does not
name takes the account's name as it stands now."""

from django.db import migrations, models

from workflow.models.audit import name_in_label


def keep_senders(apps, schema_editor):
    IkuVersion = apps.get_model("iku", "IkuVersion")
    AuditEvent = apps.get_model("workflow", "AuditEvent")
    logged = {}
    for submission, at, label in (AuditEvent.objects.filter(data__has_key="kiriman", actor__isnull=False)
                                  .values_list("data__kiriman", "at", "actor_label")):
        logged[(submission, at)] = label
    for version in IkuVersion.objects.select_related("sent_by").iterator():
        user = version.sent_by
        now = user.nama or f"{user.first_name} {user.last_name}".strip() or user.username
        named = name_in_label(logged.get((version.submission_id, version.sent_at), ""))
        IkuVersion.objects.filter(pk=version.pk).update(sent_by_nama=(named or now)[:150])


class Migration(migrations.Migration):

    dependencies = [
        ('iku', '0005_draft_note'),
    ]

    operations = [
        migrations.AddField(
            model_name='ikuversion',
            name='sent_by_nama',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=150, verbose_name='nama pengirim saat itu'),
        ),
        migrations.RunPython(keep_senders, migrations.RunPython.noop),
    ]
