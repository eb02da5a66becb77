"""The contract step of the upgrade from a release that kept documents under MEDIA_ROOT: run once
every app server runs this release. `migrate` moved the files the previous release had written
(filestore/0002); this moves those it wrote while it still served beside this release, which read
them from disk meanwhile (filestore.storage.on_disk). Run again, it finds nothing left. Then
MEDIA_ROOT may go, once a backup of the install is made."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand

from lib.commands import IndonesianArguments

move_in = importlib.import_module("filestore.migrations.0002_move_media_files").move_in


class Command(IndonesianArguments, BaseCommand):
    help = "Memindahkan berkas di MEDIA_ROOT yang dirujuk baris ke dalam basis data (langkah terakhir peningkatan versi)."

    def handle(self, *args, **options):
        self.stdout.write(f"{move_in(apps, None)} berkas dipindahkan ke basis data.")
