"""One archive holds a whole install: every row (as Django's portable JSON, so it restores into
SQLite or PostgreSQL alike), every stored file (filestore), and a manifest with each file's SHA-256 so
a restore proves it got back exactly what was saved. Rows and files stream through a temporary file
and the archive one at a time: memory holds one document, never the whole install. A PostgreSQL
install backs up with pg_basebackup and WAL archiving instead (deploy/README.md)."""

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from filestore.models import StoredFile

DATA = "data.json"
MANIFEST = "manifest.json"
MEDIA = "media/"
# Rebuilt by migrate or meaningless in another install: types, permissions, sessions, lockouts,
# upload quotas, the task queue; the stored files travel as files of the archive.
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "axes", "throttle", "django_tasks_database", "admin.logentry",
            "filestore"]
# Made again from the documents when needed (naskah.pages, naskah.drafts): not worth carrying in a backup.
CACHE_FOLDERS = ("halaman",)


def stored_names() -> list[str]:
    names = StoredFile.objects.order_by("name").values_list("name", flat=True)
    return [name for name in names if name.split("/", 1)[0] not in CACHE_FOLDERS]


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
    with tempfile.TemporaryDirectory() as scratch:
        dumped = Path(scratch) / DATA
        # Primary keys kept as they are (the audit chain hashes them); references to permissions and
        # types by name, since the new install numbers those itself.
        call_command("dumpdata", natural_foreign=True, exclude=LEFT_OUT, indent=1, output=str(dumped), verbosity=0)
        with dumped.open("rb") as source:
            data_sha256, rows = _copy_hashing(source, None)
        files = {}
        with tarfile.open(target, "w:gz") as archive:
            archive.add(dumped, arcname=DATA)
            for name in stored_names():
                stored = StoredFile.objects.filter(name=name).values_list("content", "sha256").first()
                if stored is None:  # deleted since the list was read
                    continue
                content = bytes(stored[0])
                files[name] = hashlib.sha256(content).hexdigest()
                _add_bytes(archive, MEDIA + name, content)
            manifest = {"made": timezone.now().isoformat(), "rows": rows, "data_sha256": data_sha256, "files": files}
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
    return manifest


def read(source: Path) -> dict:
    """Restore into an empty, migrated install; returns the manifest. Every file is checked against
    its SHA-256, and all of it lands in one transaction: a bad archive leaves the install empty."""
    from workflow.models import Dossier

    if Dossier.objects.exists():
        raise ValueError("Basis data tujuan tidak kosong: pulihkan hanya ke pemasangan baru yang sudah dimigrasi.")
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(source, "r|gz") as archive, transaction.atomic():
        fixture = Path(scratch) / DATA
        manifest, data_sha256, seen = None, None, set()
        # Read in the archive's order (a stream): the rows, the files, then the manifest.
        for member in archive:
            if not member.isfile():
                raise ValueError(f"Isi arsip tidak wajar: {member.name}.")
            handle = archive.extractfile(member)
            if member.name == DATA:
                with fixture.open("wb") as out:
                    data_sha256, _ = _copy_hashing(handle, out)
            elif member.name == MANIFEST:
                manifest = json.loads(handle.read())
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
        call_command("loaddata", str(fixture), verbosity=0)
    return manifest


def _add_bytes(archive, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(payload))
