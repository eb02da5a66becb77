"""The grid open in two tabs: a send or a draft saved from a page made before another send or save of
the same agency's table is refused with the news, keeping what was typed; sent again from the page
that said so, it goes through."""

import re

import pytest

from iku.models import IkuSubmission
from iku.table import to_rows
from tests.factories import client_for
from tests.iku.test_grid import grid, send_url
from workflow.steps import STEP_BY_NUMBER, IkuStage

ROWS = [{"sasaran_strategis": "Meningkatnya derajat kesehatan", "indikator": "Usia harapan hidup", "target": "71"},
        {"sasaran_strategis": "", "indikator": "Angka kematian ibu", "target": "150"}]


def hidden(response) -> dict:
    """The hidden fields of the grid page, as the browser posts them back."""
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', response.content.decode()))


def typed(dossier, page, rows) -> dict:
    return grid(rows, dossier) | hidden(page)


def changed(row: int, **values) -> list[dict]:
    rows = [dict(r) for r in ROWS]
    rows[row - 1].update(values)
    return rows


def table(dossier, people) -> IkuSubmission:
    return IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd, stage=IkuStage.KONSEP)


def test_a_send_from_a_stale_second_tab_is_refused_and_goes_through_when_sent_again(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    client = client_for(people, "dinkes")
    client.post(send_url(dossier), grid(ROWS, dossier))
    sent = table(dossier, people).versions.count()
    tab_a, tab_b = client.get(send_url(dossier)), client.get(send_url(dossier))

    assert client.post(send_url(dossier), typed(dossier, tab_a, changed(1, target="72"))).status_code == 302
    refused = client.post(send_url(dossier), typed(dossier, tab_b, changed(2, target="140")))

    page = re.sub(r"\s+", " ", refused.content.decode())
    assert refused.status_code == 200
    assert (f"Tabel ini sudah dikirim lagi dari halaman lain sejak halaman ini dibuka (versi {sent + 1}, pukul "
            in page)
    assert "Isian Anda masih di bawah: bandingkan, lalu kirim lagi bila memang ini yang benar." in page
    assert ">140</textarea>" in page  # tab B's row 2 as typed
    assert f'href="{send_url(dossier)}" target="_blank"' in page  # the table as it stands, to compare
    submission = table(dossier, people)
    assert submission.versions.count() == sent + 1
    assert [r.target for r in submission.rows.all()] == ["72", "150"]  # tab A's send stands

    again = client.post(send_url(dossier), typed(dossier, refused, changed(2, target="140")))
    assert again.status_code == 302
    assert [r.target for r in table(dossier, people).rows.all()] == ["71", "140"]
    assert table(dossier, people).versions.count() == sent + 2


def test_a_draft_saved_from_a_stale_tab_never_replaces_a_newer_draft(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    client = client_for(people, "dinkes")
    draft_url = f"/dosier/{dossier.pk}/iku/draf/"
    tab_a, tab_b = client.get(send_url(dossier)), client.get(send_url(dossier))

    assert client.post(draft_url, typed(dossier, tab_a, changed(1, target="72"))).status_code == 302
    for url in (draft_url, send_url(dossier)):
        refused = client.post(url, typed(dossier, tab_b, changed(2, target="140")))
        page = refused.content.decode()
        assert "Tabel ini sudah disimpan lagi sebagai draf dari halaman lain sejak halaman ini dibuka (pukul " in page
        assert ">140</textarea>" in page
        submission = table(dossier, people)
        assert [row["target"] for row in submission.draft] == ["72", "150"]
        assert submission.rows.filter(target="140").count() == 0

    assert client.post(draft_url, typed(dossier, refused, changed(2, target="140"))).status_code == 302
    assert [row["target"] for row in table(dossier, people).draft] == ["71", "140"]


def test_a_tab_that_saved_its_own_draft_sends_it_without_a_word(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    client = client_for(people, "dinkes")
    client.post(f"/dosier/{dossier.pk}/iku/draf/", typed(dossier, client.get(send_url(dossier)), ROWS))
    reopened = client.get(send_url(dossier))  # where saving the draft leads
    assert client.post(send_url(dossier), typed(dossier, reopened, ROWS)).status_code == 302
    assert table(dossier, people).rows.count() == 2


def test_a_first_send_from_another_tab_is_said_sent_not_sent_again(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    IkuSubmission.objects.filter(dossier=dossier, skpd=people["dinkes"].skpd).delete()
    client = client_for(people, "dinkes")
    tab_a, tab_b = client.get(send_url(dossier)), client.get(send_url(dossier))
    assert client.post(send_url(dossier), typed(dossier, tab_a, ROWS)).status_code == 302
    page = re.sub(r"\s+", " ", client.post(send_url(dossier), typed(dossier, tab_b, ROWS)).content.decode())
    assert "Tabel ini sudah dikirim dari halaman lain sejak halaman ini dibuka (versi 1, pukul " in page


def test_a_send_racing_another_is_refused_under_the_lock_too(people, walk):
    """The page's check runs before the dossier's row is locked: the send itself checks again, so
    of two tabs sending at once from the same table, the second is refused, not stacked on top."""
    from django.core.exceptions import ValidationError

    from workflow import services
    from workflow.actions import Action

    dossier = walk(STEP_BY_NUMBER[3].state)
    client_for(people, "dinkes").post(send_url(dossier), grid(ROWS, dossier))
    seen = table(dossier, people).versions.count()
    dossier.refresh_from_db()
    services.perform(dossier, people["dinkes"], Action.AJUKAN_IKU, revision=dossier.revision,
                     rows=to_rows(changed(1, target="72")), seen_version=seen)
    dossier.refresh_from_db()
    with pytest.raises(ValidationError, match="sudah dikirim dari halaman lain"):
        services.perform(dossier, people["dinkes"], Action.AJUKAN_IKU, revision=dossier.revision,
                         rows=to_rows(changed(2, target="140")), seen_version=seen)
    assert table(dossier, people).versions.count() == seen + 1


def test_two_drafts_or_a_draft_and_a_send_at_once_never_lose_an_acknowledged_one(people, walk):
    """Two officers of the agency saving at the same moment both pass the page's check; the save
    itself checks again under the submission's lock, so the second is refused, not told "disimpan"
    over the first. A send meets a draft saved meanwhile the same way."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from iku.table import TableChanged, save_draft
    from workflow import services
    from workflow.actions import Action

    dossier = walk(STEP_BY_NUMBER[3].state)
    skpd = people["dinkes"].skpd
    save_draft(dossier, skpd, IkuStage.KONSEP, ROWS, timezone.now())
    seen = ("0", table(dossier, people).draft_mark)
    save_draft(dossier, skpd, IkuStage.KONSEP, changed(1, target="72"), timezone.now(), seen=seen)  # officer A
    with pytest.raises(TableChanged):
        save_draft(dossier, skpd, IkuStage.KONSEP, changed(2, target="140"), timezone.now(), seen=seen)  # officer B
    assert table(dossier, people).draft == changed(1, target="72")

    dossier.refresh_from_db()
    with pytest.raises(ValidationError, match="disimpan lagi sebagai draf dari halaman lain"):
        services.perform(dossier, people["dinkes"], Action.AJUKAN_IKU, revision=dossier.revision,
                         rows=to_rows(changed(2, target="140")), seen_version=0, seen_draft=seen[1])
    assert table(dossier, people).draft == changed(1, target="72") and not table(dossier, people).versions.exists()


def test_a_draft_saved_again_after_its_answer_was_lost_is_the_same_draft(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    client = client_for(people, "dinkes")
    page = client.get(send_url(dossier))
    draft_url = f"/dosier/{dossier.pk}/iku/draf/"
    assert client.post(draft_url, typed(dossier, page, ROWS)).status_code == 302
    # The answer never reached the browser: the same page is sent again.
    again = client.post(draft_url, typed(dossier, page, ROWS))
    assert again.status_code == 302, re.findall(r'role="alert"[^>]*>(.*?)</', again.content.decode(), re.S)
    # Changed since, it is another page's work no longer: refused with the news.
    refused = client.post(draft_url, typed(dossier, page, changed(1, target="99")))
    assert refused.status_code == 200 and "disimpan lagi sebagai draf dari halaman lain" in refused.content.decode()
    assert [row["target"] for row in table(dossier, people).draft] == ["71", "150"]
