"""Seed the province's agencies from fixtures/skpd_kalbar.csv (Perda 8/2016 as amended by Perda 5/2021).

The list is a starting point the bureau confirms in the admin; an agency already there is left as
an admin edited it.
"""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent.parent / "fixtures" / "skpd_kalbar.csv"
SUFFIX = "Provinsi Kalimantan Barat"
# The bureau that runs this SOP, which the public list leaves out.
EXTRA = [{"nama": "Biro Kesejahteraan Rakyat Sekretariat Daerah Provinsi Kalimantan Barat",
          "singkatan": "Biro Kesra", "jenis": "Biro"}]


def official(name: str) -> str:
    return name if SUFFIX.lower() in name.lower() else f"{name} {SUFFIX}"


def short(name: str) -> str:
    for tail in (f" Sekretariat Daerah {SUFFIX}", f" {SUFFIX}"):
        if name.endswith(tail):
            return name[: -len(tail)]
    return name


def seed(apps, schema_editor):
    Skpd = apps.get_model("workflow", "Skpd")
    with CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f)) + EXTRA
    for row in rows:
        Skpd.objects.get_or_create(
            nama=official(row["nama"].strip()),
            defaults={
                "nama_pendek": short(row["nama"].strip()),
                "singkatan": row["singkatan"].strip(),
                "jenis": row["jenis"].strip(),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
