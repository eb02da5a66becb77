"""A closed round's IKU for the SAKIP tools: `?bentuk=esakip|sipd&berkas=json|csv|xlsx&awal=YYYY`
(the span's first year, by default the decree's own) and `&skpd=ID` for one agency. What the caller
may see of the table is what its page shows them (an agency: its own rows)."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api import sakip, sakip_files
from api.views_base import ApiView
from iku.reading import visible_rows
from workflow.steps import SELESAI, IkuStage
from workflow.views.access import visible_dossier


def _year(text: str, default: int) -> int | None:
    if not text:
        return default
    return int(text) if len(text) == 4 and text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100 else None


def rows_reader(user, skpd_id=None):
    """A decree's rows as `user` may see them on its page, of one agency if asked."""
    def rows_of(dossier):
        return [row for row in visible_rows(user, dossier, IkuStage.BAHAN) if skpd_id is None or row.submission.skpd_id == skpd_id]
    return rows_of


class SakipExport(ApiView):
    query_parameters = (OpenApiParameter("bentuk", OpenApiTypes.STR, enum=list(sakip.SHAPES)),
                        OpenApiParameter("berkas", OpenApiTypes.STR, enum=list(sakip_files.CONTENT_TYPES)),
                        OpenApiParameter("awal", OpenApiTypes.INT), OpenApiParameter("skpd", OpenApiTypes.INT))

    @extend_schema(summary="IKU putaran yang sudah ditutup dalam bentuk e-SAKIP atau SIPD (JSON, CSV, XLSX)",
                   description=sakip.REALISATIONS_NOTE, responses=OpenApiTypes.BINARY)
    def get(self, request, pk):
        dossier = visible_dossier(request.user, pk)
        query = request.query_params
        shape, kind = query.get("bentuk", "esakip"), query.get("berkas", "json")
        start = _year(query.get("awal", ""), dossier.tahun)
        skpd = query.get("skpd", "")
        # Each parameter's refusal named in kesalahan, as the dossier list names a filter it refuses.
        wrong = {name: [text] for name, bad, text in (
            ("bentuk", shape not in sakip.SHAPES, "bentuk harus esakip atau sipd."),
            ("berkas", kind not in sakip_files.CONTENT_TYPES, "berkas harus json, csv atau xlsx."),
            ("awal", start is None, "awal harus tahun empat angka (2000–2100)."),
            ("skpd", bool(skpd) and not (skpd.isascii() and skpd.isdigit()), "skpd harus nomor SKPD."),
        ) if bad}
        if wrong:
            raise ValidationError(wrong)
        if dossier.state != SELESAI:
            return Response({"detail": f"Putaran ini belum ditutup (posisi: {dossier.state_label}); "
                                       "hanya IKU yang sudah ditetapkan yang diekspor."}, status=400)
        try:
            rows = sakip.table(shape, dossier, start, rows_reader(request.user, int(skpd) if skpd else None))
        except sakip.OutOfSpan as outside:
            raise ValidationError({"awal": [str(outside)]}) from None
        response = HttpResponse(sakip_files.render(kind, shape, dossier, start, rows),
                                content_type=sakip_files.CONTENT_TYPES[kind])
        response["Content-Disposition"] = f'attachment; filename="sakip-{shape}-{dossier.tahun}-{dossier.pk}.{kind}"'
        return response
