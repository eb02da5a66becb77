"""An install from before the document store kept its files under MEDIA_ROOT: each one a row refers
to comes into the database under the same name, so every FileField reads it from there. The files
stay on disk (remove them once a backup of the migrated install is made). What the previous release
writes while it still serves beside this one during an upgrade comes in with `manage.py
move_media_files` (the same function) once every server runs this release."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import migrations

# Model, field: every FileField of the app at the time of this migration.
FILE_FIELDS = [("workflow", "Document", "file"), ("naskah", "NaskahRecord", "final_file"), ("naskah", "OfficeProfile", "lambang")]


def move_in(apps, schema_editor) -> int:
    root = Path(settings.MEDIA_ROOT)
    moved = 0
    if not root.is_dir():
        return moved
    stored = apps.get_model("filestore", "StoredFile")
    for app_label, model_name, field in FILE_FIELDS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        for name in model._default_manager.exclude(**{field: ""}).values_list(field, flat=True).iterator():
            path = root / name
            if path.is_file() and root.resolve() in path.resolve().parents and not stored.objects.filter(name=name).exists():
                data = path.read_bytes()
                stored.objects.create(name=name, content=data, size=len(data), sha256=hashlib.sha256(data).hexdigest())
                moved += 1
    return moved


class Migration(migrations.Migration):
    dependencies = [("filestore", "0001_stored_file"), ("workflow", "0025_agency_order_and_head_title"),
                    ("naskah", "0011_token_per_version")]

    operations = [migrations.RunPython(move_in, migrations.RunPython.noop)]
