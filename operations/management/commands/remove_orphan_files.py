"""Delete stored files that no row refers to: a document whose record was deleted, or a print or page
image kept for a version nobody asks for any more (naskah.drafts, naskah.pages: made again when
asked). A file and its record are written in one transaction (filestore), so an upload cut off
halfway leaves neither. Files younger than --older-than minutes are left."""

import datetime

from django.apps import apps
from django.db import models
from django.utils import timezone

from filestore.models import StoredFile
from lib.commands import OperatorCommand, zero_or_more


def referenced_files() -> set[str]:
    names = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True))
    return names


def orphans(older_than_seconds: float) -> list[str]:
    kept = referenced_files()
    old = StoredFile.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(seconds=older_than_seconds))
    return [name for name in old.values_list("name", flat=True).order_by("name").iterator() if name not in kept]


class Command(OperatorCommand):
    help = "Menghapus berkas tersimpan yang tidak dirujuk baris mana pun (naskah yang barisnya dihapus, cetakan lama)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=zero_or_more, default=60, help="hanya berkas lebih tua dari sekian menit (bawaan 60)")
        parser.add_argument("--dry-run", action="store_true", help="hanya menyebutkan, tidak menghapus")

    def handle(self, *args, **options):
        found = orphans(options["older_than"] * 60)
        for name in found:
            self.stdout.write(f"{'akan dihapus' if options['dry_run'] else 'dihapus'}: {name}")
        if not options["dry_run"]:
            StoredFile.objects.filter(name__in=found).delete()
        self.stdout.write(f"{len(found)} berkas tanpa baris.")
