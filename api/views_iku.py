"""A dossier's IKU: the table of a stage as the Lampiran numbers it (all agencies for the bureau,
its own for an agency, as the page shows it), and one agency's versions as sent."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from api.serializers import IkuRowSerializer, VersionSerializer
from api.views_base import ApiView
from iku.reading import lampiran_table, stage_named, visible_submission
from workflow.models import Invitation
from workflow.steps import IkuStage
from workflow.views.access import visible_dossier

STAGE = OpenApiParameter("stage", OpenApiTypes.STR, OpenApiParameter.PATH, enum=IkuStage.values,
                         description="Tahap IKU: konsep (Konsep IKU) atau bahan (Bahan penyusunan IKU)")


class IkuTable(ApiView):
    @extend_schema(summary="Tabel IKU satu tahap (konsep atau bahan)", parameters=[STAGE],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request, pk, stage):
        table = lampiran_table(request.user, pk, stage_named(stage))
        return Response({"tahap": table["stage"].value, "peringatan": table["warning_count"],
                         "baris": IkuRowSerializer(table["rows"], many=True).data})


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
