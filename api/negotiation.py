"""Which renderer answers a request: DRF's choice, with a `?format=` the address does not offer told
as a refused parameter naming those it does, and an Accept header it cannot meet told which it can.
A program asking a JSON address for a document's file (`?format=pdf`, `Accept: application/pdf`) is
told where the file itself is downloaded."""

from django.urls import reverse
from rest_framework.exceptions import NotAcceptable, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation

from workflow.forms.uploads import CONTENT_TYPE_BY_EXTENSION

# The kinds a document's file may be (workflow.forms.uploads): asked of a JSON address, the program
# wants a document's file, which only dokumen/N/berkas/ gives.
FILE_FORMATS = {extension.lstrip(".") for extension in CONTENT_TYPE_BY_EXTENSION}
FILE_TYPES = set(CONTENT_TYPE_BY_EXTENSION.values())


def where_files_are(request) -> str:
    """Where a document's file is downloaded: the `unduh` of each document in the dossier's list
    (this dossier's, when the address names one)."""
    pk = (getattr(request, "parser_context", None) or {}).get("kwargs", {}).get("pk")
    documents = reverse("api_documents", args=[pk]) if isinstance(pk, int) else "/api/v1/dosier/N/dokumen/"
    return (f"Berkas dokumen (PDF bertanda tangan bila sudah ditandatangani) diunduh di alamat unduh tiap dokumen "
            f"pada GET {documents}, yaitu GET /api/v1/dokumen/<id dokumen>/berkas/.")


class Formats(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        # filter_renderers is given the format only; its refusal names the dossier's documents.
        self.request = request
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            # DRF's "Permintaan dengan header Accept ini tidak dapat dipenuhi." named neither what
            # was asked nor what is given: a program asking for a PDF learnt nothing to do next.
            asked = request.headers.get("Accept", "")[:100]
            types = ", ".join(dict.fromkeys(renderer.media_type for renderer in renderers))
            told = f"Header Accept “{asked}” tidak dapat dipenuhi: alamat ini hanya menjawab {types}."
            if any(wanted.split(";")[0].strip().lower() in FILE_TYPES for wanted in asked.split(",")):
                told += " " + where_files_are(request)
            raise NotAcceptable(told) from None

    def filter_renderers(self, renderers, format):
        offered = [renderer for renderer in renderers if renderer.format == format]
        if not offered:
            # DRF raises Http404 here, answered "Tidak ditemukan.": the program took the address
            # for gone, not the format for one it does not give.
            formats = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
            told = f"format “{format[:20]}” tidak tersedia; yang tersedia: {formats}."
            if format.lower() in FILE_FORMATS:
                told += " " + where_files_are(self.request)
            raise ValidationError({"format": [told]})
        return offered
