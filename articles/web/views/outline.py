"""An article body's headings, fitted under the page's ``<h1>`` (the title) for readers of its outline.

Imported posts often open with ``###`` or skip a level; screen readers list headings by level,
and a skipped level reads as a missing section (axe: heading-order). The levels the body uses
are closed up from ``<h2>`` in their order (h3, h4 become h2, h3), and no heading goes more
than one level below the one before it. Only tag names change, on the page, never in the
stored article; the sanitized body's tags are found as the reading-script conversion finds them.
"""

import re

from django.utils.safestring import SafeString, mark_safe

from articles.reading.convert import MARKUP

HEADING = re.compile(r"<(/?)h([1-6])(?=[\s/>])", re.IGNORECASE)
TOP = 2  # the page's title is the h1


def fit_headings(html):
    """``html`` (sanitized) with its headings' levels fitted under an ``<h1>``; safe if it was."""
    tags = [(markup, HEADING.match(markup.group())) for markup in MARKUP.finditer(html)]
    levels = sorted({int(heading.group(2)) for _markup, heading in tags if heading and not heading.group(1)})
    if not levels or levels == list(range(TOP, TOP + len(levels))) and _never_skips(tags):
        return html
    rank = {level: TOP + index for index, level in enumerate(levels)}
    pieces, position, previous, open_levels = [], 0, TOP - 1, []
    for markup, heading in tags:
        if heading is None:
            continue
        if heading.group(1):  # a closing tag closes the heading its opening tag renamed
            level = open_levels.pop() if open_levels else rank.get(int(heading.group(2)), TOP)
            new = f"</h{level}"
        else:
            level = previous = min(rank[int(heading.group(2))], previous + 1)
            open_levels.append(level)
            new = f"<h{level}"
        pieces += [html[position : markup.start()], new]
        position = markup.start() + heading.end()
    pieces.append(html[position:])
    fitted = "".join(pieces)
    return mark_safe(fitted) if isinstance(html, SafeString) else fitted  # noqa: S308 (tag names only changed)


def _never_skips(tags):
    previous = TOP - 1
    for _markup, heading in tags:
        if heading and not heading.group(1):
            if int(heading.group(2)) > previous + 1:
                return False
            previous = int(heading.group(2))
    return True
