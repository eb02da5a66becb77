"""During an upgrade the previous release keeps serving after this release's migrations ran
(deploy/README.md, "Upgrades"): a column this release added is one the previous release's inserts do
not name, so the database itself must fill it in, or the previous release cannot open a round, invite
an agency or record a document until its server is restarted (bench/stack_drill.py's upgrade)."""

import pytest
from django.db import connection
from django.utils import timezone

from iku.models import IkuSubmission
from naskah.models import NaskahRecord, OfficeProfile
from workflow.models import Delegation, Dossier, Invitation, Skpd
from workflow.models.sent_form import SentForm

pytestmark = pytest.mark.django_db

# Columns added to existing tables since deploy/PREVIOUS_RELEASE (and those of the releases before it,
# still checked); a release adding another lists it here.
ADDED_SINCE_PREVIOUS_RELEASE = [(Invitation, "waiting"), (IkuSubmission, "draft_catatan"),
                                (NaskahRecord, "signed_through"), (OfficeProfile, "garuda"), (NaskahRecord, "final_size"),
                                (NaskahRecord, "awaiting_as"), (SentForm, "request_digest"), (Dossier, "pelaku"),
                                (Delegation, "ended_early_at"), (Delegation, "ended_early_by"),
                                (Skpd, "shown_by_abbreviation")]


def test_the_columns_added_since_the_previous_release_have_a_default_in_the_database():
    with connection.cursor() as cursor:
        for model, name in ADDED_SINCE_PREVIOUS_RELEASE:
            column = model._meta.get_field(name).column
            found = {c.name: c for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}
            # A column that takes NULL is filled with it unasked: PostgreSQL records no default of NULL.
            assert found[column].default is not None or (model._meta.get_field(name).null and found[column].null_ok), \
                f"{model._meta.db_table}.{column}"


def test_an_agency_the_previous_release_invites_is_invited_and_not_yet_waited_on(dossier):
    invited = Invitation.objects.filter(dossier=dossier).first()
    invited.delete()
    with connection.cursor() as cursor:
        # The previous release's insert: it knows no `waiting`.
        cursor.execute(f"INSERT INTO {Invitation._meta.db_table} (dossier_id, skpd_id) VALUES (%s, %s)",
                       [dossier.pk, invited.skpd_id])
    assert Invitation.objects.get(dossier=dossier, skpd=invited.skpd_id).waiting is False


def test_a_delegation_the_previous_release_records_is_not_ended_early(people):
    today = timezone.localdate()
    with connection.cursor() as cursor:
        # The previous release's insert: it knows neither when nor by whom one was ended early.
        cursor.execute(f"INSERT INTO {Delegation._meta.db_table} (official_id, delegate_id, role, kind, starts_on, "
                       "ends_on, dasar, created_at) VALUES (%s, %s, 'kabag', 'plh', %s, %s, '', %s)",
                       [people["kabag"].pk, people["kasubag"].pk, today, today, timezone.now()])
    delegation = Delegation.objects.get()
    assert (delegation.ended_early_at, delegation.ended_early_by) == (None, "")
    assert Delegation.objects.active_on(today).filter(pk=delegation.pk).exists()
