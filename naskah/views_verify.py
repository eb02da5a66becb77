"""The public verification page a document's QR leads to: no login, reached by its unguessable
token alone, showing only what identifies the document, and checking an uploaded copy."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, render

from lib.dates import long_date, moment_text
from naskah import pades, record
from naskah.models import NaskahRecord
from naskah.verification import ASLI, verify
from workflow.steps import DocKind


class CopyForm(forms.Form):
    berkas = forms.FileField(label="Berkas PDF yang akan dicocokkan", error_messages={
        "required": "Pilih berkas PDF yang akan dicocokkan.", "empty": "Berkas kosong."})

    def clean_berkas(self):
        upload = self.cleaned_data["berkas"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError("Berkas terlalu besar untuk sebuah naskah.")
        return upload


def document_date(found: NaskahRecord) -> str:
    data = record.form_data(found, found.document.dossier)
    day = data.get("tanggal_surat") or data.get("tanggal_rapat")
    return long_date(day) if day else ""


@login_not_required
def verification_page(request, token):
    found = get_object_or_404(NaskahRecord.objects.select_related("document__dossier"), token=token)
    verdict = None
    form = CopyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        verdict = verify(form.cleaned_data["berkas"].read())
    # A genuine file of another document is not a copy of this one.
    about_this = verdict is not None and verdict.record is not None and verdict.record.pk == found.pk
    return render(request, "naskah/verifikasi.html", {
        "found": found, "kind": DocKind(found.document.kind).label, "tanggal": document_date(found),
        "signed_at": moment_text(found.signed_at) if found.signed_at else "",
        "form": form, "verdict": verdict, "about_this": about_this,
        "matches": about_this and verdict.outcome == ASLI,
        "stored_signatures": pades.validate(record.served_bytes(found)) if found.is_final else [],
    })
