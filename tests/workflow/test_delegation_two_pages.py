"""A delegation open in the admin while its official ends it on /pelimpahan/: the admin's save no
longer writes back the end date the page loaded (the Plh. acting again), it is refused, saying so.
And the admin's change of its days reaches the Plh. told of the old ones."""

import datetime
import re

from django.core import mail
from django.test import Client
from django.utils import timezone

from lib.dates import long_date
from tests.factories import client_for
from workflow.models import Delegation
from workflow.roles import Role


def _form(delegation, page: str, **changes) -> dict:
    loaded = re.search(r'name="versi_dimuat" value="([0-9a-f]*)"', page)
    return {"official": delegation.official_id, "delegate": delegation.delegate_id, "role": delegation.role,
            "kind": delegation.kind, "starts_on": delegation.starts_on.isoformat(),
            "ends_on": delegation.ends_on.isoformat(), "dasar": delegation.dasar,
            **({"versi_dimuat": loaded.group(1)} if loaded else {})} | changes


def _named_then_opened_in_the_admin(people, on_commit):
    """The Kabag names the Kasubag his Plh. from today for ten days on /pelimpahan/ (she is told); the
    admin signed in, with the delegation's change page."""
    today = timezone.localdate()
    with on_commit(execute=True):
        client_for(people, "kabag").post("/pelimpahan/", {
            "role": "kabag", "delegate": people["kasubag"].pk, "kind": "plh", "dasar": "ST/01/2026",
            "starts_on": today.isoformat(), "ends_on": (today + datetime.timedelta(days=10)).isoformat()})
    delegation = Delegation.objects.get()
    admin = Client()
    admin.force_login(people["admin"])
    return delegation, admin, f"/admin/workflow/delegation/{delegation.pk}/change/"


def test_an_ended_delegation_stays_ended_when_the_admin_saves_an_older_page(people):
    today = timezone.localdate()
    delegation = Delegation.objects.create(
        official=people["kabag"], delegate=people["kasubag"], role=Role.KABAG,
        starts_on=today - datetime.timedelta(days=2), ends_on=today + datetime.timedelta(days=10),
        dasar="ST/01/2026")
    admin = Client()
    admin.force_login(people["admin"])
    url = f"/admin/workflow/delegation/{delegation.pk}/change/"
    opened = _form(delegation, admin.get(url).content.decode(), dasar="Surat Tugas 800/12/Kesra")
    # The Kabag ends it from their own page meanwhile: from today the Kasubag no longer acts as Plh.
    ended = client_for(people, "kabag").post(f"/pelimpahan/{delegation.pk}/akhiri/")
    assert ended.status_code == 302
    response = admin.post(url, opened)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pelimpahan ini diubah sejak halaman ini dibuka" in page and "sudah diakhiri" in page
    assert people["kabag"].display_name in page and "Surat Tugas 800/12/Kesra" in page
    delegation.refresh_from_db()
    assert delegation.ends_on == today - datetime.timedelta(days=1)
    assert not Delegation.objects.active_on(today).filter(pk=delegation.pk).exists()


def test_ending_a_delegation_the_admin_deleted_meanwhile_says_it_is_gone(people):
    today = timezone.localdate()
    delegation = Delegation.objects.create(
        official=people["kabag"], delegate=people["kasubag"], role=Role.KABAG,
        starts_on=today - datetime.timedelta(days=2), ends_on=today + datetime.timedelta(days=10),
        dasar="ST/01/2026")
    kabag = client_for(people, "kabag")
    assert kabag.get("/pelimpahan/").status_code == 200
    url = f"/pelimpahan/{delegation.pk}/akhiri/"
    delegation.delete()  # the admin, meanwhile
    response = kabag.post(url, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pelimpahan ini sudah tidak ada" in page and "Hanya pejabat yang melimpahkan" not in page
    # Another official's delegation is still not theirs to end.
    other = Delegation.objects.create(
        official=people["kabiro"], delegate=people["kabag"], role=Role.KABIRO,
        starts_on=today - datetime.timedelta(days=2), ends_on=today + datetime.timedelta(days=10), dasar="ST/02/2026")
    assert kabag.post(f"/pelimpahan/{other.pk}/akhiri/").status_code == 403
    assert Delegation.objects.get(pk=other.pk).ends_on == today + datetime.timedelta(days=10)


def test_the_delegate_told_of_a_delegation_hears_when_the_admin_moves_its_days(
        people, django_capture_on_commit_callbacks):
    """Told "sampai dengan 17 Desember", the Plh. would act to that day after the admin shortened it,
    or stop before the day it was extended to: nobody told her of the change."""
    today = timezone.localdate()
    delegation, admin, url = _named_then_opened_in_the_admin(people, django_capture_on_commit_callbacks)
    shorter = today + datetime.timedelta(days=3)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin.post(url, _form(delegation, admin.get(url).content.decode(), ends_on=shorter.isoformat()))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    (message,) = mail.outbox
    assert message.to == [people["kasubag"].email]
    assert message.subject == f"Tanggal pelimpahan diubah: Plh. Kabag atas nama {people['kabag'].display_name}"
    assert (f"kini dari {long_date(today)} sampai dengan {long_date(shorter)} (sebelumnya dari {long_date(today)} "
            f"sampai dengan {long_date(today + datetime.timedelta(days=10))})") in message.body
    # Saved again with the same days (its basis corrected): no news, nothing mailed.
    delegation.refresh_from_db()
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url, _form(delegation, admin.get(url).content.decode(), dasar="ST/02/2026"))
    assert mail.outbox == []


def _named_with_another_kasubag(people, on_commit):
    """`_named_then_opened_in_the_admin`, and a second Kasubag the admin may hand it to."""
    from workflow.models import User, UserRole

    other = User.objects.create_user("kasubag2", password="x", nama="Dewi Lestari, S.E.", email="kasubag2@example.go.id")
    UserRole.objects.create(user=other, role=Role.KASUBAG)
    return (*_named_then_opened_in_the_admin(people, on_commit), other)


def test_the_admin_handing_a_delegation_to_another_tells_both_the_one_who_lost_it_and_the_new_one(
        people, django_capture_on_commit_callbacks):
    """The admin corrected a running Plh. Kabag to another Kasubag: the first, told "Anda bertindak
    sebagai Plh. Kabag sampai ...", heard nothing and found the Kabag's work gone from her inbox; the
    new one was never told she stands in, and what waits on the Kabag waited on her unseen."""
    today = timezone.localdate()
    delegation, admin, url, other = _named_with_another_kasubag(people, django_capture_on_commit_callbacks)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin.post(url, _form(delegation, admin.get(url).content.decode(), delegate=other.pk))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {people["kasubag"].email, other.email}
    kabag = people["kabag"].display_name
    lost = sent[people["kasubag"].email]
    assert lost.subject == f"Pelimpahan dialihkan: Plh. Kabag atas nama {kabag}"
    assert (f"dialihkan admin kepada Dewi Lestari, S.E.: mulai {long_date(today)} Anda tidak lagi bertindak sebagai "
            "Kabag") in " ".join(lost.body.split())
    given = sent[other.email]
    assert given.subject == f"Pelimpahan dimulai: Anda Plh. Kabag atas nama {kabag}"
    assert f"sampai dengan {long_date(today + datetime.timedelta(days=10))}" in given.body
    # Its last day passing is told to the one who holds it then, once.
    from notices.delegations import tell_daily

    mail.outbox = []
    after = timezone.now() + datetime.timedelta(days=11)
    tell_daily(after)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([other.email], f"Pelimpahan berakhir: Plh. Kabag atas nama {kabag}")]


def test_a_delegation_handed_back_to_its_first_delegate_tells_her_it_is_hers_again(
        people, django_capture_on_commit_callbacks):
    """The admin gave a running Plh. Kabag to another Kasubag by mistake and then back: the first one
    read "dialihkan ... Anda tidak lagi bertindak sebagai Kabag" and nothing after it (her earlier
    "dimulai" notice stood in the way), so she left the Kabag's work alone while it waited on her."""
    from notices.models import Notice

    today = timezone.localdate()
    delegation, admin, url, other = _named_with_another_kasubag(people, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url, _form(delegation, admin.get(url).content.decode(), delegate=other.pk))
    delegation.refresh_from_db()
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin.post(url, _form(delegation, admin.get(url).content.decode(), delegate=people["kasubag"].pk))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {people["kasubag"].email, other.email}
    kabag = people["kabag"].display_name
    back = sent[people["kasubag"].email]
    assert back.subject == f"Pelimpahan kembali kepada Anda: Plh. Kabag atas nama {kabag}"
    assert (f"Mulai {long_date(today)} sampai dengan {long_date(today + datetime.timedelta(days=10))} Anda bertindak "
            "sebagai Plh. Kabag") in " ".join(back.body.split())
    assert sent[other.email].subject == f"Pelimpahan dialihkan: Plh. Kabag atas nama {kabag}"
    # Her newest notice of it is that it is hers: the list she reads does not end on "dialihkan".
    newest = Notice.objects.filter(recipient=people["kasubag"]).first()
    assert newest.judul == back.subject
    # Its end is still told once, to her.
    from notices.delegations import tell_daily

    mail.outbox = []
    tell_daily(timezone.now() + datetime.timedelta(days=11))
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([people["kasubag"].email], f"Pelimpahan berakhir: Plh. Kabag atas nama {kabag}")]


def test_days_moved_back_to_what_they_were_told_as_before_are_told_again(people, django_capture_on_commit_callbacks):
    """The admin shortened a running Plh. to the 10th, lengthened it to the 17th again, then (the
    Kabag's leave cut after all) shortened it to the 10th once more: the last change was not told,
    as a notice of "kini ... sampai dengan 10" stood from the first, and the Plh. read the 17th."""
    today = timezone.localdate()
    delegation, admin, url = _named_then_opened_in_the_admin(people, django_capture_on_commit_callbacks)
    shorter, longer = today + datetime.timedelta(days=3), today + datetime.timedelta(days=10)
    for ends_on in (shorter, longer, shorter):
        delegation.refresh_from_db()
        mail.outbox = []
        with django_capture_on_commit_callbacks(execute=True):
            saved = admin.post(url, _form(delegation, admin.get(url).content.decode(), ends_on=ends_on.isoformat()))
        assert saved.status_code == 302, saved.content.decode()[:2000]
        (message,) = mail.outbox
        assert f"kini dari {long_date(today)} sampai dengan {long_date(ends_on)}" in message.body


def test_the_delegate_hears_when_the_admin_changes_in_whose_place_and_as_what_she_stands_in(
        people, django_capture_on_commit_callbacks):
    """Told "Plh. Kabag atas nama <Kabag>", the Kasubag was made Plt. (a post left empty), then the
    delegation moved to the other Kabag whose leave it was really for: she read nothing, yet what she
    may do and in whose name the history and the documents write her acts changed."""
    from workflow.models import User, UserRole

    today = timezone.localdate()
    kabag2 = User.objects.create_user("kabag2", password="x", nama="Ir. Yohanes Siregar, M.T.",
                                      email="kabag2@example.go.id")
    UserRole.objects.create(user=kabag2, role=Role.KABAG)
    delegation, admin, url = _named_then_opened_in_the_admin(people, django_capture_on_commit_callbacks)
    kabag = people["kabag"].display_name
    span = f"{long_date(today)} sampai dengan {long_date(today + datetime.timedelta(days=10))}"

    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin.post(url, _form(delegation, admin.get(url).content.decode(), kind="plt"))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    (message,) = mail.outbox
    assert message.to == [people["kasubag"].email]
    assert message.subject == f"Pelimpahan diubah: kini Plt. Kabag atas nama {kabag}"
    body = " ".join(message.body.split())
    assert f"kini Anda Plt. Kabag atas nama {kabag} dari {span} (sebelumnya Plh. Kabag atas nama {kabag})" in body

    delegation.refresh_from_db()
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin.post(url, _form(delegation, admin.get(url).content.decode(), official=kabag2.pk))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    (message,) = mail.outbox
    assert message.to == [people["kasubag"].email]
    assert message.subject == "Pelimpahan diubah: kini Plt. Kabag atas nama Ir. Yohanes Siregar, M.T."
    body = " ".join(message.body.split())
    assert (f"kini Anda Plt. Kabag atas nama Ir. Yohanes Siregar, M.T. dari {span} (sebelumnya Plt. Kabag atas nama "
            f"{kabag})") in body
    assert "tercatat sebagai Plt. Kabag atas nama Ir. Yohanes Siregar, M.T." in body

    # Its basis corrected only: nothing she acts on changed, nothing told.
    delegation.refresh_from_db()
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url, _form(delegation, admin.get(url).content.decode(), dasar="ST/02/2026"))
    assert mail.outbox == []
