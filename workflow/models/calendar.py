"""The working-time calendar as data an admin edits: office hours and the days that differ.

The clock itself is `workflow.worktime`; these tables only feed it (`load_calendar_data`).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

WEEKDAY_CHOICES = [(0, "Senin"), (1, "Selasa"), (2, "Rabu"), (3, "Kamis"), (4, "Jumat"), (5, "Sabtu"), (6, "Minggu")]


class Jadwal(models.Model):
    """A weekly schedule of office hours: the default one, or one for a date range (Ramadan)."""

    nama = models.CharField(max_length=150)
    bawaan = models.BooleanField(
        "jadwal bawaan", default=False,
        help_text="Berlaku setiap hari yang tidak diliputi jadwal bertanggal. Hanya satu jadwal bawaan.",
    )
    mulai = models.DateField("berlaku mulai", null=True, blank=True, help_text="Kosongkan untuk jadwal bawaan.")
    sampai = models.DateField("berlaku sampai dengan", null=True, blank=True)
    dasar = models.CharField("dasar (peraturan/surat edaran)", max_length=255, blank=True)

    class Meta:
        verbose_name = "jadwal jam kerja"
        verbose_name_plural = "jadwal jam kerja"
        ordering = ["-bawaan", "-mulai"]
        constraints = [
            models.UniqueConstraint(fields=["bawaan"], condition=Q(bawaan=True), name="satu_jadwal_bawaan"),
            models.CheckConstraint(
                condition=Q(bawaan=True, mulai__isnull=True, sampai__isnull=True)
                | Q(bawaan=False, mulai__isnull=False, sampai__isnull=False, mulai__lte=F("sampai")),
                name="jadwal_bertanggal_atau_bawaan",
            ),
        ]

    def __str__(self) -> str:
        if self.bawaan:
            return f"{self.nama} (bawaan)"
        return f"{self.nama} ({self.mulai:%d-%m-%Y} s.d. {self.sampai:%d-%m-%Y})"

    def clean(self):
        if self.bawaan:
            if self.mulai or self.sampai:
                raise ValidationError("Jadwal bawaan berlaku sepanjang waktu: kosongkan tanggal mulai dan sampai.")
            return
        if not (self.mulai and self.sampai):
            raise ValidationError("Jadwal yang bukan bawaan wajib diberi tanggal mulai dan sampai.")
        if self.sampai < self.mulai:
            raise ValidationError({"sampai": "Tanggal sampai tidak boleh sebelum tanggal mulai."})
        clash = Jadwal.objects.filter(bawaan=False, mulai__lte=self.sampai, sampai__gte=self.mulai).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(f"Rentang tanggal ini bertumpang tindih dengan {clash.first()}.")


class JamKerja(models.Model):
    """The office hours of one weekday in a schedule; a weekday without a row is a day off."""

    jadwal = models.ForeignKey(Jadwal, on_delete=models.CASCADE, related_name="hari")
    hari = models.PositiveSmallIntegerField(choices=WEEKDAY_CHOICES)
    masuk = models.TimeField("jam masuk")
    pulang = models.TimeField("jam pulang")
    istirahat_mulai = models.TimeField("istirahat mulai", null=True, blank=True)
    istirahat_selesai = models.TimeField("istirahat selesai", null=True, blank=True)

    class Meta:
        verbose_name = "jam kerja"
        verbose_name_plural = "jam kerja per hari"
        ordering = ["jadwal", "hari"]
        constraints = [
            models.UniqueConstraint(fields=["jadwal", "hari"], name="satu_baris_per_hari"),
            models.CheckConstraint(condition=Q(masuk__lt=F("pulang")), name="masuk_sebelum_pulang"),
            models.CheckConstraint(
                condition=Q(istirahat_mulai__isnull=True, istirahat_selesai__isnull=True)
                | Q(
                    istirahat_mulai__gte=F("masuk"),
                    istirahat_mulai__lt=F("istirahat_selesai"),
                    istirahat_selesai__lte=F("pulang"),
                ),
                name="istirahat_di_dalam_jam_kerja",
            ),
        ]

    def __str__(self) -> str:
        text = f"{self.get_hari_display()} {self.masuk:%H.%M}-{self.pulang:%H.%M}"
        if self.istirahat_mulai:
            text += f" (istirahat {self.istirahat_mulai:%H.%M}-{self.istirahat_selesai:%H.%M})"
        return text

    def clean(self):
        if self.masuk and self.pulang and self.masuk >= self.pulang:
            raise ValidationError({"pulang": "Jam pulang harus sesudah jam masuk."})
        if bool(self.istirahat_mulai) != bool(self.istirahat_selesai):
            raise ValidationError("Isi jam istirahat mulai dan selesai keduanya, atau kosongkan keduanya.")
        if self.istirahat_mulai and self.masuk and self.pulang and not (
            self.masuk <= self.istirahat_mulai < self.istirahat_selesai <= self.pulang
        ):
            raise ValidationError("Jam istirahat harus di dalam jam kerja dan mulai sebelum selesai.")

    def intervals(self):
        from workflow.worktime import office_hours

        return office_hours(self.masuk, self.pulang, self.istirahat_mulai, self.istirahat_selesai)


class HariKhusus(models.Model):
    """An admin's word on one date, which wins over the `holidays` package."""

    class Jenis(models.TextChoices):
        LIBUR = "libur", "Libur tambahan"
        MASUK = "masuk", "Tetap masuk kerja (libur/cuti bersama dari paket dibatalkan)"

    tanggal = models.DateField(unique=True)
    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    keterangan = models.CharField(max_length=255, help_text="Misalnya nomor SKB/Keppres yang menetapkannya.")

    class Meta:
        verbose_name = "hari libur/masuk khusus"
        verbose_name_plural = "hari libur/masuk khusus"
        ordering = ["-tanggal"]

    def __str__(self) -> str:
        return f"{self.tanggal:%d-%m-%Y}: {self.get_jenis_display()} ({self.keterangan})"

    def clean(self):
        from workflow.worktime import package_days

        if self.jenis == self.Jenis.MASUK and self.tanggal and self.tanggal not in package_days(self.tanggal.year):
            raise ValidationError(
                {"tanggal": "Tanggal ini bukan hari libur atau cuti bersama menurut kalender nasional; "
                            "tidak ada libur yang dibatalkan."}
            )


def load_calendar_data() -> dict:
    """The keyword arguments of `worktime.Calendar`, in three queries."""
    from workflow.worktime import Override

    weeks: dict[int, dict] = {}
    for row in JamKerja.objects.all():
        weeks.setdefault(row.jadwal_id, {})[row.hari] = row.intervals()
    data = {"overrides": [], "extra_off": {}, "not_off": {}}
    for jadwal in Jadwal.objects.all():
        week = weeks.get(jadwal.pk, {})
        if jadwal.bawaan:
            data.update(week=week, name=jadwal.nama)
        else:
            data["overrides"].append(Override(jadwal.nama, jadwal.mulai, jadwal.sampai, week))
    for day in HariKhusus.objects.all():
        target = data["extra_off"] if day.jenis == HariKhusus.Jenis.LIBUR else data["not_off"]
        target[day.tanggal] = day.keterangan
    return data
