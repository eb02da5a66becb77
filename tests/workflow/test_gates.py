"""Each step refuses to finish without its Kelengkapan and Output, naming what is missing."""

import pytest

from tests.factories import client_for
from workflow import demo, services
from workflow.actions import Action
from workflow.gates import GateError, require_ready
from workflow.models import AuditEvent
from workflow.steps import STEP_BY_NUMBER, STEPS, DocKind, IkuStage, OutputSource


def actor(people, step):
    return people[step.actors[0].value]


@pytest.mark.parametrize("step", [s for s in STEPS if s.requires or s.produces], ids=lambda s: f"langkah_{s.number}")
def test_a_step_without_its_documents_names_each_one(people, walk, step):
    dossier = walk(step.state)
    with pytest.raises(GateError) as caught:
        services.perform(dossier, actor(people, step), Action.SELESAIKAN, revision=dossier.revision)
    messages = caught.value.messages
    for kind in step.requires + step.produces:
        assert any(DocKind(kind).label in m and f"langkah {step.number}" in m for m in messages), kind
    dossier.refresh_from_db()
    assert dossier.state == step.state


def test_step_one_needs_the_dpa_and_kepgub_even_with_the_invitation(people, dossier):
    demo.upload(dossier, people["staf"], DocKind.UNDANGAN)
    with pytest.raises(GateError) as caught:
        demo.finish(dossier, people["kasubag"])
    assert caught.value.messages == [
        "Kelengkapan langkah 1 belum ada: DPA SKPD. Unggah dokumen ini terlebih dahulu.",
        "Kelengkapan langkah 1 belum ada: Kepgub tentang workshop penetapan IKU. Unggah dokumen ini terlebih dahulu.",
    ]


def test_step_five_needs_a_meeting(people, walk):
    dossier = walk(STEP_BY_NUMBER[5].state)
    with pytest.raises(GateError) as caught:
        demo.finish(dossier, people["kasubag"], skpd_belum_mengirim=list(dossier.invited.all()))
    assert any("Belum ada rapat" in m for m in caught.value.messages)


@pytest.mark.parametrize("step", [s for s in STEPS if s.output_source == OutputSource.IKU], ids=lambda s: f"langkah_{s.number}")
def test_missing_agencies_block_until_the_kasubag_lists_them(people, walk, step):
    dossier = walk(step.state)
    demo.prepare_step(dossier, people)  # dinkes and dinsos send; Dinas Pendidikan dan Kebudayaan does not
    with pytest.raises(GateError) as caught:
        demo.finish(dossier, people["kasubag"])
    # Nobody acts for Dinas Pendidikan dan Kebudayaan: there is nobody to wait for.
    label = IkuStage(step.iku_stage).label
    assert caught.value.messages == [
        f"SKPD berikut belum mengirim {label} dan belum ada petugas (pengguna aktif berperan SKPD), sehingga tidak "
        "dapat mengirim lewat aplikasi: Dinas Pendidikan dan Kebudayaan. Catat SKPD tersebut sebagai belum mengirim "
        "untuk melanjutkan, atau minta admin menambahkan petugasnya (Admin › Pengguna) lalu tunggu kirimannya."
    ]
    staffed = dossier.submissions.get(stage=step.iku_stage, skpd=people["dinsos"].skpd)
    sent_at = staffed.submitted_at
    type(staffed).objects.filter(pk=staffed.pk).update(submitted_at=None)
    with pytest.raises(GateError) as caught:
        demo.finish(dossier, people["kasubag"])
    assert caught.value.messages[0] == (
        f"SKPD berikut belum mengirim {label}: Dinas Sosial. "
        "Tunggu kiriman mereka, atau catat SKPD tersebut sebagai belum mengirim untuk melanjutkan.")
    assert len(caught.value.messages) == 2 and "Dinas Pendidikan dan Kebudayaan" in caught.value.messages[1]
    type(staffed).objects.filter(pk=staffed.pk).update(submitted_at=sent_at)
    missing = dossier.invited.get(nama_pendek="Dinas Pendidikan dan Kebudayaan")
    event = demo.finish(dossier, people["kasubag"], skpd_belum_mengirim=[missing])
    assert event.data["skpd_belum_mengirim"] == ["Dinas Pendidikan dan Kebudayaan"]
    assert AuditEvent.objects.get(pk=event.pk).data["skpd_belum_mengirim"] == ["Dinas Pendidikan dan Kebudayaan"]
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert "Belum mengirim: Dinas Pendidikan dan Kebudayaan" in page
    # The round's matrix links what an agency sent to its versions.
    assert f"/dosier/{dossier.pk}/iku/{step.iku_stage}/versi/{people['dinkes'].skpd_id}/" in page


def test_when_every_agency_sent_nothing_needs_listing(people):
    from workflow.models import Skpd

    step = STEP_BY_NUMBER[3]
    dossier = demo.open_dossier(people, 2027, "Dua SKPD")
    dossier.invited.set(Skpd.objects.filter(nama_pendek__in=["Dinas Kesehatan", "Dinas Sosial"]))
    demo.walk_to(dossier, people, step.state)
    demo.prepare_step(dossier, people)
    event = demo.finish(dossier, people["kasubag"])
    assert event.data["skpd_belum_mengirim"] == []


@pytest.mark.parametrize("step", [s for s in STEPS if s.requires or s.produces or s.min_meetings],
                         ids=lambda s: f"langkah_{s.number}")
def test_the_dossier_page_lists_what_the_step_would_refuse(people, walk, step):
    # The page works the list out from the documents and meetings it shows; the gate reads its own.
    dossier = walk(step.state)
    with pytest.raises(GateError) as caught:
        require_ready(dossier)
    client = client_for(people, actor(people, step).username)
    page = client.get(f"/dosier/{dossier.pk}/").content.decode()
    assert caught.value.messages and all(message in page for message in caught.value.messages)
    demo.prepare_step(dossier, people)
    require_ready(dossier)
    page = client.get(f"/dosier/{dossier.pk}/").content.decode()
    assert not [message for message in caught.value.messages if message in page]
