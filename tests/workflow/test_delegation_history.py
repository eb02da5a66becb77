"""An inspector asks who was Plh. Kabag on a day, who named her and who ended it. A delegation's naming
and its early end on /pelimpahan/ were only fields of its row, and one deleted was gone without a
trace: each is now in the admin's Riwayat, of the delegation and of the accounts of its official and
its delegate (where the bureau reads people's changes), naming who did it and the delegation whole."""

import datetime as dt
import re

from django.utils import timezone

from lib.dates import long_date, weekday_date
from tests.factories import client_for, loaded_version
from tests.workflow.test_vacant_post import kabag2  # noqa: F401 - the fixture
from workflow.models import AuditEvent, Delegation


def history(people, path) -> str:
    """The admin's Riwayat page of `path` ("delegation/3", "user/5"), its spaces folded."""
    page = client_for(people, "admin").get(f"/admin/workflow/{path}/history/")
    assert page.status_code == 200
    return re.sub(r"\s+", " ", page.content.decode())


def test_named_and_ended_early_on_the_delegations_page_is_in_the_history_of_both_people(people):
    today = timezone.localdate()
    kabag, kasubag = people["kabag"], people["kasubag"]
    official = client_for(people, "kabag")
    official.post("/pelimpahan/", {"role": "kabag", "delegate": kasubag.pk, "kind": "plh", "dasar": "ST/01/2027",
                                   "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=6)).isoformat()})
    delegation = Delegation.objects.get()
    Delegation.objects.filter(pk=delegation.pk).update(starts_on=today - dt.timedelta(days=2))
    events = AuditEvent.objects.count()
    official.post(f"/pelimpahan/{delegation.pk}/akhiri/")

    whole = f"Plh. Kabag: {kasubag} untuk {kabag}"
    named = (f"<td>{kabag.username}</td> <td>Pelimpahan dicatat oleh {kabag} di halaman Pelimpahan: {whole} "
             f"({long_date(today)} sampai dengan {long_date(today + dt.timedelta(days=6))}; dasar ST/01/2027).</td>")
    ended = (f"<td>{kabag.username}</td> <td>Pelimpahan diakhiri lebih awal oleh {kabag} di halaman Pelimpahan pada "
             f"{weekday_date(today)} pukul ")
    kept = (f"{whole} ({long_date(today - dt.timedelta(days=2))} sampai dengan {long_date(today - dt.timedelta(days=1))}, "
            f"semula sampai dengan {long_date(today + dt.timedelta(days=6))}; dasar ST/01/2027).</td>")
    for path in (f"delegation/{delegation.pk}", f"user/{kasubag.pk}", f"user/{kabag.pk}"):
        text = history(people, path)
        assert named in text and ended in text and kept in text, path
    # Not a dossier's business: its sealed history is untouched.
    assert AuditEvent.objects.count() == events


def test_one_called_off_before_its_first_day_is_still_read_on_its_peoples_history(people):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    official = client_for(people, "kabag")
    official.post("/pelimpahan/", {"role": "kabag", "delegate": people["kasubag"].pk, "kind": "plh", "dasar": "",
                                   "starts_on": tomorrow.isoformat(), "ends_on": tomorrow.isoformat()})
    delegation = Delegation.objects.get()
    official.post(f"/pelimpahan/{delegation.pk}/akhiri/")

    assert not Delegation.objects.exists()
    said = (f"Pelimpahan dihapus sebelum berlaku oleh {people['kabag']} di halaman Pelimpahan: Plh. Kabag: "
            f"{people['kasubag']} untuk {people['kabag']} ({long_date(tomorrow)} sampai dengan {long_date(tomorrow)}).")
    assert said in history(people, f"user/{people['kasubag'].pk}")
    assert said in history(people, f"user/{people['kabag'].pk}")


def test_the_admin_handing_it_on_and_shortening_it_then_deleting_it_is_read_with_what_it_was(people, kabag2):  # noqa: F811
    today = timezone.localdate()
    kabag, kasubag = people["kabag"], people["kasubag"]
    delegation = Delegation.objects.create(official=kabag, delegate=kasubag, role="kabag",
                                           starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=3))
    admin = client_for(people, "admin")
    saved = admin.post(f"/admin/workflow/delegation/{delegation.pk}/change/", {
        "official": kabag.pk, "delegate": kabag2.pk, "role": "kabag", "kind": "plh",
        "starts_on": delegation.starts_on.isoformat(), "ends_on": (today - dt.timedelta(days=1)).isoformat(),
        "dasar": ""} | loaded_version(delegation))
    assert saved.status_code == 302

    said = (f"Pelimpahan diubah oleh {people['admin']} di admin: Pelaksana (Plh./Plt.) {kasubag} → {kabag2}; Sampai dengan "
            f"{long_date(today + dt.timedelta(days=3))} → {long_date(today - dt.timedelta(days=1))}; diakhiri lebih "
            f"awal pada {weekday_date(today)} pukul ")
    # The first delegate, whom it no longer names, reads it too.
    for path in (f"delegation/{delegation.pk}", f"user/{kasubag.pk}", f"user/{kabag2.pk}", f"user/{kabag.pk}"):
        assert said in history(people, path), path

    admin.post(f"/admin/workflow/delegation/{delegation.pk}/delete/", {"post": "yes"})
    assert not Delegation.objects.exists()
    gone = (f"Pelimpahan dihapus oleh {people['admin']} di admin: Plh. Kabag: {kabag2} untuk {kabag} "
            f"({long_date(today - dt.timedelta(days=3))} sampai dengan {long_date(today - dt.timedelta(days=1))}).")
    assert gone in history(people, f"user/{kabag.pk}") and gone in history(people, f"user/{kabag2.pk}")


def test_the_admins_recent_actions_list_a_delegation_once_and_its_people_still_read_it(people):
    """Written on the delegation and on both people's accounts, one naming read as three actions in
    the admin's "Tindakan saya"."""
    from workflow import delegation_history

    today = timezone.localdate()
    delegation = Delegation.objects.create(official=people["kabag"], delegate=people["kasubag"], role="kabag",
                                           starts_on=today, ends_on=today + dt.timedelta(days=2))
    delegation_history.named(delegation, people["admin"], delegation_history.IN_ADMIN)
    page = client_for(people, "admin").get("/admin/")
    recent = page.content.decode().split('id="recent-actions-module"')[1].split("</ul>")[0]
    assert re.findall(r'<a href="/admin/workflow/(\w+)/(\d+)/change/">', recent) == [("delegation", str(delegation.pk))]
    assert "Pelimpahan dicatat oleh" in history(people, f"user/{people['kasubag'].pk}")
