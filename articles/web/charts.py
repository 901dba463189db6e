"""A timeline chart's layout from month counts: small bar charts, one per year, drawn as SVG by a template.

One row of bars per year (12 months) folds any range into charts that fit a phone and sit side by
side on a desktop. A range of too many years for that is drawn one level up: a row per decade with
a bar per year, then per century with a bar per decade, then per millennium. Rows run newest first;
a short range shows its empty years too, a long one only those with articles. Every bar is scaled
to the largest, and a bar for one article among 100,000 is still drawn (``MIN_HEIGHT``).
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.counts.months import split

from .params import canonical_query

MAX_ROWS = 40  # small charts at most, before a level up
WIDTH, HEIGHT, TOP = 120, 40, 14  # the SVG's units: a row's width, its bars' height, the label's space
MIN_HEIGHT = 1.5
# Each level: months per bar, bars per row.
LEVELS = ((1, 12), (12, 10), (120, 10), (1200, 10))


@dataclass
class Bar:
    count: int
    label: str  # the period, for tooltips and the table
    url: str | None
    x: float = 0
    y: float = 0
    height: float = 0


@dataclass
class Row:
    label: str
    total: int
    bars: list = field(default_factory=list)  # only the bars with articles


@dataclass
class Chart:
    rows: list
    total: int
    bar_width: float
    level: int  # 0: a bar per month; 1: per year; 2: per decade; 3: per century
    width: int = WIDTH
    height: int = TOP + HEIGHT + 2
    axis: float = TOP + HEIGHT + 0.5  # the line under the bars, on a pixel

    @property
    def bars(self):
        """Every bar with articles, oldest first: the table of numbers."""
        return [bar for row in reversed(self.rows) for bar in row.bars]


def _index(month_number):
    year, month = split(month_number)
    return year * 12 + month - 1


def _month_names():
    """Each month's "July 2022" in the current language, as a pattern for any year: twelve
    ``date_format`` calls per chart rather than one per bar."""
    return [date_format(date(PLACEHOLDER_YEAR, month, 1), "YEAR_MONTH_FORMAT") for month in range(1, 13)]


PLACEHOLDER_YEAR = 1111  # no date format writes a year otherwise than with its digits


def _period(level, start, names=None):
    """The label of the period starting at month index ``start`` of a bar at ``level``."""
    year, month = divmod(start, 12)
    if level == 0:
        return (names or _month_names())[month].replace(str(PLACEHOLDER_YEAR), str(year))
    span = LEVELS[level][0] // 12
    return str(year) if span == 1 else _("%(first)s–%(last)s") % {"first": year, "last": year + span - 1}


def _level(indexes):
    """The finest level whose rows with articles are at most ``MAX_ROWS``."""
    for level, (size, per_row) in enumerate(LEVELS):
        if len({index // (size * per_row) for index in indexes}) <= MAX_ROWS:
            return level
    return len(LEVELS) - 1


def timeline(months, link):
    """The ``Chart`` of ``months`` ([(month number, count)]); ``link(year, month)`` gives a bar's URL
    (``month`` None for a bar of a whole year; None for no link). None when there is nothing to draw."""
    counts = {_index(number): count for number, count in months if count > 0}
    if not counts:
        return None
    level = _level(counts)
    size, per_row = LEVELS[level]
    cells = {}
    for index, count in counts.items():
        cells[index // size] = cells.get(index // size, 0) + count
    rows_with_articles = sorted({cell // per_row for cell in cells}, reverse=True)
    first, last = rows_with_articles[-1], rows_with_articles[0]
    rows = range(last, first - 1, -1) if last - first < MAX_ROWS else rows_with_articles
    largest, bar_width = max(cells.values()), WIDTH / per_row
    chart = Chart([], sum(cells.values()), bar_width - 2, level)
    names = _month_names() if level == 0 else None
    for row in rows:
        label = _period(level + 1, row * per_row * size) if level + 1 < len(LEVELS) else _row_label(row, per_row * size)
        drawn = Row(label, 0)
        for position in range(per_row):
            cell = row * per_row + position
            if cell not in cells:
                continue
            year, month = divmod(cell * size, 12)
            height = max(round(cells[cell] / largest * HEIGHT, 1), MIN_HEIGHT)
            url = link(year, month + 1 if level == 0 else None) if level <= 1 else None
            x, y = position * bar_width + 1, TOP + HEIGHT - height
            bar = Bar(cells[cell], _period(level, cell * size, names), url, x, y, height)
            drawn.bars.append(bar)
            drawn.total += bar.count
        chart.rows.append(drawn)
    return chart


def _row_label(row, months):
    first = row * months // 12
    return _("%(first)s–%(last)s") % {"first": first, "last": first + months // 12 - 1}


def narrowing_link(request):
    """``link`` for the bars of a list or a search: the same page narrowed to the bar's year, from its
    first page, its other parameters kept (a query alone, as the year facet's links: the page's own
    path, however its name is escaped)."""

    def link(year, month):
        query = request.GET.copy()
        query["year"] = str(year)
        query.pop("page", None)
        return f"?{canonical_query(query, getattr(request, 'query_params', ())).urlencode()}"

    return link
