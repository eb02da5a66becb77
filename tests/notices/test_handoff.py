"""When a step moves on, whoever may act next is told once, by e-mail and in the app, off the
request path; a failed send retried tells nobody twice."""

import re

import pytest
from django.core import mail

from notices.handoff import deliver
from notices.models import Notice, NoticePreference
from tests import task_backends
from tests.factories import client_for
from workflow import demo, services
from workflow.actions import Action
from workflow.models import AuditEvent, Disposition, Dossier
from workflow.steps import STEP_BY_NUMBER

IMMEDIATE = task_backends.IMMEDIATE


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE  # django_tasks resets its backends on setting_changed


def finish(dossier, people, who):
    demo.prepare_step(dossier, people)
    dossier.refresh_from_db()
    return services.perform(dossier, people[who], Action.SELESAIKAN, revision=dossier.revision)


def test_the_kabag_is_told_when_the_kasubag_finishes_step_6(people, walk, django_capture_on_commit_callbacks):
    dossier = walk(STEP_BY_NUMBER[6].state)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = finish(dossier, people, "kasubag")
    assert callbacks, "the send waits for the commit"
    assert mail.outbox == []  # nothing sent inside the click
    deliver(event.pk)
    (sent,) = [m for m in mail.outbox if m.to == ["kabag@example.go.id"]]
    assert STEP_BY_NUMBER[7].action_label in sent.subject
    page = client_for(people, "kabag").get("/pemberitahuan/").content.decode()
    assert STEP_BY_NUMBER[7].action_label in page and "(baru)" in page
    assert 'aria-label="1 belum dibaca"' in client_for(people, "kabag").get("/").content.decode()
    # The Kasubag who finished it is not told of their own act.
    assert not Notice.objects.filter(recipient=people["kasubag"], event=event).exists()


def test_a_hand_off_is_told_once_even_when_the_mail_server_was_down(people, walk, settings):
    dossier = walk(STEP_BY_NUMBER[6].state)
    event = finish(dossier, people, "kasubag")
    settings.EMAIL_BACKEND = "tests.notices.failing_mail.DownBackend"
    with pytest.raises(ConnectionRefusedError):
        deliver(event.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    deliver(event.pk)  # the retry
    deliver(event.pk)  # and a duplicate run of the task
    assert [m.to for m in mail.outbox].count(["kabag@example.go.id"]) == 1
    assert Notice.objects.filter(recipient=people["kabag"], event=event).count() == 1


def test_a_send_whose_record_the_database_lost_goes_again_as_the_same_message(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    event = finish(dossier, people, "kasubag")
    mail.outbox = []
    deliver(event.pk)
    # The primary failed over between the send and its commit: the record that it was sent is lost.
    Notice.objects.filter(event=event).update(emailed_at=None)
    deliver(event.pk)
    first, again = [m.message() for m in mail.outbox if m.to == ["kabag@example.go.id"]]
    # The same message, which a mail program keeps once.
    assert first["Message-ID"] == again["Message-ID"]
    assert re.fullmatch(r"<pemberitahuan\.\d+\.[0-9a-f]{16}@kalbarprov\.go\.id>", first["Message-ID"])
    # The next hand-off is a message of its own.
    mail.outbox = []
    deliver(finish(Dossier.objects.get(pk=dossier.pk), people, "kabag").pk)
    assert mail.outbox and all(m.message()["Message-ID"] != first["Message-ID"] for m in mail.outbox)


def test_agencies_are_told_when_their_iku_is_asked_for(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    event = finish(dossier, people, "kasubag")
    mail.outbox = []
    deliver(event.pk)
    to_dinkes = [m for m in mail.outbox if m.to == ["dinkes@example.go.id"]]
    assert to_dinkes and "Kirim Konsep IKU Dinas Kesehatan" in to_dinkes[0].subject
    # An agency the round does not invite hears nothing.
    assert not Notice.objects.filter(recipient=people["dishub"]).exists()


def test_a_new_round_tells_the_invited_agencies(people, dossier):
    event = AuditEvent.objects.filter(dossier=dossier, action="buat").get()
    mail.outbox = []
    deliver(event.pk)
    assert any(m.to == ["dinkes@example.go.id"] and "diundang" in m.subject for m in mail.outbox)


def test_who_wants_no_mail_gets_none_but_still_sees_the_notice(people, walk):
    client = client_for(people, "kabag")
    client.post("/pemberitahuan/pilihan/", {"in_app": "on"})
    assert NoticePreference.objects.get(user=people["kabag"]).by_email is False
    dossier = walk(STEP_BY_NUMBER[6].state)
    event = finish(dossier, people, "kasubag")
    mail.outbox = []
    deliver(event.pk)
    assert not [m for m in mail.outbox if m.to == ["kabag@example.go.id"]]
    assert STEP_BY_NUMBER[7].action_label in client.get("/pemberitahuan/").content.decode()


def test_who_turns_in_app_notices_off_sees_no_unread_badge(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    deliver(finish(dossier, people, "kasubag").pk)
    client = client_for(people, "kabag")
    assert 'aria-label="1 belum dibaca"' in client.get("/").content.decode()
    client.post("/pemberitahuan/pilihan/", {"by_email": "on"})
    assert NoticePreference.objects.get(user=people["kabag"]).in_app is False
    assert "belum dibaca" not in client.get("/").content.decode()
    # The list says they are switched off, not that there are none.
    listed = client.get("/pemberitahuan/").content.decode()
    assert "Pemberitahuan di daftar ini Anda matikan" in listed and "Belum ada pemberitahuan" not in listed
    client.post("/pemberitahuan/pilihan/", {"in_app": "on"})
    assert 'aria-label="1 belum dibaca"' in client.get("/").content.decode()


def test_the_task_runs_off_the_request_once_committed(people, walk, immediate, django_capture_on_commit_callbacks):
    dossier = walk(STEP_BY_NUMBER[6].state)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        finish(dossier, people, "kasubag")
    assert any(m.to == ["kabag@example.go.id"] for m in mail.outbox)


def test_with_a_worker_the_hand_off_is_queued_in_the_moves_own_transaction(people, walk, settings,
                                                                          django_capture_on_commit_callbacks):
    """Queued with the move, not after its commit: a committed move always has its notices to come,
    and a move rolled back leaves no task for the worker."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from tests.notices.test_single_line import QUEUE

    settings.TASKS = QUEUE
    dossier = walk(STEP_BY_NUMBER[6].state)
    queued = DBTaskResult.objects.filter(task_path="notices.tasks.deliver_handoff")
    before = queued.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        finish(dossier, people, "kasubag")
        assert queued.count() == before + 1
        raise RuntimeError("the request fails after the move")
    assert queued.count() == before
    dossier.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = finish(dossier, people, "kasubag")
    assert callbacks == []
    assert queued.latest("enqueued_at").args_kwargs["args"] == [event.pk]


def test_working_out_who_is_told_costs_the_same_queries_for_forty_more_staff(people, walk, django_assert_num_queries):
    """At province scale 500 people are asked whether a hand-off gives them work: their roles are
    read at once, not one query each (a return took 1.2 s at 508 users before)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notices.handoff import notices_for
    from workflow.models import User, UserRole
    from workflow.roles import Role

    dossier = walk(STEP_BY_NUMBER[6].state)
    event = finish(dossier, people, "kasubag")
    event = type(event).objects.select_related("dossier").get(pk=event.pk)
    with CaptureQueriesContext(connection) as few:
        told = notices_for(event)
    for n in range(40):
        staff = User.objects.create(username=f"staf{n}", first_name=f"Staf {n}")
        UserRole.objects.create(user=staff, role=Role.KABAG if n == 0 else Role.TIM)
    event = type(event).objects.select_related("dossier").get(pk=event.pk)
    with django_assert_num_queries(len(few)):
        more = notices_for(event)
    # The second Kabag is told too; the organising team has nothing to do at step 7.
    assert {user.username for user, *_ in more} - {user.username for user, *_ in told} == {"staf0"}


def test_the_unread_badge_counts_only_ones_own_notices_not_yet_read(people, walk):
    from notices.views import unread_count

    dossier = walk(STEP_BY_NUMBER[6].state)
    deliver(finish(dossier, people, "kasubag").pk)
    kabag = people["kabag"]
    mine = Notice.objects.filter(recipient=kabag)
    assert unread_count(kabag) == mine.count() >= 1
    # Another's unread notices are not in the count.
    Notice.objects.bulk_create([Notice(recipient=people["kabiro"], dossier=dossier, judul="Untuk Kabiro", isi="-",
                                       created_at=dossier.state_entered_at)])
    assert unread_count(kabag) == mine.count()
    client_for(people, "kabag").post("/pemberitahuan/")
    assert unread_count(kabag) == 0
    assert 'belum dibaca"' not in client_for(people, "kabag").get("/").content.decode()


def test_mailing_a_hand_off_reads_each_recipients_wishes_with_the_notice(people, walk):
    """Who turned e-mail off is not mailed, and finding it out costs no query of its own per notice
    (the worker mails every hand-off: a query per recipient was a third of its statements)."""
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notices.handoff import mail_pending
    from notices.models import NoticePreference

    dossier = walk(STEP_BY_NUMBER[6].state)
    NoticePreference.objects.create(user=people["kabiro"], by_email=False)
    Notice.objects.bulk_create([Notice(recipient=people[name], dossier=dossier, judul=f"Untuk {name}", isi="-",
                                       created_at=dossier.state_entered_at) for name in ("kabag", "kabiro", "staf")])
    mail.outbox = []
    with CaptureQueriesContext(connection) as done:
        sent = mail_pending(Notice.objects.filter(dossier=dossier, judul__startswith="Untuk"), dossier.state_entered_at)
    assert sent == 2 and sorted(m.to[0] for m in mail.outbox) == ["kabag@example.go.id", "staf@example.go.id"]
    assert not [q for q in done.captured_queries if q["sql"].startswith('SELECT "notices_noticepreference"')]
    assert Notice.objects.filter(recipient=people["kabiro"], emailed_at__isnull=True).exists()


def test_a_hand_off_the_mail_server_refused_is_mailed_by_the_next_reminder_run(people, walk, settings):
    """The worker's task fails while the mail server is down, and nothing runs it again: the run of
    `send_reminders` (every minute) mails it once the server is back, once, as the same message."""
    from io import StringIO

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult


    dossier = walk(STEP_BY_NUMBER[6].state)
    settings.TASKS = task_backends.DATABASE
    settings.EMAIL_BACKEND = "tests.notices.failing_mail.DownBackend"
    finish(dossier, people, "kasubag")
    task_backends.work_queue()
    assert DBTaskResult.objects.get(task_path="notices.tasks.deliver_handoff").status == "FAILED"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    later = a_quarter_hour_of_office_later()
    out = StringIO()
    call_command("send_reminders", "--now", later, stdout=out)
    call_command("send_reminders", "--now", later, stdout=StringIO())
    (sent,) = [m for m in mail.outbox if m.to == ["kabag@example.go.id"]]
    assert STEP_BY_NUMBER[7].action_label in sent.subject
    assert "Pemberitahuan yang tertunda dikirim lewat surel: 1" in out.getvalue()


def test_a_refused_hand_off_the_dossier_moved_past_is_not_mailed_late(people, walk, settings):
    """Its work is done (seen in the app): mailed late it would ask for it again."""
    from io import StringIO

    from django.core.management import call_command


    dossier = walk(STEP_BY_NUMBER[6].state)
    settings.EMAIL_BACKEND = "tests.notices.failing_mail.DownBackend"
    with pytest.raises(ConnectionRefusedError):
        deliver(finish(dossier, people, "kasubag").pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    dossier.refresh_from_db()
    services.perform(dossier, people["kabag"], Action.SELESAIKAN, revision=dossier.revision)
    mail.outbox = []
    later = a_quarter_hour_of_office_later()
    call_command("send_reminders", "--now", later, stdout=StringIO())
    assert not [m for m in mail.outbox if m.to == ["kabag@example.go.id"]]


def a_quarter_hour_of_office_later() -> str:
    """The sweep's `--now` a quarter hour of office time on: it mails in office hours only, and a
    test run in the evening has its notices mailed at the next opening."""
    import datetime

    from django.utils import timezone

    from worktime.models import load_calendar

    later = load_calendar().add_working_time(timezone.now(), datetime.timedelta(minutes=15))
    return later.replace(tzinfo=None).isoformat(timespec="minutes")


def run_the_sweep_a_quarter_hour_later():
    from io import StringIO

    from django.core.management import call_command

    call_command("send_reminders", "--now", a_quarter_hour_of_office_later(), stdout=StringIO())


def test_an_agency_that_sent_its_table_while_the_mail_server_was_down_is_not_asked_for_it_late(people, walk,
                                                                                                settings):
    """Step 3 opens while the mail server is down; Dinas Kesehatan sends its Konsep from the app (its
    inbox listed it). The sweep mailed it "Kirim Konsep IKU Dinas Kesehatan" all the same: sending
    moves no dossier, so the hand-off read as current."""
    from tests.iku.test_round import send  # not at the top: that module imports this one

    dossier = walk(STEP_BY_NUMBER[2].state)
    settings.EMAIL_BACKEND = "tests.notices.failing_mail.DownBackend"
    with pytest.raises(ConnectionRefusedError):
        deliver(finish(dossier, people, "kasubag").pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send(people, dossier, "dinkes", [{"indikator": "Angka kematian ibu"}]).status_code == 302
    mail.outbox = []
    run_the_sweep_a_quarter_hour_later()
    asked = {m.to[0]: m.subject for m in mail.outbox}
    assert "dinkes@example.go.id" not in asked
    # Dinas Sosial has not sent: still asked, and the bureau's own hand-off still told.
    assert asked["dinsos@example.go.id"] == "Dosier uji: Kirim Konsep IKU Dinas Sosial"
    assert "staf@example.go.id" in asked


def test_a_disposisi_reported_done_while_the_mail_server_was_down_is_not_mailed_late(people, dossier, settings):
    from tests.workflow.test_dispositions import give
    from workflow.actions import DISPOSE

    give(people, dossier)
    settings.EMAIL_BACKEND = "tests.notices.failing_mail.DownBackend"
    with pytest.raises(ConnectionRefusedError):
        deliver(AuditEvent.objects.get(dossier=dossier, action=DISPOSE).pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    disposition = Disposition.objects.get()
    client_for(people, "staf").post(f"/dosier/{dossier.pk}/disposisi/{disposition.pk}/selesai/",
                                    {"hasil": "Konsep Undangan siap"})
    assert Disposition.objects.get().done_at is not None
    mail.outbox = []
    run_the_sweep_a_quarter_hour_later()
    assert not [m for m in mail.outbox if m.to == ["staf@example.go.id"]]


def test_a_site_address_written_with_a_slash_at_its_end_still_links_to_the_dossier(people, walk, settings):
    """`SOP_SITE_URL=https://sop-iku.kalbarprov.go.id/` made the link ...//dosier/N/, which the app
    answers with 404: the mail's one link led nowhere."""
    settings.SOP_SITE_URL = "https://sop-iku.kalbarprov.go.id/"
    dossier = walk(STEP_BY_NUMBER[6].state)
    mail.outbox = []
    deliver(finish(dossier, people, "kasubag").pk)
    (sent,) = [m for m in mail.outbox if m.to == ["kabag@example.go.id"]]
    assert f"Buka: https://sop-iku.kalbarprov.go.id/dosier/{dossier.pk}/" in sent.body
    assert "//dosier" not in sent.body


def test_a_hand_off_mail_says_where_to_stop_such_mail(people, walk, settings):
    settings.SOP_SITE_URL = "https://sop-iku.kalbarprov.go.id"
    dossier = walk(STEP_BY_NUMBER[6].state)
    mail.outbox = []
    deliver(finish(dossier, people, "kasubag").pk)
    (sent,) = [m for m in mail.outbox if m.to == ["kabag@example.go.id"]]
    assert sent.body.endswith("Untuk berhenti menerima pemberitahuan lewat surel, ubah Pilihan pemberitahuan: "
                              "https://sop-iku.kalbarprov.go.id/pemberitahuan/pilihan/")
    # Followed, the link opens the page where the e-mail is switched off.
    page = client_for(people, "kabag").get("/pemberitahuan/pilihan/").content.decode()
    assert "kirim lewat surel" in page.lower()


def test_one_mailbox_the_server_refuses_does_not_keep_the_others_from_their_mail(people, walk, settings):
    """An unknown mailbox answered 550 (mistyped, closed) stopped the mailing at it: whoever came
    after it in the hand-off was never mailed, and the worker's task failed. The refused one stays
    unmailed, for the sweep to try again; the others are mailed."""
    from notices.handoff import mail_pending

    dossier = walk(STEP_BY_NUMBER[6].state)
    settings.EMAIL_BACKEND = "tests.notices.failing_mail.RefusingBackend"
    Notice.objects.bulk_create([Notice(recipient=people[name], dossier=dossier, judul=f"Untuk {name}", isi="-",
                                       created_at=dossier.state_entered_at) for name in ("kabag", "kabiro", "staf")])
    mail.outbox = []
    sent = mail_pending(Notice.objects.filter(dossier=dossier, judul__startswith="Untuk"), dossier.state_entered_at)
    assert sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["kabiro@example.go.id", "staf@example.go.id"]
    unmailed = Notice.objects.filter(dossier=dossier, judul__startswith="Untuk", emailed_at__isnull=True)
    assert list(unmailed.values_list("recipient__username", flat=True)) == ["kabag"]


def test_a_hand_off_mail_tells_the_deadline_its_inbox_row_shows(people, walk):
    """Read on a phone away from the desk, the mail said what to do and not by when: the Kabag had to
    open the app to learn the paraf was due tomorrow at 15.00."""
    from lib.dates import moment_text

    dossier = walk(STEP_BY_NUMBER[6].state)
    event = finish(dossier, people, "kasubag")
    mail.outbox = []
    deliver(event.pk)
    dossier.refresh_from_db()
    assert dossier.due_at is not None
    deadline = f"Tenggat: {moment_text(dossier.due_at)}."
    (sent,) = [m for m in mail.outbox if m.to == ["kabag@example.go.id"]]
    assert deadline in sent.body
    assert deadline in Notice.objects.get(recipient=people["kabag"], event=event).isi
    inbox = client_for(people, "kabag").get("/").content.decode()
    assert f"pukul {moment_text(dossier.due_at).rpartition('pukul ')[2]}" in inbox
