"""News that is not urgent waits for the office's opening, as the step reminders and the digest do
(Calendar.in_office): a Plh.'s first and last day, and a notice the mail server refused, mailed
again. A link to set a password, which someone at the sign-in page is waiting for, goes at once,
at any hour."""

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from notices.handoff import deliver
from notices.models import Notice
from tests.notices.test_handoff import finish
from workflow.models import Delegation
from workflow.steps import STEP_BY_NUMBER
from worktime.clock import TZ
from worktime.models import load_calendar

SUBJECT_STARTED = "Pelimpahan dimulai: Anda Plh. Kabag atas nama Drs. Hendra Gunawan, M.M."
SUBJECT_ENDED = "Pelimpahan berakhir: Plh. Kabag atas nama Drs. Hendra Gunawan, M.M."


def working_days(after: dt.date, count: int) -> list[dt.date]:
    """The next `count` working days after `after`."""
    calendar, day, found = load_calendar(), after, []
    while len(found) < count:
        day += dt.timedelta(days=1)
        if calendar.day(day).spans:
            found.append(day)
    return found


def opening(day: dt.date) -> dt.datetime:
    return load_calendar().day(day).spans[0][0]


def run(moment: dt.datetime) -> str:
    out = StringIO()
    call_command("send_reminders", "--now", moment.astimezone(TZ).replace(tzinfo=None).isoformat(), stdout=out)
    return out.getvalue()


def mailed(people, username) -> list[str]:
    return [m.subject for m in mail.outbox if m.to == [people[username].email]]


def test_a_plh_is_told_of_the_first_and_the_last_day_at_the_offices_opening_not_at_midnight(people):
    first, last, after = working_days(timezone.localdate() + dt.timedelta(days=1), 3)
    Delegation.objects.create(official=people["kabag"], delegate=people["kasubag"], role="kabag",
                              starts_on=first, ends_on=last)
    Notice.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())  # its naming, mailed
    mail.outbox = []

    at_midnight = dt.datetime.combine(first, dt.time(0, 5), tzinfo=TZ)
    assert run(at_midnight) == "" and mailed(people, "kasubag") == []
    assert not Notice.objects.filter(key__endswith=":mulai").exists()
    assert "Pelimpahan dimulai" in run(opening(first))
    assert mailed(people, "kasubag") == [SUBJECT_STARTED]

    mail.outbox = []
    assert run(dt.datetime.combine(after, dt.time(0, 5), tzinfo=TZ)) == "" and mailed(people, "kasubag") == []
    assert "Pelimpahan berakhir" in run(opening(after))
    assert mailed(people, "kasubag") == [SUBJECT_ENDED]


def test_a_hand_off_the_server_refused_is_mailed_again_at_the_next_opening_even_past_a_weekend(people, walk, settings):
    """Refused on a Thursday afternoon, the server back on Saturday: mailed at night it was not, and
    it waits for Monday's opening, past the three days a notice stays news (the weekend not counted)."""
    calendar = load_calendar()
    monday = timezone.localdate() + dt.timedelta(days=1)
    while not (monday.weekday() == 0 and all(calendar.day(monday - dt.timedelta(days=n)).spans for n in (0, 3, 4))):
        monday += dt.timedelta(days=1)
    thursday = monday - dt.timedelta(days=4)
    dossier = walk(STEP_BY_NUMBER[6].state)
    event = finish(dossier, people, "kasubag")
    settings.EMAIL_BACKEND = "tests.notices.failing_mail.DownBackend"
    with pytest.raises(ConnectionRefusedError):
        deliver(event.pk, now=dt.datetime.combine(thursday, dt.time(15, 55), tzinfo=TZ))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []

    saturday_night = dt.datetime.combine(monday - dt.timedelta(days=2), dt.time(21), tzinfo=TZ)
    assert run(saturday_night) == "" and mailed(people, "kabag") == []  # not at 21.00 on a Saturday
    assert "Pemberitahuan yang tertunda dikirim lewat surel: 1" in run(opening(monday))
    # Beside the step's own late reminder, due since Friday and sent at the same opening.
    (subject,) = [subject for subject in mailed(people, "kabag") if not subject.startswith("[SOP-IKU]")]
    assert STEP_BY_NUMBER[7].action_label in subject


def test_a_forgotten_password_link_asked_at_night_goes_at_once_and_so_does_its_retry(
        people, settings, django_capture_on_commit_callbacks):
    from workflow.models import PasswordLink

    night = dt.datetime.combine(working_days(timezone.localdate(), 1)[0], dt.time(22), tzinfo=TZ)
    with mock.patch("django.utils.timezone.now", return_value=night), django_capture_on_commit_callbacks(execute=True):
        Client().post("/masuk/lupa/", {"nama": "kabag"})
    (message,) = mail.outbox
    assert message.to == [people["kabag"].email] and "/kata-sandi/atur/lupa/" in message.body

    # Its mail refused by a server down, the sweep sends it a quarter hour later, at night too.
    mail.outbox = []
    settings.EMAIL_BACKEND = "tests.notices.failing_mail.DownBackend"
    with mock.patch("django.utils.timezone.now", return_value=night + dt.timedelta(minutes=1)), \
            django_capture_on_commit_callbacks(execute=True):
        Client().post("/masuk/lupa/", {"nama": "kabag"})
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert PasswordLink.objects.filter(emailed_at__isnull=True).count() == 1
    assert "Tautan atur kata sandi yang tertunda dikirim lewat surel: 1" in run(night + dt.timedelta(minutes=16))
    assert [m.to for m in mail.outbox] == [[people["kabag"].email]]
