"""The Notulen the chair signed at step 2 waits for its Pencatat's signature wherever the dossier has
moved since: the Pencatat's inbox lists it with 'Tandatangani Notulen ... sebagai Pencatat' until they
sign. Before, a Kabag (or a Tim member past step 3) named Pencatat found the row only while the dossier
stood at a step that waited on their role, and lost it once the dossier moved on, the signature still
missing."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from naskah import cosign, record
from tests.factories import client_for
from tests.naskah.helpers import generate
from workflow import demo, services
from workflow.actions import Action
from workflow.models import User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER, DocKind


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def task_of(dossier) -> str:
    return f"Tandatangani Notulen rapat persiapan {record.latest(dossier, DocKind.NOTULEN_PERSIAPAN).nomor} sebagai Pencatat"


def moved_on(people, walk, pencatat, state, judul="Dosier uji"):
    """A dossier whose Notulen names `pencatat`, signed by the chair at step 2 and since walked on
    to `state` without the Pencatat's signature."""
    dossier = walk(STEP_BY_NUMBER[2].state, judul=judul)
    generate(client_for(people, "kasubag"), dossier, DocKind.NOTULEN_PERSIAPAN,
             pimpinan=people["kasubag"].pk, pencatat=people[pencatat].pk)
    demo.finish(dossier, people["kasubag"])
    return demo.walk_to(dossier, people, state)


@pytest.mark.parametrize("step", [4, 8])
def test_the_kabag_as_pencatat_finds_the_signature_in_the_inbox_at_a_later_step_until_he_signs(people, walk, step):
    dossier = moved_on(people, walk, "kabag", STEP_BY_NUMBER[step].state)
    task = task_of(dossier)
    assert task in text_of(client_for(people, "kabag").get("/"))
    # Nobody else is asked for it, whatever waits on them at this step.
    for other in ("kasubag", "staf", "kabiro", "tim", "dinkes"):
        assert task not in text_of(client_for(people, other).get("/")), other
    made = record.latest(dossier, DocKind.NOTULEN_PERSIAPAN)
    cosign.sign(made, people["kabag"])
    assert task not in text_of(client_for(people, "kabag").get("/"))


def test_the_inbox_costs_the_same_queries_for_one_signature_waiting_or_three(people, walk):
    moved_on(people, walk, "kabag", STEP_BY_NUMBER[4].state)
    client = client_for(people, "kabag")
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for n in range(2):
        moved_on(people, walk, "kabag", STEP_BY_NUMBER[4].state, judul=f"Dosier lain {n}")
    with CaptureQueriesContext(connection) as three:
        page = text_of(client.get("/"))
    assert page.count("sebagai Pencatat") == 3
    assert len(three) == len(one), [q["sql"] for q in three]


def test_a_cancelled_dossier_waits_for_no_signature(people, walk):
    dossier = moved_on(people, walk, "kabag", STEP_BY_NUMBER[4].state, judul="Dosier yang dibatalkan")
    services.perform(dossier, people["kabiro"], Action.BATALKAN, revision=dossier.revision, alasan="Ganda")
    assert "Dosier yang dibatalkan" not in text_of(client_for(people, "kabag").get("/"))


def test_the_kabag_who_replaces_a_deactivated_pencatat_is_not_asked_to_sign_for_him(people, walk):
    # Nobody signs for another (policy.cosigning_as): the minutes name the person, not the role.
    dossier = moved_on(people, walk, "kabag", STEP_BY_NUMBER[4].state)
    task = task_of(dossier)
    people["kabag"].is_active = False
    people["kabag"].save()
    successor = User.objects.create_user("kabag2", password=demo.DEMO_PASSWORD, nama="Hendra Saputra")
    UserRole.objects.create(user=successor, role=Role.KABAG)
    people["kabag2"] = successor
    assert task not in text_of(client_for(people, "kabag2").get("/"))
    # Made active again, the same Kabag finds it waiting still.
    people["kabag"].is_active = True
    people["kabag"].save()
    assert task in text_of(client_for(people, "kabag").get("/"))


def test_minutes_signed_before_the_upgrade_are_found_by_their_files(people, walk):
    # The upgrade's migration notes, from each signed file, whom it already waits for.
    dossier = moved_on(people, walk, "kabag", STEP_BY_NUMBER[4].state)
    made = record.latest(dossier, DocKind.NOTULEN_PERSIAPAN)
    type(made).objects.update(awaiting=None, awaiting_as="")
    assert task_of(dossier) not in text_of(client_for(people, "kabag").get("/"))
    importlib.import_module("naskah.migrations.0020_naskahrecord_awaiting_cosigner").note_awaited(apps, None)
    assert task_of(dossier) in text_of(client_for(people, "kabag").get("/"))


def test_the_dossier_page_says_whose_signature_the_minutes_still_wait_for(people, walk):
    # No later step waits for it (the workshop closed, the Surat ke SKPD went out): the page beside
    # "ditandatangani" is where the Kasubag learns the minutes lack the Pencatat's signature, and whose.
    dossier = moved_on(people, walk, "kabag", STEP_BY_NUMBER[4].state)
    kabag = people["kabag"].display_name
    page = text_of(client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/"))
    assert "menunggu tanda tangan Pencatat" in page
    assert f"Belum ditandatangani Pencatat {kabag}, yang menemukannya di halaman Menunggu saya." in page
    people["kabag"].is_active = False
    people["kabag"].save()
    page = text_of(client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/"))
    assert (f"Belum ditandatangani Pencatat {kabag}, yang akunnya sudah dinonaktifkan. Orang lain tidak dapat "
            "menandatangani sebagai Pencatat untuknya: minta admin mengaktifkan akunnya kembali") in page
    people["kabag"].is_active = True
    people["kabag"].save()
    cosign.sign(record.latest(dossier, DocKind.NOTULEN_PERSIAPAN), people["kabag"])
    page = text_of(client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/"))
    assert "menunggu tanda tangan Pencatat" not in page and "Belum ditandatangani" not in page


def test_minutes_whose_pencatat_was_deleted_say_so(people, walk):
    clerk = User.objects.create_user("staf2", password=demo.DEMO_PASSWORD, nama="Yohanes Ardi")
    UserRole.objects.create(user=clerk, role=Role.STAF)
    people["staf2"] = clerk
    dossier = moved_on(people, walk, "staf2", STEP_BY_NUMBER[4].state)
    clerk.delete()
    page = text_of(client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/"))
    assert ("Belum ditandatangani Pencatat, yang akunnya sudah dihapus. Orang lain tidak dapat menandatangani "
            "sebagai Pencatat untuknya.") in page
