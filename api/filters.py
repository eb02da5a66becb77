"""The dossier list's filters, as the archive's: year, position, invited agency, and late."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from lib.choices import BIGGEST_ID
from workflow import policy
from workflow.models import Dossier
from workflow.steps import ACTIVE_STATES, STATE_CHOICES


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """true or false, anything else refused: BooleanFilter reads anything else as no filter, so
    ?terlambat=ya listed every dossier as if asked for the late ones."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choices=[("true", "true"), ("false", "false")], coerce=lambda text: text == "true",
                         **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number, anything else refused: NumberFilter takes a decimal, so ?tahun=2027.5 listed
    the rounds of 2027 and ?skpd=1.5 agency 1's."""

    field_class = forms.IntegerField


class DossierFilter(django_filters.FilterSet):
    tahun = IntegerFilter(field_name="tahun", min_value=2000, max_value=2100,
                          error_messages={"invalid": "Tahun harus bilangan bulat (mis. 2027).",
                                          "min_value": "Tahun paling awal 2000.",
                                          "max_value": "Tahun paling akhir 2100."})
    posisi = django_filters.ChoiceFilter(field_name="state", choices=STATE_CHOICES,
                                         error_messages={"invalid_choice": "Posisi tidak dikenal."})
    skpd = IntegerFilter(method="filter_skpd", min_value=1, max_value=BIGGEST_ID,
                         error_messages={"invalid": "Nomor SKPD harus bilangan bulat.",
                                         "min_value": "Nomor SKPD tidak sah.",
                                         "max_value": "Nomor SKPD tidak sah."})
    terlambat = StrictBooleanFilter(method="filter_late", label="terlambat",
                                    error_messages={"invalid_choice": "terlambat harus true atau false."})

    class Meta:
        model = Dossier
        fields = ("tahun", "posisi", "skpd", "terlambat")

    def filter_skpd(self, queryset, name, value):
        user = self.request.user
        if policy.scoped_to_invitations(user) and value != user.skpd_id:
            # An agency sees only the rounds it is invited to: which of them invite another agency
            # is not its to learn, so any other agency's number matches nothing.
            return queryset.none()
        return queryset.filter(invited=value)

    def filter_late(self, queryset, name, value):
        late = Q(state__in=ACTIVE_STATES, due_at__lt=timezone.now())
        user = self.request.user
        if policy.scoped_to_invitations(user) and user.skpd_id and not policy.agency_active(user):
            # A deactivated agency's rounds are late for it no more: their answers say terlambat false.
            late = Q(pk__in=[])
        return queryset.filter(late) if value else queryset.exclude(late)
