import argparse
import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from lib.commands import OperatorCommand, os_error_words
from lib.dates import moment_text
from naskah.verification import verify


class Command(OperatorCommand):
    help = ("Memeriksa apakah berkas PDF sama persis dengan naskah yang dibuat aplikasi ini, dan memvalidasi tanda "
            "tangan elektroniknya: keluar 0 hanya bila berkas itu naskah yang ditandatangani, 3 bila cetakan asli "
            "sebuah konsep (bukan naskah yang ditandatangani), 1 bila diubah atau tidak dikenal.")

    def add_arguments(self, parser):
        parser.add_argument("berkas", help="Berkas PDF yang diperiksa.")
        parser.add_argument("--pada", metavar="TANGGAL", type=_day,
                            help="Validasi tanda tangan seperti pada tanggal itu (YYYY-MM-DD), misalnya sesudah "
                                 "sertifikat penanda tangan kedaluwarsa.")

    def handle(self, *args, **options):
        path = Path(options["berkas"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Berkas {path} tidak dapat dibaca: {os_error_words(error)}.") from error
        verdict = verify(data, moment=options["pada"])
        self.stdout.write(verdict.message)
        if verdict.standing is not None:
            for line in verdict.standing.lines(absolute=True):
                self.stdout.write(line)
        if verdict.version is not None:
            found = verdict.version.record
            # Run on the server by its administrators: the dossier is named, as the public page does not.
            self.stdout.write(f"Dosier: {found.document.dossier.judul}")
            self.stdout.write(f"Halaman verifikasi: {verdict.version.url}")
            self.stdout.write(f"SHA-256 tersimpan: {verdict.version.sha256}")
            if verdict.version.final:
                self.stdout.write(f"Ditandatangani: {found.signed_by}, {moment_text(found.signed_at)}")
        for check in verdict.signatures:
            when = f", {check.waktu}" if check.waktu else ""
            self.stdout.write(f"Tanda tangan elektronik: {check.siapa}{when}. {check.kesimpulan}")
        if verdict.version is not None and verdict.version.final and not verdict.signatures:
            self.stdout.write("Berkas ini tidak memuat tanda tangan elektronik.")
        if verdict.exit_code:
            sys.exit(verdict.exit_code)


def _day(text: str) -> dt.datetime:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal {text!r} tidak sah: tulis YYYY-MM-DD, misalnya 2040-01-01") from None
    # Noon, Pontianak time: the day asked, whatever the hour zone of the certificates.
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
