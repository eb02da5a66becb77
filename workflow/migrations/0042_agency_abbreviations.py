"""The everyday abbreviations of the province's agencies, searchable without renaming anyone.

Clerks name agencies by their abbreviations ("Dinkes", "Dinsos"), which the seed left empty for most
of them. Filling them as they were, every label that printed an agency by its abbreviation when it
had one (pages, PDFs, the XLSX) would have changed: an agency is now printed by its abbreviation only
where `shown_by_abbreviation` says so, which the agencies printed by one until now keep.

Only an abbreviation still empty is filled, and only for the agencies seeded under these names: an
admin's own value, or an agency the admin added or renamed, stays as the admin left it. Only the
abbreviations in standard use are here; where one name has two in use (Ketahanan Pangan and Kelautan
dan Perikanan are both "DKP") or none is settled, the admin fills it."""

from django.db import migrations, models

SUFFIX = " Provinsi Kalimantan Barat"
# By the short name 0002_seed_skpd stored; the official name is it followed by SUFFIX.
ABBREVIATIONS = {
    "Dinas Pendidikan dan Kebudayaan": "Disdikbud",
    "Dinas Kesehatan": "Dinkes",
    "Dinas Pekerjaan Umum dan Penataan Ruang": "Dinas PUPR",
    "Dinas Perumahan Rakyat dan Kawasan Permukiman": "Disperkim",
    "Dinas Sosial": "Dinsos",
    "Dinas Lingkungan Hidup dan Kehutanan": "DLHK",
    "Dinas Tenaga Kerja dan Transmigrasi": "Disnakertrans",
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak": "DP3A",
    "Dinas Kependudukan dan Pencatatan Sipil": "Disdukcapil",
    "Dinas Pemberdayaan Masyarakat dan Desa": "DPMD",
    "Dinas Perhubungan": "Dishub",
    "Dinas Komunikasi dan Informatika": "Diskominfo",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu": "DPMPTSP",
    "Dinas Kepemudaan, Olahraga dan Pariwisata": "Disporapar",
    "Dinas Perkebunan dan Peternakan": "Disbunnak",
    "Badan Perencanaan Pembangunan Daerah": "Bappeda",
    "Badan Keuangan dan Aset Daerah": "BKAD",
    "Badan Pendapatan Daerah": "Bapenda",
    "Badan Pengembangan Sumber Daya Manusia": "BPSDM",
    "Badan Penelitian dan Pengembangan": "Balitbang",
}


def fill(apps, schema_editor):
    Skpd = apps.get_model("workflow", "Skpd")
    # Printed by their abbreviation until now: so they stay.
    Skpd.objects.exclude(singkatan="").update(shown_by_abbreviation=True)
    for short, abbreviation in ABBREVIATIONS.items():
        Skpd.objects.filter(nama=short + SUFFIX, singkatan="").update(singkatan=abbreviation)


def unfill(apps, schema_editor):
    # Back to the release that prints any abbreviation: the ones filled here would rename their agencies.
    Skpd = apps.get_model("workflow", "Skpd")
    for short, abbreviation in ABBREVIATIONS.items():
        Skpd.objects.filter(nama=short + SUFFIX, singkatan=abbreviation, shown_by_abbreviation=False).update(singkatan="")


class Migration(migrations.Migration):

    dependencies = [
        ("workflow", "0041_delegation_ended_early"),
    ]

    operations = [
        migrations.AddField(
            model_name="skpd",
            name="shown_by_abbreviation",
            field=models.BooleanField(
                db_default=False, default=False, verbose_name="tampil dengan singkatan",
                help_text="Centang agar halaman, surel, PDF dan XLSX menyebut SKPD ini dengan singkatannya, bukan "
                          "nama pendeknya."),
        ),
        migrations.AlterField(
            model_name="skpd",
            name="singkatan",
            field=models.CharField(
                blank=True, max_length=40,
                help_text="Singkatan yang lazim, mis. Dinkes, Bappeda: pencarian arsip, pencarian SKPD di admin dan "
                          "pencarian SKPD pada dosier baru menemukan SKPD dengannya. Tidak tercetak kecuali “Tampil "
                          "dengan singkatan” dicentang."),
        ),
        migrations.RunPython(fill, unfill),
    ]
