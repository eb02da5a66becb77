"""Each agency's place in letters and the decree's Lampiran, and how letters address its head.

The place is seeded from the order the letters already used: the seed's, which is the list of
fixtures/skpd_kalbar.csv in the order of the Perda on the organisation (SOTK), the bureau last.
Agencies an admin added keep coming after it, in the order they were added. Steps of ten leave
room to put an agency between two others without renumbering the rest.
"""

import csv
from pathlib import Path

from django.db import migrations, models

CSV = Path(__file__).resolve().parent.parent.parent / "fixtures" / "skpd_kalbar.csv"
SUFFIX = "Provinsi Kalimantan Barat"
# 0002_seed_skpd adds the bureau after the CSV's list.
BUREAU = "Biro Kesejahteraan Rakyat Sekretariat Daerah Provinsi Kalimantan Barat"
STEP = 10


def official(name: str) -> str:
    # As 0002_seed_skpd made the names it stored.
    return name if SUFFIX.lower() in name.lower() else f"{name} {SUFFIX}"


def seeded_order() -> list[str]:
    with CSV.open(encoding="utf-8") as f:
        return [official(row["nama"].strip()) for row in csv.DictReader(f)] + [BUREAU]


def set_order(apps, schema_editor):
    Skpd = apps.get_model("workflow", "Skpd")
    place = {name: n for n, name in enumerate(seeded_order())}
    agencies = sorted(Skpd.objects.all(), key=lambda s: (place.get(s.nama, len(place)), s.pk))
    for n, skpd in enumerate(agencies, start=1):
        skpd.order = n * STEP
    Skpd.objects.bulk_update(agencies, ["order"])


class Migration(migrations.Migration):

    dependencies = [
        ("workflow", "0024_stored_clock_inputs"),
    ]

    operations = [
        migrations.AddField(
            model_name="skpd",
            name="order",
            field=models.PositiveSmallIntegerField(
                default=0, verbose_name="urutan",
                help_text="Urutan pada daftar tujuan surat dan Lampiran Keputusan, menurut Perda tentang "
                          "Pembentukan dan Susunan Perangkat Daerah (SOTK). Urutan yang sama diurutkan menurut nama."),
        ),
        migrations.AddField(
            model_name="skpd",
            name="head_title",
            field=models.CharField(
                blank=True, max_length=255, verbose_name="sebutan pimpinan",
                help_text="Jabatan pimpinan seperti ditulis pada alamat surat, mis. “Direktur Rumah Sakit Jiwa "
                          "Provinsi Kalimantan Barat”. Kosongkan agar disusun dari jenis dan nama resmi "
                          "(Kepala …, Direktur RSUD …, Inspektur …)."),
        ),
        migrations.RunPython(set_order, migrations.RunPython.noop),
    ]
