"""A signed document's hand-off to SRIKANDI: its particulars as JSON or CSV, and the number
SRIKANDI gave it. Only signed documents made here; whoever may open the document may download,
the records clerks record the number."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from lib.csv_export import csv_response
from naskah import srikandi
from naskah.models import NaskahRecord
from workflow import policy
from workflow.steps import DocKind
from workflow.views import stand_in
from workflow.views.access import closed, keep_typed_with_news, lapsed_news, require_or_lapsed, visible_dossier


class SrikandiNumberForm(forms.Form):
    nomor_srikandi = forms.CharField(label="Nomor SRIKANDI", max_length=100, error_messages={
        "required": "Isi nomor yang diberikan SRIKANDI.", "max_length": "Nomor SRIKANDI paling panjang 100 karakter."})


def _signed(request, pk, document) -> NaskahRecord:
    dossier = visible_dossier(request.user, pk)
    # Past what a key holds no document is (the reference lookup would not say so, SQLite overflows).
    found = get_object_or_404(NaskahRecord.objects.select_related("document__dossier"),
                              document__pk=document, document__dossier=dossier)
    if not policy.can_view_document(request.user, found.document):
        raise PermissionDenied("Dokumen ini tidak dibagikan kepada Anda.")
    if not found.is_final:
        raise Http404("Naskah ini belum ditandatangani; hanya naskah yang ditandatangani diserahkan ke SRIKANDI.")
    return found


def _stem(found: NaskahRecord) -> str:
    return found.final_name.removesuffix(".pdf") + "-srikandi"


@require_GET
def as_json(request, pk, document):
    found = _signed(request, pk, document)
    response = JsonResponse(srikandi.metadata(found), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{_stem(found)}.json"'
    return response


@require_GET
def as_csv(request, pk, document):
    found = _signed(request, pk, document)
    response, writer = csv_response(f"{_stem(found)}.csv")
    writer.writerow(srikandi.FIELDS)
    writer.writerow(srikandi.csv_row(srikandi.metadata(found)))
    return response


@require_GET
def as_zip(request, pk, document):
    found = _signed(request, pk, document)
    if not policy.can_bundle_srikandi(request.user, found.document.dossier):
        raise PermissionDenied("Paket SRIKANDI diunduh oleh pegawai Biro.")
    response = HttpResponse(srikandi.bundle(found), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_stem(found)}.zip"'
    return response


def _not_recorded(who: str) -> str:
    return f"Nomor SRIKANDI naskah ini belum dicatat; dapat dicatat oleh {who}."


@require_POST
def record_number(request, pk, document):
    found = _signed(request, pk, document)
    dossier = found.document.dossier
    recording_as = policy.recording_srikandi_as(request.user, dossier)
    lapsed = require_or_lapsed(
        request, recording_as is not None, "Nomor SRIKANDI dicatat oleh Kasubag atau Staf.",
        # A Plh. Kasubag whose delegation ended with the dossier's page open gets the number back with why.
        lapsed=lambda: lapsed_news(request, policy.SRIKANDI_CLERKS, dossier, "nomor SRIKANDI tidak dapat Anda catat",
                                   left=_not_recorded))
    form = SrikandiNumberForm(request.POST)
    if lapsed:
        keep_typed_with_news(form, dossier, may_now=False, news=lapsed)
        return _given_back(request, found, form, recording_as)
    if not form.is_valid():
        # Refused: the form again, beside its message, with what was typed.
        return _given_back(request, found, form, recording_as)
    nomor = form.cleaned_data["nomor_srikandi"].strip()
    try:
        srikandi.record_number(found, request.user, nomor)
    except ValidationError as refusal:
        form.add_error("nomor_srikandi", refusal)
        return _given_back(request, found, form, recording_as)
    messages.success(request, f"Nomor SRIKANDI {nomor} dicatat untuk {found.nomor}.")
    return redirect("dossier", pk=pk)


def _given_back(request, found, form, recording_as):
    return render(request, "naskah/srikandi_nomor.html", {
        "dossier": found.document.dossier, "found": found, "form": form, "label": DocKind(found.document.kind).label,
        "closed": closed(form),
        "stand_in": stand_in.carried(request, closed(form), recording_as)})
