"""The health checks as liveness and HAProxy ask them: whatever the Host (liveness sends
127.0.0.1:8000, a check may send none), and a failing check is a warning in the journal, never a
mail to DJANGO_ADMINS at every check of every server."""

import logging

import pytest
from django.core import mail
from django.db import OperationalError, connection

ADMINS = [("Admin SOP-IKU", "admin-sop-iku@kalbarprov.go.id")]
SITE = ["sop-iku.kalbarprov.go.id"]


@pytest.fixture
def warnings():
    seen = []
    handler = logging.Handler(logging.WARNING)
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
def test_a_database_outage_is_a_warning_at_each_check_not_a_mail(client, settings, monkeypatch, warnings):
    settings.ALLOWED_HOSTS, settings.ADMINS = SITE, ADMINS

    def broken(*args, **kwargs):
        raise OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    for path in ("/siap/", "/sehat/", "/siap/"):
        answer = client.get(path, HTTP_HOST="127.0.0.1:8000")
        assert answer.status_code == 503 and answer.content == b"basis data tidak terjangkau\n"
    assert mail.outbox == []
    assert [w.levelname for w in warnings] == ["WARNING"] * 3
    assert "/siap/" in warnings[0].getMessage() and "basis data tidak terjangkau" in warnings[0].getMessage()


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
