"""Finding matches in an article's own text, for snippets and highlighted titles.

Matching runs on the normalized text with the same rules as the index (a term's
segments, whole words for non-CJK words), then maps back to the original characters,
so "臺灣" is marked when the reader searched "台湾". Output is escaped HTML.
"""

import bisect
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.text.normalize import CJK_RANGES, WORD_CHARS, is_cjk, normalize_with_offsets, prepare_display
from articles.text.spaces import one_line

SEPARATOR = rf"(?:[^{CJK_RANGES}\w]|_)"
ELLIPSIS = "…"
# A snippet looks for the first match in the text's first SCAN characters, and normalizes the
# whole text only when the window around it does not end MARGIN characters before that (more
# than any match can reach: a query has at most 200 characters). Normalizing all of a
# 140,000-character article took 6 ms; the first match of a common word is near the start.
SCAN = 4000
MARGIN = 400


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


def _spans(normalized, offsets, regexes, begin=0, stop=None):
    """Sorted, merged source spans of the matches starting in ``normalized[begin:stop]``."""
    spans = []
    for regex in regexes:
        for match in regex.finditer(normalized, begin):
            if stop is not None and match.start() >= stop:
                break  # the regex scans lazily: nothing past the window is searched
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


def match_spans(text, terms):
    """Sorted, merged (start, end) spans of ``text`` (NFC) where any term matches."""
    if not terms or not text:
        return []
    normalized, offsets = normalize_with_offsets(text)
    return _spans(normalized, offsets, [term_regex(term) for term in terms])


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


def _first_match(normalized, regexes):
    """The earliest non-empty match of any regex, or None."""
    found = (regex.search(normalized) for regex in regexes)
    return min((m for m in found if m and m.end() > m.start()), key=lambda m: m.start(), default=None)


def _locate(text, regexes, length):
    """(normalized, offsets, first match): of the text's opening when the snippet lies well inside it."""
    if len(text) > SCAN:
        normalized, offsets = normalize_with_offsets(text[:SCAN])
        first = _first_match(normalized, regexes)
        if first is not None and offsets[first.end() - 1] + length + MARGIN < SCAN:
            return normalized, offsets, first
    normalized, offsets = normalize_with_offsets(text)
    return normalized, offsets, _first_match(normalized, regexes)


def snippet(text, terms, length=160):
    """About ``length`` characters around the first match, escaped, with <mark>s and ellipses.

    Only the window is marked: the text is searched for the first match and no further (all
    the matches of "the" in a 140,000-character article took 25 ms to find).
    """
    text = one_line(prepare_display(text))
    regexes = [term_regex(term) for term in terms]
    normalized, offsets, first = _locate(text, regexes, length) if text and regexes else ("", [], None)
    spans = []
    start = 0
    if first is not None:
        first_start, first_end = offsets[first.start()], offsets[first.end() - 1] + 1
        start = max(0, min(first_start - length // 4, len(text) - length))
    end = min(len(text), start + length)
    if first is not None:
        end = max(end, first_end)
        # Matches start no earlier than the first one; stop at the first normalized char past the window.
        stop = bisect.bisect_left(offsets, end)
        spans = _spans(normalized, offsets, regexes, first.start(), stop)
    html = _render(text, spans, start, end)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 (pieces are escaped)
