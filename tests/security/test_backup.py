"""A backup taken from a populated install restores into an empty one with every row and every
stored file exactly as it was (each file's SHA-256 compared), the audit chain whole."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from iku.models import IkuRow
from naskah.models import ACTIVE, RenderJob
from workflow.models import AuditEvent, Document, Dossier, User
from workflow.steps import STEP_BY_NUMBER, DocKind


def snapshot() -> dict:
    return {
        "dossiers": list(Dossier.objects.order_by("pk").values("pk", "judul", "state", "revision", "tahun")),
        "events": list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "note", "hash")),
        "users": list(User.objects.order_by("pk").values_list("pk", "username", "password", "nip")),
        "rows": list(IkuRow.objects.order_by("pk").values_list("pk", "indikator", "target", "target_nilai")),
        "files": {d.pk: hashlib.sha256(d.file.read()).hexdigest() for d in Document.objects.order_by("pk")},
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_an_empty_install_exactly(people, walk, settings, tmp_path, capsys):
    walk(STEP_BY_NUMBER[6].state, returns=1)
    before = snapshot()
    assert before["files"]
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    assert "berkas dicadangkan" in capsys.readouterr().out

    call_command("flush", interactive=False, verbosity=0)
    assert not Dossier.objects.exists()

    call_command("restore", str(archive))
    assert snapshot() == before
    call_command("verify_audit")
    assert "Rantai riwayat utuh" in capsys.readouterr().out
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("restore", str(archive))  # never over a live install


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_restored_install_is_the_archives_own_not_migrates(people, walk, tmp_path):
    from django.contrib.admin.models import LogEntry
    from django.core import serializers

    from workflow.models import DelegationRule, Skpd

    walk(STEP_BY_NUMBER[2].state)
    # What migrate had put in, deleted by the admin.
    gone = [DelegationRule.objects.order_by("pk").last(), Skpd.objects.filter(dossiers__isnull=True).order_by("pk").last()]
    kept = serializers.serialize("json", gone)
    for row in gone:
        type(row).objects.filter(pk=row.pk).delete()
    LogEntry.objects.create(user=people["kasubag"], object_repr="Libur QA", action_flag=1, change_message="[]")
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # password hashes: its owner's only

    call_command("flush", interactive=False, verbosity=0)
    for row in serializers.deserialize("json", kept):  # a new install: migrate put them in
        row.save()
    call_command("restore", str(archive))
    for row in gone:
        assert not type(row).objects.filter(pk=row.pk).exists(), row
    assert LogEntry.objects.filter(object_repr="Libur QA").exists()  # the admin's history travels


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_work_still_queued_at_the_backup_is_done_once_after_the_restore(people, walk, settings, tmp_path, capsys):
    from django.core import mail

    from tests import task_backends
    from tests.factories import client_for
    from tests.naskah.helpers import generate
    from tests.notices.test_handoff import finish
    from tests.task_backends import work_queue

    told, waiting = walk(STEP_BY_NUMBER[6].state), walk(STEP_BY_NUMBER[6].state, judul="Dosier kedua")
    asked = walk(STEP_BY_NUMBER[6].state, judul="Dosier ketiga")
    settings.TASKS = task_backends.DATABASE
    finish(told, people, "kasubag")
    work_queue()  # the Kabag was told of the first before the backup
    # The worker has not come to these yet when the nightly backup reads the install.
    finish(waiting, people, "kasubag")
    generate(client_for(people, "kasubag"), asked, DocKind.DRAFT_KEPGUB, tentang="Penetapan IKU (antre saat dicadangkan)")
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))

    call_command("flush", interactive=False, verbosity=0)  # the machine is lost
    call_command("restore", str(archive))
    mail.outbox = []
    work_queue()
    work_queue()  # a worker started again finds nothing left to do
    to_kabag = [m.subject for m in mail.outbox if m.to == ["kabag@example.go.id"]]
    assert len(to_kabag) == 1 and to_kabag[0].startswith("Dosier kedua"), to_kabag
    assert Document.objects.filter(dossier=asked, kind=DocKind.DRAFT_KEPGUB).exists()
    assert not RenderJob.objects.filter(dossier=asked, status__in=ACTIVE).exists()
    assert "2 tugas yang masih antre saat dicadangkan" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_under_another_key_is_refused_not_left_unverifiable(people, walk, settings, tmp_path, capsys):
    from pathlib import Path

    # A one-machine install: its keys derive from the key file, which the archive does not carry.
    settings.SECRET_KEY_FILE, settings.SOP_AUDIT_KEY, settings.SOP_SIGNING_KEY = Path("/srv/sop-iku/.secret_key"), "", ""
    walk(STEP_BY_NUMBER[2].state)
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    assert "Kunci pemasangan ini ada di /srv/sop-iku/.secret_key dan tidak ikut dalam arsip" in capsys.readouterr().out

    call_command("flush", interactive=False, verbosity=0)
    settings.SOP_AUDIT_KEY = "kunci yang dibuat mesin baru"  # the new machine made its own
    with pytest.raises(CommandError, match=r"disegel dengan kunci lain.*Tidak ada yang dipulihkan.*salin berkas .secret_key"):
        call_command("restore", str(archive))
    assert not Dossier.objects.exists() and not User.objects.exists()

    settings.SOP_AUDIT_KEY = ""  # the old machine's key put in place
    call_command("restore", str(archive))
    call_command("verify_audit")
    assert "Rantai riwayat utuh" in capsys.readouterr().out

    call_command("flush", interactive=False, verbosity=0)
    settings.SOP_AUDIT_KEY = "kunci yang dibuat mesin baru"
    capsys.readouterr()
    call_command("restore", str(archive), kunci_lain=True)  # the old key is lost for good: the data still comes back
    assert Dossier.objects.exists()
    assert "kini disegel ulang dengan kunci pemasangan ini" in capsys.readouterr().out
    # Left under the lost key, the hourly check failed at the first event for ever, and an event
    # changed after the restore would never have shown: sealed again, it is checked as any log is.
    call_command("verify_audit")
    assert "Rantai riwayat utuh" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_refuses_a_bad_archive_or_an_install_with_users_in_indonesian(people, walk, tmp_path):
    walk(STEP_BY_NUMBER[2].state)
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    from workflow.models import User

    User.objects.create_superuser("operator", "op@example.go.id", "operator-pass-123")
    with pytest.raises(CommandError, match="sudah berisi 1 pengguna, yang akan tertimpa arsip"):
        call_command("restore", str(archive))
    User.objects.all().delete()
    truncated = tmp_path / "terpotong.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    for broken in (truncated, tmp_path / "bukan.tar.gz"):
        broken.touch()
        with pytest.raises(CommandError, match="bukan arsip cadangan yang utuh"):
            call_command("restore", str(broken))
        assert not Dossier.objects.exists() and not User.objects.exists()
    with pytest.raises(CommandError, match="tidak ada"):
        call_command("restore", str(tmp_path / "hilang.tar.gz"))


def test_a_backup_that_fails_leaves_no_half_archive_and_keeps_the_last_one(people, walk, tmp_path, monkeypatch):
    from operations import backup

    walk(STEP_BY_NUMBER[2].state)
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    good = archive.read_bytes()

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "_add_bytes", disk_full)
    with pytest.raises(CommandError, match="Cadangan tidak dibuat, tidak ada arsip yang ditulis ke .*: disk penuh$"):
        call_command("backup", str(archive))
    assert archive.read_bytes() == good and [p.name for p in tmp_path.iterdir()] == ["cadangan.tar.gz"]
    with pytest.raises(CommandError, match="Folder .* tidak ada: buat dulu"):
        call_command("backup", str(tmp_path / "belum-ada" / "cadangan.tar.gz"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_reads_one_moment_while_others_write(people):
    import threading

    from django.db import connection

    from filestore.models import StoredFile
    from operations.backup import one_moment

    failed = []

    def write_elsewhere():
        try:
            StoredFile.objects.create(name="uji/saat-pencadangan.txt", content=b"x", size=1, sha256="0" * 64)
        except Exception as error:  # noqa: BLE001 - said by the test below
            failed.append(error)
        finally:
            connection.close()

    before = StoredFile.objects.count()
    with one_moment():
        assert StoredFile.objects.count() == before
        writer = threading.Thread(target=write_elsewhere)
        writer.start()
        writer.join()
        assert not failed, failed
        # Committed meanwhile, and not seen: the tables read later match the ones read before.
        assert StoredFile.objects.count() == before
    assert StoredFile.objects.count() == before + 1


def restore_beside(archive, wrapper=None):
    """`restore` in a thread of its own (its own connection, as another operator's process), its
    statements passed through `wrapper`: the thread, and a list that gets what the restore said."""
    import threading
    from contextlib import nullcontext

    from django.db import connection, connections

    said = []

    def run():
        try:
            with connection.execute_wrapper(wrapper) if wrapper else nullcontext():
                call_command("restore", str(archive))
            said.append("dipulihkan")
        except CommandError as refused:
            said.append(str(refused))
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, said


def beaten(said: str) -> bool:
    return (said.startswith("Basis data tujuan tidak kosong lagi: pemulihan lain yang dijalankan bersamaan")
            and "Tidak ada yang dipulihkan oleh perintah ini" in said and "migrate" not in said)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_beaten_by_another_says_the_install_was_filled_meanwhile(people, walk, tmp_path, monkeypatch):
    import tarfile

    walk(STEP_BY_NUMBER[2].state)
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    opening, other = tarfile.open, []

    def the_other_gets_there_first(*args, **kwargs):
        if not other:
            # This restore has found the install empty; the other, started at the same moment, fills it first.
            other.append("dimulai")
            thread, said = restore_beside(archive)
            thread.join()
            other[:] = said
        return opening(*args, **kwargs)

    monkeypatch.setattr(tarfile, "open", the_other_gets_there_first)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))
    assert other == ["dipulihkan"]
    assert beaten(str(refused.value)), refused.value
    assert Dossier.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_restores_at_once_the_second_waits_for_the_first_and_says_so(people, walk, tmp_path):
    import threading

    walk(STEP_BY_NUMBER[2].state)
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    first_writing, second_looked = threading.Event(), threading.Event()

    def first_fills_once_the_second_has_looked(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("DELETE", "INSERT")) and not second_looked.is_set():
            first_writing.set()
            second_looked.wait(60)
        return execute(sql, params, many, context)

    def second_looks(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "workflow_user" in sql:
            second_looked.set()  # found the install empty, while the first is filling it
        return result

    first, first_said = restore_beside(archive, first_fills_once_the_second_has_looked)
    first_writing.wait(60)
    second, second_said = restore_beside(archive, second_looks)
    first.join()
    second.join()
    assert first_said == ["dipulihkan"]
    assert beaten(second_said[0]), second_said
    assert Dossier.objects.count() == 1


# `manage.py backup` as an operator runs it, dumpdata's rows file in the temporary folder filling it
# after a few rows: ENOSPC from the write that finds no room, as a full disk answers it.
FULL_TEMPORARY_FOLDER = """
import errno, os, runpy, sys
import django.core.management.commands.dumpdata as dumpdata

class FullDisk:
    def __init__(self, real):
        self.real, self.room = real, 4096
    def write(self, text):
        if len(text) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(text)
        return self.real.write(text)
    def close(self):
        self.real.close()

dumpdata.open = lambda *args, **kwargs: FullDisk(open(*args, **kwargs))
sys.argv = ["manage.py", "backup", sys.argv[1]]
runpy.run_path("manage.py", run_name="__main__")
"""


def test_a_full_temporary_folder_is_named_with_what_to_do_and_no_traceback(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    scratch, out = tmp_path / "sementara", tmp_path / "cadangan"
    scratch.mkdir()
    out.mkdir()
    env = os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DJANGO_SETTINGS_MODULE": "sop_iku.settings",
                        "DJANGO_DEBUG": "true", "TMPDIR": str(scratch)}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=root, env=env, check=True, timeout=300)
    ran = subprocess.run([sys.executable, "-c", FULL_TEMPORARY_FOLDER, str(out / "cadangan.tar.gz")], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300)
    assert ran.returncode == 1
    assert f"Folder sementara {scratch} penuh" in ran.stderr and "TMPDIR" in ran.stderr, ran.stderr
    assert "Traceback" not in ran.stderr and "Errno" not in ran.stderr and "serialize" not in ran.stderr, ran.stderr
    assert list(out.iterdir()) == [] and list(scratch.iterdir()) == []  # no archive, whole or partial


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_with_the_temporary_folder_full_names_it(people, walk, tmp_path, monkeypatch):
    import errno
    import tempfile

    from operations import backup

    walk(STEP_BY_NUMBER[2].state)
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    scratch = tmp_path / "sementara"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # TMPDIR
    copying = backup._copy_hashing

    def fills_the_folder(source, target):
        if target is None:
            return copying(source, target)
        target.write(source.read(4096))
        raise OSError(errno.ENOSPC, "No space left on device")  # the next write finds no room

    monkeypatch.setattr(backup, "_copy_hashing", fills_the_folder)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))
    said = str(refused.value)
    assert said.startswith(f"Folder sementara {scratch} penuh") and "TMPDIR" in said, said
    assert "Tidak ada yang dipulihkan" in said and "Errno" not in said
    assert not Dossier.objects.exists() and not User.objects.exists() and list(scratch.iterdir()) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restore_into_a_database_that_cannot_be_written_says_so_and_where(people, walk, tmp_path):
    from django.db import connection

    walk(STEP_BY_NUMBER[2].state)
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    sqlite = connection.vendor == "sqlite"
    # The database itself refusing every write: SQLITE_READONLY, PostgreSQL's read_only_sql_transaction.
    on, off = (("PRAGMA query_only = ON", "PRAGMA query_only = OFF") if sqlite else
               ("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
                "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"))
    with connection.cursor() as cursor:
        cursor.execute(on)
    try:
        with pytest.raises(CommandError) as refused:
            call_command("restore", str(archive))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(off)
    said = str(refused.value)
    assert said.startswith("Basis data tidak dapat ditulis (hanya-baca), tidak ada yang dipulihkan: "), said
    assert connection.settings_dict["NAME"] in said and "migrate" not in said
    assert not Dossier.objects.exists() and not User.objects.exists()


# `manage.py restore` as an operator runs it, its SQLite file on a disk mounted read-only: SQLite
# cannot open the file (it could not make its -wal and -shm files beside it), and access(2) says of
# that folder what the kernel says of a read-only mount (EROFS), to root as well.
READ_ONLY_DISK = """
import os, runpy, sqlite3, sqlite3.dbapi2, sys

disk, archive = sys.argv[1], sys.argv[2]

def cannot_open(*args, **kwargs):
    refused = sqlite3.OperationalError("unable to open database file")
    refused.sqlite_errorcode, refused.sqlite_errorname = 14, "SQLITE_CANTOPEN"
    raise refused

checking = os.access

def access(path, mode, **kwargs):
    if mode & os.W_OK and str(path).startswith(disk):
        return False
    return checking(path, mode, **kwargs)

sqlite3.dbapi2.connect, os.access = cannot_open, access  # dbapi2: Django's sqlite3 backend connects through it
sys.argv = ["manage.py", "restore", archive]
runpy.run_path("manage.py", run_name="__main__")
"""


def test_a_restore_onto_a_read_only_sqlite_disk_says_so_and_where(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    disk = tmp_path / "disk"
    disk.mkdir()
    (disk / "db.sqlite3").touch()  # migrated before the disk went read-only
    archive = tmp_path / "cadangan.tar.gz"
    archive.touch()
    env = os.environ | {"DATABASE_URL": f"sqlite:///{disk / 'db.sqlite3'}", "DJANGO_SETTINGS_MODULE": "sop_iku.settings",
                        "DJANGO_DEBUG": "true"}
    ran = subprocess.run([sys.executable, "-c", READ_ONLY_DISK, str(disk), str(archive)], cwd=root, env=env,
                         capture_output=True, text=True, timeout=300)
    assert ran.returncode == 1
    said = ran.stderr
    assert "Basis data tidak dapat ditulis (hanya-baca), tidak ada yang dipulihkan" in said, said
    assert f"berkas SQLite {disk / 'db.sqlite3'} atau foldernya {disk}" in said and "migrate" not in said, said
    assert "Traceback" not in said


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_folder_named_for_the_archive_is_said_in_indonesian(people, walk, tmp_path):
    """The operator named the backups' folder (/var/backups/sop-iku) alone and read Python's English
    'Is a directory' from backup and '[Errno 21] Is a directory' from restore."""
    folder = tmp_path / "sop-iku"
    folder.mkdir()
    with pytest.raises(CommandError, match=r"adalah folder, bukan nama berkas arsip: .*sop-iku/sop-iku-\d{4}-\d\d-\d\d"):
        call_command("backup", str(folder))
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob(".*sebagian"))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="adalah folder, bukan arsip: sebutkan berkas .tar.gz") as said:
        call_command("restore", str(folder))
    assert "Errno" not in str(said.value)
