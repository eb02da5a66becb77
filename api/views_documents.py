"""A dossier's documents (those the caller may open, `policy.document_scope`), and what a
verification token or a SHA-256 stands for: the same answer the public verification page gives,
without the dossier."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.serializers import DocumentSerializer
from api.views_base import FORMAT, ApiView
from naskah import verification
from workflow import policy
from workflow.forms.uploads import CONTENT_TYPE_BY_EXTENSION
from workflow.models import Document
from workflow.views.access import visible_dossier
from workflow.views.dossier import served_document


class DocumentList(ApiView):
    @extend_schema(summary="Dokumen dosier yang boleh Anda buka", responses=DocumentSerializer(many=True))
    def get(self, request, pk):
        dossier = visible_dossier(request.user, pk)
        documents = dossier.documents.filter(policy.document_scope(request.user)).select_related("naskah")
        return Response(DocumentSerializer(documents, many=True, context={"request": request}).data)


# A file's kind as ?format= names it, from the type it is served with.
FILE_FORMAT = {content_type: extension.lstrip(".") for extension, content_type in CONTENT_TYPE_BY_EXTENSION.items()
               if extension != ".jpeg"}


# The file itself with the same token as the rest (the page's download asks for a browser's sign-in):
# the signed bytes once signed, as `nama_berkas` and `ukuran` describe them. Said here, not in a
# docstring, which the schema would show its readers as the operation's English description.
class DocumentFile(ApiView):
    file_formats = tuple(dict.fromkeys(FILE_FORMAT.values()))

    @extend_schema(summary="Unduh berkas dokumen (PDF bertanda tangan bila sudah ditandatangani)",
                   description="Berkasnya sendiri, dengan token yang sama: setelah ditandatangani, berkas bertanda "
                               "tangan, seperti nama_berkas dan ukuran di daftar dokumen menyebutnya.",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, document):
        response = served_document(request.user, document)
        asked = request.query_params.get(FORMAT)
        if asked and CONTENT_TYPE_BY_EXTENSION.get(f".{asked.lower()}") != response["Content-Type"]:
            # Refused only once the caller may have the file: nothing said of one they may not. Its
            # file closed, not the response: closing one ends the request (request_finished), and with
            # it the database connection this refusal still reads from.
            response.file_to_stream.close()
            kind = FILE_FORMAT.get(response["Content-Type"])
            dossier = Document.objects.values_list("dossier_id", flat=True).get(pk=document)
            raise ValidationError({FORMAT: [
                f"format “{asked[:20]}” tidak tersedia: alamat ini memberikan berkas dokumen apa adanya "
                f"({response.filename}); " + (f"sebut format {kind} atau tidak sama sekali. " if kind else
                                               "jangan sebut format. ")
                + f"Keterangan dokumen dalam JSON ada di GET {reverse('api_documents', args=[dossier])}."]})
        return response

    def perform_content_negotiation(self, request, force=False):
        # The answer is the file, not a JSON rendering: an Accept asking for it (application/pdf,
        # which a download tool sends) was refused 406 "only JSON". A refusal is still JSON, and a
        # ?format= is read against the file itself (above).
        return super().perform_content_negotiation(request, force=True)


def described(verdict) -> dict:
    version = verdict.version
    found = {"hasil": verdict.outcome, "pesan": verdict.message}
    if version is None:
        return found
    made = version.record
    found.update({
        "jenis": version.kind, "nomor": made.nomor, "naskah": version.what, "sha256": version.sha256,
        "token": version.token, "halaman": version.url,
        "ditandatangani": made.signed_at if version.final else None,
        "ditandatangani_oleh": made.signed_by if version.final else "",
    })
    if verdict.standing is not None:
        found["keadaan"] = verdict.standing.lines(absolute=True)
    return found


class Verification(ApiView):
    query_parameters = (OpenApiParameter("token", OpenApiTypes.STR), OpenApiParameter("sha256", OpenApiTypes.STR))

    @extend_schema(
        summary="Periksa naskah dengan token verifikasinya atau SHA-256 berkasnya",
        # A file not made here is answered as any other: its verdict (hasil, pesan), not a refusal.
        responses={200: OpenApiTypes.OBJECT, 404: OpenApiResponse(OpenApiTypes.OBJECT, description=(
            "Tidak dikenal: hasil dan pesan, seperti jawaban 200."))})
    def get(self, request):
        token, digest = request.query_params.get("token", ""), request.query_params.get("sha256", "").lower()
        # Named in kesalahan, as the dossier list names a filter it refuses. Both sent, the token was
        # answered and the SHA-256 ignored: a file's hash was "asli" by another document's token.
        if token and digest:
            raise ValidationError({"sha256": ["Sebut token atau sha256, tidak keduanya."]})
        if token:
            version = verification.lookup(token[:64])
        elif len(digest) == 64 and all(c in "0123456789abcdef" for c in digest):
            version = verification.by_hash(digest)
        elif digest:
            raise ValidationError({"sha256": ["sha256 harus 64 digit heksadesimal."]})
        else:
            raise ValidationError({"token": ["Sertakan token=… atau sha256=… (64 digit heksadesimal)."]})
        if version is None:
            return Response(described(verification.Verdict(verification.TIDAK_DIKENAL)), status=404)
        return Response(described(verification.verdict_for(version, ())))
