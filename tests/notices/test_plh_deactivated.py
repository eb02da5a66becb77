"""The Kabag names a Plh. for next week and goes on leave; meanwhile the admin switches the Plh.'s
account off (moved elsewhere). The delegation gives nothing now (`Delegation.void`), so what waits on
the Kabag waits on nobody who is at work: the Kabag is told, once, and the admin hears it on saving."""

import datetime as dt

from django.core import mail
from django.utils import timezone

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
    # Saved again (switched on and off), the same lapse is not told twice.
    plh.refresh_from_db()
    admin.post(f"/admin/workflow/user/{plh.pk}/change/", admin_user_form(plh, is_active="on"))
    plh.refresh_from_db()
    admin.post(f"/admin/workflow/user/{plh.pk}/change/", admin_user_form(plh, is_active=""))
    assert Notice.objects.filter(recipient=people["kabag"]).count() == 1
