"""The admin deactivates an agency while a round waits for its IKU, and activates it again: each of its
active officers is told both times, in the app and by e-mail (as they chose), once, by the task
worker after the admin's change commits: which rounds no longer wait on it and that what it sent
stays; then which wait on it again, by when."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from iku.table import save_draft
from lib.dates import moment_text
from notices import agencies
from notices.handoff import deliver
from notices.models import Notice, NoticePreference
from tests import task_backends
from tests.factories import client_for
from tests.workflow.test_agency_taken_out import deactivate_on_its_page
from workflow.models import AuditEvent, Skpd, User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER, IkuStage


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def officer(agency, username, **fields):
    user = User.objects.create_user(username, password="x", nama=f"Petugas {username}", skpd=agency,
                                    email=f"{username}@example.go.id", **fields)
    UserRole.objects.create(user=user, role=Role.SKPD)
    return user


def mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def test_the_officers_are_told_by_the_worker_once_that_their_agency_left_the_round(people, walk, settings):
    dossier = walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    deliver(AuditEvent.objects.filter(dossier=dossier, to_state=dossier.state).latest("pk").pk)
    clerk = people["dinkes"]
    health = Skpd.objects.get(pk=clerk.skpd_id)
    save_draft(dossier, health, IkuStage.KONSEP, [{"indikator": "Angka harapan hidup"}], timezone.now(), by=clerk)
    quiet = officer(health, "dinkes2")  # wants no e-mail: told in the app only
    NoticePreference.objects.create(user=quiet, by_email=False)
    gone = officer(health, "dinkes3", is_active=False)  # can no longer sign in: told nothing
    asked = mails_to(clerk)
    assert asked and f"Tenggat: {moment_text(dossier.due_at)}" in asked[-1].body  # the last mail they had
    mail.outbox = []

    settings.TASKS = task_backends.DATABASE
    client_for(people, "admin").post("/admin/workflow/skpd/", {"action": "nonaktifkan", "_selected_action": [health.pk]})
    assert not Notice.objects.filter(key__startswith="skpd-").exists() and mail.outbox == []  # off the request
    task_backends.work_queue()

    told = mails_to(clerk)
    assert len(told) == 1
    since = Skpd.objects.get(pk=health.pk).nonaktif_sejak
    assert told[0].subject == "Dinas Kesehatan dinonaktifkan: tidak ada lagi yang perlu dikirim"
    body = told[0].body
    assert f"Admin menonaktifkan Dinas Kesehatan sejak {moment_text(since)}." in body
    assert "- Penetapan IKU 2027 (" in body and "tenggatnya tidak berlaku lagi bagi Dinas Kesehatan" in body
    assert "Yang sudah dikirim Dinas Kesehatan tetap tercatat" in body
    assert "draf yang tersimpan tetap tersimpan, tetapi tidak dapat dikirim" in body
    assert moment_text(dossier.due_at) not in body and "Tenggat" not in body
    assert f"/dosier/{dossier.pk}/" in body  # the one round it concerns
    assert mails_to(quiet) == [] and Notice.objects.filter(recipient=quiet, key__startswith="skpd-nonaktif:").exists()
    assert not Notice.objects.filter(recipient=gone).exists()
    assert not Notice.objects.filter(recipient=people["dinsos"], key__startswith="skpd-").exists()
    assert "Dinas Kesehatan dinonaktifkan" in text(client_for(people, "dinkes").get("/pemberitahuan/"))

    # The task run again (a retry after a crash) records and mails nothing more.
    notice = Notice.objects.get(recipient=clerk, key__startswith="skpd-nonaktif:")
    assert agencies.tell_and_mail(health.pk, agencies.DEACTIVATED, int(notice.key.rpartition(":")[2])) == 0
    assert Notice.objects.filter(key__startswith="skpd-").count() == 2 and len(mails_to(clerk)) == 1


def test_activated_again_on_its_page_the_officers_read_which_rounds_wait_on_it_by_when(
        people, walk, django_capture_on_commit_callbacks):
    dossier = walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    clerk = people["dinkes"]
    health = Skpd.objects.get(pk=clerk.skpd_id)
    admin = client_for(people, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        deactivate_on_its_page(admin, health)
    assert len(mails_to(clerk)) == 1 and "dinonaktifkan" in mails_to(clerk)[0].subject
    mail.outbox = []

    url = f"/admin/workflow/skpd/{health.pk}/change/"
    form = admin.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None} | {"aktif": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(url, data).status_code == 302
    told = mails_to(clerk)
    assert len(told) == 1
    assert told[0].subject == "Dinas Kesehatan diaktifkan kembali: 1 putaran menunggu IKU Dinas Kesehatan"
    assert "Putaran berjalan berikut kembali menunggu IKU Dinas Kesehatan" in told[0].body
    assert "- Penetapan IKU 2027 (" in told[0].body and f"tenggat {moment_text(dossier.due_at)}." in told[0].body
    assert "diaktifkan kembali" in text(client_for(people, "dinkes").get("/pemberitahuan/"))


def test_switched_back_before_the_worker_ran_the_officers_hear_both_in_one_notice(people, walk, settings):
    """Off and on again before the worker ran: the deactivation's notice is not sent (the agency
    stands active), and the officer read only "diaktifkan kembali", of an agency nobody had told them
    was switched off. The one notice now says both, and when."""
    dossier = walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    clerk = people["dinkes"]
    health = Skpd.objects.get(pk=clerk.skpd_id)
    admin = client_for(people, "admin")
    settings.TASKS = task_backends.DATABASE
    admin.post("/admin/workflow/skpd/", {"action": "nonaktifkan", "_selected_action": [health.pk]})
    off = Skpd.objects.get(pk=health.pk).nonaktif_sejak
    admin.post("/admin/workflow/skpd/", {"action": "aktifkan", "_selected_action": [health.pk]})
    mail.outbox = []
    task_backends.work_queue()
    (told,) = mails_to(clerk)
    assert told.subject == ("Dinas Kesehatan sempat dinonaktifkan, kini aktif kembali: 1 putaran menunggu IKU "
                            "Dinas Kesehatan")
    body = " ".join(told.body.split())
    notice = Notice.objects.get(recipient=clerk)
    on = datetime.datetime.fromtimestamp(int(notice.key.rpartition(":")[2]), datetime.UTC)
    assert (f"Admin menonaktifkan Dinas Kesehatan pada {moment_text(off)}, lalu mengaktifkannya kembali pada "
            f"{moment_text(on)}.") in body
    assert "Selama nonaktif, putaran berjalan tidak menunggu IKU Dinas Kesehatan" in body
    assert "Putaran berjalan berikut kembali menunggu IKU Dinas Kesehatan:" in body
    assert "- Penetapan IKU 2027 (" in body and f"tenggat {moment_text(dossier.due_at)}." in body
    assert notice.judul == told.subject


def test_a_deactivation_mailed_late_never_follows_the_reactivation(people, walk, settings):
    """The mail server was down when the worker told the officers of the deactivation; the admin
    activated the agency again meanwhile. The sweep of send_reminders mailed "dinonaktifkan" after
    "diaktifkan kembali", and the last mail the officer had said the agency was off. The later news
    overtakes the unsent one, and the reactivation's mail says both."""
    from notices.handoff import mail_unsent

    walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    clerk = people["dinkes"]
    health = Skpd.objects.get(pk=clerk.skpd_id)
    admin = client_for(people, "admin")
    settings.TASKS = task_backends.DATABASE
    admin.post("/admin/workflow/skpd/", {"action": "nonaktifkan", "_selected_action": [health.pk]})
    settings.EMAIL_BACKEND = "tests.notices.failing_mail.DownBackend"
    task_backends.work_queue()
    assert Notice.objects.get(recipient=clerk, key__startswith="skpd-nonaktif:").emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin.post("/admin/workflow/skpd/", {"action": "aktifkan", "_selected_action": [health.pk]})
    mail.outbox = []
    task_backends.work_queue()
    mail_unsent(timezone.now() + datetime.timedelta(minutes=11))
    assert [m.subject for m in mails_to(clerk)] == [
        "Dinas Kesehatan sempat dinonaktifkan, kini aktif kembali: 1 putaran menunggu IKU Dinas Kesehatan"]


def test_a_hand_off_mail_the_server_refused_is_not_sent_late_to_an_agency_taken_out_since(people, walk, settings):
    from notices.handoff import mail_unsent

    dossier = walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    settings.EMAIL_BACKEND = "tests.notices.failing_mail.DownBackend"
    # The worker's task fails with the mail server down; the sweep mails its notices later.
    with pytest.raises(ConnectionRefusedError):
        deliver(AuditEvent.objects.filter(dossier=dossier, to_state=dossier.state).latest("pk").pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client_for(people, "admin").post("/admin/workflow/skpd/", {
        "action": "nonaktifkan", "_selected_action": [people["dinkes"].skpd_id]})
    mail.outbox = []
    mail_unsent(timezone.now() + datetime.timedelta(minutes=11))
    assert mails_to(people["dinkes"]) == []  # not "Kirim Konsep IKU Dinas Kesehatan ... Tenggat ..."
    assert [m.subject for m in mails_to(people["dinsos"])] == ["Penetapan IKU 2027: Kirim Konsep IKU Dinas Sosial"]


def test_switched_off_and_on_twice_before_the_worker_ran_the_officers_are_told_once(people, walk, settings):
    """Off, on, off and on again before the worker ran: each reactivation's task found the agency
    active and told it, and the officer read "sempat dinonaktifkan, kini aktif kembali" twice (then
    off, on, off: "dinonaktifkan" twice). What they read changes once each time it really changed."""
    from unittest import mock

    walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    clerk = people["dinkes"]
    health = Skpd.objects.get(pk=clerk.skpd_id)
    admin = client_for(people, "admin")
    settings.TASKS = task_backends.DATABASE
    start = timezone.now()

    def switch(*actions):
        # A minute apart: each change is a notice of its own moment (`agencies.key`).
        for action in actions:
            switch.minute += 1
            with mock.patch("django.utils.timezone.now", return_value=start + datetime.timedelta(minutes=switch.minute)):
                admin.post("/admin/workflow/skpd/", {"action": action, "_selected_action": [health.pk]})
        mail.outbox = []
        with mock.patch("django.utils.timezone.now", return_value=start + datetime.timedelta(minutes=switch.minute, seconds=30)):
            task_backends.work_queue()
        return [m.subject for m in mails_to(clerk)]

    switch.minute = 0
    assert switch("nonaktifkan", "aktifkan", "nonaktifkan", "aktifkan") == [
        "Dinas Kesehatan sempat dinonaktifkan, kini aktif kembali: 1 putaran menunggu IKU Dinas Kesehatan"]
    # Told it is active, the officer hears once that it is off again.
    assert switch("nonaktifkan", "aktifkan", "nonaktifkan") == [
        "Dinas Kesehatan dinonaktifkan: tidak ada lagi yang perlu dikirim"]
    assert Notice.objects.filter(recipient=clerk).count() == 2
    # And once that it is on again.
    assert switch("aktifkan") == ["Dinas Kesehatan diaktifkan kembali: 1 putaran menunggu IKU Dinas Kesehatan"]
