"""The files an operator copies from deploy/: the env file reads the same in a shell as systemd reads
it and makes gunicorn reachable from HAProxy; liveness never passes when it cannot ask; the SMTP
server named in the env file is the one mail goes to."""

import os
import subprocess
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_env_file_loads_in_a_shell_whole_and_binds_beyond_loopback():
    shown = subprocess.run(["bash", "-c", f"set -a; . {DEPLOY / 'sop-iku.env.example'}; set +a; env"],
                           capture_output=True, text=True, check=True, env={"PATH": os.environ["PATH"]})
    loaded = dict(line.split("=", 1) for line in shown.stdout.splitlines() if "=" in line)
    assert shown.stderr == ""
    assert loaded["DATABASE_URL"].endswith("target_session_attrs=read-write&connect_timeout=3")
    assert loaded["DJANGO_ADMINS"] == "Admin SOP-IKU <admin-sop-iku@kalbarprov.go.id>"
    assert loaded["SOP_BIND"] == "0.0.0.0:8000"  # HAProxy reaches app1 and app2 on the LAN
    assert loaded["DJANGO_EMAIL_HOST"] and loaded["DJANGO_EMAIL_USE_TLS"] == "true"
    # The mails' sender is shown by name in a phone's list.
    assert loaded["DJANGO_DEFAULT_FROM_EMAIL"] == "SOP-IKU Biro Kesra <sop-iku@kalbarprov.go.id>"


def test_liveness_without_curl_fails_instead_of_passing(tmp_path):
    for tool in ("sh", "sleep", "echo"):
        (tmp_path / tool).symlink_to(subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True,
                                                    text=True).stdout.strip() or f"/bin/{tool}")
    ran = subprocess.run(["sh", str(DEPLOY / "liveness"), "http://127.0.0.1:9/sehat/"], capture_output=True, text=True,
                         env={"PATH": str(tmp_path)})
    assert ran.returncode != 0 and "curl tidak terpasang" in ran.stderr


def test_mail_goes_to_the_server_the_env_file_names():
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS)")
    env = os.environ | {"DJANGO_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "sop_iku.settings", "DJANGO_EMAIL_HOST": "mail.kalbarprov.go.id",
                        "DJANGO_EMAIL_PORT": "587", "DJANGO_EMAIL_HOST_USER": "sop-iku", "DJANGO_EMAIL_USE_TLS": "true"}
    shown = subprocess.run([sys.executable, "-c", code],
                           capture_output=True, text=True, env=env, cwd=DEPLOY.parent)
    assert shown.stdout.split() == ["mail.kalbarprov.go.id", "587", "sop-iku", "True"], shown.stderr


def test_haproxy_answers_in_indonesian_when_no_server_answers_or_one_dies_under_a_request(tmp_path):
    import shutil

    import pytest

    config = (DEPLOY / "haproxy.cfg").read_text()
    # No server at all (503), the one answering died under the request (502, a kill -9 in the stack
    # drill), or never answered (504): each tells, in Indonesian, what became of a form being sent.
    for status, reason in ((503, "Service Unavailable"), (502, "Bad Gateway"), (504, "Gateway Timeout")):
        page = (DEPLOY / f"sop-iku-{status}.http").read_bytes()
        head, body = page.split(b"\r\n\r\n", 1)
        lines = head.decode("ascii").split("\r\n")
        assert lines[0] == f"HTTP/1.1 {status} {reason}"
        assert "Content-Type: text/html; charset=utf-8" in lines and "Connection: close" in lines
        text = body.decode()
        assert 'lang="id"' in text and reason not in text and "://" not in text  # nothing fetched elsewhere
        assert "Mengirim formulir" in text and "Kirim lagi" in text
        assert f"errorfile {status} sop-iku-{status}.http" in config
    assert "Retry-After: 5" in (DEPLOY / "sop-iku-503.http").read_text()
    if not shutil.which("haproxy"):
        pytest.skip("haproxy is not installed")
    env = {"PATH": os.environ["PATH"], "SOP_LISTEN": "127.0.0.1:1", "SOP_APP1": "127.0.0.1:2", "SOP_APP2": "127.0.0.1:3",
           "SOP_HOST": "sop-iku.kalbarprov.go.id", "SOP_ADMIN": str(tmp_path / "admin.sock")}
    # From another folder, as systemd starts it: the page is found beside the configuration.
    checked = subprocess.run(["haproxy", "-c", "-f", str(DEPLOY / "haproxy.cfg")], cwd=tmp_path, env=env,
                             capture_output=True, text=True)
    assert checked.returncode == 0 and "WARNING" not in checked.stdout + checked.stderr, checked.stdout + checked.stderr


def test_a_form_whose_app_server_dies_under_it_gets_the_indonesian_page_through_haproxy(tmp_path):
    """deploy/haproxy.cfg as written, in front of an app server that answers its health check and dies
    (closes the connection unanswered, as a kill -9 does) under a posted form: the user reads
    sop-iku-502.http, not HAProxy's bare English 502 (the stack drill met one at its kill -9)."""
    import shutil
    import socket
    import threading
    import time
    import urllib.error
    import urllib.request

    import pytest

    if not shutil.which("haproxy"):
        pytest.skip("haproxy is not installed")
    app = socket.create_server(("127.0.0.1", 0))
    app.settimeout(0.2)
    serving = True

    def answer():
        while serving:
            try:
                connection, _ = app.accept()
            except TimeoutError:
                continue
            with connection:
                request = connection.recv(65536)
                if request.startswith(b"GET /siap/"):
                    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nsiap")
                # Anything else: the worker dies with the request read and nothing answered.

    threading.Thread(target=answer, daemon=True).start()
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    address = f"127.0.0.1:{app.getsockname()[1]}"
    env = {"PATH": os.environ["PATH"], "SOP_LISTEN": f"127.0.0.1:{port}", "SOP_APP1": address, "SOP_APP2": address,
           "SOP_HOST": "sop-iku.kalbarprov.go.id", "SOP_ADMIN": str(tmp_path / "admin.sock")}
    proxy = subprocess.Popen(["haproxy", "-db", "-f", str(DEPLOY / "haproxy.cfg")], cwd=tmp_path, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        posted = urllib.request.Request(f"http://127.0.0.1:{port}/dosier/1/aksi/disposisi/", data=b"catatan=Segera")
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(posted, timeout=10)
            except urllib.error.HTTPError as error:
                status, page = error.code, error.read().decode()
                break
            except urllib.error.URLError:
                assert time.monotonic() < deadline, "HAProxy never listened"
                time.sleep(0.1)
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        serving = False
    assert status == 502
    assert 'lang="id"' in page and "Server berhenti sebelum menjawab" in page and "Kirim lagi" in page
    assert "Bad Gateway" not in page
