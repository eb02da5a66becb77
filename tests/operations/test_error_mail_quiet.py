"""While PostgreSQL refused the app's password, every request mailed DJANGO_ADMINS the same error: a
flood of identical mails. One kind of failure is mailed once per quiet period, across the server's
web workers; the log still has every one (sop_iku/error_mail.py)."""

import json
import logging
import sys

import pytest
from django.test import Client, override_settings

from sop_iku import error_mail

ADMINS = [("Admin", "admin@example.org")]


@pytest.fixture
def served(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.fixture
def clock(monkeypatch):
    moment = [1_800_000_000.0]
    monkeypatch.setattr(error_mail, "now", lambda: moment[0])
    return moment


def another_worker(monkeypatch):
    """A second gunicorn worker: its own memory, the same server's folder."""
    monkeypatch.setattr(error_mail, "marks", error_mail._Marks())


@override_settings(ROOT_URLCONF="tests.security.failing_urls", ADMINS=ADMINS, SOP_ERROR_MAIL_QUIET_MINUTES=15)
def test_a_refused_password_is_mailed_once_per_quiet_period_and_logged_every_time(
        served, people, dossier, mailoutbox, caplog, clock, monkeypatch):
    served.force_login(people["kasubag"])
    refused = f"/dosier/{dossier.pk}/ditolak/"
    for _ in range(3):
        assert served.get(refused).status_code == 503
    another_worker(monkeypatch)
    for _ in range(3):
        assert served.post(refused, {"instruksi": "Siapkan bahan rapat"}).status_code == 503
    errors = [r for r in caplog.records if r.levelname == "ERROR" and r.name == "django.request"]
    assert len(errors) == 6, caplog.text
    assert len(mailoutbox) == 1 and "kata sandi di DATABASE_URL" in mailoutbox[0].subject
    # Told apart in the admins' mailbox, in Indonesian from its first word.
    assert mailoutbox[0].subject.startswith("[SOP-IKU] Kesalahan (dari luar): Basis data menolak"), mailoutbox[0].subject
    assert "tidak disurelkan lagi selama 15 menit" in mailoutbox[0].body

    clock[0] += 14 * 60
    served.get(refused)
    assert len(mailoutbox) == 1
    clock[0] += 2 * 60
    served.get(refused)
    assert len(mailoutbox) == 2
    # The admin learns the failure went on: the six held back since the first mail.
    assert "Kesalahan (dari luar): [6 kali lagi sejak surel sebelumnya] Basis data menolak" in mailoutbox[1].subject, \
        mailoutbox[1].subject
    assert "kata sandi di DATABASE_URL" in mailoutbox[1].subject


@override_settings(ROOT_URLCONF="tests.security.failing_urls", ADMINS=ADMINS, SOP_ERROR_MAIL_QUIET_MINUTES=15)
def test_another_kind_of_failure_is_still_mailed_at_once(served, people, dossier, mailoutbox, clock):
    served.force_login(people["kasubag"])
    served.get(f"/dosier/{dossier.pk}/ditolak/")
    served.get(f"/dosier/{dossier.pk}/ditolak/")
    served.get("/gagal/")
    served.get(f"/dosier/{dossier.pk}/gagal/")  # the same error raised at the same place: the same kind
    subjects = [m.subject for m in mailoutbox]
    assert len(subjects) == 2, subjects
    assert "kata sandi di DATABASE_URL" in subjects[0] and "Internal Server Error: /gagal/" in subjects[1]


@override_settings(ROOT_URLCONF="tests.security.failing_urls", ADMINS=ADMINS, SOP_ERROR_MAIL_QUIET_MINUTES=15)
def test_a_folder_that_cannot_be_written_still_mails_once_per_worker(served, people, dossier, mailoutbox, clock,
                                                                      settings, tmp_path, monkeypatch):
    (tmp_path / "berkas").write_text("")
    settings.SOP_ERROR_MAIL_STATE = str(tmp_path / "berkas" / "surel")  # under a file: cannot be made
    another_worker(monkeypatch)
    served.force_login(people["kasubag"])
    for _ in range(3):
        assert served.get(f"/dosier/{dossier.pk}/ditolak/").status_code == 503
    assert len(mailoutbox) == 1


def _failed_in(reading):
    """A request's error record for a fault of ours in `reading`, raised inside the standard library."""
    try:
        reading()
    except ValueError:
        return logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
                                 ("/x/",), sys.exc_info())


def _reads_the_settings():
    json.loads("bukan json")


def _reads_the_webhook():
    json.loads("bukan json")


def test_two_faults_of_ours_raised_from_one_library_line_are_two_kinds():
    first, second = _failed_in(_reads_the_settings), _failed_in(_reads_the_webhook)
    assert first.exc_info[2] is not None and second.exc_info[2] is not None
    assert error_mail.failure_kind(first) != error_mail.failure_kind(second)
    assert error_mail.failure_kind(first) == error_mail.failure_kind(_failed_in(_reads_the_settings))
