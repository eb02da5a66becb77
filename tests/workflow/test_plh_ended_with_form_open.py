"""A Plh. with a form open on a dossier (the Kabag's return with its note, the Kabiro's signing)
while the official ends her delegation early, or the admin deletes it or hands it to another. Sent,
the form was refused with a 403 saying the dossier had moved on, and her note was lost with it. It
comes back with what she typed, saying what became of her delegation and whom the dossier waits on,
and nothing on the dossier changes."""

import datetime as dt
import re

from django.utils import timezone

from lib.dates import weekday_date
from tests.factories import client_for
from tests.workflow.test_vacant_post import kabag2  # noqa: F401 - the fixture
from workflow.models import AuditEvent, Delegation, Dossier
from workflow.steps import STEP_BY_NUMBER

NOTE = "Target baris 3 belum terukur; mohon rumusan indikatornya diperbaiki"


def opened(client, url) -> dict:
    """The form at `url` as the page gives it: its hidden fields (the position, the delegation)."""
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    return dict(re.findall(r'<input type="hidden" name="(revision|state|pelimpahan)" value="([^"]*)"', html))


def folded(answer) -> str:
    return re.sub(r"\s+", " ", answer.content.decode())


def given_back(answer) -> str:
    """The page a refused form comes back on (200, not a 403 page), its whitespace folded."""
    assert answer.status_code == 200
    return folded(answer)


def ended_early_by(client, delegation, title: str, official) -> str:
    """Its official ends it on /pelimpahan/ (`client`); what the Plh. then reads of it."""
    assert client.post(f"/pelimpahan/{delegation.pk}/akhiri/").status_code == 302
    return (f"Pelimpahan Anda sebagai {title} atas nama {official} diakhiri lebih awal pada "
            f"{weekday_date(timezone.localdate())} pukul ")


def kept(text: str, typed: str) -> bool:
    """Whether the note box holds `typed` as she left it."""
    return re.search(rf'name="catatan"[^>]*> ?{re.escape(typed)}</textarea>', text) is not None


def unchanged(dossier) -> None:
    now = Dossier.objects.get(pk=dossier.pk)
    assert (now.state, now.revision) == (dossier.state, dossier.revision)
    assert AuditEvent.objects.filter(dossier=dossier).count() == dossier.events_before


def kabiro_plh_with_form_open(people, walk, delegate, step: int, path: str, *, began_yesterday=False):
    """A dossier at `step`, `delegate` Plh. Kabiro from today (or yesterday) for four days, his form at
    `/dosier/<pk>/<path>/` open: (dossier, delegation, his client, the url, its hidden fields)."""
    dossier = walk(STEP_BY_NUMBER[step].state)
    dossier.events_before = AuditEvent.objects.filter(dossier=dossier).count()
    today = timezone.localdate()
    delegation = Delegation.objects.create(official=people["kabiro"], delegate=delegate, role="kabiro",
                                           starts_on=today - dt.timedelta(days=int(began_yesterday)),
                                           ends_on=today + dt.timedelta(days=3))
    plh = client_for(people, "anonymous")
    plh.force_login(delegate)
    url = f"/dosier/{dossier.pk}/{path}/"
    return dossier, delegation, plh, url, opened(plh, url)


def test_the_kabag_ends_it_early_and_the_plh_gets_her_return_note_back_with_why(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    dossier.events_before = AuditEvent.objects.filter(dossier=dossier).count()
    today = timezone.localdate()
    # A Tim member, who had no hand in the draft the Kabag reviews; the Nota reached the Kabag today.
    Delegation.objects.create(official=people["kabag"], delegate=people["tim"], role="kabag",
                              starts_on=today - dt.timedelta(days=2), ends_on=today + dt.timedelta(days=5))
    plh = client_for(people, "tim")
    url = f"/dosier/{dossier.pk}/aksi/kembalikan/"
    hidden = opened(plh, url)
    assert hidden["pelimpahan"]

    kabag = people["kabag"]
    news = ended_early_by(client_for(people, "kabag"), Delegation.objects.get(), "Plh. Kabag", kabag)
    text = given_back(plh.post(url, hidden | {"catatan": NOTE}, HTTP_ORIGIN="http://testserver"))
    assert kept(text, NOTE)
    assert news in text
    assert "Tidak ada yang diubah pada dosier ini: tetap di posisi “Langkah 7: " in text
    assert f"menunggu {kabag} (Kabag)." in text
    assert "sudah berpindah" not in text and "tombolnya dimatikan" in text
    unchanged(dossier)


def test_the_admin_deletes_it_and_the_plh_kabiro_gets_his_signing_note_back(people, walk, kabag2):  # noqa: F811
    dossier, delegation, plh, url, hidden = kabiro_plh_with_form_open(people, walk, kabag2, 8, "aksi/selesaikan")

    admin = client_for(people, "admin")
    admin.post(f"/admin/workflow/delegation/{delegation.pk}/delete/", {"post": "yes"})
    assert not Delegation.objects.exists()
    answer = plh.post(url, hidden | {"catatan": "Setuju, teruskan ke Asisten I", "password": "sopiku-demo"},
                      HTTP_ORIGIN="http://testserver")

    text = given_back(answer)
    assert kept(text, "Setuju, teruskan ke Asisten I")
    assert (f"Pelimpahan Anda sebagai Plh. Kabiro atas nama {people['kabiro']} dihapus admin sejak halaman ini "
            "dibuka") in text
    assert f"menunggu {people['kabiro']} (Kabiro)." in text
    unchanged(dossier)


def test_the_admin_hands_it_to_another_and_the_first_plh_is_told_to_whom(people, walk, kabag2):  # noqa: F811
    dossier, delegation, plh, url, hidden = kabiro_plh_with_form_open(people, walk, kabag2, 8, "aksi/selesaikan", began_yesterday=True)
    Delegation.objects.filter(pk=delegation.pk).update(delegate=people["kasubag"])

    text = folded(plh.post(url, hidden | {"catatan": "Setuju"}, HTTP_ORIGIN="http://testserver"))
    assert f"dialihkan admin kepada {people['kasubag']}" in text and kept(text, "Setuju")
    unchanged(dossier)

