"""Post bodies to HTML: Markdown as Jekyll renders it, plain text as paragraphs."""

import html
import re

from markdown_it import MarkdownIt

HTML_EXTENSIONS = (".html", ".htm")
TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>|<!--|<!\[CDATA\[|<!doctype", re.IGNORECASE)
BLANK_LINE_RE = re.compile(r"\n[ \t\u3000]*\n\s*")

_markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def is_html_path(path):
    return path.lower().endswith(HTML_EXTENSIONS)


def has_tags(text):
    return TAG_RE.search(text) is not None


def render_markdown(text):
    """CommonMark with raw HTML allowed, plus tables and strikethrough (as Jekyll's kramdown/GFM)."""
    return _markdown.render(text)


def render_plain_text(text):
    """Blank-line separated blocks become paragraphs and single newlines ``<br>``; text is escaped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = []
    for block in BLANK_LINE_RE.split(text):
        lines = [html.escape(html.unescape(line.strip()), quote=False) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return "\n".join(paragraphs)


def render_body(text, path):
    """The body's HTML, by the file's kind: ``.html``/``.htm`` as is (plain text when it has no
    tags at all), anything else Markdown."""
    if is_html_path(path):
        return text if has_tags(text) else render_plain_text(text)
    return render_markdown(text)
