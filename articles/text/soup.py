"""HTML fragments as BeautifulSoup trees (built by lxml) and back to HTML text.

The cleaner, the text extractor and the parser share these few helpers. Parsing wraps the
fragment in ``<html><body>``, so leading whitespace and text stay where they were; the ``<body>``
element is the fragment's container ("root" below).
"""

import re
import threading

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.builder import LXMLTreeBuilder

VOID_TAGS = frozenset({"br", "hr", "img", "col", "wbr", "area", "base", "embed", "input", "link", "meta", "source"})
URL_ATTRS = frozenset({"href", "src"})
URL_UNSAFE_RE = re.compile(r"[\x00-\x20\x7f-\U0010ffff]+")


class _Builder(LXMLTreeBuilder):
    """bs4's lxml tree builder, keeping its lxml parser from one document to the next: making a
    parser costs about 35 us a post (lxml inspects the target's methods each time)."""

    _parser = None

    def parser_for(self, encoding):
        if self._parser is None:
            self._parser = super().parser_for(encoding)
        return self._parser


_local = threading.local()  # a builder (and its lxml parser) per thread: imports run in threads too


def fragment(html):
    """``html`` parsed into a tree; returns its container element. ``class`` stays one string."""
    builder = getattr(_local, "builder", None)
    if builder is None:
        builder = _local.builder = _Builder(multi_valued_attributes=None)
    try:
        soup = BeautifulSoup(f"<html><body>{html or ''}</body></html>", builder=builder)
    except Exception:
        _local.builder = None  # a parser left half-way through a document is not used again
        raise
    html = soup.contents[0]
    return html.contents[-1] if html.contents and html.contents[-1].name == "body" else soup.find("body")


def new_tag(name):
    """A new, empty element (as ``BeautifulSoup.new_tag`` makes one)."""
    return Tag(None, getattr(_local, "builder", None), name)


def elements(el, *names):
    """The elements under ``el`` in document order, only those named ``names`` if given: bs4's
    ``find_all`` without the filter objects it builds on each call (about 40 us)."""
    found = [node for node in el.descendants if isinstance(node, Tag)]
    return [node for node in found if node.name in names] if names else found


def first_element(el, name):
    return next((node for node in el.descendants if isinstance(node, Tag) and node.name == name), None)


def is_tag(node):
    return isinstance(node, Tag)


def children(el):
    """The child elements of ``el`` (no text)."""
    return [child for child in el.contents if isinstance(child, Tag)]


def text_content(el):
    return "".join(el.strings) if isinstance(el, Tag) else str(el)


def first_text(el):
    """The text before ``el``'s first child element (lxml's ``el.text``)."""
    parts = []
    for child in el.contents:
        if isinstance(child, Tag):
            break
        parts.append(child)
    return "".join(parts)


def ancestor(el, names, root):
    """The nearest ancestor of ``el`` below ``root`` whose tag is in ``names``, or None."""
    node = el.parent
    while node is not None and node is not root:
        if node.name in names:
            return node
        node = node.parent
    return None


def serialize(root):
    """The HTML of ``root``'s content. ``href`` and ``src`` are written with spaces, control and
    non-ASCII characters percent-encoded, as lxml wrote them before (stored bodies compare equal)."""
    out = []
    _write_children(root, out)
    return "".join(out).strip()


def _write_children(el, out):
    for child in el.contents:
        if type(child) is NavigableString:
            out.append(_escape(child))
        elif isinstance(child, Tag):
            name = child.name
            attrs = "".join([f" {key}={_quoted(key, value)}" for key, value in child.attrs.items()])
            out.append(f"<{name}{attrs}>")
            if name not in VOID_TAGS:
                _write_children(child, out)
                out.append(f"</{name}>")


def _escape(text):
    # Three str.replace calls: about 30x faster than str.translate on CJK text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _quoted(name, value):
    if name in URL_ATTRS:
        value = URL_UNSAFE_RE.sub(_percent_encode, value.lstrip(" \t\n\r"))
    value = _escape(value)
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'


def _percent_encode(match):
    return "".join(f"%{byte:02X}" for byte in match.group().encode())
