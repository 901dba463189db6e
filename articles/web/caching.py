"""A short-lived cache of whole canonical public pages for anonymous readers."""

from functools import wraps
from urllib.parse import unquote

from django.core.cache import cache
from django.http.request import split_domain_port
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from articles.core.cache import cache_key, page_seconds
from articles.reading import choice as reading

from .params import query_params
from .privacy import signed_in


def cache_public_page(*params, timeout=None):
    """Declares the view's query parameters (see ``params``) and keeps its pages for anonymous readers.

    Repeat requests for a page are served from the cache for ARCHIVE_PAGE_CACHE_SECONDS (or
    ``timeout``). Only canonical pages are stored, once each: the key holds the host, language,
    reading script, path and the canonical query (known parameters, canonical values), so ``?utm_source=x`` or
    ``?page=02`` is answered from the same entry as the page its links lead to. Signed-in users
    never share it, and a response marked private or no-store, setting a cookie, or other than a
    plain 200 is never kept. Security headers are added by the middleware on every response.
    """

    def decorate(view):
        @query_params(*params)
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            seconds = page_seconds() if timeout is None else timeout
            key = page_key(request) if seconds else None
            if key is None:
                return view(request, *args, **kwargs)
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if storable(response):
                    store(key, response, seconds)
            return response

        return wrapped

    return decorate


def page_key(request):
    """The page-cache key of a request, or None when it must not use the cache."""
    if request.method not in ("GET", "HEAD") or signed_in(request):
        return None
    host = canonical_host(request)
    if host is None or not canonical_path(request):
        return None
    return cache_key("page", host, get_language(), reading.active().code, request.path, request.GET.urlencode())


def canonical_host(request):
    """The host as the site's links write it (lower case, a port only if it is the server's), else None.

    Absolute links in a page (canonical URL, API links) repeat the host, so each spelling would be
    another entry: ``Host: 127.0.0.1:1``, ``:2``… are answered without the cache.
    """
    host = request.get_host()
    port = split_domain_port(host)[1]
    return host if host == host.lower() and (not port or port == str(request.get_port())) else None


def canonical_path(request):
    """True when the path is the one the site's own links use for this page (``reverse`` of its match).

    Converters decode escapes, so ``/tag/%2541/`` reaches the same tag as ``/tag/A/``, and old
    ``/author/a/b/`` links reach ``/author/a%252Fb/``: such spellings are answered, not stored.
    """
    match = request.resolver_match
    try:
        own = reverse(match.view_name, args=match.args, kwargs=match.captured_kwargs)
    except NoReverseMatch:
        return False
    return unquote(own) == request.path


def store(key, response, seconds):
    """Keep the response once it is rendered (a TemplateResponse, such as a sitemap's, renders later)."""
    if getattr(response, "is_rendered", True):
        cache.set(key, response, seconds)
    else:
        response.add_post_render_callback(lambda rendered: cache.set(key, rendered, seconds))


def storable(response):
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.cookies
        and not response.streaming
        and "private" not in control
        and "no-store" not in control
    )
