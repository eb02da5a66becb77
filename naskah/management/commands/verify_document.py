import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lib.dates import moment_text
from naskah.verification import ASLI, verify


class Command(BaseCommand):
    help = ("Memeriksa apakah berkas PDF sama persis dengan naskah yang dibuat aplikasi ini, dan memvalidasi tanda "
            "tangan elektroniknya: keluar 0 bila asli, 1 bila diubah atau tidak dikenal.")

    def add_arguments(self, parser):
        parser.add_argument("berkas", help="Berkas PDF yang diperiksa.")

    def handle(self, *args, **options):
        path = Path(options["berkas"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        verdict = verify(path.read_bytes())
        self.stdout.write(verdict.message)
        if verdict.record is not None:
            found = verdict.record
            self.stdout.write(f"SHA-256 tersimpan: {found.final_sha256 or found.sha256}")
            if found.signed_at:
                self.stdout.write(f"Ditandatangani: {found.signed_by}, {moment_text(found.signed_at)}")
        for check in verdict.signatures:
            self.stdout.write(f"Tanda tangan elektronik: {check.penanda}, {check.waktu}. {check.kesimpulan}")
        if verdict.record is not None and verdict.record.is_final and not verdict.signatures:
            self.stdout.write("Berkas ini tidak memuat tanda tangan elektronik.")
        if verdict.outcome != ASLI:
            sys.exit(1)
