"""Template helpers for the public site: page links and structured data."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed; page=1 is dropped to keep URLs canonical."""
    params = context["request"].GET.copy()
    for name, value in changes.items():
        if value is None or (name == "page" and str(value) == "1"):
            params.pop(name, None)
        else:
            params[name] = value
    query = params.urlencode()
    return f"?{query}" if query else context["request"].path


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page):
    """First, previous, numbered (elided), next and last links for a page of results."""
    return {
        "request": context["request"],
        "page": page,
        "numbers": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "ellipsis": page.paginator.ELLIPSIS,
    }


@register.simple_tag
def json_ld(data):
    """A JSON-LD block; the JSON is escaped so text in it cannot close the element."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
