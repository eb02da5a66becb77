"""Django's Storage API over filestore.StoredFile (settings.STORAGES["default"]): FileFields and
every default_storage call read and write rows through the connection of the request, hence inside
its transaction."""

import hashlib
import posixpath
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.utils.deconstruct import deconstructible

from filestore.models import StoredFile


def on_disk(name) -> Path | None:
    """A file the previous release wrote under MEDIA_ROOT, not yet in the database. During an upgrade
    the previous release keeps serving beside this one after `migrate` moved its files in
    (filestore/0002), and what it uploads meanwhile lands on disk: read from there, never written,
    until `manage.py move_media_files` brings it in once every server runs this release."""
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / name).resolve()
    return path if root in path.parents and path.is_file() else None


@deconstructible(path="filestore.storage.DatabaseStorage")
class DatabaseStorage(Storage):
    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Berkas tersimpan hanya dibaca; tulis dengan save().")
        content = StoredFile.objects.filter(name=name).values_list("content", flat=True).first()
        if content is None:
            if path := on_disk(name):
                return ContentFile(path.read_bytes(), name=name)
            raise FileNotFoundError(name)
        return ContentFile(bytes(content), name=name)

    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        digest = hashlib.sha256(data).hexdigest()
        while True:
            try:
                # A savepoint: a name taken meanwhile by another server must not spoil the caller's transaction.
                with transaction.atomic():
                    StoredFile.objects.create(name=name, content=data, size=len(data), sha256=digest)
                return name
            except IntegrityError:
                name = self.get_alternative_name(*posixpath.splitext(name))

    def delete(self, name):
        StoredFile.objects.filter(name=name).delete()

    def exists(self, name):
        # A name the previous release took on disk is taken here too.
        return StoredFile.objects.filter(name=name).exists() or on_disk(name) is not None

    def size(self, name):
        size = StoredFile.objects.filter(name=name).values_list("size", flat=True).first()
        if size is None:
            if path := on_disk(name):
                return path.stat().st_size
            raise FileNotFoundError(name)
        return size

    def listdir(self, path):
        prefix = path.strip("/") + "/" if path.strip("/") else ""
        folders, files = set(), []
        for name in StoredFile.objects.filter(name__startswith=prefix).values_list("name", flat=True).iterator():
            head, _, rest = name[len(prefix):].partition("/")
            if rest:
                folders.add(head)
            else:
                files.append(head)
        return sorted(folders), sorted(files)

    def get_created_time(self, name):
        created = StoredFile.objects.filter(name=name).values_list("created_at", flat=True).first()
        if created is None:
            raise FileNotFoundError(name)
        return created

    get_modified_time = get_accessed_time = get_created_time

    def url(self, name):
        # Documents are served only through views that ask the policy.
        raise NotImplementedError("Berkas tersimpan tidak punya URL langsung.")

    def get_available_name(self, name, max_length=None):
        name = posixpath.normpath(name.replace("\\", "/")).lstrip("/")
        return super().get_available_name(name, max_length)
