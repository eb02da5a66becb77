"""A database too busy to take a write (SQLite's "database is locked", PostgreSQL's lock_timeout,
forced here by the tests' hook, tests/faults.py) never costs a form what was typed: the page's own
form comes back whole with "Basis data sedang sibuk", for the forms that write outside an action
too: a new dossier, a disposisi given and reported done, a delegation."""

import datetime
import re

from django.utils import timezone

from tests.factories import client_for
from workflow import dispositions
from workflow.models import Delegation, Disposition, Dossier, Skpd, User, UserRole
from workflow.roles import Role
from workflow.views.access import BUSY

BUSY_HEADER = {"HTTP_X_SOP_UJI_GAGAL": "sibuk"}


def said_busy(response) -> str:
    page = response.content.decode()
    assert response.status_code == 200 and BUSY in page
    return page


def test_a_new_dossier_refused_busy_comes_back_whole(people):
    dinkes = Skpd.objects.get(nama_pendek="Dinas Kesehatan")
    page = said_busy(client_for(people, "kasubag").post("/dosier/baru/", {
        "tahun": "2031", "judul": "IKU Biro Kesra Tahun 2031 (uji sibuk)", "invited": [dinkes.pk]}, **BUSY_HEADER))
    assert 'value="IKU Biro Kesra Tahun 2031 (uji sibuk)"' in page and 'value="2031"' in page
    assert re.search(rf'name="invited" value="{dinkes.pk}"[^>]*checked', page)
    assert not Dossier.objects.filter(tahun=2031).exists()


def test_a_disposisi_given_and_reported_done_while_busy_come_back_whole(people, dossier):
    instruction = "Siapkan konsep Undangan workshop; periksa alamat SKPD"
    page = said_busy(client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/disposisi/", {
        "kepada": people["staf"].pk, "instruksi": instruction, "waktu_amount": "4", "waktu_unit": "jam",
        "state": dossier.state}, **BUSY_HEADER))
    assert f"{instruction}</textarea>" in page and not Disposition.objects.exists()
    given = dispositions.give(dossier, people["kasubag"], assigned_to=people["staf"], instruksi=instruction,
                              waktu_amount=4, waktu_unit="jam")
    page = said_busy(client_for(people, "staf").post(f"/dosier/{dossier.pk}/disposisi/{given.pk}/selesai/", {
        "hasil": "Konsep Undangan sudah diunggah"}, **BUSY_HEADER))
    assert "Konsep Undangan sudah diunggah</textarea>" in page
    given.refresh_from_db()
    assert given.done_at is None


def test_a_delegation_refused_busy_comes_back_whole(people):
    other = User.objects.create(username="kasubag2", nama="Andi Saputra, S.Kom.", is_active=True)
    UserRole.objects.create(user=other, role=Role.KASUBAG)
    today = timezone.localdate()
    page = said_busy(client_for(people, "kabag").post("/pelimpahan/", {
        "role": "kabag", "delegate": other.pk, "kind": "plh", "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=2)).isoformat(), "dasar": "ST 800/12/Kesra"}, **BUSY_HEADER))
    assert 'value="ST 800/12/Kesra"' in page and not Delegation.objects.exists()
