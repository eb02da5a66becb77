"""A form sent twice writes once (workflow.forms.sent_once): the retry of a disposisi or an upload whose
first sending committed while its sender saw an error is answered as the first was, with one row,
one audit event and one hand-off e-mail; another user's key is refused; a form without a key (a page
opened before the upgrade) is taken as before. Two sendings at once on PostgreSQL: one row."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notices.models import Notice
from tests.factories import client_for
from tests.workflow.test_concurrency import at_once, waiting_on_locks
from workflow import dispositions
from workflow.actions import DISPOSE
from workflow.forms.sent_once import FIELD, KEY_MAX_LENGTH
from workflow.models import AuditEvent, Disposition, Document, SentForm

ALREADY = "Disposisi ini sudah tercatat sebelumnya; tidak dicatat dua kali."
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def key_of(page) -> str:
    found = re.search(rf'name="{FIELD}" value="([^"]+)"', page.content.decode())
    assert found, "the form carries no one-time key"
    return found.group(1)


def disposisi(people, dossier, client=None, **fields):
    client = client or client_for(people, "kasubag")
    form = {"kepada": people["staf"].pk, "instruksi": "Siapkan konsep Undangan workshop",
            "waktu_amount": "4", "waktu_unit": "jam", "state": dossier.state} | fields
    return client.post(f"/dosier/{dossier.pk}/disposisi/", form)


def written(dossier) -> tuple:
    return (Disposition.objects.filter(dossier=dossier).count(), AuditEvent.objects.filter(dossier=dossier).count(),
            Notice.objects.count(), len(mail.outbox))


def test_the_same_disposisi_sent_twice_is_one_disposisi_one_event_one_email(
        people, dossier, django_capture_on_commit_callbacks):
    kasubag = client_for(people, "kasubag")
    key = key_of(kasubag.get(f"/dosier/{dossier.pk}/disposisi/"))
    before = written(dossier)
    with django_capture_on_commit_callbacks(execute=True):
        first = disposisi(people, dossier, kasubag, **{FIELD: key})
    assert first.status_code == 302
    once = written(dossier)
    assert once[0] == before[0] + 1 and once[1] == before[1] + 1
    assert once[3] == before[3] + 1 and once[2] > before[2]  # the Staf was told, by mail and notice
    with django_capture_on_commit_callbacks(execute=True):
        again = disposisi(people, dossier, kasubag, **{FIELD: key})
    assert again.status_code == 302 and again["Location"] == first["Location"] == f"/dosier/{dossier.pk}/"
    assert written(dossier) == once
    assert ALREADY in kasubag.get(again["Location"]).content.decode()
    assert AuditEvent.objects.filter(dossier=dossier, action=DISPOSE).count() == 1
    # The recorded key names its sender and the page its success went to.
    recorded = SentForm.objects.get(key=key)
    assert recorded.user == people["kasubag"] and recorded.answer == f"/dosier/{dossier.pk}/"


def test_the_same_upload_sent_twice_stores_one_document(people, dossier):
    staf = client_for(people, "staf")
    url = f"/dosier/{dossier.pk}/aksi/unggah_dokumen/"
    key = key_of(staf.get(url))

    def upload():
        return staf.post(url, {"revision": dossier.revision, "state": dossier.state, "kind": "dpa",
                               "file": SimpleUploadedFile("dpa.pdf", PDF, content_type="application/pdf"),
                               "keterangan": "DPA 2027", FIELD: key})

    first = upload()
    events = AuditEvent.objects.filter(dossier=dossier).count()
    again = upload()
    assert first.status_code == again.status_code == 302 and again["Location"] == first["Location"]
    assert Document.objects.filter(dossier=dossier, keterangan="DPA 2027").count() == 1
    assert AuditEvent.objects.filter(dossier=dossier).count() == events
    assert "Dokumen ini sudah tercatat sebelumnya" in staf.get(again["Location"]).content.decode()


def test_a_key_another_user_recorded_is_refused_and_writes_nothing(people, dossier):
    from workflow.models import UserRole
    from workflow.roles import Role

    key = key_of(client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/disposisi/"))
    assert disposisi(people, dossier, **{FIELD: key}).status_code == 302
    # A second Kasubag, allowed to give a disposisi, sends a form with the first one's key.
    other = people["kabag"]
    UserRole.objects.get_or_create(user=other, role=Role.KASUBAG)
    before = written(dossier)
    refused = disposisi(people, dossier, client_for(people, "kabag"), instruksi="Tugas lain", **{FIELD: key})
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "pengguna lain" in page and "Siapkan konsep" not in page and people["kasubag"].display_name not in page
    assert written(dossier) == before


@pytest.mark.parametrize("key", [None, "", "x" * (KEY_MAX_LENGTH + 1), "<script>" * 4, "ab"])
def test_a_form_without_a_key_or_with_one_not_ours_is_taken_as_before(people, dossier, key):
    fields = {} if key is None else {FIELD: key}
    assert disposisi(people, dossier, **fields).status_code == 302
    assert disposisi(people, dossier, instruksi="Tugas kedua", **fields).status_code == 302
    assert Disposition.objects.filter(dossier=dossier).count() == 2
    assert not SentForm.objects.exists()


def test_a_refused_form_records_nothing_and_comes_back_with_a_fresh_key(people, dossier):
    kasubag = client_for(people, "kasubag")
    key = key_of(kasubag.get(f"/dosier/{dossier.pk}/disposisi/"))
    refused = disposisi(people, dossier, kasubag, waktu_amount="999", **{FIELD: key})
    assert refused.status_code == 200 and not SentForm.objects.exists()
    assert key_of(refused) != key
    # The same key sent again, corrected, is taken: nothing was recorded under it.
    assert disposisi(people, dossier, kasubag, **{FIELD: key}).status_code == 302
    assert Disposition.objects.filter(dossier=dossier).count() == 1


def test_the_server_error_page_sends_the_key_again_unseen(people, dossier):
    from django.test import RequestFactory

    from sop_iku.typed_back import typed_back

    key = key_of(client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/disposisi/"))
    posted = RequestFactory().post(f"/dosier/{dossier.pk}/disposisi/", {"instruksi": "Teks", FIELD: key})
    (sent,) = [f for f in typed_back(posted).fields if f.name == FIELD]
    # Kirim lagi sends it as posted: a first sending that did commit is not made twice.
    assert sent.value == key and not sent.shown


def test_a_disposisi_with_its_key_costs_at_most_two_queries_more(people, dossier):
    kasubag = client_for(people, "kasubag")
    disposisi(people, dossier, kasubag, instruksi="Pemanasan")  # the process reads its calendar once
    with CaptureQueriesContext(connection) as without_key:
        assert disposisi(people, dossier, kasubag, instruksi="Tanpa kunci").status_code == 302
    key = key_of(kasubag.get(f"/dosier/{dossier.pk}/disposisi/"))
    with CaptureQueriesContext(connection) as with_key:
        assert disposisi(people, dossier, kasubag, instruksi="Dengan kunci", **{FIELD: key}).status_code == 302
    assert len(with_key) <= len(without_key) + 2, [q["sql"] for q in with_key]
    with CaptureQueriesContext(connection) as retried:
        assert disposisi(people, dossier, kasubag, instruksi="Dengan kunci", **{FIELD: key}).status_code == 302
    # The retry answers from the recorded key without reading the dossier or the form's choices.
    assert len(retried) < len(without_key) // 2, [q["sql"] for q in retried]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_disposisi_sent_twice_at_once_gives_one_disposisi(people, dossier, monkeypatch):
    key = key_of(client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/disposisi/"))
    before = written(dossier)
    calendar, first = dispositions.load_calendar, []

    def held_calendar():
        # The first to hold the dossier's row goes on only once the other is seen waiting for it:
        # both read that the key was not recorded yet, and both write.
        if not first:
            first.append(waiting_on_locks(1))
        return calendar()

    monkeypatch.setattr(dispositions, "load_calendar", held_calendar)
    clients = [client_for(people, "kasubag") for _ in range(2)]
    answers = at_once([lambda ready, c=c: (ready(), disposisi(people, dossier, c, **{FIELD: key}))[1]
                       for c in clients])
    assert first == [1], answers
    assert [a.status_code for a in answers] == [302, 302], answers
    assert {a["Location"] for a in answers} == {f"/dosier/{dossier.pk}/"}
    after = written(dossier)
    assert after[0] == before[0] + 1 and after[1] == before[1] + 1 and after[3] == before[3] + 1
    assert SentForm.objects.filter(key=key).count() == 1


def test_an_agencys_iku_sent_twice_is_sent_once_and_a_draft_saved_twice_is_the_same_draft(people, walk):
    from iku.models import IkuSubmission
    from tests.iku.test_grid import REAL_ROWS, grid, send_url
    from workflow.actions import Action
    from workflow.steps import STEP_BY_NUMBER

    dossier = walk(STEP_BY_NUMBER[3].state)
    dinkes = client_for(people, "dinkes")
    # Simpan draf twice, the same rows: the second is answered as the first, nothing else changes.
    drafts = [dinkes.post(f"/dosier/{dossier.pk}/iku/draf/", grid(REAL_ROWS, dossier), follow=True) for _ in range(2)]
    assert all("Draf disimpan: 4 baris" in d.content.decode() for d in drafts)
    submission = IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd)
    assert [r["indikator"] for r in submission.draft] == [r["indikator"] for r in REAL_ROWS]
    key = key_of(dinkes.get(send_url(dossier)))
    sent = [dinkes.post(send_url(dossier), grid(REAL_ROWS, dossier, **{FIELD: key})) for _ in range(2)]
    assert [s.status_code for s in sent] == [302, 302] and sent[0]["Location"] == sent[1]["Location"]
    assert AuditEvent.objects.filter(dossier=dossier, action=Action.AJUKAN_IKU).count() == 1
    assert "IKU ini sudah tercatat sebelumnya" in dinkes.get(sent[1]["Location"]).content.decode()


@pytest.mark.parametrize("kind, step", [("undangan", 1), ("draft_kepgub", 6)])
def test_a_document_made_from_a_form_sent_twice_is_made_once(people, walk, kind, step):
    # The Undangan made in the request; the draft decree queued for the task worker (run at once here).
    from naskah.models import RenderJob
    from tests.naskah.helpers import form_data
    from workflow.steps import STEP_BY_NUMBER

    dossier = walk(STEP_BY_NUMBER[step].state)
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/buat/{kind}/"
    data = form_data(dossier, kind, **{FIELD: key_of(kasubag.get(url))})
    documents = Document.objects.filter(dossier=dossier, kind=kind).count()
    answers = [kasubag.post(url, data) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302] and answers[0]["Location"] == answers[1]["Location"]
    assert Document.objects.filter(dossier=dossier, kind=kind).count() == documents + 1
    assert RenderJob.objects.filter(dossier=dossier, kind=kind).count() <= 1
    assert "ini sudah tercatat sebelumnya" in kasubag.get(answers[1]["Location"]).content.decode()


def test_a_delegation_sent_twice_is_one_delegation(people):
    import datetime

    from django.utils import timezone

    from workflow.models import Delegation

    kabag = client_for(people, "kabag")
    today = timezone.localdate()
    form = {"role": "kabag", "delegate": people["kasubag"].pk, "kind": "plh", "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=2)).isoformat(), FIELD: key_of(kabag.get("/pelimpahan/"))}
    answers = [kabag.post("/pelimpahan/", form) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert Delegation.objects.count() == 1
    assert "Pelimpahan ini sudah tercatat sebelumnya" in kabag.get("/pelimpahan/").content.decode()


def test_a_disposisi_reported_done_twice_is_answered_as_the_first_not_refused(people, dossier):
    disposisi(people, dossier)
    given = Disposition.objects.get()
    staf = client_for(people, "staf")
    url = f"/dosier/{dossier.pk}/disposisi/{given.pk}/selesai/"
    report = {"hasil": "Konsep diunggah", FIELD: key_of(staf.get(url))}
    answers = [staf.post(url, report) for _ in range(2)]
    # Without its key the second report is refused (403: already done); with it, answered as the first.
    assert [a.status_code for a in answers] == [302, 302]
    assert "Laporan disposisi ini sudah tercatat sebelumnya" in staf.get(answers[1]["Location"]).content.decode()
    assert AuditEvent.objects.filter(dossier=dossier, action="disposisi_selesai").count() == 1
