from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from articles.importer.dates import date_from_epoch_comment, date_from_filename, parse_date
from articles.importer.post import PostError

SGT = ZoneInfo("Asia/Singapore")
PLUS8 = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-01-31 16:55:44.000000000 +08:00", datetime(2021, 1, 31, 16, 55, 44, tzinfo=PLUS8)),
        ("2022-07-07T15:04:00.000Z", datetime(2022, 7, 7, 15, 4, tzinfo=UTC)),
        ("2025-05-16 12:00:00 +0800", datetime(2025, 5, 16, 12, 0, tzinfo=PLUS8)),
        ("2025-05-16 12:00 +0800", datetime(2025, 5, 16, 12, 0, tzinfo=PLUS8)),
        ("2020-02-26 11:16:05 -05:00", datetime(2020, 2, 26, 16, 16, 5, tzinfo=UTC)),
        ("2020-02-26T11:16:05.123456789+09", datetime(2020, 2, 26, 2, 16, 5, 123456, tzinfo=UTC)),
        ("2020-02-26 11:16:05 UTC", datetime(2020, 2, 26, 11, 16, 5, tzinfo=UTC)),
        ("1899-09-30 12:00:00 +0800", datetime(1899, 9, 30, 12, 0, tzinfo=PLUS8)),
    ],
)
def test_dates_with_an_offset(value, expected):
    parsed = parse_date(value, SGT)
    assert parsed == expected
    assert parsed.utcoffset() is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-02-26", datetime(2020, 2, 26, 0, 0)),
        ("2020-2-6", datetime(2020, 2, 6, 0, 0)),
        ("2020-02-26 09:30", datetime(2020, 2, 26, 9, 30)),
        ("2020-02-26 09:30:15", datetime(2020, 2, 26, 9, 30, 15)),
        ("2020/02/26 09:30", datetime(2020, 2, 26, 9, 30)),
    ],
)
def test_naive_dates_are_in_the_site_time_zone(value, expected):
    assert parse_date(value, SGT) == expected.replace(tzinfo=SGT)
    assert parse_date(value, SGT).utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    "value", ["xyz", "yesterday", "2020-13-01", "2020-02-30", "2020-02-26 25:00", "2020-02-26 +25:00", "", 20200226]
)
def test_bad_dates_are_errors(value):
    with pytest.raises(PostError, match="^bad date "):
        parse_date(value, SGT)


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31 23:59:59 -12:00",  # the year 10000 in UTC
        "0001-01-01 00:00:00 +14:00",  # the year 0 in UTC
        "0001-01-01 00:00:00",  # naive, in the site's UTC+8
        "9999-12-31 23:00:00 Z",  # storable, but the year 10000 in the site's time zone
    ],
)
def test_dates_that_cannot_be_stored_or_shown_are_errors(value):
    with pytest.raises(PostError, match=r"^date .* out of range \(years 1 to 9999 in UTC and in Asia/Singapore\)$"):
        parse_date(value, SGT)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0001-01-01 08:00:00 +08:00", datetime(1, 1, 1, tzinfo=UTC)),
        ("9999-12-31 15:59:59 Z", datetime(9999, 12, 31, 15, 59, 59, tzinfo=UTC)),
    ],
)
def test_the_first_and_last_dates_the_site_can_show(value, expected):
    assert parse_date(value, SGT) == expected


def test_epoch_comment_gives_the_date_and_leaves_the_body():
    when, body = date_from_epoch_comment("<!--1657206240000-->\n[Title](url)\n------\n")
    assert when == datetime(2022, 7, 7, 15, 4, tzinfo=UTC)
    assert body == "[Title](url)\n------\n"


def test_epoch_comment_in_seconds():
    when, _ = date_from_epoch_comment("<!-- 1657206240 -->")
    assert when == datetime(2022, 7, 7, 15, 4, tzinfo=UTC)


def test_no_epoch_comment():
    assert date_from_epoch_comment("<!-- a comment -->\ntext") == (None, "<!-- a comment -->\ntext")


@pytest.mark.parametrize(
    ("stem", "expected", "rest"),
    [
        ("2020-02-14-foo-bar", datetime(2020, 2, 14), "foo-bar"),
        ("2020-02-14-18-28-58-14", datetime(2020, 2, 14, 18, 28, 58), "14"),
        ("2020-02-15-08-06-10-", datetime(2020, 2, 15, 8, 6, 10), ""),
        ("2020-02-14-10-things-to-do", datetime(2020, 2, 14), "10-things-to-do"),
        ("2020-02-14-25-61-99-not-a-time", datetime(2020, 2, 14), "25-61-99-not-a-time"),
    ],
)
def test_date_from_file_name(stem, expected, rest):
    assert date_from_filename(stem, SGT) == (expected.replace(tzinfo=SGT), rest)


@pytest.mark.parametrize("stem", ["000_5d55ed8ea138fb0a", "about", "2020-02-30-bad-day", "20200214-compact"])
def test_file_names_without_a_date(stem):
    assert date_from_filename(stem, SGT) == (None, stem)
