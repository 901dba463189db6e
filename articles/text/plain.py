"""Readable text from sanitized HTML, excerpts and reading time."""

import re

from bs4 import NavigableString, Tag

from .normalize import CJK_RE
from .soup import fragment
from .spaces import one_line
from .tags import BLOCK_TAGS

LINE_BREAK_TAGS = {"br", "li", "tr", "dt", "dd"}
CELL_TAGS = {"td", "th"}
SPACES_RE = re.compile(r"[^\S\n]+")
WHITESPACE_RE = re.compile(r"\s+")
BREAKS_RE = re.compile(r"\n\s*\n\s*")
WORD_RE = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u0400-\u04ff]+(?:['’.-][0-9A-Za-z\u00c0-\u024f\u0400-\u04ff]+)*")
SENTENCE_END = "。！？!?.…"
CLOSERS = "”’」』）)\"'】》"
CJK_PER_MINUTE = 400
WORDS_PER_MINUTE = 220


def _break(tag):
    if tag in CELL_TAGS:
        return " "
    if tag in LINE_BREAK_TAGS:
        return "\n"
    return "\n\n" if tag in BLOCK_TAGS else ""


def tree_to_text(root):
    """The text of a tree: blocks separated by blank lines, ``<br>`` and list items by newlines."""
    parts = []
    _walk(root, parts, False)
    return normalize_text("".join(parts))


def _walk(el, parts, in_pre):
    for child in el.contents:
        if isinstance(child, Tag):
            tag = child.name
            parts.append(_break(tag))
            _walk(child, parts, in_pre or tag == "pre")
            if tag not in LINE_BREAK_TAGS and tag not in CELL_TAGS:
                parts.append(_break(tag))
        elif type(child) is NavigableString:
            parts.append(child if in_pre else WHITESPACE_RE.sub(" ", child))


def normalize_text(text):
    lines = (SPACES_RE.sub(" ", line).strip() for line in text.split("\n"))
    return BREAKS_RE.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(html):
    """The readable text of (sanitized) HTML, paragraphs separated by blank lines."""
    if not html or not html.strip():
        return ""
    return tree_to_text(fragment(html))


def make_excerpt(text, limit=150):
    """``text`` on one line, cut at about ``limit`` characters: at a sentence end in the last 40%
    when there is one, else at a word boundary with "…"; never inside a Latin word."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    floor = int(limit * 0.6)
    for end in range(limit, floor - 1, -1):
        char = text[end - 1]
        if char in SENTENCE_END and not (char == "." and text[end : end + 1].isalnum()):
            while end < len(text) and text[end] in CLOSERS:
                end += 1
            return text[:end]
    cut = limit - 1  # room for the ellipsis
    if text[cut - 1].isascii() and text[cut - 1].isalnum() and text[cut].isascii() and text[cut].isalnum():
        space = text.rfind(" ", 0, cut)
        if space > limit // 2:
            cut = space
    return text[:cut].rstrip(" ,，、;；:：-—(（") + "…"


def reading_time(text):
    """Minutes to read ``text``: CJK at ~400 characters a minute, other scripts ~220 words; at least 1."""
    cjk = len(CJK_RE.findall(text))
    words = len(WORD_RE.findall(CJK_RE.sub(" ", text))) if cjk < len(text) else 0
    return max(1, round(cjk / CJK_PER_MINUTE + words / WORDS_PER_MINUTE))
