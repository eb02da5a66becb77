"""A server error leaves one line naming the request id, the user and the dossier, never a secret."""

import io
import json
import logging

import pytest
from django.test import Client, override_settings

from sop_iku.log import JsonLinesFormatter, RequestContextFilter


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonLinesFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@override_settings(ROOT_URLCONF="tests.security.failing_urls", DEBUG=False)
def test_a_server_error_is_logged_with_request_id_user_and_dossier_but_no_secret(people, dossier, log_lines):
    client = Client(raise_request_exception=False)
    client.force_login(people["kasubag"])
    session_key = client.session.session_key
    page = client.post(f"/dosier/{dossier.pk}/gagal/", {"password": "RahasiaSekali-123", "isi": "isi berkas"})
    assert page.status_code == 500
    [line] = log_lines()
    assert line["request_id"] == page["X-Request-ID"]
    assert (line["user"], str(line["dossier"])) == ("kasubag", str(dossier.pk))
    assert "RuntimeError: sengaja gagal" in line["traceback"]
    text = json.dumps(line)
    for secret in ("RahasiaSekali-123", session_key, "isi berkas"):
        assert secret not in text


def test_admins_come_from_the_environment(monkeypatch):
    import importlib

    import sop_iku.settings as settings_module
    monkeypatch.setenv("DJANGO_ADMINS", "Admin Biro <admin@kalbarprov.go.id>, Cadangan <b@kalbarprov.go.id>")
    reloaded = importlib.reload(settings_module)
    try:
        assert reloaded.ADMINS == [("Admin Biro", "admin@kalbarprov.go.id"), ("Cadangan", "b@kalbarprov.go.id")]
    finally:
        monkeypatch.delenv("DJANGO_ADMINS")
        importlib.reload(settings_module)
