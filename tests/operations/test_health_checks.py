"""The health checks as liveness and HAProxy ask them: whatever the Host (liveness sends
127.0.0.1:8000, a check may send none), and a failing check is a warning in the journal, never a
mail to DJANGO_ADMINS at every check of every server."""

import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import OperationalError, connection

ADMINS = [("Admin SOP-IKU", "admin-sop-iku@kalbarprov.go.id")]
SITE = ["sop-iku.kalbarprov.go.id"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def said(monkeypatch):
    """The lines the checks write to the journal; each test starts from a process whose checks passed."""
    from sop_iku import health

    monkeypatch.setattr(health, "_trouble", {}, raising=False)
    seen = []
    handler = logging.Handler(logging.INFO)
    handler.emit = seen.append
    logger = logging.getLogger("sop_iku.health")
    logger.addHandler(handler)
    yield seen
    logger.removeHandler(handler)


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["127.0.0.1:8000", "10.0.0.11:8000", None])
def test_a_check_is_answered_whatever_its_host_and_mails_nobody(client, settings, host):
    settings.ALLOWED_HOSTS, settings.ADMINS = SITE, ADMINS
    asked = {} if host is None else {"HTTP_HOST": host}
    for path, word in (("/sehat/", b"sehat\n"), ("/siap/", b"siap\n")):
        answer = client.get(path, **asked)
        assert (answer.status_code, answer.content) == (200, word), path
    assert mail.outbox == []
    # Any other page still refuses a host it does not serve.
    assert client.get("/", **asked).status_code == 400


@pytest.mark.django_db
def test_a_check_over_plain_http_is_not_redirected(client, settings):
    settings.ALLOWED_HOSTS, settings.SECURE_SSL_REDIRECT = SITE, True
    assert client.get("/siap/", HTTP_HOST="127.0.0.1:8000").status_code == 200


@pytest.mark.django_db
def test_a_database_outage_is_a_warning_when_it_begins_and_a_line_when_it_ends_not_a_mail(client, settings,
                                                                                          monkeypatch, said):
    """HAProxy asks every second: a warning at each check buried the journal during an outage."""
    settings.ALLOWED_HOSTS, settings.ADMINS = SITE, ADMINS
    for path in ("/siap/", "/sehat/"):
        assert client.get(path).status_code == 200
    assert said == []  # all well: nothing

    def broken(*args, **kwargs):
        raise OperationalError("down")

    with monkeypatch.context() as outage:
        outage.setattr(connection, "cursor", broken)
        for path in ("/siap/", "/sehat/", "/siap/", "/siap/", "/sehat/"):
            answer = client.get(path, HTTP_HOST="127.0.0.1:8000")
            assert answer.status_code == 503 and answer.content == b"basis data tidak terjangkau\n"
    assert mail.outbox == []
    assert [(line.levelname, line.getMessage().split(":")[0]) for line in said] == [
        ("WARNING", "/siap/ menjawab 503"), ("WARNING", "/sehat/ menjawab 503")]
    assert "basis data tidak terjangkau" in said[0].getMessage()

    for path in ("/siap/", "/siap/", "/sehat/"):
        assert client.get(path).status_code == 200
    back = [line.getMessage() for line in said[2:]]
    assert back == ["/siap/ kembali menjawab 200 setelah 3 pemeriksaan menjawab 503 (basis data tidak terjangkau).",
                    "/sehat/ kembali menjawab 200 setelah 2 pemeriksaan menjawab 503 (basis data tidak terjangkau)."]


@pytest.mark.django_db
def test_a_new_reason_not_to_take_users_is_said_again(client, monkeypatch, said):
    from sop_iku import health

    def broken(*args, **kwargs):
        raise OperationalError("down")

    with monkeypatch.context() as outage:
        outage.setattr(connection, "cursor", broken)
        client.get("/siap/")
    # The database back, the migrations of the release not yet run.
    monkeypatch.setattr(health, "migrations_applied", lambda: False)
    assert client.get("/siap/").content == b"migrasi belum dijalankan\n"
    client.get("/siap/")
    assert [line.getMessage().split(": ")[1] for line in said] == [
        "basis data tidak terjangkau. Dicatat sekali, sampai jawabannya berubah.",
        "migrasi belum dijalankan. Dicatat sekali, sampai jawabannya berubah."]


def test_the_checks_are_left_out_of_gunicorns_access_log(tmp_path):
    """Each check answered well wrote an access line: most of an app server's journal."""
    from datetime import timedelta

    from gunicorn.config import Config

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    log = conf["logger_class"](config)
    answered = SimpleNamespace(status="200 OK", headers=[], sent=5)
    for path in ("/siap/", "/sehat/", "/masuk/", "/siap/"):
        environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path, "SERVER_PROTOCOL": "HTTP/1.1"}
        log.access(answered, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=3))
    for handler in log.access_log.handlers:
        handler.flush()
    lines = (tmp_path / "access.log").read_text().splitlines()
    assert len(lines) == 1 and '"GET /masuk/ HTTP/1.1" 200' in lines[0]


@pytest.mark.django_db
def test_a_check_asks_the_database_without_waiting_for_a_failover(client, monkeypatch):
    from sop_iku.postgresql import waiting

    asked = []

    def promoting(*args, **kwargs):
        asked.append(waiting())
        raise OperationalError("connection failed: session is read-only")

    monkeypatch.setattr(connection, "cursor", promoting)
    assert client.get("/siap/").status_code == 503 and client.get("/sehat/").status_code == 503
    assert asked == [False, False]
    assert waiting()  # any other request still waits out a promotion
