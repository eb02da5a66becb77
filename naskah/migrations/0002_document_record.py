"""Each generated document's verification token, version, SHA-256 and, once signed, its frozen
final PDF. Existing rows get a token each before the column becomes unique."""

from django.db import migrations, models

import naskah.models


def give_tokens(apps, schema_editor):
    NaskahRecord = apps.get_model("naskah", "NaskahRecord")
    for record in NaskahRecord.objects.only("pk"):
        NaskahRecord.objects.filter(pk=record.pk).update(token=naskah.models.new_token())


class Migration(migrations.Migration):
    dependencies = [("naskah", "0001_initial")]

    operations = [
        migrations.AddField("naskahrecord", "token", models.CharField(
            editable=False, max_length=64, null=True, verbose_name="token verifikasi")),
        migrations.RunPython(give_tokens, migrations.RunPython.noop),
        migrations.AlterField("naskahrecord", "token", models.CharField(
            default=naskah.models.new_token, editable=False, max_length=64, unique=True, verbose_name="token verifikasi")),
        migrations.AddField("naskahrecord", "versi", models.PositiveSmallIntegerField(default=1, verbose_name="versi")),
        migrations.AddField("naskahrecord", "tahun_nomor", models.PositiveSmallIntegerField(
            blank=True, null=True, verbose_name="tahun nomor")),
        migrations.AddField("naskahrecord", "sha256", models.CharField(
            blank=True, db_index=True, max_length=64, verbose_name="SHA-256 konsep")),
        migrations.AddField("naskahrecord", "final_file", models.FileField(
            blank=True, max_length=255, upload_to="naskah/final/%Y/", verbose_name="naskah final")),
        migrations.AddField("naskahrecord", "final_sha256", models.CharField(
            blank=True, db_index=True, max_length=64, verbose_name="SHA-256 final")),
        migrations.AddField("naskahrecord", "signed_at", models.DateTimeField(blank=True, null=True, verbose_name="ditandatangani pada")),
        migrations.AddField("naskahrecord", "signed_by", models.CharField(blank=True, max_length=300, verbose_name="ditandatangani oleh")),
    ]
