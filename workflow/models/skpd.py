from django.db import models

from lib.dates import moment_text
from lib.one_line import refuse_line_break

# Skpd.objects.in_order(): the admin's order, then the name, then the row (a stable order for ties).
ORDER = ("order", "nama_pendek", "pk")
# Places go in tens (as the seed numbered them), leaving room to put an agency between two others.
ORDER_STEP = 10


class SkpdQuerySet(models.QuerySet):
    def active(self):
        return self.filter(aktif=True)

    def in_order(self):
        """In the order the admin keeps (the Perda on the organisation lists the Sekretariat Daerah,
        the DPRD's, the Inspektorat, the Dinas, the Badan, then the hospitals), as letters and the
        decree's Lampiran list agencies; equal places go by name."""
        return self.order_by(*ORDER)


class Skpd(models.Model):
    """A provincial agency (SKPD / OPD / Perangkat Daerah)."""

    nama = models.CharField("nama resmi", max_length=255, unique=True)
    nama_pendek = models.CharField("nama pendek", max_length=150)
    # The everyday abbreviation clerks search by ("Dinkes"); printed only where the admin asks for it
    # (`shown_by_abbreviation`): seeding the common ones must not rename an agency on every page.
    singkatan = models.CharField(
        max_length=40, blank=True,
        help_text="Singkatan yang lazim, mis. Dinkes, Bappeda: pencarian arsip, pencarian SKPD di admin dan "
                  "pencarian SKPD pada dosier baru menemukan SKPD dengannya. Tidak tercetak kecuali “Tampil "
                  "dengan singkatan” dicentang.")
    # The agencies seeded with an abbreviation were printed by it before it became searchable too:
    # they keep it (migration 0042); any other is printed by its short name unless the admin ticks it.
    shown_by_abbreviation = models.BooleanField(
        "tampil dengan singkatan", default=False, db_default=False,
        help_text="Centang agar halaman, surel, PDF dan XLSX menyebut SKPD ini dengan singkatannya, bukan "
                  "nama pendeknya.")
    kind = models.CharField("jenis", max_length=60, blank=True)
    # An agency that was merged or dissolved stays on its old dossiers but is not offered for new ones.
    aktif = models.BooleanField(default=True)
    # When the admin last deactivated it (empty while active, and for one deactivated before this was
    # kept): its officers read from when the rounds stopped waiting on it. Read with the signed-in
    # officer's agency, in the user's own query (workflow.auth), so saying it costs no query. A
    # nullable column: the previous release, serving beside this one during an upgrade, inserts
    # agencies without naming it.
    nonaktif_sejak = models.DateTimeField("nonaktif sejak", null=True, blank=True, editable=False)
    # The agency's place in letters and the decree's Lampiran: the SOTK order of the Perda, which
    # the alphabet is not (Sekretariat Daerah first, the RSUD last).
    order = models.PositiveSmallIntegerField(
        "urutan", default=0,
        help_text="Urutan pada daftar tujuan surat dan Lampiran Keputusan, menurut Perda tentang "
                  "Pembentukan dan Susunan Perangkat Daerah (SOTK). Urutan yang sama diurutkan menurut nama.")
    # How letters address the agency's head, when the rule in naskah.content.pimpinan is wrong for it.
    head_title = models.CharField(
        "sebutan pimpinan", max_length=255, blank=True,
        help_text="Jabatan pimpinan seperti ditulis pada alamat surat, mis. “Direktur Rumah Sakit Jiwa "
                  "Provinsi Kalimantan Barat”. Kosongkan agar disusun dari jenis dan nama resmi "
                  "(Kepala …, Direktur RSUD …, Inspektur …).")

    objects = SkpdQuerySet.as_manager()

    class Meta:
        ordering = ["nama_pendek"]
        verbose_name = "SKPD"
        verbose_name_plural = "SKPD"

    def __str__(self) -> str:
        return self.singkatan if self.shown_by_abbreviation and self.singkatan else self.nama_pendek

    @property
    def other_names(self) -> str:
        """What a search box finds it by besides the label it is shown with: its abbreviation ("Dinkes")
        and official name."""
        return " ".join(filter(None, (self.singkatan, self.nama)))

    def taken_out_note(self) -> str:
        """What its officers read beside a round that stopped waiting on it when the admin deactivated
        it (their inbox, their notices): from when, that nothing is asked of it, that what it sent
        stays; "" while the agency is active."""
        if self.aktif:
            return ""
        since = f" sejak {moment_text(self.nonaktif_sejak)}" if self.nonaktif_sejak else ""
        return (f"{self.nama_pendek} dikeluarkan dari putaran ini{since}: SKPD ini dinonaktifkan oleh admin, sehingga "
                "tidak ada lagi yang perlu dikirim dan tenggat putaran ini tidak berlaku lagi baginya. Yang sudah dikirim "
                "tetap tercatat dan dapat dibaca di halaman dosier.")

    def clean(self):
        # The short name goes into the Subject of the invitation and reminder e-mails, where a line
        # break fails the send.
        super().clean()
        refuse_line_break(self.nama_pendek, "Nama pendek", field="nama_pendek")

