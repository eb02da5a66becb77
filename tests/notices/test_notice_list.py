"""The notices list at a busy desk: followed notices are read, the badge stops counting at 99,
and pages are read newest first without counting thousands."""

import re

from django.utils import timezone

from notices.models import Notice, NoticePreference
from tests.factories import client_for
from workflow.steps import STEP_BY_NUMBER


def told(user, dossier, count, read=False):
    now = timezone.now()
    Notice.objects.bulk_create([
        Notice(recipient=user, dossier=dossier, judul=f"Pemberitahuan {n}", isi="Dosier menunggu tindakan Anda.",
               created_at=now - timezone.timedelta(minutes=n), read_at=now if read else None)
        for n in range(count)])


def badge(page: str) -> str:
    found = re.search(r'<span class="badge" aria-label="([^"]+)">([^<]+)</span>', page)
    return found.group(2) if found else ""


def test_a_followed_notice_is_read_and_opens_its_dossier(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    told(people["kasubag"], dossier, 2)
    client = client_for(people, "kasubag")
    page = client.get("/pemberitahuan/").content.decode()
    first = Notice.objects.filter(recipient=people["kasubag"]).first()
    assert f'href="/pemberitahuan/{first.pk}/"' in page and badge(page) == "2"
    answer = client.get(f"/pemberitahuan/{first.pk}/")
    assert answer.status_code == 302 and answer["Location"] == f"/dosier/{dossier.pk}/"
    first.refresh_from_db()
    assert first.read_at is not None and badge(client.get("/").content.decode()) == "1"
    # Another person's notice is not theirs to open or mark.
    assert client_for(people, "kabag").get(f"/pemberitahuan/{first.pk}/").status_code == 404
    # A link kept from before the list was switched off still leads to its dossier.
    NoticePreference.objects.create(user=people["kasubag"], in_app=False)
    assert client.get(f"/pemberitahuan/{first.pk}/")["Location"] == f"/dosier/{dossier.pk}/"


def test_the_badge_says_99_plus_past_99_unread(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    client = client_for(people, "kasubag")
    told(people["kasubag"], dossier, 99)
    assert badge(client.get("/").content.decode()) == "99"
    told(people["kasubag"], dossier, 150)
    page = client.get("/").content.decode()
    assert badge(page) == "99+" and 'aria-label="lebih dari 99 belum dibaca"' in page


def test_sixty_notices_page_newest_first(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    told(people["kasubag"], dossier, 60, read=True)
    client = client_for(people, "kasubag")
    first = client.get("/pemberitahuan/").content.decode()
    assert first.count('<li>') == 25 and "Pemberitahuan 0<" in first and "Pemberitahuan 25<" not in first
    assert "Halaman 1<" in first and "hal=2" in first and "Sebelumnya" not in first
    last = client.get("/pemberitahuan/?hal=3").content.decode()
    assert last.count('<li>') == 10 and "Pemberitahuan 59<" in last and "hal=2" in last and "Berikutnya" not in last
    assert "Pemberitahuan 0<" in client.get("/pemberitahuan/?hal=40").content.decode()  # past the last: the first
