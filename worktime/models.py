"""The working-time calendar as data an admin edits: office hours and the days that differ.

The clock itself is `worktime.clock`; these tables only feed it (`load_calendar`). Table and column
names are those the tables had when they lived in the `workflow` app, so no data moved.
"""

import datetime as dt
import threading
import time
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone

from lib.dates import TZ, long_date
from lib.fingerprint import fingerprint
from worktime.clock import SEARCH_LIMIT_DAYS, Calendar, NoWorkingTime, Override, office_hours, package_days

# The years the app works in (a dossier's year, the report's): a dated schedule outside them is a
# typo (2206 for 2026), and one inside them, however long, is a schedule the clock can follow.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
NO_WORKING_DAY = ("Jadwal harus memuat paling sedikit satu hari kerja (isi jam masuk dan pulang pada baris hari). "
                  "Untuk hari-hari libur gunakan Hari libur/masuk khusus.")


def day_text(day: dt.date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


CLOSES_AFTER_OPENS = "Jam pulang harus sesudah jam masuk."
BREAK_INSIDE = "Jam istirahat harus di dalam jam kerja dan mulai sebelum selesai."
ONE_ROW_A_DAY = "Setiap hari hanya boleh satu baris dalam satu jadwal: hapus baris hari yang ganda."

WEEKDAY_CHOICES = [(0, "Senin"), (1, "Selasa"), (2, "Rabu"), (3, "Kamis"), (4, "Jumat"), (5, "Sabtu"), (6, "Minggu")]


class Schedule(models.Model):
    """A weekly schedule of office hours: the default one, or one for a date range (Ramadan)."""

    name = models.CharField("nama", max_length=150, db_column="nama")
    is_default = models.BooleanField(
        "jadwal bawaan", default=False, db_column="bawaan",
        help_text="Berlaku setiap hari yang tidak diliputi jadwal bertanggal. Hanya satu jadwal bawaan.",
    )
    starts_on = models.DateField("berlaku mulai", null=True, blank=True, db_column="mulai",
                                 help_text="Kosongkan untuk jadwal bawaan.")
    ends_on = models.DateField("berlaku sampai dengan", null=True, blank=True, db_column="sampai")
    basis = models.CharField("dasar (peraturan/surat edaran)", max_length=255, blank=True, db_column="dasar")

    class Meta:
        db_table = "workflow_jadwal"
        verbose_name = "jadwal jam kerja"
        verbose_name_plural = "jadwal jam kerja"
        ordering = ["-is_default", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="satu_jadwal_bawaan",
                violation_error_message="Sudah ada jadwal bawaan; hanya satu jadwal yang boleh menjadi bawaan.",
            ),
            models.CheckConstraint(
                condition=Q(is_default=True, starts_on__isnull=True, ends_on__isnull=True)
                | Q(is_default=False, starts_on__isnull=False, ends_on__isnull=False, starts_on__lte=F("ends_on")),
                name="jadwal_bertanggal_atau_bawaan",
                violation_error_message="Jadwal bawaan tanpa tanggal; jadwal lain wajib bertanggal mulai dan sampai, "
                                        "mulai tidak sesudah sampai.",
            ),
        ]

    def __str__(self) -> str:
        # Also asked of a schedule the admin's form refuses (a date cleared), to name it in the message.
        if self.is_default or not (self.starts_on and self.ends_on):
            return f"{self.name} (bawaan)" if self.is_default else self.name
        return f"{self.name} ({long_date(self.starts_on)} s.d. {long_date(self.ends_on)})"

    def clean(self):
        # Refused at a date field: the constraint saying the same is then not checked again, so the
        # page says it once (see WorkingHours.clean).
        if self.is_default:
            if self.starts_on or self.ends_on:
                raise ValidationError({"starts_on" if self.starts_on else "ends_on":
                                       "Jadwal bawaan berlaku sepanjang waktu: kosongkan tanggal mulai dan sampai."})
            return
        if not (self.starts_on and self.ends_on):
            raise ValidationError({"ends_on" if self.starts_on else "starts_on":
                                   "Jadwal yang bukan bawaan wajib diberi tanggal mulai dan sampai."})
        if self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Tanggal sampai tidak boleh sebelum tanggal mulai."})
        if self.starts_on < FIRST_DAY or self.ends_on > LAST_DAY:
            raise ValidationError(
                f"Jadwal bertanggal harus berlaku antara {day_text(FIRST_DAY)} dan {day_text(LAST_DAY)}; "
                "periksa tahunnya."
            )
        clash = Schedule.objects.filter(
            is_default=False, starts_on__lte=self.ends_on, ends_on__gte=self.starts_on
        ).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError(f"Rentang tanggal ini bertumpang tindih dengan {clash.first()}.")


class WorkingHours(models.Model):
    """The office hours of one weekday in a schedule; a weekday without a row is a day off."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="days", db_column="jadwal_id",
                                 verbose_name="jadwal")
    weekday = models.PositiveSmallIntegerField("hari", choices=WEEKDAY_CHOICES, db_column="hari")
    opens = models.TimeField("jam masuk", db_column="masuk")
    closes = models.TimeField("jam pulang", db_column="pulang")
    break_starts = models.TimeField("istirahat mulai", null=True, blank=True, db_column="istirahat_mulai")
    break_ends = models.TimeField("istirahat selesai", null=True, blank=True, db_column="istirahat_selesai")

    class Meta:
        db_table = "workflow_jamkerja"
        verbose_name = "jam kerja"
        verbose_name_plural = "jam kerja per hari"
        ordering = ["schedule", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "weekday"], name="satu_baris_per_hari",
                                    violation_error_message=ONE_ROW_A_DAY),
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="masuk_sebelum_pulang",
                                   violation_error_message=CLOSES_AFTER_OPENS),
            models.CheckConstraint(
                condition=Q(break_starts__isnull=True, break_ends__isnull=True)
                | Q(
                    break_starts__gte=F("opens"),
                    break_starts__lt=F("break_ends"),
                    break_ends__lte=F("closes"),
                ),
                name="istirahat_di_dalam_jam_kerja",
                violation_error_message=BREAK_INSIDE,
            ),
        ]

    def __str__(self) -> str:
        # Also asked of a row the admin's form refuses (a time cleared), to name it in the message.
        def clock(moment):
            return f"{moment:%H.%M}" if moment else "?"

        text = f"{self.get_weekday_display()} {clock(self.opens)}-{clock(self.closes)}"
        if self.break_starts or self.break_ends:
            text += f" (istirahat {clock(self.break_starts)}-{clock(self.break_ends)})"
        return text

    def clean(self):
        # Each refusal is a field's: the constraint that says the same is then not checked again
        # (Model.full_clean skips constraints on fields already refused), so it is said once.
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError({"closes": CLOSES_AFTER_OPENS})
        if bool(self.break_starts) != bool(self.break_ends):
            raise ValidationError({"break_ends" if self.break_starts else "break_starts":
                                   "Isi jam istirahat mulai dan selesai keduanya, atau kosongkan keduanya."})
        if self.break_starts and self.opens and self.closes and not (
            self.opens <= self.break_starts < self.break_ends <= self.closes
        ):
            raise ValidationError({"break_starts": BREAK_INSIDE})
        if self.break_starts and (self.break_starts, self.break_ends) == (self.opens, self.closes):
            # No working minute left: every clock of that day would divide by nothing.
            raise ValidationError({"break_ends": "Jam istirahat menutup seluruh jam kerja hari ini. Hari tanpa jam "
                                                 "kerja cukup dihapus dari jadwal (menjadi hari libur)."})

    def intervals(self):
        return office_hours(self.opens, self.closes, self.break_starts, self.break_ends)


class SpecialDay(models.Model):
    """An admin's word on one date, which wins over the `holidays` package."""

    class Kind(models.TextChoices):
        LIBUR = "libur", "Libur tambahan"
        MASUK = "masuk", "Tetap masuk kerja (libur/cuti bersama dari paket dibatalkan)"

    date = models.DateField("tanggal", unique=True, db_column="tanggal")
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices, db_column="jenis")
    note = models.CharField("keterangan", max_length=255, db_column="keterangan",
                            help_text="Misalnya nomor SKB/Keppres yang menetapkannya.")

    class Meta:
        db_table = "workflow_harikhusus"
        verbose_name = "hari libur/masuk khusus"
        verbose_name_plural = "hari libur/masuk khusus"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{long_date(self.date)}: {self.get_kind_display()} ({self.note})"

    def clean(self):
        if self.date and not FIRST_DAY <= self.date <= LAST_DAY:
            # As a dated schedule's: 2206 for 2026 left the year meant without its holiday, saved.
            raise ValidationError({"date": f"Tanggal harus antara {day_text(FIRST_DAY)} dan {day_text(LAST_DAY)}; "
                                           "periksa tahunnya."})
        if self.kind == self.Kind.MASUK and self.date and self.date not in package_days(self.date.year):
            raise ValidationError(
                {"date": "Tanggal ini bukan hari libur atau cuti bersama menurut kalender nasional; "
                         "tidak ada libur yang dibatalkan."}
            )


def calendar_data(edited=None) -> dict:
    """The keyword arguments of `Calendar`, in three queries. `edited`: (a schedule, its week) to
    stand in for what the tables hold for it, new or changed: the calendar an edit would make."""
    weeks: dict[int, dict] = {}
    for row in WorkingHours.objects.all():
        weeks.setdefault(row.schedule_id, {})[row.weekday] = row.intervals()
    schedules = list(Schedule.objects.all())
    if edited is not None:
        changed, week = edited
        schedules = [s for s in schedules if s.pk != changed.pk and not (changed.is_default and s.is_default)]
        schedules.append(changed)
        weeks[changed.pk] = week
    data = {"overrides": [], "extra_off": {}, "not_off": {}}
    for schedule in schedules:
        week = weeks.get(schedule.pk, {})
        if schedule.is_default:
            data.update(week=week, name=schedule.name)
        else:
            data["overrides"].append(Override(schedule.name, schedule.starts_on, schedule.ends_on, week))
    for day in SpecialDay.objects.all():
        target = data["extra_off"] if day.kind == SpecialDay.Kind.LIBUR else data["not_off"]
        target[day.date] = day.note
    return data


def check_whole(schedule: "Schedule", week: dict) -> None:
    """Raise ValidationError unless `schedule` with `week` (weekday -> intervals, the rows it will
    have) makes a calendar the clock can follow: the schedule and its days judged together, before
    either is saved, as the admin saves them one after the other."""
    if not week:
        raise ValidationError(NO_WORKING_DAY, code="no_working_day")
    calendar = Calendar(**calendar_data(edited=(schedule, week)))
    starts = {timezone.localdate()} | ({schedule.starts_on} if schedule.starts_on else set())
    for day in sorted(starts):
        try:
            calendar.add_working_time(dt.datetime.combine(day, dt.time(), tzinfo=TZ), dt.timedelta(minutes=1))
        except NoWorkingTime:
            raise ValidationError(
                f"Dengan jadwal ini tidak ada jam kerja dalam {SEARCH_LIMIT_DAYS} hari sejak {day_text(day)} "
                "(periksa hari kerja jadwal ini dan hari libur khusus).", code="no_working_time",
            ) from None


# One calendar per process, kept with the days it has worked out: building it and working out
# years of days again on every request cost more than the page. It is only ever filled from
# committed data: a transaction that changed the calendar reads its own, unkept, until it commits,
# and the commit drops the kept one (a rollback leaves it as it was). Other processes learn of a
# change within CALENDAR_SECONDS.
CALENDAR_SECONDS = 60
_kept: dict = {}
_lock = threading.Lock()
_generation = [0]


def _built() -> tuple[Calendar, str]:
    data = calendar_data()
    version = fingerprint(sorted(data.items(), key=lambda item: item[0]), 16)
    return Calendar(**data), version


def _current() -> tuple[Calendar, str]:
    if changed_in_this_transaction():
        return _built()
    now = time.monotonic()
    with _lock:
        if _kept.get("until", 0) >= now:
            return _kept["calendar"], _kept["version"]
        generation = _generation[0]
    calendar, version = _built()
    with _lock:
        # A commit that dropped the calendar while this one was read may have come after the read:
        # keep it only if none did.
        if _generation[0] == generation:
            _kept.update(calendar=calendar, version=version, until=now + CALENDAR_SECONDS)
    return calendar, version


# Said to the admin (the special days' list) and to the bureau's officials (the dashboard).
CUTI_BERSAMA_UNKNOWN = (
    "Kalender nasional yang terpasang belum memuat cuti bersama tahun {year} (ditetapkan dengan SKB menteri setiap "
    "tahun), dan belum ada hari libur tambahan tahun itu: sampai hari-harinya ditambahkan di Admin › Hari libur/masuk "
    "khusus, cuti bersama tahun {year} dihitung sebagai hari kerja dalam setiap tenggat."
)


def load_calendar() -> Calendar:
    """The calendar as the admin has it now (at most CALENDAR_SECONDS old in another process)."""
    return _current()[0]


def calendar_version() -> str:
    """A short fingerprint of the calendar `load_calendar` gives, for keys of what was worked out
    from it: another calendar, another fingerprint."""
    return _current()[1]


def forget_calendar() -> None:
    with _lock:
        _kept.clear()
        _generation[0] += 1


def _committed() -> None:
    forget_calendar()


def changed_in_this_transaction(using=DEFAULT_DB_ALIAS) -> bool:
    """Whether the open transaction wrote calendar data it has not committed. Django drops the
    callbacks of a rolled-back transaction or savepoint, so `_committed` waiting in the connection's
    list is exactly that (the list is Django's own, which on_commit offers no public way to ask)."""
    db = connections[using]
    return db.in_atomic_block and any(_committed in entry for entry in getattr(db, "run_on_commit", ()))


# Sent whenever the calendar's data changes (office hours, a dated schedule, a special day), so
# what was worked out from the calendar (the stored due moments of open steps) can be worked out
# again. worktime knows nothing of who listens.
calendar_changed = Signal()

# An edit of several rows (a schedule with its weekdays) is one change: inside `one_change()` the
# signal waits for the last row, where a schedule saved before its weekdays would have had no
# working time at all.
_edit = threading.local()


@contextmanager
def one_change():
    """Send `calendar_changed` once, when the block ends without error, for every row it wrote."""
    outer = getattr(_edit, "depth", 0)
    _edit.depth = outer + 1
    if not outer:
        _edit.senders = []
    try:
        yield
    finally:
        _edit.depth = outer
    # Only the outermost block sends, and only when nothing failed (a failure rolls the rows back).
    if not outer and _edit.senders:
        sender, _edit.senders = _edit.senders[0], []
        calendar_changed.send(sender=sender)


def _changed(sender, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    # Run at once outside a transaction; at its commit inside one, and never if it rolls back.
    transaction.on_commit(_committed, using=using)
    # A fixture or a restore loads the calendar row by row: half a calendar is no calendar.
    if raw:
        return
    if getattr(_edit, "depth", 0):
        _edit.senders.append(sender)
    else:
        calendar_changed.send(sender=sender)


for _model in (Schedule, WorkingHours, SpecialDay):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"worktime.changed.save.{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"worktime.changed.delete.{_model.__name__}")
