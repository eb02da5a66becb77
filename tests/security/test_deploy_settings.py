"""Production settings: `check --deploy` clean behind HTTPS, only the documented warnings on a
plain-HTTP office LAN; a Content Security Policy, private caching, a health check."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import client_for

ROOT = Path(__file__).resolve().parents[2]
# Warnings a plain-HTTP LAN install accepts (README, "Security"): no HTTPS, so no secure cookies,
# redirect or HSTS.
PLAIN_HTTP = {"security.W004", "security.W008", "security.W012", "security.W016"}


def deploy_check(https: bool, tmp_path) -> str:
    env = os.environ | {
        "DJANGO_DEBUG": "false", "SOP_SINGLE_MACHINE": "true", "SOP_HTTPS": "true" if https else "false", "DJANGO_SECRET_KEY": "",
        "SOP_SECRET_KEY_FILE": str(tmp_path / "key"), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "sop-iku.kalbarprov.go.id",
    }
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def test_behind_https_the_deploy_check_has_nothing_to_say(tmp_path):
    out = deploy_check(True, tmp_path)
    assert "System check identified no issues" in out, out
    assert (tmp_path / "key").stat().st_mode & 0o077 == 0  # the generated key is its owner's alone


def test_on_a_plain_http_lan_only_the_https_warnings_remain(tmp_path):
    out = deploy_check(False, tmp_path)
    found = set(re.findall(r"\((security\.W\d+)\)", out))
    assert found == PLAIN_HTTP, out


PRODUCTION = {"DJANGO_SECRET_KEY": "p" * 50, "DJANGO_ALLOWED_HOSTS": "sop-iku.kalbarprov.go.id",
              "DATABASE_URL": "sqlite:///unused.sqlite3"}


def start(tmp_path, **given) -> subprocess.CompletedProcess:
    """`manage.py check` as an app server starts: DEBUG not mentioned, so off."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE", *PRODUCTION)}
    env |= {"SOP_SECRET_KEY_FILE": str(tmp_path / "no-key"), **given}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("forgotten", sorted(PRODUCTION))
def test_a_server_that_forgot_its_key_hosts_or_database_refuses_to_start(tmp_path, forgotten):
    refused = start(tmp_path, **{k: v for k, v in PRODUCTION.items() if k != forgotten})
    assert refused.returncode != 0 and forgotten in refused.stderr.splitlines()[-1], refused.stderr
    assert not (tmp_path / "no-key").exists()  # no key made up on the spot


def test_with_everything_given_debug_stays_off_and_the_one_machine_install_needs_nothing(tmp_path):
    assert start(tmp_path, **PRODUCTION).returncode == 0
    shown = start(tmp_path, **PRODUCTION, DJANGO_SETTINGS_MODULE="sop_iku.settings")
    assert shown.returncode == 0
    debug = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"], cwd=ROOT,
                           env={k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"} | PRODUCTION
                           | {"DJANGO_SETTINGS_MODULE": "sop_iku.settings"}, capture_output=True, text=True, timeout=60)
    assert debug.stdout.strip() == "False", debug.stderr
    single = start(tmp_path, SOP_SINGLE_MACHINE="true", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert single.returncode == 0, single.stderr
    assert (tmp_path / "no-key").exists()  # the one-machine install made its key


def test_pages_carry_a_policy_of_own_files_only_and_are_never_cached(people, walk):
    dossier = walk("langkah_3")
    client = client_for(people, "dinkes")
    for url in ("/", f"/dosier/{dossier.pk}/", f"/dosier/{dossier.pk}/iku/konsep/csv/", f"/dosier/{dossier.pk}/iku/templat.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_no_template_runs_inline_script_or_style():
    offenders = []
    for folder in ("templates", "workflow/templates", "iku/templates", "laporan/templates", "notices/templates"):
        for path in (ROOT / folder).rglob("*.html"):
            text = path.read_text()
            if "<style" in text or " style=" in text or "<script>" in text or "onclick=" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_the_health_check_answers_without_login_and_says_little(client, monkeypatch):
    response = client.get("/sehat/")
    assert response.status_code == 200 and response.content == b"sehat\n"

    def broken(*args, **kwargs):
        from django.db import OperationalError

        raise OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    down = client.get("/sehat/")
    assert down.status_code == 503 and b"down" not in down.content
    assert client.get("/siap/").status_code == 503


@pytest.mark.django_db
def test_a_server_is_ready_only_once_every_migration_is_applied(client, monkeypatch):
    from django.db.migrations.recorder import MigrationRecorder

    from sop_iku import health

    monkeypatch.setattr(health, "_migrated", False)
    answer = client.get("/siap/")
    assert answer.status_code == 200 and answer.content == b"siap\n"
    MigrationRecorder.Migration.objects.filter(app="filestore", name="0002_move_media_files").delete()
    monkeypatch.setattr(health, "_migrated", False)
    answer = client.get("/siap/")
    assert answer.status_code == 503 and answer.content.decode() == "migrasi belum dijalankan\n"


def lan_install(tmp_path, **given) -> subprocess.CompletedProcess:
    """The one-machine install served to the office LAN as the README says (SOP_BIND=0.0.0.0:8000),
    asked from another machine of the LAN, after `manage.py check` (which `migrate` runs too)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOWED_HOSTS", "SOP_SITE_URL", *PRODUCTION)}
    env |= {"SOP_SINGLE_MACHINE": "true", "SOP_HTTPS": "false", "SOP_BIND": "0.0.0.0:8000",
            "SOP_SECRET_KEY_FILE": str(tmp_path / "key"), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **given}
    asked = ("from django.test import Client; "
             "print('status', Client().get('/sehat/', HTTP_HOST='192.168.1.10:8000').status_code, "
             "Client().get('/masuk/', HTTP_HOST='192.168.1.10:8000').status_code)")
    checked = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
    shell = subprocess.run([sys.executable, "manage.py", "shell", "-c", asked], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=120)
    return checked.stdout + checked.stderr + shell.stdout


def test_an_office_lan_install_is_told_to_name_its_address_then_opens_at_it(tmp_path):
    """Served on 0.0.0.0 without SOP_SITE_URL, every mailed link and QR read http://0.0.0.0:8000
    (no one can open it) and each officer opening the machine's LAN address met a 400 page; nothing
    said why. The check (and so `migrate`) says what to set; once set, that address opens the app."""
    told = lan_install(tmp_path)
    assert "SOP_SITE_URL" in told and "http://0.0.0.0:8000" in told, told
    opened = lan_install(tmp_path, SOP_SITE_URL="http://192.168.1.10:8000")
    assert "SOP_SITE_URL" not in opened and "status 200 200" in opened, opened


def one_sentence(refused: subprocess.CompletedProcess) -> str:
    """What the operator read: a non-zero exit and one line, no traceback."""
    assert refused.returncode != 0, refused.stdout
    assert "Traceback" not in refused.stderr and "ImproperlyConfigured" not in refused.stderr, refused.stderr
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1, refused.stderr
    return lines[0]


@pytest.mark.parametrize(("given", "named", "found"), [
    ({}, "DJANGO_ALLOWED_HOSTS", "belum diatur"),
    ({"SOP_SINGLE_MACHINE": "ya"}, "SOP_SINGLE_MACHINE", "'ya' bukan true atau false"),
    ({"SOP_SINGLE_MACHINE": "true", "SOP_UPLOAD_MAX_BYTES": "10MB"}, "SOP_UPLOAD_MAX_BYTES", "'10MB' bukan bilangan bulat"),
    ({**PRODUCTION, "DATABASE_URL": "postgress://sopiku_app:sandiku8@db1/sopiku"}, "DATABASE_URL", "'postgress'"),
    ({**PRODUCTION, "DATABASE_URL": "postgres://sopiku_app:san/diku8@db1/sopiku"}, "DATABASE_URL", "%2F"),
    # A comma inside a name: half an entry, which was dropped unsaid.
    ({"SOP_SINGLE_MACHINE": "true", "DJANGO_ADMINS": "Admin, Biro <a@kalbarprov.go.id>"}, "DJANGO_ADMINS",
     "'Admin', yang bukan alamat surel"),
    # The one-machine install's key, kept where the app cannot write (a folder not made, or root's).
    ({"SOP_SINGLE_MACHINE": "true", "SOP_SECRET_KEY_FILE": "/sop-iku-tidak-ada/kunci"}, "SOP_SECRET_KEY_FILE",
     "/sop-iku-tidak-ada/kunci (berkas atau foldernya tidak ada)"),
])
@pytest.mark.parametrize("command", ["check", "task_worker"])
def test_a_wrong_or_missing_variable_is_one_indonesian_sentence_naming_it(tmp_path, given, named, found, command):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE", *PRODUCTION)}
    env |= {"SOP_SECRET_KEY_FILE": str(tmp_path / "key"), **given}
    said = one_sentence(subprocess.run([sys.executable, "manage.py", command], cwd=ROOT, env=env, capture_output=True,
                                       text=True, timeout=120))
    assert named in said and found in said and "/etc/sop-iku.env" in said and "jalankan lagi" in said, said
    assert "sandiku8" not in said and "diku8@" not in said  # a connection string's password is never repeated


def test_gunicorn_stops_at_once_with_the_sentence_for_its_journal(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE", *PRODUCTION)}
    env |= {"SOP_SECRET_KEY_FILE": str(tmp_path / "key"), "SOP_SINGLE_MACHINE": "true", "SOP_PROXY_COUNT": "satu",
            "SOP_BIND": f"unix:{tmp_path / 'app.sock'}", "SOP_WORKERS": "1"}
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "--no-control-socket", "sop_iku.wsgi"]
    started = subprocess.run(gunicorn, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    # Stopped (not a worker booted again and again), each line of the journal gunicorn's own or the sentence.
    assert started.returncode != 0 and "Traceback" not in started.stderr, started.stderr
    assert "SOP_PROXY_COUNT='satu' bukan bilangan bulat" in started.stderr, started.stderr
    assert started.stderr.count("Booting worker") == 1, started.stderr
    # gunicorn's own settings, read before the app's.
    env["SOP_WORKERS"] = "dua"
    said = one_sentence(subprocess.run(gunicorn, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120))
    assert "SOP_WORKERS='dua' bukan bilangan bulat" in said, said


def test_a_switch_reads_as_the_settings_read_it_and_a_wrong_one_stops_gunicorn(monkeypatch):
    """SOP_RUN_WORKER=on (as env_bool reads the app's switches) was read as off: the quick start served
    without its task worker, no hand-off e-mail went, and nothing said why."""
    import runpy
    import threading
    from unittest import mock

    monkeypatch.setenv("SOP_RUN_WORKER", "on")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    with mock.patch.object(threading, "Thread") as thread:
        config["when_ready"](mock.Mock())
    assert thread.call_args.kwargs["name"] == "task-worker" and thread.return_value.start.called
    monkeypatch.setenv("SOP_RUN_WORKER", "ja")
    with pytest.raises(SystemExit) as stopped:
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert str(stopped.value).startswith("SOP_RUN_WORKER='ja' bukan true atau false: isi SOP_RUN_WORKER dengan true")


@pytest.mark.parametrize(("given", "prepared"), [("yes", "5"), ("1", "5"), ("false", "None")])
def test_prepared_statements_are_switched_as_every_other_switch(tmp_path, given, prepared):
    """SOP_DB_PREPARED_STATEMENTS was on only when exactly "true": "1" or "yes" turned it off unsaid."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE")} | {
        "SOP_SINGLE_MACHINE": "true", "SOP_SECRET_KEY_FILE": str(tmp_path / "key"), "SOP_DB_PREPARED_STATEMENTS": given,
        "DATABASE_URL": "postgres://sopiku_app:x@db1/sopiku", "DJANGO_SETTINGS_MODULE": "sop_iku.settings"}
    read = subprocess.run([sys.executable, "-c", "from django.conf import settings; "
                           "print(settings.DATABASES['default']['OPTIONS'].get('prepare_threshold'))"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert read.stdout.strip() == prepared, read.stderr


def test_an_admin_given_by_address_alone_is_mailed_the_errors(tmp_path):
    """DJANGO_ADMINS=admin@kalbarprov.go.id (no "Nama <...>") was dropped unsaid: nobody was mailed any error."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG",)} | {
        "SOP_SINGLE_MACHINE": "true", "SOP_SECRET_KEY_FILE": str(tmp_path / "key"), "DJANGO_SETTINGS_MODULE": "sop_iku.settings",
        "DJANGO_ADMINS": "admin@kalbarprov.go.id, Admin Biro <biro@kalbarprov.go.id>"}
    read = subprocess.run([sys.executable, "-c", "from django.conf import settings; print(settings.ADMINS)"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert read.stdout.strip() == ("[('admin@kalbarprov.go.id', 'admin@kalbarprov.go.id'), "
                                   "('Admin Biro', 'biro@kalbarprov.go.id')]"), read.stderr
