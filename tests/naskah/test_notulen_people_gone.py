"""The Pencatat a draft Notulen names is deactivated (or deleted) before the chair finishes the
meeting's step: the step is refused with who and what to do, and the Notulen still prints what was
typed and whom it named; it never falls back to the form's starting wording."""

import re

import pytest

from naskah import record
from tests.factories import client_for
from tests.naskah.helpers import generate
from workflow import demo
from workflow.gates import GateError
from workflow.models import User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER, DocKind

TYPED = "Workshop dipindah ke Aula Bappeda atas permintaan Sekda."


def second_staf():
    user = User.objects.create_user("staf2", password=demo.DEMO_PASSWORD, nama="Yohanes Ardi", jabatan="Pengadministrasi Umum")
    UserRole.objects.create(user=user, role=Role.STAF)
    return user


@pytest.fixture
def named(people, walk):
    """A dossier at step 2 whose draft Notulen names a second Staf as Pencatat, with its own decision."""
    dossier = walk(STEP_BY_NUMBER[2].state)
    pencatat = second_staf()
    made = generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN, pencatat=pencatat.pk, keputusan=TYPED)
    assert made.status_code == 302, made.content
    return dossier, pencatat


def draft_text(people, dossier) -> str:
    made = record.latest(dossier, DocKind.NOTULEN_PERSIAPAN)
    return re.sub(r"\s+", " ", " ".join(str(v) for v in record.context(made, dossier, people["kasubag"], konsep=True).values()))


@pytest.mark.parametrize("gone", ["deactivated", "deleted"])
def test_finishing_is_refused_and_the_draft_still_prints_what_was_typed(people, named, gone):
    dossier, pencatat = named
    if gone == "deactivated":
        pencatat.is_active = False
        pencatat.save()
    else:
        pencatat.delete()
    with pytest.raises(GateError) as refused:
        demo.finish(dossier, people["kasubag"])
    said = " ".join(refused.value.messages)
    if gone == "deactivated":
        assert "Notulen rapat persiapan menyebut Pencatat Yohanes Ardi, yang akunnya sudah dinonaktifkan" in said
    else:
        assert "menyebut Pencatat yang akunnya sudah dihapus" in said
    assert "pilih pencatat lain" in said
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[2].state
    assert not record.latest(dossier, DocKind.NOTULEN_PERSIAPAN).is_final
    printed = draft_text(people, dossier)
    assert TYPED in printed and "Tim menyiapkan format Konsep IKU" not in printed
    assert ("Yohanes Ardi" in printed) == (gone == "deactivated")


def test_with_another_pencatat_chosen_the_step_finishes_and_signs_what_was_typed(people, named):
    dossier, pencatat = named
    pencatat.is_active = False
    pencatat.save()
    generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN, pencatat=people["staf"].pk, keputusan=TYPED)
    demo.finish(dossier, people["kasubag"])
    made = record.latest(dossier, DocKind.NOTULEN_PERSIAPAN)
    assert made.is_final and TYPED in draft_text(people, dossier)
