"""Dates, times and durations as Indonesian offices write them, in Pontianak time (docs/domain.md,
"Formatting"): "5 Januari 2021", "Selasa, 5 Januari 2021", "09.00", "2 jam 5 menit"."""

import datetime as dt
from zoneinfo import ZoneInfo

# What a date field says of text it cannot read as a date: the two ways the office types one.
INVALID_DATE = "Tanggal tidak valid, contoh 2027-01-05 atau 05/01/2027."

TZ = ZoneInfo("Asia/Pontianak")
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def local(moment: dt.datetime) -> dt.datetime:
    """`moment` in Pontianak time; a naive one is read as Pontianak wall-clock time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TZ)
    return moment.astimezone(TZ)


def long_date(day: dt.date) -> str:
    """'5 Januari 2021': no leading zero, the month in full (Django's "id" locale abbreviates it)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def weekday_date(day: dt.date) -> str:
    """'Selasa, 5 Januari 2021'."""
    return f"{WEEKDAYS[day.weekday()]}, {long_date(day)}"


def clock_time(moment: dt.time | dt.datetime) -> str:
    """'09.00': a full stop between hours and minutes."""
    return f"{moment:%H.%M}"


def moment_text(moment: dt.datetime) -> str:
    """'Selasa, 17 Maret 2026 pukul 10.30', as people say a deadline."""
    moment = local(moment)
    return f"{weekday_date(moment.date())} pukul {clock_time(moment)}"


def duration_text(delta: dt.timedelta) -> str:
    """Working time as '2 jam 5 menit'; whole minutes, since nobody reads seconds on a deadline."""
    minutes = int(max(delta, dt.timedelta(0)) // dt.timedelta(minutes=1))
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} jam {minutes} menit"
    return f"{hours} jam" if hours else f"{minutes} menit"
