"""The working-time report's figures for a year, for those who may read the report."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.views_base import ApiView
from laporan import figures
from workflow import policy
from workflow.models import Dossier

BAD_YEAR = "tahun harus tahun empat angka, 2000 sampai 2100 (mis. 2027)."


def seconds(delta):
    return None if delta is None else int(delta.total_seconds())


def step_row(row) -> dict:
    return {"langkah": row["step"].number, "kegiatan": row["step"].ringkas, "waktu_baku": str(row["step"].waktu),
            "selesai": row["n"], "berjalan": row["running"], "terlambat": row["late"],
            "median_detik": seconds(row["median"]), "p90_detik": seconds(row["p90"]),
            "median_persen_waktu_baku": row["median_pct"], "p90_persen_waktu_baku": row["p90_pct"],
            "tepat_waktu_persen": row["on_time"]}


class Report(ApiView):
    query_parameters = (OpenApiParameter("tahun", OpenApiTypes.INT),)

    @extend_schema(summary="Angka laporan waktu per langkah untuk satu tahun", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        if not policy.can_view_reports(request.user):
            raise PermissionDenied("Laporan waktu hanya untuk Kasubag, Kabag dan Kabiro.")
        text = request.query_params.get("tahun", "")
        if text:
            if not (len(text) == 4 and text.isascii() and text.isdigit()) or not 2000 <= int(text) <= 2100:
                # Named in kesalahan, as the dossier list names a filter it refuses.
                raise ValidationError({"tahun": [BAD_YEAR]})
            year = int(text)
        else:
            years = Dossier.objects.visible_to(request.user).years()
            year = years[0] if years else None
        if year is None:
            return Response({"tahun": None, "langkah": [], "terlambat": 0})
        data = figures.build(request.user, year, late_shown=0)
        return Response({"tahun": year, "langkah": [step_row(r) for r in data["rows"]], "terlambat": data["late_total"]})
