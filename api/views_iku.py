"""A dossier's IKU: the table of a stage as the Lampiran numbers it (all agencies for the bureau,
its own for an agency, as the page shows it), a page of rows at a time, and one agency's versions
as sent."""

from base64 import b64decode, b64encode
from binascii import Error as BadBase64
from urllib.parse import parse_qs, urlencode

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from api.serializers import IkuRowSerializer, VersionSerializer
from api.views_base import ApiView
from api.views_dossiers import BAD_CURSOR, Pages
from iku.reading import lampiran_table, stage_named, visible_submission
from workflow.models import Invitation
from workflow.steps import IkuStage
from workflow.views.access import visible_dossier

STAGE = OpenApiParameter("stage", OpenApiTypes.STR, OpenApiParameter.PATH, enum=IkuStage.values,
                         description="Tahap IKU: konsep (Konsep IKU) atau bahan (Bahan penyusunan IKU)")


class RowPages(Pages):
    """The table's rows a page at a time, as the dossier list's (`ukuran` 1 to 100, `kursor` from the
    answer's `next` or `previous`): a province's round (42 agencies, 2,100 rows) was one answer of
    every row, megabytes a program had to take whole. The rows are numbered in Python (the Lampiran's
    order), so the cursor is the row's place in the table, kept as DRF's cursors are (base64)."""

    page_size = 100
    page_size_query_description = "Banyak baris per halaman (paling banyak 100, bawaan 100)."

    def page(self, request, rows: list) -> tuple[list, str | None, str | None]:
        size = self.get_page_size(request)
        start = self.offset(request)
        url = request.build_absolute_uri()
        nearer = max(start - size, 0)
        previous = None
        if start > 0:
            previous = (replace_query_param(url, self.cursor_query_param, self.token(nearer)) if nearer
                        else remove_query_param(url, self.cursor_query_param))
        following = start + size
        after = replace_query_param(url, self.cursor_query_param, self.token(following)) if following < len(rows) else None
        return rows[start:following], after, previous

    def offset(self, request) -> int:
        sent = request.query_params.get(self.cursor_query_param, "")
        if not sent:
            return 0
        try:
            said = parse_qs(b64decode(sent.encode("ascii"), validate=True).decode("ascii"), strict_parsing=True)
        except (BadBase64, UnicodeError, ValueError):
            raise ParseError(BAD_CURSOR) from None
        place = said.get("o", [""])
        if set(said) != {"o"} or len(place) != 1 or not (place[0].isdigit() and len(place[0]) <= 7):
            raise ParseError(BAD_CURSOR)
        return int(place[0])

    @staticmethod
    def token(offset: int) -> str:
        return b64encode(urlencode({"o": offset}).encode("ascii")).decode("ascii")


PAGES = RowPages()
CURSOR = OpenApiParameter(PAGES.cursor_query_param, OpenApiTypes.STR, description=PAGES.cursor_query_description)
SIZE = OpenApiParameter(PAGES.page_size_query_param, {"type": "integer", "minimum": 1, "maximum": PAGES.max_page_size},
                        description=PAGES.page_size_query_description)
TABLE = inline_serializer("TabelIku", {
    "tahap": serializers.ChoiceField(choices=IkuStage.values),
    "peringatan": serializers.IntegerField(help_text="Banyak peringatan di seluruh tabel yang boleh Anda baca."),
    "jumlah_baris": serializers.IntegerField(help_text="Banyak baris seluruh tabel yang boleh Anda baca."),
    "next": serializers.URLField(allow_null=True, help_text="Halaman berikutnya; null di halaman terakhir."),
    "previous": serializers.URLField(allow_null=True, help_text="Halaman sebelumnya; null di halaman pertama."),
    "baris": IkuRowSerializer(many=True),
})


class IkuTable(ApiView):
    query_parameters = (CURSOR, SIZE)

    @extend_schema(summary="Tabel IKU satu tahap (konsep atau bahan), per halaman baris", parameters=[STAGE],
                   description="Baris-baris tabel seperti Lampiran menomorinya, paling banyak 100 per halaman: "
                               "ikuti next sampai null untuk membaca seluruh tabel.",
                   responses=TABLE)
    def get(self, request, pk, stage):
        table = lampiran_table(request.user, pk, stage_named(stage))
        rows, after, previous = PAGES.page(request, table["rows"])
        return Response({"tahap": table["stage"].value, "peringatan": table["warning_count"],
                         "jumlah_baris": len(table["rows"]), "next": after, "previous": previous,
                         "baris": IkuRowSerializer(rows, many=True).data})


class IkuVersions(ApiView):
    @extend_schema(summary="Versi kiriman IKU satu SKPD", parameters=[STAGE], responses=OpenApiTypes.OBJECT)
    def get(self, request, pk, stage, skpd):
        dossier = visible_dossier(request.user, pk)
        submission = visible_submission(request.user, dossier, stage, skpd)
        versions = submission.versions.all()
        # A forwarded round names the agency as it kept it, not as it was renamed since.
        named = Invitation.objects.names_of_record(dossier).get(submission.skpd_id, (None, submission.skpd.nama_pendek))
        return Response({"skpd": named[1], "tahap": submission.stage,
                         "versi": VersionSerializer(versions, many=True).data})
