"""Write a dossier's sent IKU tables to XLSX or CSV, numbered as the page numbers them."""

from pathlib import Path

from django.core.management.base import CommandError

from iku import xlsx
from iku.columns import COLUMNS
from iku.management.commands.import_iku import BAD_INPUT, find_dossier, find_skpd
from iku.table import numbered, table_rows
from lib.commands import OperatorCommand, os_error_words
from lib.csv_export import SafeWriter
from workflow.steps import IkuStage


class Command(OperatorCommand):
    help = "Mengekspor IKU yang sudah dikirim SKPD pada satu dosier ke berkas XLSX atau CSV."

    def add_arguments(self, parser):
        parser.add_argument("dossier", type=int, help="id dosier")
        parser.add_argument("--stage", choices=[s.value for s in IkuStage], default=IkuStage.BAHAN.value,
                            help="konsep atau bahan (bawaan: bahan)")
        parser.add_argument("--skpd", help="hanya SKPD ini (id atau nama pendek)")
        parser.add_argument("-o", "--output", required=True, help="berkas tujuan, .xlsx atau .csv")

    def handle(self, *args, **options):
        dossier = find_dossier(options["dossier"])
        skpd = find_skpd(options["skpd"]) if options["skpd"] else None
        output = Path(options["output"])
        if output.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("Berkas tujuan harus berakhiran .xlsx atau .csv.", returncode=BAD_INPUT)
        rows = numbered(table_rows(dossier, IkuStage(options["stage"]), skpd))
        try:
            write(output, rows)
        except OSError as problem:
            # A folder not made yet, or not the operator's: one line, not Python's traceback.
            raise CommandError(f"Berkas {output} tidak dapat ditulis: {os_error_words(problem)}.",
                               returncode=BAD_INPUT) from None
        self.stdout.write(f"{len(rows)} baris ditulis ke {output}.")


def write(output: Path, rows) -> None:
    if output.suffix.lower() == ".xlsx":
        output.write_bytes(xlsx.export_bytes(rows))
        return
    with output.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = SafeWriter(stream)
        writer.writerow(["No", "SKPD"] + [label for _, label in COLUMNS])
        for number, name, row in rows:
            writer.writerow([number, name] + [getattr(row, field) for field, _ in COLUMNS])
