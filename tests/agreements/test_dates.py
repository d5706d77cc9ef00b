import calendar
from datetime import date, timedelta

import pytest
from dateutil.easter import easter
from hypothesis import given, settings
from hypothesis import strategies as st

from agreements.dates import WorkingCalendar, add_months, default_calendar

DEFAULT = WorkingCalendar()
EVES_WORKING = WorkingCalendar(christmas_eve_off=False, new_years_eve_off=False)

# Holiday tables are built lazily per year, so the first example touching a year is slower.
PROPERTY = settings(deadline=None, max_examples=200)
# The holidays package has Norwegian data up to 2100; 400 working days is about 1.6 years, so
# start dates stop early enough for every result to stay inside the data.
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2098, 12, 31))
calendars = st.builds(WorkingCalendar, st.booleans(), st.booleans())


def statutory_holidays(year):
    """The Norwegian public holidays from the Public Holidays Act, computed independently."""
    easter_sunday = easter(year)
    return {
        date(year, 1, 1),
        easter_sunday - timedelta(days=3),
        easter_sunday - timedelta(days=2),
        easter_sunday,
        easter_sunday + timedelta(days=1),
        date(year, 5, 1),
        date(year, 5, 17),
        easter_sunday + timedelta(days=39),
        easter_sunday + timedelta(days=49),
        easter_sunday + timedelta(days=50),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def oracle_is_working(cal, d):
    if d.weekday() >= 5 or d in statutory_holidays(d.year):
        return False
    if (d.month, d.day) == (12, 24):
        return not cal.christmas_eve_off
    if (d.month, d.day) == (12, 31):
        return not cal.new_years_eve_off
    return True


def oracle_count(cal, start, end):
    """Working days in [start, end), counted one day at a time."""
    if end < start:
        return -oracle_count(cal, end, start)
    return sum(oracle_is_working(cal, start + timedelta(days=i)) for i in range((end - start).days))


def oracle_next(cal, d):
    while not oracle_is_working(cal, d):
        d += timedelta(days=1)
    return d


def oracle_add(cal, d, n):
    """Step one day at a time, following the definition in add_working_days' docstring."""
    if n >= 0:
        d = oracle_next(cal, d)
        for _ in range(n):
            d = oracle_next(cal, d + timedelta(days=1))
        return d
    for _ in range(-n):
        d -= timedelta(days=1)
        while not oracle_is_working(cal, d):
            d -= timedelta(days=1)
    return d


def test_it_moves_a_saturday_to_monday():
    assert date(2022, 10, 1).weekday() == 5
    assert not DEFAULT.is_working_day(date(2022, 10, 1))
    assert DEFAULT.next_working_day(date(2022, 10, 1)) == date(2022, 10, 3)
    assert DEFAULT.add_working_days(date(2022, 10, 1), 0) == date(2022, 10, 3)


def test_it_keeps_a_working_day_where_it_is():
    assert DEFAULT.next_working_day(date(2022, 10, 3)) == date(2022, 10, 3)
    assert DEFAULT.add_working_days(date(2022, 10, 3), 0) == date(2022, 10, 3)


def test_it_skips_easter_2026():
    # Maundy Thursday 2 April, Good Friday 3 April, Easter Sunday 5 April, Easter Monday 6 April.
    for day in (2, 3, 4, 5, 6):
        assert not DEFAULT.is_working_day(date(2026, 4, day))
    assert DEFAULT.is_working_day(date(2026, 4, 1))
    assert DEFAULT.add_working_days(date(2026, 4, 1), 1) == date(2026, 4, 7)
    assert DEFAULT.add_working_days(date(2026, 4, 7), -1) == date(2026, 4, 1)
    assert DEFAULT.next_working_day(date(2026, 4, 2)) == date(2026, 4, 7)
    assert DEFAULT.working_days_between(date(2026, 4, 1), date(2026, 4, 7)) == 1


def test_it_treats_17_may_2027_as_a_holiday():
    assert date(2027, 5, 17).weekday() == 0
    assert not DEFAULT.is_working_day(date(2027, 5, 17))
    # Friday 14 May + 1 skips the weekend and Monday 17 May.
    assert DEFAULT.add_working_days(date(2027, 5, 14), 1) == date(2027, 5, 18)


def test_it_treats_ascension_day_and_whit_monday_2026_as_holidays():
    assert not DEFAULT.is_working_day(date(2026, 5, 14))
    assert not DEFAULT.is_working_day(date(2026, 5, 25))
    assert DEFAULT.add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)
    assert DEFAULT.add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)


def test_it_treats_1_may_as_a_holiday():
    assert not DEFAULT.is_working_day(date(2026, 5, 1))
    assert DEFAULT.next_working_day(date(2026, 5, 1)) == date(2026, 5, 4)


def test_it_makes_christmas_eve_a_policy_choice():
    # 24 December 2026 is a Thursday.
    assert not WorkingCalendar(christmas_eve_off=True).is_working_day(date(2026, 12, 24))
    assert WorkingCalendar(christmas_eve_off=False).is_working_day(date(2026, 12, 24))


def test_it_makes_new_years_eve_a_policy_choice():
    # 31 December 2026 is a Thursday; 1 January 2027 is a Friday.
    assert not WorkingCalendar(new_years_eve_off=True).is_working_day(date(2026, 12, 31))
    assert WorkingCalendar(new_years_eve_off=False).is_working_day(date(2026, 12, 31))
    assert DEFAULT.add_working_days(date(2026, 12, 30), 1) == date(2027, 1, 4)
    assert EVES_WORKING.add_working_days(date(2026, 12, 30), 1) == date(2026, 12, 31)


def test_it_adds_working_days_across_christmas():
    # Wednesday 23 December 2026: 24 (policy), 25 (holiday), 26 (Saturday), 27 (Sunday).
    assert DEFAULT.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)
    assert DEFAULT.add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 29)
    christmas_eve_working = WorkingCalendar(christmas_eve_off=False)
    assert christmas_eve_working.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 24)
    assert christmas_eve_working.add_working_days(date(2026, 12, 23), 2) == date(2026, 12, 28)


def test_it_lists_exactly_the_non_working_weekdays_of_2026():
    non_working = {
        d
        for d in (date(2026, 1, 1) + timedelta(days=i) for i in range(365))
        if d.weekday() < 5 and not DEFAULT.is_working_day(d)
    }
    assert non_working == {
        date(2026, 1, 1),
        date(2026, 4, 2),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 31),
    }


def test_it_counts_the_working_days_of_2026():
    # 261 weekdays; 8 public holidays fall on weekdays, and 24 and 31 December are Thursdays.
    assert DEFAULT.working_days_between(date(2026, 1, 1), date(2027, 1, 1)) == 251
    assert EVES_WORKING.working_days_between(date(2026, 1, 1), date(2027, 1, 1)) == 253


def test_it_counts_non_working_ends_as_the_next_working_day():
    # 2 to 8 March 2026 is a week without holidays, Monday to Sunday.
    assert DEFAULT.working_days_between(date(2026, 3, 2), date(2026, 3, 9)) == 5
    assert DEFAULT.working_days_between(date(2026, 3, 2), date(2026, 3, 7)) == 5
    assert DEFAULT.working_days_between(date(2026, 3, 7), date(2026, 3, 9)) == 0
    assert DEFAULT.working_days_between(date(2026, 3, 7), date(2026, 3, 8)) == 0
    assert DEFAULT.working_days_between(date(2026, 3, 7), date(2026, 3, 10)) == 1
    assert DEFAULT.working_days_between(date(2026, 3, 9), date(2026, 3, 2)) == -5
    assert DEFAULT.working_days_between(date(2026, 3, 4), date(2026, 3, 4)) == 0


def test_it_starts_the_clock_on_the_next_working_day():
    assert DEFAULT.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 10)
    assert DEFAULT.add_working_days(date(2026, 3, 8), -1) == date(2026, 3, 6)
    assert DEFAULT.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)
    assert DEFAULT.add_working_days(date(2026, 3, 9), -1) == date(2026, 3, 6)


def test_it_adds_months_clamped_to_the_end_of_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)
    assert add_months(date(2026, 5, 31), -12) == date(2025, 5, 31)
    assert add_months(date(2026, 5, 31), 0) == date(2026, 5, 31)
    assert DEFAULT.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)


def test_it_refuses_a_year_without_holiday_data():
    # holidays 0.109 covers 1901-2100; 5 January 2101 is a Wednesday.
    with pytest.raises(ValueError, match="2101"):
        DEFAULT.is_working_day(date(2101, 1, 5))
    with pytest.raises(ValueError, match="2101"):
        DEFAULT.add_working_days(date(2100, 12, 20), 30)


def test_it_rejects_a_policy_that_is_not_a_bool():
    with pytest.raises(TypeError):
        WorkingCalendar(christmas_eve_off="False")


def test_it_defaults_both_eves_off_without_configured_settings(monkeypatch):
    class UnconfiguredSettings:
        configured = False

    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.setattr("django.conf.settings", UnconfiguredSettings())
    assert default_calendar() == WorkingCalendar(christmas_eve_off=True, new_years_eve_off=True)


def test_it_reads_the_policy_from_settings(monkeypatch):
    class ConfiguredSettings:
        configured = True
        WORKDAYS_CHRISTMAS_EVE_OFF = False
        WORKDAYS_NEW_YEARS_EVE_OFF = True

    monkeypatch.setattr("django.conf.settings", ConfiguredSettings())
    assert default_calendar() == WorkingCalendar(christmas_eve_off=False, new_years_eve_off=True)


def test_it_reads_the_policy_from_settings_not_yet_loaded(monkeypatch):
    # Django loads settings lazily: configured is False until the first read.
    class LazySettings:
        configured = False
        WORKDAYS_CHRISTMAS_EVE_OFF = True
        WORKDAYS_NEW_YEARS_EVE_OFF = False

    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "project.settings")
    monkeypatch.setattr("django.conf.settings", LazySettings())
    assert default_calendar() == WorkingCalendar(christmas_eve_off=True, new_years_eve_off=False)


@PROPERTY
@given(cal=calendars, year=st.integers(min_value=2000, max_value=2100))
def test_it_matches_the_statutory_holidays(cal, year):
    start = date(year, 1, 1)
    for i in range(366 if calendar.isleap(year) else 365):
        d = start + timedelta(days=i)
        assert cal.is_working_day(d) == oracle_is_working(cal, d), d


@PROPERTY
@given(cal=calendars, d=dates, n=st.integers(min_value=0, max_value=400))
def test_it_counts_back_what_it_added(cal, d, n):
    assert cal.working_days_between(d, cal.add_working_days(d, n)) == n


@PROPERTY
@given(cal=calendars, d=dates, n=st.integers(min_value=-400, max_value=400))
def test_it_counts_back_what_it_added_in_both_directions(cal, d, n):
    assert cal.working_days_between(d, cal.add_working_days(d, n)) == n


@PROPERTY
@given(cal=calendars, d=dates, n=st.integers(min_value=-400, max_value=400))
def test_it_always_lands_on_a_working_day(cal, d, n):
    assert cal.is_working_day(cal.add_working_days(d, n))


@PROPERTY
@given(cal=calendars, d=dates, n=st.integers(min_value=-60, max_value=60))
def test_it_adds_like_stepping_one_day_at_a_time(cal, d, n):
    assert cal.add_working_days(d, n) == oracle_add(cal, d, n)


@PROPERTY
@given(cal=calendars, start=dates, days=st.integers(min_value=-800, max_value=800))
def test_it_counts_like_stepping_one_day_at_a_time(cal, start, days):
    end = start + timedelta(days=days)
    assert cal.working_days_between(start, end) == oracle_count(cal, start, end)


@PROPERTY
@given(cal=calendars, d=dates)
def test_it_makes_next_working_day_idempotent_and_never_earlier(cal, d):
    moved = cal.next_working_day(d)
    assert moved >= d
    assert cal.next_working_day(moved) == moved
    assert cal.is_working_day(moved)
    assert all(not cal.is_working_day(d + timedelta(days=i)) for i in range((moved - d).days))


@PROPERTY
@given(cal=calendars, d=dates, n=st.integers(min_value=-400, max_value=400))
def test_it_returns_to_a_working_day_after_adding_and_subtracting(cal, d, n):
    start = cal.next_working_day(d)
    assert cal.add_working_days(cal.add_working_days(start, n), -n) == start
    assert cal.add_working_days(cal.add_working_days(d, n), -n) == start


@PROPERTY
@given(cal=calendars, a=dates, b=dates, c=dates)
def test_it_counts_additively_and_antisymmetrically(cal, a, b, c):
    assert cal.working_days_between(a, b) == -cal.working_days_between(b, a)
    assert cal.working_days_between(a, b) + cal.working_days_between(
        b, c
    ) == cal.working_days_between(a, c)


@PROPERTY
@given(d=dates, months=st.integers(min_value=-240, max_value=240))
def test_it_adds_months_to_the_same_day_or_the_last_day(d, months):
    result = add_months(d, months)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == months
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == d.day or (result.day == last_day and d.day > last_day)
