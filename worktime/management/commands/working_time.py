import datetime as dt

from django.core.management.base import CommandError

from lib.commands import OperatorCommand
from lib.dates import duration_text, local, weekday_date
from worktime.models import load_calendar


def moment(text: str, name: str) -> dt.datetime:
    try:
        return local(dt.datetime.fromisoformat(text))
    except ValueError:
        raise CommandError(
            f"{name} {text!r} bukan tanggal/waktu yang sah. Tulis dalam ISO 8601 waktu Pontianak, "
            "misalnya 2026-03-17T10:30 atau 2026-03-17.",
            returncode=2,
        ) from None


class Command(OperatorCommand):
    help = (
        "Mencetak jam kerja (dalam menit, bilangan bulat di barisnya sendiri) antara MULAI dan SELESAI, "
        "waktu setempat Asia/Pontianak dalam ISO 8601. Yang dihitung hanya jam kerja menurut jadwal yang "
        "berlaku (bawaan Pergub Kalbar 1/2013: Senin-Kamis 07.30-16.00 istirahat 12.00-13.00, Jumat "
        "07.30-16.30 istirahat 11.30-13.00, atau jadwal bertanggal seperti Ramadan); Sabtu, Minggu, libur "
        "nasional, cuti bersama dan libur tambahan dari admin dilewati, kecuali libur yang dibatalkan admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("mulai", metavar="MULAI", help="misalnya 2026-03-17T10:30")
        parser.add_argument("selesai", metavar="SELESAI", help="misalnya 2026-03-20T15:00")
        parser.add_argument(
            "--explain", action="store_true",
            help="rincian: selang jam kerja yang dihitung dan hari yang dilewati beserta alasannya",
        )

    def handle(self, *args, **options):
        start = moment(options["mulai"], "MULAI")
        end = moment(options["selesai"], "SELESAI")
        if end < start:
            raise CommandError("SELESAI lebih awal daripada MULAI; tukar urutannya.", returncode=2)
        calendar = load_calendar()
        if options["explain"]:
            self.explain(calendar, start, end)
        self.stdout.write(str(calendar.working_minutes(start, end)))

    def explain(self, calendar, start, end):
        found = calendar.explain(start, end)
        self.stdout.write("Jam kerja yang dihitung:")
        for a, b in found.pieces:
            self.stdout.write(f"  {weekday_date(a.date())} {a:%H.%M}-{b:%H.%M} ({duration_text(b - a)})")
        if not found.pieces:
            self.stdout.write("  (tidak ada)")
        self.stdout.write("Hari yang dilewati:")
        for day, why in found.skipped:
            self.stdout.write(f"  {weekday_date(day)}: {why}")
        if not found.skipped:
            self.stdout.write("  (tidak ada)")
        for day, note in found.notes:
            self.stdout.write(f"Catatan {weekday_date(day)}: {note}")
        self.stdout.write(f"Jumlah: {duration_text(found.total)}; dalam menit:")
