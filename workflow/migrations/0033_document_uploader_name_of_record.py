"""The uploader's name as it was when each document came, kept on the document, so that a later
rename of the account does not rewrite who brought earlier documents (dossier page, document
versions, the admin, SRIKANDI's verifikator). Existing documents take the name the audit log wrote
for their upload ("Rina (Kasubag)", "Plh. Kabag Andi atas nama Hendra"); one the log does not name
takes the account's name as it stands now."""

from django.db import migrations, models

from workflow.models.audit import name_in_label


def keep_uploaders(apps, schema_editor):
    Document = apps.get_model("workflow", "Document")
    AuditEvent = apps.get_model("workflow", "AuditEvent")
    logged = {}
    for pk, label in (AuditEvent.objects.filter(data__has_key="dokumen", actor__isnull=False)
                      .order_by("at", "pk").values_list("data__dokumen", "actor_label")):
        logged.setdefault(pk, label)
    for document in Document.objects.select_related("uploaded_by").iterator():
        user = document.uploaded_by
        now = user.nama or f"{user.first_name} {user.last_name}".strip() or user.username
        named = name_in_label(logged.get(document.pk, ""))
        Document.objects.filter(pk=document.pk).update(uploaded_by_nama=(named or now)[:150])


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0032_search_name_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='document',
            name='uploaded_by_nama',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=150, verbose_name='nama pengunggah saat itu'),
        ),
        migrations.RunPython(keep_uploaders, migrations.RunPython.noop),
    ]
