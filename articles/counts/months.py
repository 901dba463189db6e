"""Months in the site time zone: as a number (``year * 100 + month``), in Python and in SQL.

Counts are kept per local month, so a month's bar, its archive page and the search's month
counts agree with ``periods.month``. PostgreSQL converts each time itself. SQLite has no time
zones: Django extracts a local year or month with a Python call per row, which costs seconds at a
million rows, so between ``FIRST_YEAR`` and ``LAST_YEAR`` the time is shifted by its zone's
offset in SQL (``strftime`` with ``+N seconds``), one CASE branch per stretch of constant offset
(a few for zones without summer time, two a year for those with it); other times are extracted.
"""

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import Expression, F, IntegerField
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.utils import timezone

FIRST_YEAR, LAST_YEAR = 1900, 2100


def month_number(year, month):
    return year * 100 + month


def split(number):
    """(year, month) of a month number."""
    return divmod(number, 100)


def zone_name():
    """The current time zone's name (its key: ``tzname`` of ``Etc/GMT+12`` would be "-12")."""
    return str(timezone.get_current_timezone())


def local_month(moment):
    """The month number of an aware datetime in the current time zone."""
    local = timezone.localtime(moment)
    return month_number(local.year, local.month)


@lru_cache(maxsize=8)
def offset_stretches(zone_name, first=FIRST_YEAR, last=LAST_YEAR):
    """[(start instant, UTC offset in seconds)] from ``first`` to ``last`` (exclusive), newest first.

    Each offset holds from its start to the next one's. Found by probing the zone once a day and
    bisecting each change to the second (zoneinfo does not list its transitions).
    """
    zone = ZoneInfo(zone_name)

    def offset(moment):
        return int(moment.astimezone(zone).utcoffset().total_seconds())

    moment, end = datetime(first, 1, 1, tzinfo=UTC), datetime(last, 1, 1, tzinfo=UTC)
    stretches = [(moment, offset(moment))]
    day = timedelta(days=1)
    while moment < end:
        following = min(moment + day, end)
        if offset(following) != stretches[-1][1]:
            low, high = moment, following
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if offset(middle) == stretches[-1][1] else (low, middle)
            stretches.append((high.replace(microsecond=0), offset(high)))
        moment = following
    return list(reversed(stretches))


class LocalMonth(Expression):
    """The month number of a datetime column in the current time zone (see the module's docstring)."""

    output_field = IntegerField()

    def __init__(self, field="published_at"):
        super().__init__()
        self.column = F(field)
        self.year, self.month = Cast(ExtractYear(field), IntegerField()), Cast(ExtractMonth(field), IntegerField())

    def get_source_expressions(self):
        return [self.column, self.year, self.month]

    def set_source_expressions(self, exprs):
        self.column, self.year, self.month = exprs

    def as_sql(self, compiler, connection):
        year, year_params = compiler.compile(self.year)
        month, month_params = compiler.compile(self.month)
        extracted, extracted_params = f"({year} * 100 + {month})", [*year_params, *month_params]
        if connection.vendor != "sqlite":
            return extracted, extracted_params
        column, column_params = compiler.compile(self.column)
        adapt = connection.ops.adapt_datetimefield_value
        whens = [f"WHEN {column} >= %s THEN {extracted}"]
        params = [*column_params, adapt(datetime(LAST_YEAR, 1, 1, tzinfo=UTC)), *extracted_params]
        for start, seconds in offset_stretches(zone_name()):
            # The shift is a literal: an integer made here, never a value from outside.
            shifted = f"strftime('%%Y%%m', {column}, '{seconds:+d} seconds')"
            whens.append(f"WHEN {column} >= %s THEN CAST({shifted} AS INTEGER)")
            params += [*column_params, adapt(start), *column_params]
        return f"CASE {' '.join(whens)} ELSE {extracted} END", [*params, *extracted_params]


def years(months):
    """[(year, count)] newest first, from [(month number, count)]: only years with articles."""
    totals = {}
    for number, count in months:
        year = split(number)[0]
        totals[year] = totals.get(year, 0) + count
    return sorted(totals.items(), reverse=True)
