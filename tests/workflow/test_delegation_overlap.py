"""An official who changes the days of a Plh. by recording the delegation again is told the first
one still stands, and one who names a second stand-in for days already covered is told both act."""

import datetime as dt

from django.utils import timezone

from lib.dates import long_date
from tests.factories import client_for
from workflow.models import Delegation, User, UserRole
from workflow.roles import Role


def form(delegate, starts_on, ends_on, dasar=""):
    return {"role": "kabag", "delegate": delegate.pk, "kind": "plh", "dasar": dasar,
            "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()}


def test_recording_the_same_plh_again_to_change_the_end_day_is_refused_and_says_how(people):
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    client = client_for(people, "kabag")
    client.post("/pelimpahan/", form(people["kasubag"], monday, monday + dt.timedelta(days=4)))
    page = client.post("/pelimpahan/", form(people["kasubag"], monday, monday + dt.timedelta(days=3),
                                            dasar="ST 800/45"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "bertumpang tindih dengan tanggal ini. Untuk mengubah tanggalnya, akhiri pelimpahan itu" in html
    assert "ST 800/45" in html
    # Her days are still the first ones: the page did not say the new ones were recorded.
    assert list(Delegation.objects.values_list("ends_on", flat=True)) == [monday + dt.timedelta(days=4)]


def test_the_admin_extending_a_delegation_is_not_refused_by_the_delegation_itself(people):
    today = timezone.localdate()
    delegation = Delegation.objects.create(official=people["kabag"], delegate=people["kasubag"], role=Role.KABAG,
                                           starts_on=today, ends_on=today + dt.timedelta(days=2))
    delegation.ends_on = today + dt.timedelta(days=5)
    delegation.full_clean()


def test_a_second_stand_in_for_days_already_covered_is_kept_and_said(people):
    other = User.objects.create(username="kabag2", nama="Ir. Yohanes Siregar, M.T.", is_active=True)
    UserRole.objects.create(user=other, role=Role.KABAG)
    today = timezone.localdate()
    client = client_for(people, "kabag")
    client.post("/pelimpahan/", form(people["kasubag"], today, today + dt.timedelta(days=4)))
    page = client.post("/pelimpahan/", form(other, today + dt.timedelta(days=2), today + dt.timedelta(days=4)),
                       follow=True).content.decode()
    assert Delegation.objects.count() == 2
    assert "sudah ada Kabag pengganti lain: Rina Marlina, S.E., M.Si. (Plh." in page
    assert "akhiri pelimpahan yang lama" in page


def test_naming_a_plh_who_is_herself_away_those_days_is_said_both_ways(people):
    """The Kasubag named a Plh. Kasubag for her leave next week; the Kabag, going away too, named her
    his Plh. for two of those days: nothing said she was away, and what waits on the Kabag waited on
    nobody at work. Nor was the Kasubag told, recording her leave after his, that she stands in then."""
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    kasubag = client_for(people, "kasubag")
    kasubag.post("/pelimpahan/", {"role": "kasubag", "delegate": people["staf"].pk, "kind": "plh", "dasar": "",
                                  "starts_on": monday.isoformat(), "ends_on": (monday + dt.timedelta(days=4)).isoformat()})
    page = " ".join(client_for(people, "kabag").post(
        "/pelimpahan/", form(people["kasubag"], monday + dt.timedelta(days=1), monday + dt.timedelta(days=2)),
        follow=True).content.decode().split())
    rina, andi = people["kasubag"].display_name, people["staf"].display_name
    assert Delegation.objects.filter(role=Role.KABAG).count() == 1
    assert (f"{rina} sendiri berhalangan pada sebagian tanggal itu: ia menunjuk {andi} sebagai Plh. Kasubag dari "
            f"{long_date(monday)} sampai dengan {long_date(monday + dt.timedelta(days=4))}") in page

    # The other way: the Kabag's Plh. recording her own leave over those days.
    Delegation.objects.filter(role=Role.KASUBAG).delete()
    page = " ".join(kasubag.post("/pelimpahan/", {
        "role": "kasubag", "delegate": people["staf"].pk, "kind": "plh", "dasar": "",
        "starts_on": monday.isoformat(), "ends_on": (monday + dt.timedelta(days=4)).isoformat()},
        follow=True).content.decode().split())
    assert (f"Pada sebagian tanggal itu Anda sendiri Plh. Kabag atas nama {people['kabag'].display_name} (dari "
            f"{long_date(monday + dt.timedelta(days=1))} sampai dengan {long_date(monday + dt.timedelta(days=2))})"
            ) in page


def test_a_delegation_ended_on_its_first_day_is_not_said_to_make_anyone_away(people):
    """The Kasubag named her Plh. for this week and, back after all, ended it this morning; the Kabag
    then named her his Plh. from today. He read that she was away herself and had named a Plh. of
    her own, and she, ending hers, read that she stood in for another: both delegations given up."""
    today = timezone.localdate()
    kasubag, kabag = client_for(people, "kasubag"), client_for(people, "kabag")
    kasubag.post("/pelimpahan/", {"role": "kasubag", "delegate": people["staf"].pk, "kind": "plh", "dasar": "",
                                  "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=4)).isoformat()})
    own = Delegation.objects.get(role=Role.KASUBAG)
    kasubag.post(f"/pelimpahan/{own.pk}/akhiri/")
    page = " ".join(kabag.post("/pelimpahan/", form(people["kasubag"], today, today + dt.timedelta(days=2)),
                               follow=True).content.decode().split())
    assert Delegation.objects.filter(role=Role.KABAG).count() == 1
    assert "sendiri berhalangan" not in page

    # The other way: the Kabag ends his this morning too; naming her Plh. again from today, she is not
    # told she stands in for him.
    kabag.post(f"/pelimpahan/{Delegation.objects.get(role=Role.KABAG).pk}/akhiri/")
    page = " ".join(kasubag.post("/pelimpahan/", {
        "role": "kasubag", "delegate": people["staf"].pk, "kind": "plh", "dasar": "",
        "starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=4)).isoformat()},
        follow=True).content.decode().split())
    assert Delegation.objects.filter(role=Role.KASUBAG).count() == 2
    assert "Anda sendiri Plh. Kabag" not in page
