"""Every uploaded or generated file, kept in the database beside the row that names it: every app
server reads the same bytes, they are replicated and backed up with the data, and a file is written
in the same transaction as its record, so a crash between the two leaves neither."""

from django.db import models


class StoredFile(models.Model):
    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "berkas tersimpan"
        verbose_name_plural = "berkas tersimpan"

    def __str__(self):
        return self.name
