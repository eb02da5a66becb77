"""Delete stored files that no row refers to: what an upload leaves when its worker is killed
between writing the file and committing the row, or when the action was refused after the file
was written. Files younger than --older-than minutes are left, so an upload in flight is safe."""

import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models


def referenced_files() -> set[str]:
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True))
    return names


def orphans(root: Path, older_than_seconds: float, now: float | None = None) -> list[Path]:
    now = now or time.time()
    kept = referenced_files()
    found = []
    for path in root.rglob("*"):
        if path.is_file() and str(path.relative_to(root)) not in kept and now - path.stat().st_mtime > older_than_seconds:
            found.append(path)
    return found


class Command(BaseCommand):
    help = "Menghapus berkas tersimpan yang tidak dirujuk baris mana pun (sisa unggahan yang terputus)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60, help="hanya berkas lebih tua dari sekian menit (bawaan 60)")
        parser.add_argument("--dry-run", action="store_true", help="hanya menyebutkan, tidak menghapus")

    def handle(self, *args, **options):
        root = Path(settings.MEDIA_ROOT)
        found = orphans(root, options["older_than"] * 60) if root.exists() else []
        for path in found:
            self.stdout.write(f"{'akan dihapus' if options['dry_run'] else 'dihapus'}: {path.relative_to(root)}")
            if not options["dry_run"]:
                path.unlink()
        self.stdout.write(f"{len(found)} berkas tanpa baris.")
