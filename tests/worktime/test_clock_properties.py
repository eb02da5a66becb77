"""Properties of the clock that must hold for any instants, on a calendar with every kind of day."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from lib.dates import TZ
from worktime.clock import Calendar, Override, office_hours, t

CALENDAR = Calendar(
    overrides=[Override("Ramadan", dt.date(2026, 2, 18), dt.date(2026, 3, 19),
                        {wd: office_hours(t("08:00"), t("15:00"), t("12:00"), t("12:30")) for wd in range(5)})],
    extra_off={dt.date(2026, 3, 11): "Pilkada"},
    not_off={dt.date(2026, 5, 15): "tetap masuk"},
)
PROPERTY = settings(max_examples=80, deadline=None)

moments = st.datetimes(min_value=dt.datetime(2025, 10, 1), max_value=dt.datetime(2026, 9, 30))
minute_moments = moments.map(lambda m: m.replace(second=0, microsecond=0))
days = st.dates(min_value=dt.date(2025, 10, 1), max_value=dt.date(2026, 9, 30))


def ordered(*values):
    return sorted(values)


@PROPERTY
@given(moments, moments, moments)
def test_additive_over_any_split_point(a, b, c):
    a, b, c = ordered(a, b, c)
    assert CALENDAR.working_time(a, c) == CALENDAR.working_time(a, b) + CALENDAR.working_time(b, c)


@PROPERTY
@given(minute_moments, minute_moments, minute_moments)
def test_whole_minutes_add_up_when_the_instants_are_on_the_minute(a, b, c):
    a, b, c = ordered(a, b, c)
    assert CALENDAR.working_minutes(a, c) == CALENDAR.working_minutes(a, b) + CALENDAR.working_minutes(b, c)


@PROPERTY
@given(moments, moments)
def test_never_more_than_the_wall_clock(a, b):
    a, b = ordered(a, b)
    assert dt.timedelta(0) <= CALENDAR.working_time(a, b) <= b - a


@PROPERTY
@given(moments, moments, moments)
def test_monotone(a, b, c):
    a, b, c = ordered(a, b, c)
    assert CALENDAR.working_time(a, b) <= CALENDAR.working_time(a, c)
    assert CALENDAR.working_time(b, c) <= CALENDAR.working_time(a, c)


@PROPERTY
@given(days, st.times(), st.times())
def test_zero_inside_a_day_off(day, x, y):
    info = CALENDAR.day(day)
    if info.off:
        x, y = ordered(dt.datetime.combine(day, x), dt.datetime.combine(day, y))
        assert CALENDAR.working_time(x, y) == dt.timedelta(0)
        midnight = dt.datetime.combine(day, dt.time())
        assert CALENDAR.working_time(midnight, midnight + dt.timedelta(days=1)) == dt.timedelta(0)
    else:
        assert info.total > dt.timedelta(0)


@PROPERTY
@given(days, st.integers(0, 3600))
def test_zero_inside_a_break(day, seconds):
    spans = CALENDAR.day(day).spans
    for (_, break_start), (break_end, _) in zip(spans, spans[1:]):
        inside = min(break_start + dt.timedelta(seconds=seconds), break_end)
        assert CALENDAR.working_time(break_start, inside) == dt.timedelta(0)
        assert CALENDAR.working_time(inside, break_end) == dt.timedelta(0)


@PROPERTY
@given(moments, st.integers(1, 60 * 24 * 20))
def test_adding_working_time_then_measuring_it_gives_it_back(start, minutes):
    due = CALENDAR.add_working_time(start, dt.timedelta(minutes=minutes))
    assert CALENDAR.working_time(start, due) == dt.timedelta(minutes=minutes)


@PROPERTY
@given(moments.map(lambda m: m.replace(tzinfo=TZ).astimezone(dt.timezone.utc)), moments)
def test_an_instant_given_in_utc_is_the_same_instant(a_utc, b):
    a_local = a_utc.astimezone(TZ).replace(tzinfo=None)
    assert CALENDAR.working_time(a_utc, b) == CALENDAR.working_time(a_local, b)


years_apart = st.datetimes(min_value=dt.datetime(2023, 6, 1), max_value=dt.datetime(2027, 12, 31))


@PROPERTY
@given(years_apart, years_apart)
def test_a_span_of_months_or_years_counts_the_same_as_its_days_one_by_one(a, b):
    # working_time sums whole days from running totals per year; explain walks the days.
    a, b = ordered(a, b)
    assert CALENDAR.working_time(a, b) == CALENDAR.explain(a, b).total
