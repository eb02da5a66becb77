"""The admin moves an agency officer to another agency: what they were told as the old agency's
officer is no longer counted unread in their menu, and the API tokens they made for the old agency's
programs stop; an edit that does not move them touches neither."""

from django.utils import timezone

from notices.models import Notice
from notices.views import unread_count
from tests.api.helpers import as_token
from tests.factories import admin_user_form, client_for
from workflow.models import Skpd


def told(user, judul):
    return Notice.objects.create(recipient=user, judul=judul, isi="", created_at=timezone.now())


def test_moving_an_officer_puts_the_old_agencys_notices_by_and_ends_their_tokens(people,
                                                                                 django_capture_on_commit_callbacks):
    clerk = people["dinkes"]
    told(clerk, "Kirim Bahan IKU Dinas Kesehatan")
    program = as_token(people, "dinkes", nama="e-SAKIP Dinkes")
    admin = client_for(people, "admin")
    url = f"/admin/workflow/user/{clerk.pk}/change/"

    renamed = admin.post(url, admin_user_form(clerk, nama="Petugas Dinkes (baru)"))
    assert renamed.status_code == 302, renamed.content.decode()[:2000]
    assert unread_count(clerk) == 1 and program.get("/api/v1/dosier/").status_code == 200

    clerk.refresh_from_db()
    social = Skpd.objects.get(nama_pendek="Dinas Sosial")
    with django_capture_on_commit_callbacks(execute=True):
        moved = admin.post(url, admin_user_form(clerk, skpd=social.pk))
    assert moved.status_code == 302, moved.content.decode()[:2000]
    clerk.refresh_from_db()
    assert clerk.skpd == social
    assert unread_count(clerk) == 1  # only the notice of the move itself
    assert Notice.objects.get(recipient=clerk, key="").read_at is not None  # still listed, as read
    assert program.get("/api/v1/dosier/").status_code == 401
    # Her program's "401" explained where she reads of the move.
    told_of_move = Notice.objects.get(recipient=clerk, key__startswith="skpd:")
    assert "Token API yang Anda buat sebelum perpindahan ini tidak berlaku lagi" in told_of_move.isi


def test_the_moved_officer_is_told_whom_she_acts_for_now_and_what_waits_there(people, walk,
                                                                              django_capture_on_commit_callbacks):
    from django.core import mail

    from workflow.steps import STEP_BY_NUMBER

    dossier = walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    clerk = people["dinkes"]
    admin = client_for(people, "admin")
    url = f"/admin/workflow/user/{clerk.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url, admin_user_form(clerk, nama="Petugas Dinkes (baru)", email=clerk.email))
    assert not Notice.objects.filter(recipient=clerk).exists()  # an edit that does not move her tells nothing

    clerk.refresh_from_db()
    social = Skpd.objects.get(nama_pendek="Dinas Sosial")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = admin.post(url, admin_user_form(clerk, skpd=social.pk, email=clerk.email))
    assert moved.status_code == 302, moved.content.decode()[:2000]
    notice = Notice.objects.get(recipient=clerk)
    assert notice.judul == "Anda kini petugas Dinas Sosial"
    assert "Admin memindahkan akun Anda dari Dinas Kesehatan ke Dinas Sosial." in notice.isi
    assert "Dosier, tabel IKU dan pemberitahuan Dinas Kesehatan tidak lagi untuk Anda" in notice.isi
    assert "Penetapan IKU 2027" in notice.isi and "Kirim Konsep IKU Dinas Sosial" in notice.isi
    assert notice.read_at is None and unread_count(clerk) == 1
    assert notice.path == f"/dosier/{dossier.pk}/"
    sent = [m for m in mail.outbox if m.to == [clerk.email]]
    assert len(sent) == 1 and sent[0].subject == notice.judul
    assert "Anda kini petugas Dinas Sosial" in client_for(people, "dinkes").get("/pemberitahuan/").content.decode()


def test_the_admin_who_moves_an_agencys_last_officer_hears_the_round_waits_on_nobody_there(people, walk):
    from workflow.models import User, UserRole
    from workflow.roles import Role
    from workflow.steps import STEP_BY_NUMBER

    walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    clerk = people["dinkes"]
    admin = client_for(people, "admin")
    url = f"/admin/workflow/user/{clerk.pk}/change/"
    social = Skpd.objects.get(nama_pendek="Dinas Sosial")
    said = "Dinas Kesehatan kini tidak punya petugas (pengguna aktif berperan SKPD), padahal 1 dosier masih menunggu IKU-nya"

    colleague = User.objects.create_user("dinkes2", nama="Siti Rahmah", skpd=clerk.skpd)
    UserRole.objects.create(user=colleague, role=Role.SKPD)
    moved = admin.post(url, admin_user_form(clerk, skpd=social.pk, email=clerk.email), follow=True)
    assert said not in " ".join(moved.content.decode().split())  # her colleague still acts for it

    colleague.is_active = False
    colleague.save()
    clerk.refresh_from_db()
    back = admin.post(url, admin_user_form(clerk, skpd=colleague.skpd_id, email=clerk.email))
    assert back.status_code == 302
    clerk.refresh_from_db()
    moved = admin.post(url, admin_user_form(clerk, skpd=social.pk, email=clerk.email), follow=True)
    text = " ".join(moved.content.decode().split())
    assert said in text and "Penetapan IKU 2027" in text
    assert "Tambahkan petugas penggantinya (peran SKPD, SKPD Dinas Kesehatan)" in text
