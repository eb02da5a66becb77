"""The commands the README and deploy/ name, run with a wrong option: the operator read argparse's
English ("usage: ...", "error: unrecognized arguments: --bogus", "invalid int value: 'abc'"), as
only import_iku spoke Indonesian. Each now says it in Indonesian, with its usage, exit status 2."""

import importlib

import pytest

from tests import task_backends
from tests.iku.test_import_iku_usage import ENGLISH

WRONG = [
    ("operations", "backup", [], "argumen wajib belum diisi: file"),
    ("operations", "restore", ["arsip.tar.gz", "--paksa"], "argumen tidak dikenal: --paksa"),
    ("operations", "remove_orphan_files", ["--older-than", "satu"], "argumen --older-than: 'satu' bukan bilangan bulat"),
    # A negative age reached files younger than now (an orphan print just being made is one of them).
    ("operations", "remove_orphan_files", ["--older-than", "-5"],
     "argumen --older-than: harus bilangan bulat 0 atau lebih, bukan '-5'"),
    ("operations", "grant_app_role", [], "argumen wajib belum diisi: role"),
    ("workflow", "verify_audit", ["--titik"], "argumen tidak dikenal: --titik"),
    ("workflow", "send_reminders", ["--now"], "argumen --now: perlu satu nilai"),
    ("naskah", "renew_timestamps", ["--hari", "abc"], "argumen --hari: 'abc' bukan bilangan bulat"),
    ("naskah", "renew_timestamps", ["--hari", "-30"], "argumen --hari: harus bilangan bulat 0 atau lebih, bukan '-30'"),
    ("naskah", "verify_document", [], "argumen wajib belum diisi: berkas"),
    ("worktime", "working_time", ["2026-03-17"], "argumen wajib belum diisi: SELESAI"),
    ("iku", "export_iku", ["1", "--stage", "final", "-o", "iku.csv"],
     "argumen --stage: pilihan 'final' tidak dikenal; pilih salah satu: 'konsep', 'bahan'"),
    ("webhooks", "send_webhooks", ["--semua"], "argumen tidak dikenal: --semua"),
    # Any int was taken: 99999 came back as "Tahun keputusan 2026 di luar rentang 99999–100003".
    ("api", "export_sakip", ["1", "--awal", "99999", "-o", "sakip.json"],
     "argumen --awal: harus tahun empat angka, 2000 sampai 2100 (mis. 2027), bukan '99999'"),
    # django-tasks' own checks: argparse named the function ("invalid valid_interval value: 'x'") or
    # passed their English on.
    ("workflow", "task_worker", ["--interval", "x"],
     "argumen --interval: harus jumlah detik 0 atau lebih (misalnya 1 atau 0.5), bukan 'x'"),
    ("workflow", "task_worker", ["--max-tasks", "0"], "argumen --max-tasks: harus bilangan bulat 1 atau lebih, bukan '0'"),
    ("workflow", "task_worker", ["--worker-id", ""],
     "argumen --worker-id: nama pekerja harus diisi, paling banyak 64 karakter, bukan ''"),
    ("workflow", "task_worker", ["--backend", "redis"],
     "argumen --backend: backend tugas 'redis' tidak ada di pengaturan TASKS atau bukan backend basis data"),
    ("workflow", "task_worker", ["--bogus"], "argumen tidak dikenal: --bogus"),
]


@pytest.mark.parametrize("app, name, argv, said", WRONG, ids=[row[1] for row in WRONG])
def test_a_wrong_option_is_told_in_indonesian_with_the_usage_and_exit_2(capsys, settings, app, name, argv, said):
    # The worker's --backend default is checked as parsed: the tests' own backend runs tasks at once.
    settings.TASKS = task_backends.DATABASE
    command = importlib.import_module(f"{app}.management.commands.{name}").Command()
    with pytest.raises(SystemExit) as stopped:
        command.run_from_argv(["manage.py", name, *argv])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Penggunaan: manage.py {name}")
    last = err.strip().splitlines()[-1]
    # Quotes aside: Python 3.12.8 and later list the choices without them.
    assert last.replace("'", "") == f"manage.py {name}: kesalahan: {said}".replace("'", "")
    assert not any(word in last for word in ENGLISH), last


def test_the_task_worker_s_help_and_its_queue_refusal_are_indonesian(capsys, settings, db):
    # db: a refused command checks its database connection as it ends (close_if_health_check_failed).
    settings.TASKS = task_backends.DATABASE
    from django.core.management import CommandError, call_command

    from workflow.management.commands.task_worker import Command

    with pytest.raises(SystemExit):
        Command().run_from_argv(["manage.py", "task_worker", "--help"])
    shown = capsys.readouterr().out
    assert "Detik menunggu sebelum melihat antrean lagi" in shown and "Nama pekerja" in shown
    assert not any(english in shown for english in ("The interval", "Process all", "MUST be unique", "Don't add"))
    with pytest.raises(CommandError, match=r"--exclude-queues hanya dapat dipakai bersama --queue-name='\*'"):
        call_command("task_worker", "--queue-name", "default", "--exclude-queues", "webhooks")
