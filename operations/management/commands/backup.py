from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from lib.commands import OperatorCommand, os_error_words
from operations import backup


class Command(OperatorCommand):
    help = "Mencadangkan seluruh data dan berkas ke satu arsip .tar.gz (pulihkan dengan `restore`)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="arsip tujuan, misalnya cadangan-2027-01-05.tar.gz")

    def handle(self, *args, **options):
        try:
            manifest = backup.write(Path(options["file"]))
        except OSError as problem:
            raise CommandError(f"Cadangan tidak dibuat, tidak ada arsip yang ditulis ke {options['file']}: "
                               f"{os_error_words(problem)}") from None
        self.stdout.write(f"{manifest['rows']} baris dan {len(manifest['files'])} berkas dicadangkan ke {options['file']}.")
        if settings.SECRET_KEY_FILE and not (settings.SOP_AUDIT_KEY and settings.SOP_SIGNING_KEY):
            self.stdout.write(f"Kunci pemasangan ini ada di {settings.SECRET_KEY_FILE} dan tidak ikut dalam arsip: simpan "
                              "salinannya di luar mesin ini, seaman arsipnya. Pemulihan di mesin lain memerlukannya, "
                              "atau riwayat tidak dapat diverifikasi dan sertifikat tanda tangan harus dipasang ulang.")
