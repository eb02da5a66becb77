from django.db import models

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
    singkatan = models.CharField(max_length=40, blank=True)
    kind = models.CharField("jenis", max_length=60, blank=True)
    # An agency that was merged or dissolved stays on its old dossiers but is not offered for new ones.
    aktif = models.BooleanField(default=True)
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
        return self.singkatan or self.nama_pendek

    def clean(self):
        # The short name goes into the Subject of the invitation and reminder e-mails, where a line
        # break fails the send.
        super().clean()
        refuse_line_break(self.nama_pendek, "Nama pendek", field="nama_pendek")

