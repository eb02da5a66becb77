"""The working-time clock: how much office time lies between two instants in Asia/Pontianak.

A `Calendar` is built from plain data (a weekly schedule, dated schedules such as Ramadan hours,
days an admin declared off or declared working), so it can be tested without a database;
`worktime.models.load_calendar()` builds one from the admin-edited tables. Public holidays and cuti bersama
come from the `holidays` package; an admin's entry for a day wins over it. Each day's working
intervals are worked out once per Calendar, which is what keeps a year-long span cheap.
"""

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache

import holidays

from lib.dates import TZ, local, weekday_date

ZERO = dt.timedelta(0)
ONE_DAY = dt.timedelta(days=1)
# A schedule with no working day at all would send add_working_time looking forever.
SEARCH_LIMIT_DAYS = 3660

Interval = tuple[dt.time, dt.time]
# weekday (0 = Senin) -> the working intervals of that day, in order; a missing weekday is off.
WeekSchedule = dict[int, tuple[Interval, ...]]


class NoWorkingTime(ValueError):
    """The calendar has no working time in the years searched (a schedule without working days)."""


def office_hours(start: dt.time, end: dt.time, break_start=None, break_end=None) -> tuple[Interval, ...]:
    """A day's working intervals, none of them empty: a break that begins at opening time leaves
    one, and a break over the whole day none (a day off, said so), never a day of no minutes that
    every clock would divide by."""
    spans = ((start, break_start), (break_end, end)) if break_start and break_end else ((start, end),)
    return tuple((begin, finish) for begin, finish in spans if begin < finish)


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


PERGUB_NAME = "Jam kerja Pergub Kalbar 1/2013"
PERGUB_2013: WeekSchedule = {
    **{wd: office_hours(t("07:30"), t("16:00"), t("12:00"), t("13:00")) for wd in range(4)},
    4: office_hours(t("07:30"), t("16:30"), t("11:30"), t("13:00")),
}

LIBUR_NASIONAL = "libur nasional"
CUTI_BERSAMA = "cuti bersama"


@lru_cache(maxsize=64)
def package_days(year: int) -> dict[dt.date, tuple[str, str]]:
    """The package's days off in `year`: date -> (libur nasional | cuti bersama, name)."""
    if year < 1946:  # the package's first year for Indonesia
        return {}
    public = holidays.country_holidays("ID", years=year, language="id")
    government = holidays.country_holidays("ID", years=year, language="id", categories=("government",))
    days = {day: (CUTI_BERSAMA, name) for day, name in government.items()}
    days.update({day: (LIBUR_NASIONAL, name) for day, name in public.items()})
    return days


@dataclass(frozen=True)
class Override:
    """A schedule for a date range (Ramadan hours), in place of the weekly one."""

    name: str
    first: dt.date
    last: dt.date
    week: WeekSchedule


@dataclass(frozen=True)
class Day:
    date: dt.date
    spans: tuple[tuple[dt.datetime, dt.datetime], ...]
    total: dt.timedelta
    schedule: str
    # Why the day has no working time ("" on a working day).
    off: str = ""
    # Something a reader of --explain should know about a working day (a package holiday undone).
    note: str = ""


@dataclass
class Explanation:
    total: dt.timedelta = ZERO
    pieces: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    skipped: list[tuple[dt.date, str]] = field(default_factory=list)
    notes: list[tuple[dt.date, str]] = field(default_factory=list)


class Calendar:
    def __init__(self, week: WeekSchedule = PERGUB_2013, overrides=(), extra_off=None, not_off=None,
                 name: str = PERGUB_NAME):
        self.week = week
        self.name = name
        # The latest-starting override wins where two overlap: the more specific decree is newer.
        self.overrides = sorted(overrides, key=lambda o: o.first, reverse=True)
        self.extra_off = dict(extra_off or {})
        self.not_off = dict(not_off or {})
        self._days: dict[dt.date, Day] = {}
        self._sums: dict[int, list[dt.timedelta]] = {}

    def without_cuti_bersama(self, today: dt.date) -> list[int]:
        """The years deadlines are being counted in now (this one, and from October the next) that
        have no cuti bersama: the installed package does not know them yet (they are set each year
        by a joint decree) and the admin has added no day off in that year. Its cuti bersama then
        count as working days, and nothing would say so."""
        years = [today.year] + ([today.year + 1] if today.month >= 10 else [])
        return [year for year in years
                if not any(kind == CUTI_BERSAMA for kind, _ in package_days(year).values())
                and not any(day.year == year for day in self.extra_off)]

    # --- days -------------------------------------------------------------------------------

    def schedule_on(self, day: dt.date) -> tuple[str, WeekSchedule]:
        for override in self.overrides:
            if override.first <= day <= override.last:
                return override.name, override.week
        return self.name, self.week

    def day(self, day: dt.date) -> Day:
        found = self._days.get(day)
        if found is None:
            found = self._days[day] = self._make_day(day)
        return found

    def _make_day(self, day: dt.date) -> Day:
        name, week = self.schedule_on(day)
        hours = week.get(day.weekday(), ())
        package = package_days(day.year).get(day)
        off = note = ""
        if not hours:
            off = "akhir pekan" if day.weekday() >= 5 else f"tidak ada jam kerja menurut {name}"
            if package:
                off += f" (juga {package[1]})"
        elif day in self.extra_off:
            off = f"libur tambahan dari admin: {self.extra_off[day]}"
        elif package and day in self.not_off:
            note = f"{package[0]} {package[1]} dibatalkan admin: {self.not_off[day]}"
        elif package:
            off = f"{package[0]}: {package[1]}"
        if off:
            return Day(day, (), ZERO, name, off=off)
        spans = tuple(
            (dt.datetime.combine(day, a, tzinfo=TZ), dt.datetime.combine(day, b, tzinfo=TZ)) for a, b in hours
        )
        return Day(day, spans, sum((b - a for a, b in spans), ZERO), name, note=note)

    def in_office(self, moment: dt.datetime) -> bool:
        """Whether `moment` lies in a working day's office hours, from its opening to its closing
        (the break included: people are at the office and back from it the same day)."""
        moment = local(moment)
        spans = self.day(moment.date()).spans
        return bool(spans) and spans[0][0] <= moment <= spans[-1][1]

    def _days_between(self, start: dt.datetime, end: dt.datetime):
        day = start.date()
        while day <= end.date():
            yield self.day(day)
            if day == dt.date.max:
                return
            day += ONE_DAY

    # --- measuring --------------------------------------------------------------------------

    def working_time(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time from `start` to `end`; nothing when `end` is not after `start`."""
        start, end = local(start), local(end)
        if end <= start:
            return ZERO
        first, last = start.date(), end.date()
        total = self._within(self.day(first), start, end)
        if last > first:
            total += self._within(self.day(last), start, end)
            if last - first > ONE_DAY:
                total += self._whole_days(first + ONE_DAY, last - ONE_DAY)
        return total

    @staticmethod
    def _within(day: Day, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        total = ZERO
        for a, b in day.spans:
            a, b = max(a, start), min(b, end)
            if b > a:
                total += b - a
        return total

    def _whole_days(self, first: dt.date, last: dt.date) -> dt.timedelta:
        """Office time of the days `first` to `last`, both whole; from running sums per year, so a
        step left open for months costs the list of open steps no more than one open since today."""
        if first.year == last.year:
            sums = self._year_sums(first.year)
            return sums[last.timetuple().tm_yday] - sums[first.timetuple().tm_yday - 1]
        head = self._year_sums(first.year)
        total = head[-1] - head[first.timetuple().tm_yday - 1] + self._year_sums(last.year)[last.timetuple().tm_yday]
        for year in range(first.year + 1, last.year):
            total += self._year_sums(year)[-1]
        return total

    def _year_sums(self, year: int) -> list[dt.timedelta]:
        """[0, office time of 1 January, ... of 1-2 January, ..., of the whole year]."""
        sums = self._sums.get(year)
        if sums is None:
            sums = [ZERO]
            day = dt.date(year, 1, 1)
            while day.year == year:
                sums.append(sums[-1] + self.day(day).total)
                if day == dt.date.max:
                    break
                day += ONE_DAY
            self._sums[year] = sums
        return sums

    def working_minutes(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole minutes of office time (the remainder below a minute is dropped)."""
        return int(self.working_time(start, end) // dt.timedelta(minutes=1))

    def explain(self, start: dt.datetime, end: dt.datetime) -> Explanation:
        start, end = local(start), local(end)
        found = Explanation()
        if end <= start:
            return found
        for day in self._days_between(start, end):
            if day.off:
                found.skipped.append((day.date, day.off))
            if day.note:
                found.notes.append((day.date, day.note))
            for a, b in day.spans:
                a, b = max(a, start), min(b, end)
                if b > a:
                    found.pieces.append((a, b))
                    found.total += b - a
        return found

    # --- deadlines --------------------------------------------------------------------------

    def add_working_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The instant at which `amount` of office time after `start` has passed.

        A deadline that ends exactly at closing time is that closing time, not the next opening.
        """
        start = local(start)
        if amount <= ZERO:
            return start
        remaining = amount
        day = start.date()
        for _ in range(SEARCH_LIMIT_DAYS):
            for a, b in self.day(day).spans:
                a = max(a, start)
                if b <= a:
                    continue
                if b - a >= remaining:
                    return a + remaining
                remaining -= b - a
            day += ONE_DAY
        raise NoWorkingTime(f"Tidak ada jam kerja dalam {SEARCH_LIMIT_DAYS} hari sesudah {weekday_date(start.date())}.")

    def add_working_days(self, start: dt.datetime, days) -> dt.datetime:
        """`days` working days after `start`, each day counted in its own schedule's hours.

        A part of a day is its share of that day's hours: "1 hari" begun with two thirds of a normal
        day left ends one third into the next working day's hours, whatever their length. So it ends
        at the clock time it began only between days of the same hours: begun Friday 15.00 (a longer
        day) it ends Monday 14.30, and begun at 10.00 before a Ramadan day, at 10.10.
        """
        start = local(start)
        remaining = Fraction(days)
        if remaining <= 0:
            return start
        day = start.date()
        for _ in range(SEARCH_LIMIT_DAYS):
            info = self.day(day)
            if info.spans:
                left = self.working_time(max(start, info.spans[0][0]), info.spans[-1][1])
                share = Fraction(_micro(left), _micro(info.total))
                if left and share >= remaining:
                    need = dt.timedelta(microseconds=round(remaining * _micro(info.total)))
                    return self.add_working_time(max(start, info.spans[0][0]), need)
                remaining -= share
            day += ONE_DAY
        raise NoWorkingTime(f"Tidak ada jam kerja dalam {SEARCH_LIMIT_DAYS} hari sesudah {weekday_date(start.date())}.")

    def add_waktu(self, start: dt.datetime, amount, unit: str) -> dt.datetime:
        """The due moment of a step whose Mutu Baku Waktu is `amount` `unit` (hari, jam, menit)."""
        if unit == "hari":
            return self.add_working_days(start, amount)
        minutes = {"jam": 60, "menit": 1}[unit] * amount
        return self.add_working_time(start, dt.timedelta(minutes=minutes))


def _micro(delta: dt.timedelta) -> int:
    return delta // dt.timedelta(microseconds=1)
