"""Finding matches in an article's own text, for snippets and highlighted titles.

Matching runs on the normalized text with the same rules as the index (a term's
segments, whole words for non-CJK words), then maps back to the original characters,
so "臺灣" is marked when the reader searched "台湾". Output is escaped HTML.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .normalize import CJK_RANGES, WORD_CHARS, is_cjk, normalize_with_offsets, prepare_display

SEPARATOR = rf"(?:[^{CJK_RANGES}\w]|_)"
ELLIPSIS = "…"


def term_regex(term):
    """A regex over normalized text that matches where the term's pattern matches canonical text."""
    parts = []
    previous = None
    for segment in term.segments:
        if previous is not None:
            parts.append(f"{SEPARATOR}+" if is_cjk(previous) == is_cjk(segment) else f"{SEPARATOR}*")
        parts.append(re.escape(segment))
        previous = segment
    start = "" if is_cjk(term.segments[0]) else f"(?<!{WORD_CHARS})"
    end = "" if is_cjk(term.segments[-1]) else f"(?!{WORD_CHARS})"
    return re.compile(start + "".join(parts) + end)


def match_spans(text, terms):
    """Sorted, merged (start, end) spans of ``text`` (NFC) where any term matches."""
    if not terms or not text:
        return []
    normalized, offsets = normalize_with_offsets(text)
    offsets.append(len(text))
    spans = []
    for term in terms:
        for match in term_regex(term).finditer(normalized):
            if match.end() > match.start():
                # The end maps to just past the source character of the last normalized char.
                spans.append((offsets[match.start()], offsets[match.end() - 1] + 1))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text, spans, start, end):
    pieces = []
    position = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_end <= span_start:
            continue
        pieces.append(escape(text[position:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    pieces.append(escape(text[position:end]))
    return "".join(pieces)


def highlight(text, terms):
    """The whole text, escaped, with <mark> around every match."""
    text = prepare_display(text)
    return mark_safe(_render(text, match_spans(text, terms), 0, len(text)))  # noqa: S308 (pieces are escaped)


def snippet(text, terms, length=160):
    """About ``length`` characters around the first match, escaped, with <mark>s and ellipses."""
    text = " ".join(prepare_display(text).split())
    spans = match_spans(text, terms)
    if spans:
        first_start, first_end = spans[0]
        start = max(0, min(first_start - length // 4, len(text) - length))
    else:
        start = 0
    end = min(len(text), start + length)
    if spans and first_end > end:
        end = first_end
    html = _render(text, spans, start, end)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 (pieces are escaped)
