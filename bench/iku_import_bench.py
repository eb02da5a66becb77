"""How long importing the agencies' IKU takes: 40 agencies x 5 rows, each from its own XLSX file,
read, checked and sent through the same path as `manage.py import_iku --as` (the policy, the
transition, the audit event, a version). Prints the time per row and per file, and the reading
alone beside it (the share of the time openpyxl takes).

Run: .venv/bin/python bench/iku_import_bench.py   (a throwaway SQLite database in a temp folder)
"""

import io
import statistics
import time

import throwaway_django  # noqa: F401 - sets up Django on a throwaway database first
from django.core.management import call_command
from openpyxl import Workbook

from iku import xlsx
from iku.table import to_rows
from workflow import services
from workflow.actions import Action
from workflow.models import Skpd, User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER

AGENCIES, ROWS = 40, 5


def workbook(agency: str) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = "IKU"
    sheet.append(["Sasaran Strategis", "Indikator Kinerja Utama", "Penjelasan/Alasan", "Formula/Cara Pengukuran",
                  "Satuan", "Target", "Sumber Data", "Penanggung Jawab"])
    for n in range(ROWS):
        sheet.append([f"Sasaran {agency}" if n % 2 == 0 else None, f"Indikator {n + 1} {agency}",
                      "Penjelasan " * 8, "Rumus " * 10, "persen", f"{70 + n},5 (2027)", "Laporan tahunan", agency])
    out = io.BytesIO()
    book.save(out)
    data = io.BytesIO(out.getvalue())
    data.name, data.size = f"{agency}.xlsx", len(out.getvalue())
    return data


def main():
    call_command("migrate", verbosity=0)
    from workflow import demo

    people = demo.ensure_people()
    agencies = list(Skpd.objects.filter(aktif=True).order_by("pk")[:AGENCIES])
    officers = []
    for agency in agencies:
        officer, _ = User.objects.get_or_create(username=f"bench-{agency.pk}", defaults={"nama": agency.nama_pendek, "skpd": agency})
        UserRole.objects.get_or_create(user=officer, role=Role.SKPD)
        officers.append(officer)
    dossier = services.create_dossier(people["kasubag"], tahun=2027, judul="Bench impor", invited=agencies)
    demo.walk_to(dossier, people, STEP_BY_NUMBER[3].state)
    files = [workbook(a.nama_pendek) for a in agencies]

    reading, whole = [], []
    for officer, data in zip(officers, files):
        start = time.perf_counter()
        read = xlsx.read_upload(data)
        read_done = time.perf_counter()
        assert read.ok, read.problems
        dossier.refresh_from_db()
        services.perform(dossier, officer, Action.AJUKAN_IKU, revision=dossier.revision, rows=to_rows(read.rows))
        whole.append(time.perf_counter() - start)
        reading.append(read_done - start)
        data.seek(0)
    total = sum(whole)
    rows = AGENCIES * ROWS
    print(f"IKU import: {AGENCIES} agencies x {ROWS} rows = {rows} rows, SQLite, one process")
    print(f"  total            {total * 1000:8.1f} ms")
    print(f"  per row          {total / rows * 1000:8.2f} ms")
    print(f"  per file (p50)   {statistics.median(whole) * 1000:8.2f} ms   reading alone {statistics.median(reading) * 1000:.2f} ms"
          f"  ({statistics.median(reading) / statistics.median(whole):.0%} of it)")


if __name__ == "__main__":
    main()
