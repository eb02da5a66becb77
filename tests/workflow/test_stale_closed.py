"""A form whose dossier moved on to where its sender may no longer act: the news with what was
typed, no button, and the page sent again as it came back brings the news again, never a refusal
page without the typing (it once re-rendered the next step's button, which answered 403)."""

import re

from tests.factories import client_for
from workflow import demo
from workflow.steps import STEP_BY_NUMBER


def test_a_paraf_posted_after_another_moved_the_dossier_on_keeps_the_note_and_offers_no_button(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    kabag = client_for(people, "kabag")
    url = f"/dosier/{dossier.pk}/aksi/kembalikan/"
    posted = {"revision": dossier.revision, "state": dossier.state, "catatan": "Target baris 4 belum terukur"}
    demo.finish(dossier, people["kabag"])  # the paraf, from another tab
    page = kabag.post(url, posted).content.decode()
    assert "Dosier ini sudah berubah" in page and "Target baris 4 belum terukur</textarea>" in page
    assert "tindakan ini bukan lagi bagian Anda, jadi tombolnya dimatikan" in page
    assert re.search(r'<button type="submit" class="[a-z]+" disabled>', page)
    seen = dict(re.findall(r'<input type="hidden" name="(revision|state)" value="([^"]*)">', page))
    assert seen == {"revision": str(posted["revision"]), "state": STEP_BY_NUMBER[7].state}
    again = kabag.post(url, posted | seen)
    assert again.status_code == 200 and "Target baris 4 belum terukur</textarea>" in again.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[8].state
    # Whoever may still act where the dossier stands gets the news and a live button.
    kabiro = client_for(people, "kabiro")
    stale = {"revision": posted["revision"], "state": STEP_BY_NUMBER[7].state, "catatan": "x"}
    page = kabiro.post(f"/dosier/{dossier.pk}/aksi/batalkan/", stale | {"alasan": "Uji"}).content.decode()
    assert "Dosier ini sudah berubah" in page and "tombolnya dimatikan" not in page


def test_the_action_page_opened_again_after_the_action_says_the_dossier_moved(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    kabag = client_for(people, "kabag")
    url = f"/dosier/{dossier.pk}/aksi/selesaikan/"
    assert kabag.get(url).status_code == 200
    demo.finish(dossier, people["kabag"])
    back = kabag.get(url)  # the browser's Back button after the paraf
    page = back.content.decode()
    assert back.status_code == 403 and "tidak tersedia pada posisi" in page and "sudah berpindah" in page
    assert "tidak berwenang menyelesaikan" not in page
    # Whoever never takes the action still reads that they may not, its label as written ("IKU SKPD").
    page = client_for(people, "staf").get(f"/dosier/{dossier.pk}/aksi/ajukan_iku/").content.decode()
    assert "Anda tidak berwenang mengirim IKU SKPD pada posisi" in page
