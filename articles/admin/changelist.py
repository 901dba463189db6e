"""Change lists whose date filters work from year 1 to 9999 and refuse nonsense with the admin's error page."""

import re
from datetime import date

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList

from articles import periods

PARTS = ("year", "month", "day")


def hierarchy_period(values):
    """``(start, end)`` of the date hierarchy's year, month and day values (each None or a list)."""
    year, month, day = (None if value is None else value[-1] for value in values)
    numbers = [part for part in (year, month, day) if part is not None]
    if not all(re.fullmatch(r"[0-9]{1,4}", part) for part in numbers):
        raise IncorrectLookupParameters(f"Not a date: {'-'.join(numbers)}")
    try:
        if day is not None:
            return periods.days(date(int(year), int(month or 1), int(day)))
        if month is not None:
            return periods.month(int(year), int(month))
        return periods.year(int(year))
    except ValueError as exc:
        raise IncorrectLookupParameters(exc) from exc


class CalendarChangeList(ChangeList):
    """The date hierarchy's ``__year``/``__month``/``__day`` filters, bounded through ``periods``.

    Django's own bounds overflow at the edges of the calendar (the year after 9999, year 0 in
    UTC for 1 January of year 1 in Singapore) and a huge year is an OverflowError: all 500s.
    """

    def get_filters(self, request):
        field = self.date_hierarchy
        keys = [f"{field}__{part}" for part in PARTS]
        if not field or keys[0] not in self.filter_params:
            return super().get_filters(request)
        bounds = periods.lookups(field, *hierarchy_period([self.filter_params.get(key) for key in keys]))
        everything = self.filter_params
        self.filter_params = {key: value for key, value in everything.items() if key not in keys}
        try:
            specs, has_filters, remaining, duplicates, active = super().get_filters(request)
        finally:
            self.filter_params = everything
        remaining.update({key: [value] for key, value in bounds.items()})
        return specs, has_filters, remaining, duplicates, active
