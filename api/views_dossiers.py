"""Dossiers the caller may see: the same scope the inbox and the archive read (`visible_to`), a
page at a time by cursor, each with its position, due moment and whether it is late; one with the
latest events of its history for those the policy lets read it, and its whole history a page at a
time at its own address. A read answers with the dossier's ETag, which a write sends back in
If-Match."""

from base64 import b64encode
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from api.errors import content_tag
from api.filters import DossierFilter
from api.serializers import (
    DossierDetailDoc,
    DossierDoc,
    DossierFull,
    DossierShort,
    EventSerializer,
    dossier_context,
    kept_names,
    taken_out,
)
from api.views_base import ApiView
from workflow import policy
from workflow.models import Dossier
from workflow.views.access import visible_dossier

RINGKAS = OpenApiParameter("ringkas", OpenApiTypes.BOOL,
                           description="true (atau 1, ya): bentuk ringkas (id, tahun, judul, posisi, langkah, revisi); "
                                       "false (atau 0, tidak; bawaan): bentuk lengkap")
SHORT, FULL = ("1", "true", "ya"), ("0", "false", "tidak")
BAD_SHORT = "ringkas harus true atau false (atau 1/0, ya/tidak)."
# A dossier's creation moment as the cursor keeps it (str() of created_at), for the schema's examples.
EXAMPLE_MOMENT = "2026-01-05 01:30:00+00:00"
BAD_SIZE = "ukuran harus bilangan bulat 1 sampai 100."
BAD_CURSOR = "Kursor tidak sah: pakai alamat “next” atau “previous” dari jawaban sebelumnya apa adanya."
# The events a dossier's own answer carries: a round's history grows with every draft saved, reminder
# and action (thousands of events in a province's round), which made one answer of megabytes. The
# rest are read a page at a time at riwayat/ (DossierHistory).
RECENT_EVENTS = 20
NO_HISTORY = ("Riwayat dosier hanya dibaca Biro Kesra. Posisi dosier ini ada di GET {address} "
              "(posisi, langkah, tenggat).")


class Pages(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 25
    page_size_query_param = "ukuran"
    max_page_size = 100
    cursor_query_param = "kursor"
    cursor_query_description = "Kursor halaman: dari alamat “next” atau “previous” jawaban sebelumnya."
    page_size_query_description = "Banyak dosier per halaman (paling banyak 100, bawaan 25)."

    def get_page_size(self, request):
        # DRF reads a size that is no whole number from 1 to 100 (?ukuran=abc, 0, 500) as the default
        # or the largest: the program is told, as for a filter, not given another size than it asked.
        sent = request.query_params.get(self.page_size_query_param, "")
        if not sent:
            return self.page_size
        if not (len(sent) <= 3 and sent.isascii() and sent.isdigit() and 1 <= int(sent) <= self.max_page_size):
            raise ValidationError({self.page_size_query_param: [BAD_SIZE]})
        return int(sent)

    def example_path(self) -> str:
        return reverse("api_dossiers")

    def get_paginated_response_schema(self, schema):
        # DRF's examples name http://api.example.org/accounts/ and a cursor at "p=486", which this
        # list refuses (400, no moment): a client tried on them met a refusal. These are the
        # addresses the list gives, at the install's own address.
        shape = super().get_paginated_response_schema(schema)
        address = settings.SOP_SITE_URL.rstrip("/") + self.example_path()
        for name, cursor in (("next", {"p": EXAMPLE_MOMENT}), ("previous", {"r": "1", "p": EXAMPLE_MOMENT})):
            token = b64encode(urlencode(cursor, doseq=True).encode("ascii")).decode("ascii")
            shape["properties"][name]["example"] = f"{address}?{urlencode({self.cursor_query_param: token})}"
        return shape

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
        return parameters

    def decode_cursor(self, request):
        # DRF answers a cursor it cannot read with 404 "Invalid cursor", as if the list were gone.
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ParseError(BAD_CURSOR) from None
        # Its position is compared with created_at in SQL: one that is no moment would fail there.
        if cursor is not None and cursor.position is not None and not moment(cursor.position):
            raise ParseError(BAD_CURSOR)
        return cursor


class EventPages(Pages):
    """A dossier's history a page at a time, the latest first, by the same cursor as the list's."""

    ordering = ("-at", "-id")
    page_size = 50
    page_size_query_description = "Banyak peristiwa riwayat per halaman (paling banyak 100, bawaan 50)."

    def example_path(self) -> str:
        return reverse("api_dossier_history", args=[1])


def moment(text: str) -> bool:
    try:
        return parse_datetime(text) is not None
    except ValueError:
        return False


def short(request) -> bool:
    # Anything but a yes or a no (?ringkas=2, ?ringkas=yes) gave the full form, as if asked for it.
    sent = request.query_params.get("ringkas", "").lower()
    if sent and sent not in SHORT + FULL:
        raise ValidationError({"ringkas": [BAD_SHORT]})
    return sent in SHORT


class DossierList(ApiView, generics.ListAPIView):
    filterset_class = DossierFilter
    pagination_class = Pages
    query_parameters = (RINGKAS,)

    def get_queryset(self):
        dossiers = Dossier.objects.visible_to(self.request.user)
        return dossiers if short(self.request) else dossiers.prefetch_related("invited", kept_names())

    def get_serializer_class(self):
        return DossierShort if short(self.request) else DossierFull

    def get_serializer_context(self):
        return dossier_context(self.request)

    @extend_schema(summary="Dosier yang boleh Anda lihat", responses=DossierDoc(many=True))
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DossierDetail(ApiView):
    query_parameters = (RINGKAS,)

    @extend_schema(summary="Satu dosier, dengan riwayatnya bila Anda boleh membacanya", responses=DossierDetailDoc)
    def get(self, request, pk):
        brief = short(request)
        dossier = visible_dossier(request.user, pk)
        context = dossier_context(request)
        history = policy.can_view_history(request.user, dossier)
        tag = content_tag(dossier, context["now"], history=history, own_skpd=context["own_skpd"],
                          taken_out=taken_out(dossier, context))
        if tag in request.headers.get("If-None-Match", ""):
            return Response(status=304, headers={"ETag": tag})
        if brief:
            return Response(DossierShort(dossier).data, headers={"ETag": tag})
        data = DossierFull(dossier, context=context).data
        if history:
            # The latest events only, still oldest first (riwayat[-1] is the last thing done); the
            # whole history is at riwayat_url, a page at a time.
            latest = list(dossier.events.order_by("-at", "-pk")[:RECENT_EVENTS])[::-1]
            data["riwayat"] = EventSerializer(latest, many=True).data
            data["riwayat_jumlah"] = dossier.events.count()
            data["riwayat_url"] = reverse("api_dossier_history", args=[dossier.pk])
        return Response(data, headers={"ETag": tag})


class DossierHistory(ApiView, generics.ListAPIView):
    """The dossier's whole history for those who read it (the bureau), the latest first, a page at a
    time; an agency, which reads no history, is refused it as the dossier's answer leaves it out."""

    pagination_class = EventPages
    serializer_class = EventSerializer
    filter_backends = ()

    def get_queryset(self):
        dossier = visible_dossier(self.request.user, self.kwargs["pk"])
        if not policy.can_view_history(self.request.user, dossier):
            raise PermissionDenied(NO_HISTORY.format(address=reverse("api_dossier", args=[dossier.pk])))
        return dossier.events.all()

    @extend_schema(summary="Riwayat dosier, yang terbaru dahulu, per halaman",
                   description="Setiap peristiwa riwayat dosier (tindakan, draf IKU, pengingat), yang terbaru dahulu: "
                               "ikuti next sampai null untuk membaca seluruhnya. Hanya bagi yang boleh membaca riwayat "
                               "dosier ini (Biro Kesra).")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
