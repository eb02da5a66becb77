"""`manage.py export_sakip`: a closed round's IKU in the e-SAKIP or SIPD shape, as the API gives it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from api import sakip, sakip_files
from iku.management.commands.import_iku import BAD_INPUT, find_dossier, find_skpd
from iku.table import table_rows
from lib.commands import IndonesianArguments, os_error_words
from workflow.steps import SELESAI, IkuStage


class Command(IndonesianArguments, BaseCommand):
    help = "Mengekspor IKU putaran yang sudah ditutup dalam bentuk e-SAKIP atau SIPD (JSON, CSV, XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("dossier", type=int, help="id dosier (putaran yang sudah ditutup)")
        parser.add_argument("--bentuk", choices=list(sakip.SHAPES), default="esakip")
        parser.add_argument("--awal", type=int, help="tahun pertama rentang lima tahun (bawaan: tahun keputusan)")
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
            raise CommandError(str(outside), returncode=BAD_INPUT) from None
        try:
            output.write_bytes(sakip_files.render(kind, options["bentuk"], dossier, start, rows))
        except OSError as problem:
            # A folder not made yet, or not the operator's: one line, as export_iku says it.
            raise CommandError(f"Berkas {output} tidak dapat ditulis: {os_error_words(problem)}.",
                               returncode=BAD_INPUT) from None
        self.stdout.write(f"{len(rows)} indikator ditulis ke {output}.")
