"""One archive holds a whole install: every row (as Django's portable JSON, so it restores into
SQLite or PostgreSQL alike), every uploaded and generated file, and a manifest with each file's
SHA-256 so a restore proves it got back exactly what was saved."""

import hashlib
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

DATA = "data.json"
MANIFEST = "manifest.json"
MEDIA = "media/"
# Rebuilt by migrate or meaningless in another install: types, permissions, sessions, lockouts,
# upload quotas, the task queue.
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "axes", "throttle", "django_tasks_database", "admin.logentry"]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Made again from the documents when needed (naskah.pages): not worth carrying in a backup.
CACHE_FOLDERS = ("halaman",)


def media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and p.relative_to(root).parts[0] not in CACHE_FOLDERS)


def write(target: Path) -> dict:
    data = io.StringIO()
    # Primary keys kept as they are (the audit chain hashes them); references to permissions and
    # types by name, since the new install numbers those itself.
    call_command("dumpdata", natural_foreign=True, exclude=LEFT_OUT, stdout=data)
    payload = data.getvalue().encode()
    root = Path(settings.MEDIA_ROOT)
    files = {str(p.relative_to(root)): sha256(p) for p in media_files(root)}
    manifest = {"made": timezone.now().isoformat(), "rows": len(json.loads(payload)),
                "data_sha256": hashlib.sha256(payload).hexdigest(), "files": files}
    with tarfile.open(target, "w:gz") as archive:
        _add_bytes(archive, DATA, payload)
        _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
        for name in files:
            archive.add(root / name, arcname=MEDIA + name)
    return manifest


def read(source: Path) -> dict:
    """Restore into an empty, migrated install; returns the manifest. Every file is checked
    against its SHA-256 before the rows are loaded."""
    from workflow.models import Dossier

    if Dossier.objects.exists():
        raise ValueError("Basis data tujuan tidak kosong: pulihkan hanya ke pemasangan baru yang sudah dimigrasi.")
    root = Path(settings.MEDIA_ROOT)
    with tarfile.open(source, "r:gz") as archive:
        manifest = json.loads(archive.extractfile(MANIFEST).read())
        payload = archive.extractfile(DATA).read()
        if hashlib.sha256(payload).hexdigest() != manifest["data_sha256"]:
            raise ValueError("Data dalam arsip tidak sama dengan saat dicadangkan.")
        for name, digest in manifest["files"].items():
            member = archive.getmember(MEDIA + name)
            target = (root / name).resolve()
            if not member.isfile() or root.resolve() not in target.parents:
                raise ValueError(f"Isi arsip tidak wajar: {name}.")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.extractfile(member).read())
            if sha256(target) != digest:
                raise ValueError(f"Berkas {name} tidak sama dengan saat dicadangkan.")
    handle, fixture = tempfile.mkstemp(suffix=".json")
    with os.fdopen(handle, "wb") as out:
        out.write(payload)
    try:
        call_command("loaddata", fixture, verbosity=0)
    finally:
        os.unlink(fixture)
    return manifest


def _add_bytes(archive, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(payload))
