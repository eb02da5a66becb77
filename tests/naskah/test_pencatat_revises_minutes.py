"""Whoever the minutes name as Pencatat revises them at the meeting's step: a Tim member (or the
Kabag) who took the minutes of the preparatory meeting found them at step 2 with a mistake and could
only ask the Kasubag or a Staf to make them again, since only those who upload there could. The
latest version decides: the person it names, in their own bureau role."""

import re

from naskah import record
from tests.factories import client_for
from tests.naskah.helpers import form_data, generate
from workflow import demo
from workflow.actions import Action
from workflow.models import AuditEvent
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER, DocKind

KIND = DocKind.NOTULEN_PERSIAPAN
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def minutes_taken_by_tim(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    assert generate(client_for(people, "kasubag"), dossier, KIND, pimpinan=people["kasubag"].pk,
                    pencatat=people["tim"].pk, keputusan="Workshop dilaksanakan tanggal 12.").status_code == 302
    return dossier


def test_the_tim_member_who_took_the_minutes_makes_a_new_version_of_them(people, walk):
    dossier = minutes_taken_by_tim(people, walk)
    tim = client_for(people, "tim")
    url = f"/dosier/{dossier.pk}/buat/{KIND}/"
    assert url in text_of(tim.get(f"/dosier/{dossier.pk}/"))
    form = text_of(tim.get(url))
    # The form starts from what the first version said.
    assert "Workshop dilaksanakan tanggal 12." in form

    fixed = "Workshop dilaksanakan tanggal 13."
    done = tim.post(url, form_data(dossier, KIND, pimpinan=people["kasubag"].pk, pencatat=people["tim"].pk,
                                   keputusan=fixed, versi_naskah=1))
    assert done.status_code == 302, text_of(done)
    made = record.latest(dossier, KIND)
    first = dossier.documents.filter(kind=KIND).earliest("uploaded_at").made
    assert made.versi == 2 and made.isian["keputusan"] == fixed and made.nomor == first.nomor
    assert made.document.uploaded_by == people["tim"]
    event = AuditEvent.objects.filter(dossier=dossier, action=Action.UNGGAH).latest("pk")
    assert event.actor == people["tim"] and event.role == Role.TIM
    # The chair signs the version the Pencatat made; past the meeting's step the minutes stay as signed.
    demo.finish(dossier, people["kasubag"])
    assert record.latest(dossier, KIND).is_final and record.latest(dossier, KIND).versi == 2
    assert tim.get(url).status_code == 403


def test_only_the_pencatat_the_latest_version_names_may_revise_it(people, walk):
    dossier = minutes_taken_by_tim(people, walk)
    url = f"/dosier/{dossier.pk}/buat/{KIND}/"
    assert client_for(people, "kabag").get(url).status_code == 403
    # The Tim member hands the minutes to the Staf: the Staf took them now, and the Tim member no longer.
    tim = client_for(people, "tim")
    assert tim.post(url, form_data(dossier, KIND, pimpinan=people["kasubag"].pk, pencatat=people["staf"].pk,
                                   versi_naskah=1)).status_code == 302
    refused = tim.post(url, form_data(dossier, KIND, pimpinan=people["kasubag"].pk, pencatat=people["tim"].pk,
                                      versi_naskah=2))
    assert refused.status_code == 403 and record.latest(dossier, KIND).versi == 2
    assert url not in text_of(tim.get(f"/dosier/{dossier.pk}/"))



def test_minutes_uploaded_after_hers_end_the_pencatats_right_to_revise_them(people, walk):
    """The Kasubag or the Staf may upload the minutes as a PDF: those are the minutes now, and they
    name no Pencatat. The Tim member whose version came before could still make a new one over them."""
    dossier = minutes_taken_by_tim(people, walk)
    tim = client_for(people, "tim")
    url = f"/dosier/{dossier.pk}/buat/{KIND}/"
    demo.upload(dossier, people["staf"], KIND, PDF)

    assert url not in text_of(tim.get(f"/dosier/{dossier.pk}/"))
    assert tim.get(url).status_code == 403
    typed = "Workshop dilaksanakan tanggal 14 di aula kantor gubernur."
    refused = tim.post(url, form_data(dossier, KIND, pimpinan=people["kasubag"].pk, pencatat=people["tim"].pk,
                                      keputusan=typed, versi_naskah=1), HTTP_ORIGIN="http://testserver")
    assert refused.status_code == 403 and typed in text_of(refused)
    latest = dossier.documents.filter(kind=KIND).latest("uploaded_at", "pk")
    assert latest.made is None and record.latest(dossier, KIND).versi == 1
    # The uploaders make a new version as before.
    assert url in text_of(client_for(people, "staf").get(f"/dosier/{dossier.pk}/"))
