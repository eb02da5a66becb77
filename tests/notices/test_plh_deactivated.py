"""The Kabag names a Plh. for next week and goes on leave; meanwhile the admin switches the Plh.'s
account off (moved elsewhere). The delegation gives nothing now (`Delegation.void`), so what waits on
the Kabag waits on nobody who is at work: the Kabag is told, once, and the admin hears it on saving."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from lib.dates import long_date
from notices.models import Notice
from tests.factories import admin_user_form, client_for
from workflow.models import Delegation, User, UserRole
from workflow.roles import Role


def test_the_kabag_is_told_once_when_his_plh_is_switched_off(people, django_capture_on_commit_callbacks):
    plh = User.objects.create_user("kabag2", nama="Ir. Yohanes Siregar, M.T.", email="kabag2@example.go.id")
    UserRole.objects.create(user=plh, role=Role.KABAG)
    today = timezone.localdate()
    Delegation.objects.create(official=people["kabag"], delegate=plh, role=Role.KABAG, starts_on=today + dt.timedelta(days=7),
                              ends_on=today + dt.timedelta(days=11), dasar="ST 800/12")
    # One that ended already is nobody's concern.
    Delegation.objects.create(official=people["kabiro"], delegate=plh, role=Role.KABIRO,
                              starts_on=today - dt.timedelta(days=9), ends_on=today - dt.timedelta(days=5))
    admin = client_for(people, "admin")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = admin.post(f"/admin/workflow/user/{plh.pk}/change/", admin_user_form(plh, is_active=""), follow=True)
    html = " ".join(page.content.decode().split())
    assert "ditunjuk sebagai pelaksana dalam 1 pelimpahan yang masih berjalan atau akan datang" in html
    assert f"Plh. Kabag atas nama {people['kabag']}" in html

    told = Notice.objects.get(recipient=people["kabag"])
    assert told.judul == "Plh. Kabag Anda tidak berlaku: akun Ir. Yohanes Siregar, M.T. dinonaktifkan"
    assert "tunjuk pelaksana lain di halaman Pelimpahan" in told.isi
    assert not Notice.objects.filter(recipient=people["kabiro"]).exists()
    assert [m.to for m in mail.outbox] == [[people["kabag"].email]]
    # Saved again while off, the same lapse is not told twice.
    plh.refresh_from_db()
    admin.post(f"/admin/workflow/user/{plh.pk}/change/", admin_user_form(plh, jabatan="Kepala Bagian"))
    assert Notice.objects.filter(recipient=people["kabag"]).count() == 1
    # Switched on and off again: told it holds again, then that it lapsed again; the newest is the lapse.
    plh.refresh_from_db()
    admin.post(f"/admin/workflow/user/{plh.pk}/change/", admin_user_form(plh, is_active="on"))
    plh.refresh_from_db()
    admin.post(f"/admin/workflow/user/{plh.pk}/change/", admin_user_form(plh, is_active=""))
    assert [n.judul for n in Notice.objects.filter(recipient=people["kabag"])] == [
        told.judul, "Plh. Kabag Anda berlaku lagi: akun Ir. Yohanes Siregar, M.T. diaktifkan kembali", told.judul]


def test_a_plh_switched_on_again_is_told_she_stands_in_and_her_kabag_that_it_holds_again(
        people, django_capture_on_commit_callbacks):
    """The Plh.'s account was switched off by mistake (the Kabag read "tidak berlaku") and switched
    on again: the delegation gave her the Kabag's work again, but neither she nor the Kabag on leave
    read a word; and one recorded while her account was off was never told to her at all."""
    plh = User.objects.create_user("kabag2", nama="Ir. Yohanes Siregar, M.T.", email="kabag2@example.go.id")
    UserRole.objects.create(user=plh, role=Role.KABAG)
    today = timezone.localdate()
    ends_on = today + dt.timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        running = Delegation.objects.create(official=people["kabag"], delegate=plh, role=Role.KABAG,
                                            starts_on=today, ends_on=ends_on, dasar="ST 800/12")
    admin = client_for(people, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(f"/admin/workflow/user/{plh.pk}/change/", admin_user_form(plh, is_active=""))
    # Recorded (by the admin, on a page opened before) while she was off: nobody could tell her then.
    plh.refresh_from_db()
    later = Delegation.objects.create(official=people["kabiro"], delegate=plh, role=Role.KABIRO,
                                      starts_on=today + dt.timedelta(days=7), ends_on=today + dt.timedelta(days=9))
    assert not Notice.objects.filter(recipient=plh, key__startswith=f"pelimpahan:{later.pk}:").exists()
    plh.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = admin.post(f"/admin/workflow/user/{plh.pk}/change/", admin_user_form(plh, is_active="on"), follow=True)
    html = " ".join(page.content.decode().split())
    assert "ditunjuk sebagai pelaksana dalam 2 pelimpahan yang masih berjalan atau akan datang" in html
    assert "kini berlaku lagi" in html

    kabag = people["kabag"].display_name
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert sent == sorted([
        (plh.email, f"Pelimpahan berlaku lagi: Anda Plh. Kabag atas nama {kabag}"),
        (plh.email, f"Anda ditunjuk sebagai Plh. Kabiro mulai {long_date(today + dt.timedelta(days=7))}"),
        (people["kabag"].email, "Plh. Kabag Anda berlaku lagi: akun Ir. Yohanes Siregar, M.T. diaktifkan kembali"),
    ])
    told = Notice.objects.get(recipient=plh, key__startswith=f"pelimpahan:{running.pk}:mulai-")
    assert f"Mulai {long_date(today)} sampai dengan {long_date(ends_on)} Anda bertindak sebagai Plh. Kabag" in told.isi
    # The Kabiro was never told it lapsed, so has nothing to hear of it holding again.
    assert not Notice.objects.filter(recipient=people["kabiro"], key__startswith="pelimpahan:").exists()
