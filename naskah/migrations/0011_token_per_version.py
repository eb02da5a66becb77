"""One token per version: the signed document gets a token of its own, apart from its draft's.

A document signed before this printed one token on its draft's KONSEP prints and on the signed
PDF alike. The signed PDF cannot be printed again, so it keeps that token (as final_token), and
its draft version is given a new one: the draft's page is then reached from the app, and the QR
already on the signed paper still opens the signed document's page.
"""

import secrets

from django.db import migrations, models


def new_token() -> str:
    # As naskah.models.new_token: a migration keeps its own copy, so later edits there never change it.
    return secrets.token_urlsafe(32)


def split_tokens(apps, schema_editor):
    NaskahRecord = apps.get_model("naskah", "NaskahRecord")
    for pk, token in NaskahRecord.objects.exclude(final_sha256="").values_list("pk", "token").iterator():
        NaskahRecord.objects.filter(pk=pk).update(final_token=token, token=new_token())


def join_tokens(apps, schema_editor):
    # Back to one token a document: the one its signed PDF prints.
    NaskahRecord = apps.get_model("naskah", "NaskahRecord")
    for pk, final_token in NaskahRecord.objects.exclude(final_token=None).values_list("pk", "final_token").iterator():
        NaskahRecord.objects.filter(pk=pk).update(token=final_token, final_token=None)


class Migration(migrations.Migration):

    dependencies = [
        ("naskah", "0010_serial_in_range"),
    ]

    operations = [
        migrations.AddField(
            model_name="naskahrecord",
            name="final_token",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True,
                                   verbose_name="token verifikasi naskah final"),
        ),
        migrations.AddField(
            model_name="naskahrecord",
            name="tujuan_final",
            field=models.TextField(blank=True, editable=False, max_length=20000, verbose_name="tujuan naskah final"),
        ),
        migrations.RunPython(split_tokens, join_tokens),
    ]
