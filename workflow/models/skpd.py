from django.db import models

from lib.one_line import refuse_line_break


class SkpdQuerySet(models.QuerySet):
    def active(self):
        return self.filter(aktif=True)


class Skpd(models.Model):
    """A provincial agency (SKPD / OPD / Perangkat Daerah)."""

    nama = models.CharField("nama resmi", max_length=255, unique=True)
    nama_pendek = models.CharField("nama pendek", max_length=150)
    singkatan = models.CharField(max_length=40, blank=True)
    kind = models.CharField("jenis", max_length=60, blank=True)
    # An agency that was merged or dissolved stays on its old dossiers but is not offered for new ones.
    aktif = models.BooleanField(default=True)

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

