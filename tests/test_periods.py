"""Calendar periods at the edges of the calendar, in time zones ahead of and behind UTC."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from articles.core import periods


@pytest.fixture(params=["Asia/Singapore", "Pacific/Kiritimati", "Etc/GMT+12", "UTC"])
def zone(request):
    with timezone.override(request.param):
        yield request.param


def test_bounds_are_storable_and_none_only_past_either_end_of_the_calendar(zone):
    firsts = (periods.year(1), periods.month(1, 1), periods.days(date.min), periods.days(date.min, date.max))
    lasts = (periods.year(9999), periods.month(9999, 12), periods.days(date.max), periods.days(date.min, date.max))
    # Ahead of UTC, midnight of 1 January, year 1, is year 0 in UTC; no zone has a day after 9999-12-31.
    ahead = timezone.localtime(datetime(1, 1, 2, tzinfo=UTC)).utcoffset().total_seconds() > 0
    assert [start is None for start, _ in firsts] == [ahead] * 4
    assert [end is None for _, end in lasts] == [True] * 4
    bounds = [end for _, end in firsts[:3]] + [start for start, _ in lasts[:3]]
    bounds += [] if ahead else [start for start, _ in firsts]
    assert all(timezone.is_aware(bound) and periods.storable(bound) for bound in bounds), (zone, bounds)


def test_edges_become_no_bound_only_where_the_calendar_ends():
    with timezone.override("Asia/Singapore"):
        start, end = periods.year(1)
        assert start is None  # midnight of 1 January, year 1, is year 0 in UTC
        assert end == datetime(2, 1, 1, tzinfo=timezone.get_current_timezone())
        start, end = periods.month(9999, 12)
        assert start == datetime(9999, 12, 1, tzinfo=timezone.get_current_timezone()) and end is None
    with timezone.override("UTC"):
        assert periods.year(1) == (datetime(1, 1, 1, tzinfo=UTC), datetime(2, 1, 1, tzinfo=UTC))


def test_ordinary_periods_are_local_midnights():
    with timezone.override("Asia/Singapore"):
        start, end = periods.month(2024, 2)
        assert (start.isoformat(), end.isoformat()) == ("2024-02-01T00:00:00+08:00", "2024-03-01T00:00:00+08:00")
        start, end = periods.days(date(2022, 7, 7), date(2022, 7, 8))
        assert (start.isoformat(), end.isoformat()) == ("2022-07-07T00:00:00+08:00", "2022-07-09T00:00:00+08:00")


@pytest.mark.parametrize(("year", "month"), [(0, 1), (10000, 1), (2022, 13), (2022, 0)])
def test_dates_outside_the_calendar_are_value_errors(year, month):
    with pytest.raises(ValueError):
        periods.month(year, month)


def test_lookups_skip_missing_bounds():
    moment = datetime(2022, 1, 1, tzinfo=UTC)
    assert periods.lookups("published_at", None, moment) == {"published_at__lt": moment}
    assert periods.lookups("published_at", moment, None) == {"published_at__gte": moment}


def test_storable_refuses_times_that_leave_the_calendar_in_utc_or_locally():
    with timezone.override("Asia/Singapore"):
        assert not periods.storable(datetime(1, 1, 1, 3, tzinfo=timezone.get_current_timezone()))
        assert not periods.storable(datetime(9999, 12, 31, 20, tzinfo=UTC))  # 10000-01-01 in Singapore
        assert periods.storable(datetime(9999, 12, 31, 23, 59, tzinfo=timezone.get_current_timezone()))
