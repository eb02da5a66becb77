"""The dossier's actions (workflow.actions) through the API: each with its own form (the same
fields, validation and Indonesian messages as its page), through `services.perform` (row lock,
policy, transition and audit event in one transaction). Files cannot come as JSON: the uploads stay
on the pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from api.audit import logged_if_token
from api.errors import etag
from api.idempotency import once_per_key
from api.views_base import ApiView
from api.writes import may_do, mistyped, revision_to_write
from iku.round import remind_missing
from workflow import policy, services
from workflow.actions import ACTIONS, REMIND, Action
from workflow.policy import Capacity
from workflow.roles import Role
from workflow.views.access import visible_dossier
from workflow.views.actions import action_form

ACTION = OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH,
                          enum=[name for name in ACTIONS if name != Action.AJUKAN_IKU],
                          description="Tindakan. IKU SKPD tidak dikirim di sini, tetapi lewat iku-saya/kirim/.")
IF_MATCH = OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
                            description="ETag dosier yang dibaca (atau nomor revisinya)")
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="Kunci sekali pakai (16–64 huruf, angka, - atau _, mis. UUID): permintaan yang dikirim ulang "
                "dengan kunci yang sama tidak dicatat dua kali.")


def type_errors(wrong: dict) -> dict:
    return {"detail": " ".join(message for messages in wrong.values() for message in messages), "kesalahan": wrong}


def form_errors(form) -> dict:
    return {"detail": "Periksa isian.", "kesalahan": {name: list(errors) for name, errors in form.errors.items()}}


def answered(dossier, text: str, **more) -> Response:
    dossier.refresh_from_db()
    return Response({"detail": text, "revisi": dossier.revision, "posisi": dossier.state, **more},
                    headers={"ETag": etag(dossier)})


class TakeAction(ApiView):
    @extend_schema(summary="Ambil tindakan pada dosier (selesaikan, kembalikan, batalkan, ...)",
                   parameters=[ACTION, IF_MATCH, IDEMPOTENCY_KEY], request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    @once_per_key
    def post(self, request, pk, action):
        spec = ACTIONS.get(action)
        if spec is None:
            raise Http404("Tindakan tidak dikenal.")
        user = request.user
        dossier = visible_dossier(user, pk)
        revision = revision_to_write(request, dossier, may_do(user, action), action, additive=spec.additive)
        if action == Action.AJUKAN_IKU:
            # Its form reads the grid's `r-<n>-<field>` inputs, which no JSON body sends: it would
            # refuse with nothing named to fix. The rows as JSON have their own address.
            send = reverse("api_my_iku_send", args=[dossier.pk])
            return Response({"detail": f"IKU SKPD dikirim lewat POST {send} dengan baris IKU sebagai daftar “baris” "
                                       f"(draf disimpan lewat {reverse('api_my_iku_draft', args=[dossier.pk])}), "
                                       "bukan lewat tindakan ini.", "alamat": send}, status=400)
        # A JSON object (api.parsers), or {} for an empty body.
        data = request.data
        form = action_form(action, dossier, user, data, {}, request=request._request)
        # Its refusals name the JSON fields to send, not the page's boxes.
        form.for_program = True
        wrong = mistyped(form, data)
        if wrong:
            return Response(type_errors(wrong), status=400)
        if not form.is_valid():
            return Response(form_errors(form), status=400)
        event = services.perform(dossier, user, action, revision=revision, **form.transition_kwargs())
        return answered(dossier, spec.success.format(event=event))


class Remind(ApiView):
    @extend_schema(summary="Ingatkan SKPD yang belum mengirim IKU", parameters=[IDEMPOTENCY_KEY], request=None,
                   responses=OpenApiTypes.OBJECT)
    @once_per_key
    def post(self, request, pk):
        dossier = visible_dossier(request.user, pk)
        if not policy.can_remind_agencies(request.user, dossier):
            raise PermissionDenied("Hanya Kasubag dan Kabiro yang mengingatkan SKPD, selama langkahnya menunggu IKU SKPD.")
        held = policy.roles_of(request.user)
        role = Role.KASUBAG if Role.KASUBAG in held else Role.KABIRO
        with logged_if_token(request, dossier, REMIND, Capacity(role, held.get(role))) as said:
            done = remind_missing(dossier, request.user)
            if done.reminded:
                said["note"] = "Diingatkan: " + ", ".join(a.nama_pendek for a in done.reminded)
        return Response({"diingatkan": [a.nama_pendek for a in done.reminded],
                         "sudah_diingatkan_hari_ini": [a.nama_pendek for a in done.skipped],
                         "tanpa_penerima": [a.nama_pendek for a in done.unreachable],
                         # Apart: the admin adds an officer for the one, fills in an address for the other.
                         "tanpa_petugas": [a.nama_pendek for a in done.unstaffed],
                         "petugas_tanpa_surel": [a.nama_pendek for a in done.unmailed]})

