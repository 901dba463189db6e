"""Calendar periods (days, months, years) in the site time zone, as bounds a query can use.

The database keeps UTC times from 0001-01-01 to 9999-12-31. At the edges of the calendar a
local bound may not exist there: in Singapore (UTC+8) midnight of 1 January of year 1 is still
year 0 in UTC, and the day after 31 December 9999 is not a date at all. Such a bound becomes
None, "no bound", which is exact: no stored time lies beyond it. Every date that reaches a query
(the API's from/to, the archive pages, the admin's date filters) goes through here.
"""

import calendar
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone


def storable(moment):
    """True when an aware datetime exists both in UTC (how it is stored) and in the site time zone."""
    try:
        moment.astimezone(UTC)
        timezone.localtime(moment)
    except OverflowError:
        return False
    return True


def local_midnight(day):
    """The start of ``day`` in the site time zone, or None when that instant cannot be stored."""
    if day is None:
        return None
    moment = timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())
    return moment if storable(moment) else None


def end_of(day):
    """The end of ``day`` (the next day's local midnight); None after 9999-12-31, where there is no bound."""
    return None if day is None or day == date.max else local_midnight(day + timedelta(days=1))


def days(first, last=None):
    """``(start, end)`` bounding the days ``first`` to ``last`` (inclusive); a bound is None when unbounded."""
    return local_midnight(first), end_of(last or first)


def month(year, number):
    """``(start, end)`` bounding a calendar month; ValueError for a month that does not exist."""
    first = date(year, number, 1)
    return days(first, first.replace(day=calendar.monthrange(year, number)[1]))


def year(number):
    """``(start, end)`` bounding a calendar year; ValueError for a year outside 1-9999."""
    return days(date(number, 1, 1), date(number, 12, 31))


def just_after(moment):
    """The end of a range that holds ``moment``: the next microsecond, the finest time the database
    keeps (so ``< just_after(t)`` is ``<= t``); None after the last storable instant."""
    try:
        return moment + timedelta(microseconds=1)
    except OverflowError:
        return None


def lookups(field, start, end):
    """Query keyword arguments for ``start <= field < end``, without the bounds that are None."""
    bounds = {f"{field}__gte": start, f"{field}__lt": end}
    return {key: value for key, value in bounds.items() if value is not None}


def parse_year(value):
    """A calendar year (1-9999) from a query string value; None when it is anything else."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 4):
        return None
    number = int(value)
    return number if 1 <= number <= 9999 else None
