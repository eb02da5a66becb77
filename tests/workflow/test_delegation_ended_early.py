"""A delegation ended before its last day is kept, recording when and by whom, and the lists say so.
Nothing recorded it: one ended on its first day was deleted, though its Plh. had stood in that
morning, and one ended later read as if it had run to a last day of yesterday."""

import datetime as dt
import re

from django.utils import timezone

from lib.dates import weekday_date
from tests.factories import client_for, loaded_version
from tests.workflow.test_delegation_dates import post
from workflow.models import Delegation
from workflow.steps import STEP_BY_NUMBER


def folded(page) -> str:
    return re.sub(r"\s+", " ", page.content.decode())


def test_one_ended_on_its_first_day_is_kept_said_ended_early_and_gives_nothing(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    today = timezone.localdate()
    kabag = client_for(people, "kabag")
    post(kabag, today, today + dt.timedelta(days=2), people)
    running = Delegation.objects.get()
    kabag.post(f"/pelimpahan/{running.pk}/akhiri/")

    running.refresh_from_db()
    assert (running.starts_on, running.ends_on) == (today, today)
    assert running.ended_early_at is not None and running.ended_early_by == str(people["kabag"])
    said = f"diakhiri lebih awal pada {weekday_date(today)} pukul "
    given = folded(kabag.get("/pelimpahan/"))
    assert said in given and "Akhiri pelimpahan sekarang" not in given
    plh = client_for(people, "kasubag")
    assert said in folded(plh.get("/pelimpahan/"))
    # The Kasubag, signed in afresh, stands in no more.
    assert plh.get(f"/dosier/{dossier.pk}/aksi/kembalikan/").status_code == 403
    # Named again from today, the same Plh. is taken: the ended one holds none of today.
    assert post(kabag, today, today + dt.timedelta(days=1), people).status_code == 302
    assert Delegation.objects.count() == 2


def test_one_ended_after_its_first_day_keeps_its_days_and_the_moment(people):
    today = timezone.localdate()
    running = Delegation.objects.create(official=people["kabag"], delegate=people["kasubag"], role="kabag",
                                        starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=3))
    client_for(people, "kabag").post(f"/pelimpahan/{running.pk}/akhiri/")
    running.refresh_from_db()
    assert running.ends_on == today - dt.timedelta(days=1) and running.ended_early_at is not None
    assert f"diakhiri lebih awal pada {weekday_date(today)}" in folded(client_for(people, "kasubag").get("/pelimpahan/"))


def test_the_admin_moving_its_end_before_today_is_recorded_as_an_early_end_by_the_admin(people):
    today = timezone.localdate()
    running = Delegation.objects.create(official=people["kabag"], delegate=people["kasubag"], role="kabag",
                                        starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=3))
    admin = client_for(people, "admin")
    url = f"/admin/workflow/delegation/{running.pk}/change/"

    def save(ends_on):
        delegation = Delegation.objects.get(pk=running.pk)
        return admin.post(url, {"official": delegation.official_id, "delegate": delegation.delegate_id,
                                "role": "kabag", "kind": "plh", "starts_on": delegation.starts_on.isoformat(),
                                "ends_on": ends_on.isoformat(), "dasar": ""} | loaded_version(delegation))

    assert save(today - dt.timedelta(days=1)).status_code == 302
    page = folded(client_for(people, "kabag").get("/pelimpahan/"))
    assert f"diakhiri lebih awal oleh {people['admin']} pada {weekday_date(today)}" in page
    # Given days from today again, it runs again: no longer said ended.
    assert save(today + dt.timedelta(days=2)).status_code == 302
    running.refresh_from_db()
    assert running.ended_early_at is None and Delegation.objects.active_on(today).filter(pk=running.pk).exists()
    assert "diakhiri lebih awal" not in folded(client_for(people, "kabag").get("/pelimpahan/"))
