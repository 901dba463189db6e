"""Converting article text into the active reading script with OpenCC: text only, never markup.

HTML is converted between its tags, comments and character references, so attributes (an
``alt`` in Chinese, a URL), element names and ``<mark>``s come out exactly as they went in.
The HTML converted here is ours: sanitized bodies and escaped snippets, where every ``<``
in text is escaped and attribute values are quoted, so a tag is everything up to the first
``>`` outside quotes.
"""

import re
from functools import cache

import opencc
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .choice import active

MARKUP = re.compile(r"<!--.*?-->|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|&#?\w+;", re.S)


@cache
def converter(config):
    """One OpenCC converter per configuration, built on first use (it loads its dictionaries)."""
    return opencc.OpenCC(config)


def convert_text(text, script=None):
    """Plain ``text`` in ``script`` (the active one by default); as written when it has no converter."""
    script = script or active()
    if not text or script.opencc is None:
        return text
    return converter(script.opencc).convert(str(text))


def convert_html(html, script=None):
    """Safe ``html`` (anything else is escaped first) with the text between its markup converted."""
    html = conditional_escape(html)
    script = script or active()
    if not html or script.opencc is None:
        return html
    convert = converter(script.opencc).convert
    pieces = []
    position = 0
    for markup in MARKUP.finditer(html):
        if markup.start() > position:
            pieces.append(convert(html[position : markup.start()]))
        pieces.append(markup.group())
        position = markup.end()
    pieces.append(convert(html[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 (the input was safe; only text between markup changed)
