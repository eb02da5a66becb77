"""One archive holds a whole install: every row (as Django's portable JSON, so it restores into
SQLite or PostgreSQL alike), every stored file (filestore), and a manifest with each file's SHA-256 so
a restore proves it got back exactly what was saved. Rows and files stream through a temporary file
and the archive one at a time: memory holds one document, never the whole install. A PostgreSQL
install backs up with pg_basebackup and WAL archiving as well (deploy/README.md).

The archive is one moment of the install, taken while it serves: a row written during the backup is
not half in it (a dossier's events without the dossier would not restore). The work still queued at
that moment (a hand-off's notices and e-mails, a webhook, a decree being laid out) travels with it
and is queued again by the restore: the queue is the only record that it is still to be done."""

import errno
import hashlib
import io
import json
import os
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from filestore.models import StoredFile

DATA = "data.json"
MANIFEST = "manifest.json"
MEDIA = "media/"
QUEUED = "tasks.json"
# Rebuilt by migrate or meaningless in another install: types, permissions, sessions, lockouts,
# upload quotas, the task queue's history (its waiting tasks travel apart, QUEUED); the stored files
# travel as files of the archive. The admin's history of changes travels: it is the only record of
# who changed users, roles and the calendar.
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "axes", "throttle", "django_tasks_database", "filestore"]
ANOTHER_KEY = (
    "Riwayat dalam arsip ini disegel dengan kunci lain daripada kunci pemasangan ini (SOP_AUDIT_KEY, atau "
    "tanpanya DJANGO_SECRET_KEY / berkas .secret_key): dipulihkan begitu, `verify_audit` tidak akan pernah "
    "menyatakannya utuh dan sertifikat tanda tangan yang tersimpan tidak dapat dibuka. Tidak ada yang dipulihkan. "
    "Pasang dulu kunci pemasangan asalnya (pemasangan satu mesin: salin berkas .secret_key-nya ke folder aplikasi "
    "ini, menggantikan yang dibuat di sini), lalu pulihkan lagi. Bila kunci itu hilang, `restore --kunci-lain` "
    "tetap memulihkan: riwayat disegel ulang dengan kunci pemasangan ini (isinya sebelum pemulihan tidak dapat "
    "dibuktikan lagi) dan setiap sertifikat harus dipasang ulang."
)
FILLED_MEANWHILE = (
    "Basis data tujuan tidak kosong lagi: pemulihan lain yang dijalankan bersamaan (atau pembuatan pengguna) lebih "
    "dulu mengisinya. Tidak ada yang dipulihkan oleh perintah ini; isi pemasangan adalah hasil yang lain itu."
)
# What the restore's advisory lock locks (lib.locks.hold_key): the install, while one restore fills it.
RESTORE_LOCK = 2905
# A second restore started beside a first waits this long at most for it, then finds the install
# filled; SQLite's own 20 s (settings) is shorter than a restore of a year's documents.
RESTORE_WAIT_MS = 3_600_000
# The rows pass through a file of the temporary folder (TMPDIR) on their way into the archive and out.
SCRATCH_FULL = (
    "Folder sementara {folder} penuh: seluruh baris data ditampung di sana selama pencadangan dan pemulihan. "
    "Kosongkan ruang di folder itu, atau jalankan lagi dengan TMPDIR menunjuk ke folder yang cukup lega, misalnya "
    "TMPDIR=/var/tmp."
)
FULL = (errno.ENOSPC, errno.EDQUOT)
# Made again from the documents when needed (naskah.pages, naskah.drafts): not worth carrying in a backup.
CACHE_FOLDERS = ("halaman",)


def stored_names() -> list[str]:
    names = StoredFile.objects.order_by("name").values_list("name", flat=True)
    return [name for name in names if name.split("/", 1)[0] not in CACHE_FOLDERS]


@contextmanager
def one_moment():
    """The install as it stood at one moment, read while others write on: one read-only transaction,
    at repeatable read on PostgreSQL; on SQLite a DEFERRED one, which in WAL mode reads one snapshot
    and never takes the write lock (the install's IMMEDIATE mode would hold every writer off for the
    whole backup)."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    if connection.vendor != "sqlite":
        # Inside a transaction already (a caller's, a test's), that one's moment is what there is.
        outer = connection.in_atomic_block
        with transaction.atomic():
            if not outer:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    mode, connection.transaction_mode = connection.transaction_mode, "DEFERRED"
    try:
        with transaction.atomic():
            yield
    finally:
        connection.transaction_mode = mode


def _copy_hashing(source, target) -> tuple[str, int]:
    """Copy in blocks; the SHA-256 of what passed and how many JSON objects began a line (dumpdata
    with indent=1 starts each row at the margin)."""
    digest, rows = hashlib.sha256(), 0
    for line in iter(source.readline, b""):
        digest.update(line)
        rows += line == b"{\n"
        if target is not None:
            target.write(line)
    return digest.hexdigest(), rows


def write(target: Path) -> dict:
    """The archive at `target`, made beside it under another name and renamed into place once whole:
    a backup that fails (a full disk) leaves no half archive and spoils no earlier one of that name.
    Readable by its owner only: it holds password hashes and everyone's data."""
    target = Path(target)
    if not target.parent.is_dir():
        raise OSError(f"Folder {target.parent} tidak ada: buat dulu, milik pengguna yang menjalankan cadangan.")
    if target.is_dir():
        # The nightly unit's folder named alone: said here, not as the rename's "Is a directory" at the end.
        raise OSError(f"{target} adalah folder, bukan nama berkas arsip: sebutkan berkasnya di dalam folder itu, "
                      f"misalnya {target / f'sop-iku-{timezone.localdate():%Y-%m-%d}.tar.gz'}.")
    partial = target.with_name(f".{target.name}.sebagian")
    try:
        with tempfile.TemporaryDirectory() as scratch, one_moment():
            manifest = _write(Path(scratch), partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _write(scratch: Path, partial: Path) -> dict:
    dumped = scratch / DATA
    _dump(dumped)
    with dumped.open("rb") as source:
        data_sha256, rows = _copy_hashing(source, None)
    files = {}
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        with tarfile.open(fileobj=out, mode="w:gz") as archive:
            archive.add(dumped, arcname=DATA)
            for name in stored_names():
                stored = StoredFile.objects.filter(name=name).values_list("content", "sha256").first()
                if stored is None:  # deleted since the list was read
                    continue
                content = bytes(stored[0])
                files[name] = hashlib.sha256(content).hexdigest()
                _add_bytes(archive, MEDIA + name, content)
            queued, waiting = _waiting_tasks()
            _add_bytes(archive, QUEUED, queued)
            manifest = {"made": timezone.now().isoformat(), "rows": rows, "data_sha256": data_sha256, "files": files,
                        "tasks": waiting, "tasks_sha256": hashlib.sha256(queued).hexdigest()}
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
        out.flush()
        os.fsync(out.fileno())
    return manifest


def _dump(dumped: Path) -> None:
    """Every row into `dumped`, in the temporary folder: that folder full is said as such, not as
    dumpdata's "Unable to serialize database" in English."""
    try:
        # Primary keys kept as they are (the audit chain hashes them); references to permissions and
        # types by name, since the new install numbers those itself.
        call_command("dumpdata", natural_foreign=True, exclude=LEFT_OUT, indent=1, output=str(dumped), verbosity=0)
        return
    except CommandError as failed:
        code = _full(failed)
        if code is None:
            raise
    # Raised outside the except: the failure's frames, with the rows' half-read cursor, go now, while
    # the connection is open, not at the exit (a stray "Exception ignored ... closed database").
    raise OSError(code, SCRATCH_FULL.format(folder=dumped.parent.parent))


def _full(failed: BaseException) -> int | None:
    """The errno of a full disk behind `failed` (dumpdata wraps it), or None."""
    while failed is not None:
        if isinstance(failed, OSError) and failed.errno in FULL:
            return failed.errno
        failed = failed.__cause__ or failed.__context__
    return None


def read(source: Path, other_key: bool = False) -> dict:
    """Restore into an empty, migrated install; returns the manifest. Every file is checked against
    its SHA-256, and all of it lands in one transaction: a bad archive leaves the install empty. The
    install's own starting rows (agencies, working hours, rules that migrate put in) give way to the
    archive's, so one the admin had deleted before the backup does not come back. An archive whose
    log was sealed under another key than this install's is refused unless `other_key`: restored so,
    the log never verifies and the certificates stay locked, which the operator learns only later."""
    from workflow.audit import actors
    from workflow.audit import chain as audit_chain
    from workflow.models import AuditEvent, Dossier

    if refused := _not_empty():
        raise ValueError(refused)
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(source, "r|gz") as archive, _alone():
        # Asked again under the lock: another restore started at the same moment may have filled it.
        if _not_empty():
            raise ValueError(FILLED_MEANWHILE)
        _clear_starting_rows()
        fixture = Path(scratch) / DATA
        manifest, data_sha256, seen, queued = None, None, set(), None
        # Read in the archive's order (a stream): the rows, the files, then the manifest.
        for member in archive:
            if not member.isfile():
                raise ValueError(f"Isi arsip tidak wajar: {member.name}.")
            handle = archive.extractfile(member)
            if member.name == DATA:
                try:
                    with fixture.open("wb") as out:
                        data_sha256, _ = _copy_hashing(handle, out)
                except OSError as failed:
                    if failed.errno not in FULL:
                        raise
                    raise ValueError(f"{SCRATCH_FULL.format(folder=Path(scratch).parent)} Tidak ada yang dipulihkan."
                                     ) from None
            elif member.name == MANIFEST:
                manifest = json.loads(handle.read())
            elif member.name == QUEUED:
                queued = handle.read()
            elif member.name.startswith(MEDIA):
                name = member.name[len(MEDIA):]
                content = handle.read()
                StoredFile.objects.create(name=name, content=content, size=len(content),
                                          sha256=hashlib.sha256(content).hexdigest())
                seen.add(name)
            else:
                raise ValueError(f"Isi arsip tidak wajar: {member.name}.")
        if manifest is None or data_sha256 != manifest["data_sha256"]:
            raise ValueError("Data dalam arsip tidak sama dengan saat dicadangkan.")
        for name, digest in manifest["files"].items():
            if name not in seen or StoredFile.objects.get(name=name).sha256 != digest:
                raise ValueError(f"Berkas {name} tidak sama dengan saat dicadangkan.")
        # An archive made before the queue travelled has neither the tasks nor their digest.
        if "tasks_sha256" in manifest and (queued is None or hashlib.sha256(queued).hexdigest() != manifest["tasks_sha256"]):
            raise ValueError("Antrean tugas dalam arsip tidak sama dengan saat dicadangkan.")
        call_command("loaddata", str(fixture), verbosity=0)
        # An archive made before the dossiers named their actors brings the log without the names.
        actors.fill(Dossier.objects, AuditEvent.objects)
        if audit_chain.sealed_under_another_key(AuditEvent.objects.order_by("pk")):
            if not other_key:
                raise ValueError(ANOTHER_KEY)
            manifest["resealed"] = audit_chain.reseal()
        _queue_again(queued or b"[]")
    return manifest


def _not_empty() -> str:
    """Why the install is no place to restore into, or ""."""
    from workflow.models import Dossier, User

    if Dossier.objects.exists():
        return "Basis data tujuan tidak kosong: pulihkan hanya ke pemasangan baru yang sudah dimigrasi."
    if people := User.objects.count():
        return (f"Basis data tujuan sudah berisi {people} pengguna, yang akan tertimpa arsip: pulihkan ke pemasangan "
                "baru yang sudah dimigrasi, sebelum membuat pengguna (termasuk admin).")
    return ""


@contextmanager
def _alone():
    """The restore's transaction, holding the install against another restore: PostgreSQL's advisory
    lock, SQLite's writer lock (taken as the transaction begins). A second one waits for the first
    (RESTORE_WAIT_MS), rather than failing at the lock timeout a request has."""
    from lib.locks import hold_key
    from workflow.models import Dossier

    connection = connections[DEFAULT_DB_ALIAS]
    connection.ensure_connection()
    if connection.vendor != "sqlite":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = {RESTORE_WAIT_MS}")
            hold_key(RESTORE_LOCK, 0, model=Dossier)
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {RESTORE_WAIT_MS}")
    try:
        with transaction.atomic():
            hold_key(RESTORE_LOCK, 0, model=Dossier)
            yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {before}")


def _waiting_tasks() -> tuple[bytes, int]:
    """The queue's tasks not yet done at this moment, as JSON, and how many: the done and failed ones
    are history, and doing them again would mail the past."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = list(DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]))
    return serializers.serialize("json", waiting).encode(), len(waiting)


def _queue_again(queued: bytes) -> None:
    """The archive's waiting tasks, waiting again. One running at the backup's moment had not
    finished in it: it runs again (every task here may: notices.handoff tells nobody twice, naskah.tasks
    takes up its own job), its earlier attempts kept so that it counts as a retry."""
    from django_tasks_db.compat import TaskResultStatus

    for row in serializers.deserialize("json", queued):
        row.object.status = TaskResultStatus.READY
        row.save()


def _clear_starting_rows() -> None:
    """The rows migrate put in a new install (agencies, working hours, rules), removed so that the
    archive's alone remain. References are checked at commit (Django's foreign keys are deferred),
    when the archive's rows stand in their place. Not `flush`: PostgreSQL's audit table refuses
    TRUNCATE, and the types and permissions migrate made are the install's own (LEFT_OUT)."""
    from django.apps import apps

    connection = transaction.get_connection()
    left_out = set(LEFT_OUT)
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in left_out or meta.label_lower in left_out:
            continue
        if model._base_manager.exists():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(meta.db_table)}")


def _add_bytes(archive, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(payload))
