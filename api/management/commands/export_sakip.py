"""`manage.py export_sakip`: a closed round's IKU in the e-SAKIP or SIPD shape, as the API gives it."""

import argparse
from pathlib import Path

from django.core.management.base import CommandError

from api import sakip, sakip_files
from iku.management.commands.import_iku import BAD_INPUT, find_dossier, find_skpd
from iku.table import table_rows
from lib.commands import OperatorCommand, os_error_words
from workflow.steps import SELESAI, IkuStage


def year(text: str) -> int:
    """--awal as the API takes `awal` (api.views_sakip): a year of four digits, 2000 to 2100. Any int
    was taken, and 99999 came back as "Tahun keputusan 2026 di luar rentang 99999–100003"."""
    if not (len(text) == 4 and text.isascii() and text.isdigit()) or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"harus tahun empat angka, 2000 sampai 2100 (mis. 2027), bukan {text!r}")
    return int(text)


# An operator's command: the database out of reach is one Indonesian line, not a traceback (lib.commands).
class Command(OperatorCommand):
    help = "Mengekspor IKU putaran yang sudah ditutup dalam bentuk e-SAKIP atau SIPD (JSON, CSV, XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("dossier", type=int, help="id dosier (putaran yang sudah ditutup)")
        parser.add_argument("--bentuk", choices=list(sakip.SHAPES), default="esakip",
                            help="bentuk ekspor: esakip atau sipd (bawaan: esakip)")
        parser.add_argument("--awal", type=year, help="tahun pertama rentang lima tahun (bawaan: tahun keputusan)")
        parser.add_argument("--skpd", help="hanya SKPD ini (id atau nama pendek)")
        parser.add_argument("-o", "--output", required=True, help="berkas tujuan, .json, .csv atau .xlsx")

    def handle(self, *args, **options):
        dossier = find_dossier(options["dossier"])
        if dossier.state != SELESAI:
            raise CommandError(f"Putaran ini belum ditutup (posisi: {dossier.state_label}).", returncode=BAD_INPUT)
        skpd = find_skpd(options["skpd"]) if options["skpd"] else None
        output = Path(options["output"])
        kind = output.suffix.lower().lstrip(".")
        if kind not in sakip_files.CONTENT_TYPES:
            raise CommandError("Berkas tujuan harus berakhiran .json, .csv atau .xlsx.", returncode=BAD_INPUT)
        start = options["awal"] or dossier.tahun
        try:
            rows = sakip.table(options["bentuk"], dossier, start,
                               lambda round_: table_rows(round_, IkuStage.BAHAN, skpd))
        except sakip.OutOfSpan as outside:
            # Only a --awal given reaches here (the decree's own year is in its span): said beside it.
            raise CommandError(f"Argumen --awal: {outside} Pilih tahun {dossier.tahun - sakip.SPAN + 1} sampai "
                               f"{dossier.tahun}.", returncode=BAD_INPUT) from None
        try:
            output.write_bytes(sakip_files.render(kind, options["bentuk"], dossier, start, rows))
        except OSError as problem:
            # A folder not made yet, or not the operator's: one line, as export_iku says it.
            raise CommandError(f"Berkas {output} tidak dapat ditulis: {os_error_words(problem)}.",
                               returncode=BAD_INPUT) from None
        self.stdout.write(f"{len(rows)} indikator ditulis ke {output}.")
