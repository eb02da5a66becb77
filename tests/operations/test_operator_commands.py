"""What goes wrong outside an operator's command is one Indonesian line and a failing exit, not a
page of traceback in the journal every time its timer runs."""

import os
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from lib.commands import OperatorCommand

ROOT = Path(__file__).resolve().parents[2]


def test_a_database_out_of_reach_is_one_line_and_exit_1():
    env = os.environ | {"DJANGO_DEBUG": "true", "DATABASE_URL": "postgres://sopiku:x@127.0.0.1:9/sopiku",
                        "SOP_DB_FAILOVER_WAIT": "0", "DJANGO_SETTINGS_MODULE": "sop_iku.settings"}
    # The clerks' import and export, the working-time sum, the copy check and the webhook run printed a
    # page of traceback ending in psycopg's English.
    for command in (["verify_audit"], ["send_reminders"], ["remove_orphan_files", "--dry-run"],
                    ["import_iku", "1", "Dinas Kesehatan", "dinkes.xlsx"], ["export_iku", "1", "-o", "iku.csv"],
                    ["working_time", "2026-03-17T10:30", "2026-03-25T09:00"], ["verify_document", "manage.py"],
                    ["send_webhooks"], ["export_sakip", "1", "-o", "sakip.json"]):
        ran = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
        assert ran.returncode == 1, (command, ran.stderr[-500:])
        assert "Traceback" not in ran.stderr and "Basis data tidak dapat dipakai" in ran.stderr, (command, ran.stderr)
        # Not Django's "CommandError: ...", which read as the program crashing.
        assert ran.stderr.startswith("Kesalahan: Basis data tidak dapat dipakai"), (command, ran.stderr)


def test_a_mail_server_refusing_a_mailing_command_is_said_so():
    class Mailing(OperatorCommand):
        mails = True

        def handle(self, *args, **options):
            raise smtplib.SMTPConnectError(421, "mail.kalbarprov.go.id sibuk")

    with pytest.raises(CommandError, match="Server surel menolak atau tidak menjawab.*sibuk"):
        Mailing().execute(no_color=True, force_color=False, skip_checks=True, stdout=None, stderr=None)


def test_no_database_taking_writes_is_said_with_what_to_do():
    from django.db import OperationalError

    class Reading(OperatorCommand):
        def handle(self, *args, **options):
            raise OperationalError('connection failed: connection to server at "10.0.0.22", port 5432 failed: '
                                   "session is read-only")

    with pytest.raises(CommandError) as refused:
        Reading().execute(no_color=True, force_color=False, skip_checks=True, stdout=None, stderr=None)
    said = str(refused.value)
    assert said.startswith("Tidak ada basis data yang menerima tulisan") and "deploy/failover promote" in said
    assert "10.0.0.22" not in said  # not the one host libpq happened to try last


@pytest.mark.parametrize(("libpq", "told"), [
    ('FATAL:  password authentication failed for user "sopiku_app"',
     "PostgreSQL menolak nama pengguna atau kata sandi di DATABASE_URL: periksa keduanya"),
    ('FATAL:  no pg_hba.conf entry for host "10.0.0.5", user "sopiku_app", database "sopiku", no encryption',
     "tambahkan barisnya di pg_hba.conf"),
    ('FATAL:  database "sopikuu" does not exist', "Basis data yang dinamai DATABASE_URL tidak ada di PostgreSQL"),
])
def test_a_wrong_connection_string_is_said_as_what_to_check(libpq, told):
    from django.db import OperationalError

    class Reading(OperatorCommand):
        def handle(self, *args, **options):
            raise OperationalError(f'connection failed: connection to server at "127.0.0.1", port 5432 failed: {libpq}')

    with pytest.raises(CommandError) as refused:
        Reading().execute(no_color=True, force_color=False, skip_checks=True, stdout=None, stderr=None)
    said = str(refused.value)
    assert told in said and not said.startswith("Basis data tidak dapat dipakai")


def test_a_checkpoint_file_that_cannot_be_read_or_written_is_one_line(dossier, settings, tmp_path, capsys):
    from django.core.management import call_command

    def verified(*options):
        with pytest.raises(SystemExit) as ended:
            call_command("verify_audit", *options)
        said = capsys.readouterr()
        assert ended.value.code == 1 and "Traceback" not in said.err
        return said

    settings.SOP_AUDIT_CHECKPOINTS = str(tmp_path)  # a folder, not a file: a wrong path in the env file
    # The reason in Indonesian too, not the system's "Is a directory" / "Not a directory".
    assert f"Berkas titik periksa {tmp_path} tidak dapat dibaca: itu sebuah folder, bukan berkas" in verified().err
    (tmp_path / "berkas").write_text("")
    settings.SOP_AUDIT_CHECKPOINTS = str(tmp_path / "berkas" / "titik.jsonl")  # under a file: cannot be made
    said = verified("--checkpoint")
    assert "Rantai riwayat utuh" in said.out and "Titik periksa tidak dapat ditulis ke" in said.err
    assert "di jalurnya sudah ada berkas bernama sama dengan folder yang diperlukan. Riwayatnya sendiri utuh." in said.err
