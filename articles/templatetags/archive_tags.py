"""Template helpers for the public site: page links, structured data and text in the reader's script."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.web import drawing
from articles.web.links import link
from articles.web.params import canonical_query

from ..reading.choice import active
from ..reading.convert import convert_html, convert_text

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _link(request, query, **changes):
    """The query with some values changed, written canonically: only the view's declared parameters,
    each as the page cache keys it (see ``web.params``), so ``page=1`` is left out."""
    query = query.copy()
    for name, value in changes.items():
        query[name] = "" if value is None else str(value)
    query = canonical_query(query, getattr(request, "query_params", ())).urlencode()
    return f"?{query}" if query else request.path


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed."""
    request = context["request"]
    return _link(request, request.GET, **changes)


@register.simple_tag(takes_context=True)
def narrowed_to(context, param):
    """The current query, from its first page, with a facet's ``param`` (``{"year": "2022"}``) in force."""
    request = context["request"]
    return _link(request, request.GET, page=None, **param)


@register.simple_tag(takes_context=True)
def query_without(context, name):
    """The current query, from its first page, without parameter ``name`` (a narrowing taken away)."""
    request = context["request"]
    return _link(request, request.GET, page=None, **{name: None})


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page):
    """First, previous, numbered (elided), next and last links for a page of results.

    The links are built here, not by a tag per link.
    """
    request, paginator = context["request"], page.paginator

    def href(number):
        return _link(request, request.GET, page=number)

    numbers = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
        "page": page,
        "links": [(n, None if n == paginator.ELLIPSIS else href(n)) for n in numbers],
        "first": href(1),
        "previous": href(page.number - 1) if page.has_previous() else None,
        "next": href(page.number + 1) if page.has_next() else None,
        "last": href(paginator.num_pages),
    }


@register.simple_tag
def author_link(name, href=None):
    """The author's name linked to their list (``href`` when the caller reversed it already), else as text."""
    href = link("articles:author", name) if href is None else href
    lang, text = active().lang, convert_text(name)
    if not href:
        return format_html('<span class="author" lang="{}">{}</span>', lang, text)
    return format_html('<a class="author" href="{}" lang="{}">{}</a>', href, lang, text)


@register.simple_tag
def json_ld(data):
    """A JSON-LD block; the JSON is escaped so text in it cannot close the element."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.filter(is_safe=True)
def inscript(text):
    """Plain text in the reader's script (see ``reading``)."""
    return convert_text(text)


@register.filter
def inscript_html(html):
    """Safe HTML with its text, never its markup, in the reader's script."""
    return convert_html(html)


@register.simple_tag
def timeline(chart, title, id="timeline"):
    """A timeline chart (``web.charts``) as a figure of small SVG bar charts and a table of its numbers."""
    return drawing.figure(chart, title, id)
