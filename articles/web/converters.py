"""Path converters: four-digit years, two-digit months and days, and stored text as one URL segment."""

import re
from urllib.parse import unquote


class FourDigits:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


class TwoDigits(FourDigits):
    regex = "[0-9]{2}"

    def to_url(self, value):
        return f"{int(value):02d}"


_ESCAPED = re.compile(r"[%/\x00-\x1f\x7f]")


class Segment:
    """Any stored text (an author's name, a slug) as one path segment that round-trips exactly.

    ``%``, ``/`` and control characters are percent-escaped here, and ``reverse()`` escapes that
    ``%`` once more: ``a/../b`` links as ``a%252F..%252Fb``, which a browser cannot resolve to
    another folder; a name that is only dots is escaped too (``%252E``), since browsers read
    ``.``, ``..`` and their ``%2E`` forms as "this" or "parent" folder. The server decodes once and
    ``to_python`` decodes the rest. Newlines no longer break ``reverse()``, ``?`` and ``#`` are
    escaped by ``reverse()`` itself. Only the empty string has no URL (``NoReverseMatch``).
    """

    regex = "[^/]+"

    def to_python(self, value):
        text = unquote(value)
        if "\x00" in text:
            raise ValueError("NUL")  # no stored text holds one, and PostgreSQL cannot compare it: 404
        return text

    def to_url(self, value):
        text = str(value)
        if not text:
            raise ValueError("empty")
        escaped = _ESCAPED.sub(lambda match: f"%{ord(match.group()):02X}", text)
        return escaped.replace(".", "%2E") if escaped in {".", ".."} else escaped


class Text(Segment):
    """A :class:`Segment` that also accepts the raw slashes of links made before it (``/author/新华社/路透社/``)."""

    regex = ".+"
