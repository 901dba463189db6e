"""A timeline ``Chart`` as HTML: a figure of small SVG bar charts and a table of their numbers.

Written in Python (every value escaped) rather than by a template: a timeline of 26 years has over
300 bars and table rows, and the template loop cost 60-90 ms of CPU per page (a plural
``blocktrans`` and three filters per bar); ``format_html`` per bar still cost 20. No script and no inline style:
the classes are in the stylesheets (site.css, dashboard.css). The charts are a picture for the eye
(hidden from screen readers, their bars links for the mouse); the table in the <details> says the
same numbers, each a link, for everyone else.
"""

from html import escape

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _number(value):
    return f"{value:g}"


def _bar(chart, bar):
    title = ngettext("%(period)s: %(n)s article", "%(period)s: %(n)s articles", bar.count) % {
        "period": bar.label,
        "n": f"{bar.count:,}",
    }
    rect = (
        f'<rect class="timeline-bar" x="{bar.x:g}" y="{bar.y:g}" width="{chart.bar_width:g}"'
        f' height="{bar.height:g}"><title>{escape(title)}</title></rect>'
    )
    return f'<a href="{escape(bar.url)}" tabindex="-1">{rect}</a>' if bar.url else rect


def _row(chart, row):
    bars = "".join(_bar(chart, bar) for bar in row.bars)
    return (
        f'<svg class="timeline-row" viewBox="0 0 {chart.width} {chart.height}" focusable="false">'
        f'<text class="timeline-label" x="0" y="10">{escape(row.label)}</text>'
        f'<text class="timeline-total" x="{chart.width}" y="10" text-anchor="end">{row.total:,}</text>'
        f'<line class="timeline-axis" x1="0" y1="{chart.axis:g}" x2="{chart.width}" y2="{chart.axis:g}"></line>'
        f"{bars}</svg>"
    )


def _table_row(bar):
    period = f'<a href="{escape(bar.url)}">{escape(bar.label)}</a>' if bar.url else escape(bar.label)
    return f'<tr><th scope="row">{period}</th><td>{bar.count:,}</td></tr>'


def figure(chart, title, id):
    """The timeline's HTML (safe), or "" for no chart; ``id`` names its title, unique in the page."""
    if chart is None:
        return ""
    rows = mark_safe("".join(_row(chart, row) for row in chart.rows))  # noqa: S308 (escaped in _row)
    table = format_html(
        '<table class="timeline-table"><caption class="visually-hidden">{title}</caption>'
        '<thead><tr><th scope="col">{period}</th><th scope="col">{articles}</th></tr></thead>'
        "<tbody>{rows}</tbody>"
        '<tfoot><tr><th scope="row">{total_label}</th><td>{total}</td></tr></tfoot></table>',
        title=title,
        period=_("Month") if chart.level == 0 else _("Period"),
        articles=_("Articles"),
        rows=mark_safe("".join(_table_row(bar) for bar in chart.bars)),  # noqa: S308 (escaped in _table_row)
        total_label=_("Total"),
        total=f"{chart.total:,}",
    )
    return format_html(
        '<figure class="timeline" aria-labelledby="{id}-title">'
        '<figcaption id="{id}-title" class="timeline-title">{title}</figcaption>'
        '<div class="timeline-rows{one}" aria-hidden="true">{rows}</div>'
        '<details class="timeline-numbers"><summary>{numbers}</summary>{table}</details></figure>',
        id=id,
        title=title,
        one=" timeline-one" if len(chart.rows) == 1 else "",
        rows=rows,
        numbers=_("The numbers"),
        table=table,
    )
