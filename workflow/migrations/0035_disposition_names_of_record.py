"""The names as they were when each disposisi was given and reported done, kept on it, so that a
later rename of an account does not rewrite who gave it, to whom, and who finished it (the dossier
page, the disposisi's page, the refusal of a second report). Existing dispositions take the names
the audit log wrote then: the giver's and the finisher's from the labels of those two events ("Rina
(Kasubag)", "Plh. Kasubag Andi atas nama Rina"), the Staf's from the giving's note ("Kepada Andi
Saputra, S.Kom.: <instruksi>"); a name the log does not give is the account's as it stands now."""

from django.db import migrations, models

from workflow.models.audit import name_in_label

DISPOSE, DISPOSE_DONE = "disposisi", "disposisi_selesai"


def _named_in_note(note: str, instruksi: str) -> str:
    """The Staf's name in the giving's note, "Kepada <name>: <instruksi>"; "" for another form."""
    tail = f": {instruksi}"
    if note.startswith("Kepada ") and note.endswith(tail):
        return note[len("Kepada "):-len(tail)]
    return ""


def keep_names(apps, schema_editor):
    Disposition = apps.get_model("workflow", "Disposition")
    AuditEvent = apps.get_model("workflow", "AuditEvent")
    logged = {}
    for action, pk, label, note in (AuditEvent.objects.filter(action__in=(DISPOSE, DISPOSE_DONE), actor__isnull=False)
                                    .order_by("at", "pk").values_list("action", "data__disposisi", "actor_label", "note")):
        logged.setdefault((action, pk), (label, note))

    def now(user):
        return user.nama or f"{user.first_name} {user.last_name}".strip() or user.username

    for disposition in Disposition.objects.select_related("given_by", "assigned_to", "done_by").iterator():
        given_label, given_note = logged.get((DISPOSE, disposition.pk), ("", ""))
        done_label, _ = logged.get((DISPOSE_DONE, disposition.pk), ("", ""))
        names = {
            "given_by_nama": name_in_label(given_label) or now(disposition.given_by),
            "assigned_to_nama": _named_in_note(given_note, disposition.instruksi) or now(disposition.assigned_to),
            "done_by_nama": (name_in_label(done_label) or now(disposition.done_by)) if disposition.done_by_id else "",
        }
        Disposition.objects.filter(pk=disposition.pk).update(**{k: v[:150] for k, v in names.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0034_password_link'),
    ]

    operations = [
        migrations.AddField(
            model_name='disposition',
            name='assigned_to_nama',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=150, verbose_name='kepada (nama saat itu)'),
        ),
        migrations.AddField(
            model_name='disposition',
            name='done_by_nama',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=150, verbose_name='diselesaikan oleh (nama saat itu)'),
        ),
        migrations.AddField(
            model_name='disposition',
            name='given_by_nama',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=150, verbose_name='dari (nama saat itu)'),
        ),
        migrations.RunPython(keep_names, migrations.RunPython.noop),
    ]
