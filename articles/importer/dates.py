"""Publication dates in every form Jekyll accepts, made timezone-aware."""

import re
from datetime import UTC, datetime, timedelta, timezone

from .post import PostError

DATE_RE = re.compile(
    r"""^\s*(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})
    (?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?)?
    \s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
EPOCH_COMMENT_RE = re.compile(r"<!--\s*(\d{10}|\d{13})\s*-->[ \t]*\r?\n?")
FILENAME_DATE_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:-(?P<H>\d{2})-(?P<M>\d{2})-(?P<S>\d{2})(?=-|$))?(?=-|$)"
)


def _offset(text):
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError("offset out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(parts, tz):
    dt = datetime(
        int(parts["y"]),
        int(parts["m"]),
        int(parts["d"]),
        int(parts.get("H") or 0),
        int(parts.get("M") or 0),
        int(parts.get("S") or 0),
        int((parts.get("f") or "0")[:6].ljust(6, "0")),
    )
    zone = parts.get("tz")
    return dt.replace(tzinfo=_offset(zone) if zone else tz)


def parse_date(value, tz):
    """An aware datetime from a front matter ``date``; naive values are in ``tz``."""
    match = DATE_RE.match(str(value)) if isinstance(value, str) else None
    if match:
        try:
            parsed = _build(match.groupdict(), tz)
        except ValueError:
            pass
        else:
            return in_range(parsed, tz)
    raise PostError(f"bad date {str(value)!r}"[:200])


def in_range(value, tz):
    """``value`` if it can be stored (in UTC) and shown (in ``tz``, the site's zone), else PostError.

    ``9999-12-31 23:59 -12:00`` is a valid date whose UTC time is in the year 10000, and
    ``0001-01-01 00:00 +14:00`` one in the year 0: Python cannot represent either.
    """
    try:
        value.astimezone(UTC)
        value.astimezone(tz)
    except OverflowError:
        raise PostError(f"date {value.isoformat(sep=' ')} out of range (years 1 to 9999 in UTC and in {tz})") from None
    return value


def date_from_epoch_comment(body):
    """``(datetime or None, body without the comment)`` for a ``<!--1657206240000-->`` comment."""
    match = EPOCH_COMMENT_RE.search(body)
    if not match:
        return None, body
    number = int(match.group(1))
    seconds = number / 1000 if len(match.group(1)) == 13 else number
    stripped = body[: match.start()] + body[match.end() :]
    return datetime.fromtimestamp(seconds, tz=UTC), stripped


def date_from_filename(stem, tz):
    """``(datetime or None, rest of the name)`` for a Jekyll ``YYYY-MM-DD-title`` file name stem.

    A time right after the date (news0's ``2020-02-14-18-28-58-14``) is part of the date.
    """
    match = FILENAME_DATE_RE.match(stem)
    if not match:
        return None, stem
    parts = match.groupdict()
    for end, time in ((match.end(), parts), (match.end("d"), {**parts, "H": None, "M": None, "S": None})):
        try:
            return _build(time, tz), stem[end:].lstrip("-")
        except ValueError:
            continue
    return None, stem
