from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations import backup


class Command(BaseCommand):
    help = "Memulihkan arsip dari `backup` ke pemasangan baru yang kosong (sesudah `migrate`)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="arsip dari manage.py backup")

    def handle(self, *args, **options):
        try:
            manifest = backup.read(Path(options["file"]))
        except (ValueError, OSError, KeyError) as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(f"{manifest['rows']} baris dan {len(manifest['files'])} berkas dipulihkan; "
                          "periksa riwayat dengan `manage.py verify_audit`.")
