"""Every send kept as a version (the rows already sent become each submission's first), reasons for
changes against last year, reopening one agency's table, reminders once a day, and the bureau's hand on the provincial table
(the agencies' order, rows left out, comments)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FIELDS = [
    "sasaran_strategis", "indikator", "penjelasan", "formula", "satuan", "target", "sumber_data", "penanggung_jawab",
]


def first_versions(apps, schema_editor):
    IkuSubmission = apps.get_model("iku", "IkuSubmission")
    IkuVersion = apps.get_model("iku", "IkuVersion")
    sent = IkuSubmission.objects.filter(submitted_at__isnull=False, submitted_by__isnull=False)
    for submission in sent.prefetch_related("rows").iterator(chunk_size=500):
        rows = [{name: getattr(row, name) for name in FIELDS} for row in submission.rows.order_by("urutan", "pk")]
        IkuVersion.objects.create(
            submission=submission, nomor=1, sent_by_id=submission.submitted_by_id, sent_at=submission.submitted_at,
            catatan=submission.catatan, rows=rows,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("iku", "0002_entry_limits_and_targets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="IkuVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("nomor", models.PositiveSmallIntegerField(verbose_name="versi")),
                ("sent_at", models.DateTimeField(verbose_name="dikirim")),
                ("catatan", models.TextField(blank=True, max_length=2000)),
                ("rows", models.JSONField(default=list)),
                ("sent_by", models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL,
                )),
                ("submission", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="versions", to="iku.ikusubmission",
                )),
            ],
            options={
                "verbose_name": "versi kiriman IKU",
                "verbose_name_plural": "versi kiriman IKU",
                "ordering": ["submission", "nomor"],
                "constraints": [
                    models.UniqueConstraint(fields=("submission", "nomor"), name="satu_nomor_per_versi")
                ],
            },
        ),
        migrations.AddField(
            model_name="ikusubmission",
            name="change_reasons",
            field=models.JSONField(blank=True, default=dict, verbose_name="alasan perubahan"),
        ),
        migrations.AddField(
            model_name="ikusubmission",
            name="reopen_note",
            field=models.TextField(blank=True, max_length=2000, verbose_name="catatan pembukaan kembali"),
        ),
        migrations.AddField(
            model_name="ikusubmission",
            name="reopened_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="dibuka kembali"),
        ),
        migrations.CreateModel(
            name="IkuReminder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stage", models.CharField(
                    choices=[("konsep", "Konsep IKU"), ("bahan", "Bahan penyusunan IKU")], max_length=10,
                    verbose_name="tahap",
                )),
                ("day", models.DateField(verbose_name="tanggal")),
                ("sent_at", models.DateTimeField(verbose_name="dikirim")),
                ("emailed", models.PositiveSmallIntegerField(default=0, verbose_name="e-mail terkirim")),
                ("dossier", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="iku_reminders", to="workflow.dossier",
                )),
                ("sent_by", models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL,
                )),
                ("skpd", models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="+", to="workflow.skpd",
                )),
            ],
            options={
                "verbose_name": "pengingat IKU",
                "verbose_name_plural": "pengingat IKU",
                "constraints": [
                    models.UniqueConstraint(fields=("dossier", "skpd", "stage", "day"), name="satu_pengingat_sehari")
                ],
            },
        ),
        migrations.AddField(
            model_name="ikurow",
            name="dikeluarkan",
            field=models.TextField(blank=True, max_length=2000, verbose_name="alasan dikeluarkan"),
        ),
        migrations.AddField(
            model_name="ikurow",
            name="komentar",
            field=models.TextField(blank=True, max_length=2000, verbose_name="komentar Biro Kesra"),
        ),
        migrations.AddField(
            model_name="ikusubmission",
            name="urutan",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="urutan SKPD"),
        ),
        migrations.RunPython(first_versions, migrations.RunPython.noop),
    ]
