"""Norwegian working days and month arithmetic for agreement deadlines.

A working day is Monday to Friday, except the Norwegian public holidays (1 Jan, Maundy Thursday,
Good Friday, Easter Sunday and Monday, 1 May, 17 May, Ascension Day, Whit Sunday and Monday,
25 and 26 Dec) and, as a configurable policy, 24 and 31 Dec.

Working-day arithmetic follows one rule: a date that is not a working day behaves like the next
working day (a deadline that falls on a non-working day moves there). With that rule,
``working_days_between(start, end)`` counts the working days in the half-open range
``[start, end)``, and these laws hold for every date ``d`` and every integer ``n``::

    working_days_between(d, add_working_days(d, n)) == n
    add_working_days(add_working_days(d, n), -n) == next_working_day(d)
    working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)

When ``start`` and ``end`` are both working days, ``[start, end)`` and ``(start, end]`` hold the
same number of working days, so the count is the familiar "working days from start to end".

Pure Python: importable without Django configured; only ``default_calendar`` looks at settings
and only the two functions that speak to the user about the allowed range need Django.
"""

from __future__ import annotations

import calendar
import functools
import os
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date

import holidays

_SATURDAY = 5


# The dates a person may give: an agreement's dates, the last day of an absence, the moment a
# reminder preview is run for. The holiday data covers 1901-2100; stopping a year short leaves
# room for the deadlines and reminders counted from the last allowed date.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)


class OutsideCalendar(ValueError):  # noqa: N818 - reads as "the date is outside the calendar"
    """The date lies in a year the Norwegian holiday data does not cover."""


def in_allowed_range(d: date) -> bool:
    """Return whether ``d`` lies in ``[EARLIEST_DATE, LATEST_DATE]``."""
    return EARLIEST_DATE <= d <= LATEST_DATE


def clamp_to_allowed_range(d: date) -> date:
    """Return ``d``, or the nearer end of the allowed range when ``d`` lies outside it."""
    return min(max(d, EARLIEST_DATE), LATEST_DATE)


def allowed_range_message() -> str:
    """Return the message for a date outside the allowed range, in the user's language."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    return _("Velg en dato mellom %(first)s og %(last)s.") % {
        "first": date_format(EARLIEST_DATE),
        "last": date_format(LATEST_DATE),
    }


def check_allowed_range(**dates: date | None) -> None:
    """Raise Django's ``ValidationError`` naming each field whose date is outside the range.

    ``None`` (no date given) is allowed.
    """
    from django.core.exceptions import ValidationError

    outside = [name for name, d in dates.items() if d is not None and not in_allowed_range(d)]
    if outside:
        raise ValidationError({name: allowed_range_message() for name in outside})


@functools.cache
def _public_holiday_weekdays(year: int) -> frozenset[int]:
    """Return the ordinals of the Norwegian public holidays in ``year`` that fall on Mon-Fri.

    Raises ``ValueError`` for a year the holidays package has no data for.
    """
    # Some versions of the Norway calendar list every Sunday as a holiday (they are, legally).
    # Asking for include_sundays=False and keeping only Monday-Friday makes the result the same
    # either way: weekends are non-working days regardless, and the counting in
    # working_days_between subtracts holidays from a count of weekdays, so a weekend day in this
    # set would be subtracted twice.
    public = holidays.Norway(years=year, include_sundays=False)
    # The package has data for a limited range of years (1901-2100 in holidays 0.109) and returns
    # an empty calendar outside it. Every year has 1 January, so an empty calendar means no data;
    # counting every weekday as a working day would be silently wrong.
    if not public:
        raise OutsideCalendar(f"the holidays package has no Norwegian holidays for {year}")
    return frozenset(d.toordinal() for d in public if d.weekday() < _SATURDAY)


@functools.cache
def _closed_weekdays(
    year: int, christmas_eve_off: bool, new_years_eve_off: bool
) -> tuple[int, ...]:
    """Return the sorted ordinals of the Mon-Fri days in ``year`` that are not working days."""
    closed = set(_public_holiday_weekdays(year))
    if christmas_eve_off:
        closed.add(date(year, 12, 24).toordinal())
    if new_years_eve_off:
        closed.add(date(year, 12, 31).toordinal())
    return tuple(sorted(o for o in closed if date.fromordinal(o).weekday() < _SATURDAY))


def _weekdays_before(ordinal: int) -> int:
    """Return how many Mon-Fri days have an ordinal in ``[1, ordinal)``."""
    # Ordinal 1 (0001-01-01) is a Monday, so every block of 7 ordinals from there is Mon..Sun.
    weeks, rest = divmod(ordinal - 1, 7)
    return 5 * weeks + min(rest, 5)


def _weekday_with_index(index: int) -> date:
    """Return the Mon-Fri day that has exactly ``index`` Mon-Fri days before it (from ordinal 1)."""
    weeks, rest = divmod(index, 5)
    return date.fromordinal(1 + 7 * weeks + rest)


def add_months(d: date, months: int) -> date:
    """Return ``d`` moved by ``months`` calendar months (negative moves back).

    The result has the same day of the month as ``d``, or the last day of the target month when
    that month is shorter: 2026-01-31 + 1 month is 2026-02-28, 2024-01-31 + 1 month is
    2024-02-29, and 2026-03-31 - 1 month is 2026-02-28. The result is not moved off weekends or
    holidays; use ``WorkingCalendar.next_working_day`` for that.
    """
    year, month_index = divmod(d.year * 12 + (d.month - 1) + months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(d.day, last_day))


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Norwegian working days, with 24 and 31 December as a policy choice.

    ``christmas_eve_off`` and ``new_years_eve_off`` (default ``True``) make 24 and 31 December
    non-working days. Instances are immutable and cheap: the holiday tables are cached per year
    and policy at module level, so any number of calendars share them.

    Every method raises ``ValueError`` when it needs a year the holidays package has no data for
    (holidays 0.109 covers 1901-2100), rather than treating that year's holidays as working days.
    """

    christmas_eve_off: bool = True
    new_years_eve_off: bool = True

    def __post_init__(self) -> None:
        # A string such as "False" from an unparsed environment variable would be truthy.
        for name in ("christmas_eve_off", "new_years_eve_off"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"WorkingCalendar.{name} must be a bool")

    def _closed(self, year: int) -> tuple[int, ...]:
        return _closed_weekdays(year, self.christmas_eve_off, self.new_years_eve_off)

    def is_working_day(self, d: date) -> bool:
        """Return ``True`` if ``d`` is Monday to Friday and not a holiday under this policy."""
        return d.weekday() < _SATURDAY and d.toordinal() not in self._closed(d.year)

    def next_working_day(self, d: date) -> date:
        """Return ``d`` if it is a working day, else the first working day after it.

        This is where a deadline that falls on a non-working day moves to.
        """
        while not self.is_working_day(d):
            d = date.fromordinal(d.toordinal() + 1)
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Return the number of working days ``w`` with ``start <= w < end``.

        When ``end < start`` the result is minus the number of working days in ``[end, start)``,
        so ``working_days_between(a, b) == -working_days_between(b, a)``. Equal dates give 0.

        For working days ``start`` and ``end`` this equals the number of working days in
        ``(start, end]``: Monday to the following Monday is 5. A non-working date counts as the
        next working day: Saturday to the following Monday is 0, Saturday to Tuesday is 1, and
        Monday to the following Saturday is 5 (a deadline on that Saturday moves to Monday).
        This definition is what makes
        ``working_days_between(d, add_working_days(d, n)) == n`` hold for every ``d`` and ``n``.

        Takes time proportional to the number of calendar years spanned, not days.
        """
        if end < start:
            return -self.working_days_between(end, start)
        start_ordinal, end_ordinal = start.toordinal(), end.toordinal()
        weekdays = _weekdays_before(end_ordinal) - _weekdays_before(start_ordinal)
        closed = 0
        for year in range(start.year, end.year + 1):
            table = self._closed(year)
            closed += bisect_left(table, end_ordinal) - bisect_left(table, start_ordinal)
        return weekdays - closed

    def add_working_days(self, d: date, n: int) -> date:
        """Return the working day ``n`` working days after ``d`` (before it when ``n < 0``).

        - ``n > 0`` and ``d`` a working day: step forward ``n`` working days; ``d`` itself does
          not count. Wednesday + 1 is Thursday; Friday + 1 is the following Monday.
        - ``n == 0``: ``next_working_day(d)``, i.e. ``d`` itself if it is a working day.
        - ``n > 0`` and ``d`` not a working day: the clock starts on ``next_working_day(d)``,
          as if the thing being counted from had happened then. Saturday + 0 is Monday,
          Saturday + 1 is Tuesday. (Starting from Saturday itself would make + 0 and + 1 both
          Monday, and no count of working days could then tell them apart.)
        - ``n < 0``: step back ``-n`` working days; ``d`` itself does not count, whether or not
          it is a working day. Wednesday - 1 is Tuesday; Sunday - 1 is Friday.

        The result is always a working day, and
        ``working_days_between(d, result) == n``. Holidays are skipped in jumps of whole
        weeks, so long spans do not step day by day.
        """
        if n >= 0:
            # The result w is the working day with exactly n working days in [d, w).
            current, remaining = self.next_working_day(d), n
            while remaining > 0:
                # Jump as if there were no holidays, then take back what the holidays cost.
                guess = _weekday_with_index(_weekdays_before(current.toordinal()) + remaining)
                remaining -= self.working_days_between(current, guess)
                # Moving off a non-working guess passes no working day, so the count is unchanged.
                current = self.next_working_day(guess)
            return current
        # The result w is the latest working day with exactly -n working days in [w, d).
        current, remaining = d, -n
        while remaining > 0:
            guess = _weekday_with_index(_weekdays_before(current.toordinal()) - remaining)
            remaining -= self.working_days_between(guess, current)
            current = guess
        # [current, d) already holds -n working days; if current is a holiday, the first working
        # day after it holds the same ones and is the one asked for.
        return self.next_working_day(current)

    def add_months(self, d: date, months: int) -> date:
        """Return ``add_months(d, months)``; here so callers can use one calendar object."""
        return add_months(d, months)


def default_calendar() -> WorkingCalendar:
    """Return a calendar configured from Django settings, or the defaults without Django.

    Reads ``WORKDAYS_CHRISTMAS_EVE_OFF`` and ``WORKDAYS_NEW_YEARS_EVE_OFF`` when Django settings
    are configured or ``DJANGO_SETTINGS_MODULE`` is set (loading the settings if needed; errors
    in the settings module propagate). A missing setting, Django not installed, or neither
    configured settings nor ``DJANGO_SETTINGS_MODULE`` gives the default (both days off).

    Not cached, so ``override_settings`` in tests takes effect; building a calendar is cheap
    because the holiday tables are cached separately.
    """
    try:
        from django.conf import ENVIRONMENT_VARIABLE, settings
    except ImportError:
        return WorkingCalendar()
    # settings.configured stays False until something first reads a setting, even when
    # DJANGO_SETTINGS_MODULE is set, so checking it alone could skip the real policy.
    if not settings.configured and not os.environ.get(ENVIRONMENT_VARIABLE):
        return WorkingCalendar()
    return WorkingCalendar(
        christmas_eve_off=getattr(settings, "WORKDAYS_CHRISTMAS_EVE_OFF", True),
        new_years_eve_off=getattr(settings, "WORKDAYS_NEW_YEARS_EVE_OFF", True),
    )
