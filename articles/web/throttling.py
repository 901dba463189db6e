"""A per-client limit on searches (the search page and the API's ``q``), counted in the cache.

django-ratelimit counts each client's searches in fixed windows (staggered per client) in the
default cache: each process's memory, or the Redis of ``CACHE_URL`` shared by every worker.
Clients are told apart by ``articles.web.client_ip.client_ip`` (IPv6 clients by their /64 network).

Refusals must cost the server less than the pages readers get, or a flood still crowds them
out: ``SearchLimitApp`` wraps the WSGI application (archive/wsgi.py) and answers a refused
search before Django builds a request. The refusal itself (a page for /search/, JSON for the
API) is made by the view once per path, host and language, with every middleware's headers,
and then served from the cache. ``SearchLimitMiddleware`` does the same for requests that do not
come through that WSGI application (the test client, ASGI).
"""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import QueryDict
from django.http.cookie import parse_cookie
from django.urls import Resolver404, resolve
from django_ratelimit.core import get_usage

from articles.core.cache import REFUSAL_SECONDS, cache_key
from articles.reading.choice import script_from_request
from articles.reading.languages import language_from_request

GROUP = "archive.search"
SEARCH_VIEWS = {"articles:search", "articles:api-list"}
REFUSED = "archive.search_refused"  # in the WSGI environ (request.META): the view answers with its refusal
COUNTED = "archive.search_counted"  # in the WSGI environ: SearchLimitApp has counted this request


class _Environ:
    """What the limit reads of a request, from a bare WSGI environ."""

    def __init__(self, environ):
        self.META = environ
        self.method = environ.get("REQUEST_METHOD", "GET")
        self.path_info = environ.get("PATH_INFO", "/")
        self.COOKIES = parse_cookie(environ.get("HTTP_COOKIE", ""))
        self.GET = QueryDict(get_bytes_from_wsgi(environ, "QUERY_STRING", ""))


def is_search(request):
    """A search the limit counts: the search page or the API list with a non-empty ``q``."""
    if not request.GET.get("q", "").strip():
        return False
    try:
        return resolve(request.path_info).view_name in SEARCH_VIEWS
    except Resolver404:
        return False


def retry_after(request):
    """None while the client may search; else the seconds until it may again. Counts this request."""
    if not settings.SEARCH_RATE_LIMIT:
        return None
    usage = get_usage(request, group=GROUP, key="ip", rate=settings.SEARCH_RATE_LIMIT, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


def _refusal_key(request, form):
    """The cache key of a refusal (``form``: "wsgi" keeps status, headers and body, "django" a response)."""
    host = request.META.get("HTTP_HOST", "")
    language, script = language_from_request(request), script_from_request(request).code
    return cache_key(f"search-refusal-{form}", request.path_info, host, language, script)


class SearchLimitApp:
    """WSGI middleware: a search over the client's limit gets 429 and ``Retry-After`` before Django runs."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        request = _Environ(environ)
        if not is_search(request):
            return self.application(environ, start_response)
        environ[COUNTED] = True
        seconds = retry_after(request)
        if seconds is None:
            return self.application(environ, start_response)
        key = _refusal_key(request, "wsgi")
        refusal = cache.get(key)
        if refusal is None:
            environ[REFUSED] = True
            refusal = self._render(environ)
            if refusal[0].startswith("429") and not any(name.lower() == "set-cookie" for name, _ in refusal[1]):
                cache.set(key, refusal, REFUSAL_SECONDS)
        status, headers, body = refusal
        start_response(status, [*headers, ("Retry-After", str(seconds))])
        return [body]

    def _render(self, environ):
        """(status, headers, body) of Django's answer, with every middleware's headers."""
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)

        chunks = self.application(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return answer["status"], answer["headers"], body


class SearchLimitMiddleware:
    """The same limit for requests that did not come through ``SearchLimitApp``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get(COUNTED) or not is_search(request):
            return self.get_response(request)
        seconds = retry_after(request)
        if seconds is None:
            return self.get_response(request)
        key = _refusal_key(request, "django")
        response = cache.get(key)
        if response is None:
            request.META[REFUSED] = True
            response = self.get_response(request)
            if response.status_code == 429 and not response.cookies:
                cache.set(key, response, REFUSAL_SECONDS)
        response["Retry-After"] = str(seconds)
        return response


def refuse_when_limited(refusal):
    """A view decorator: when the limit refused the request, answer ``refusal(request)`` with 429."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.META.get(REFUSED):
                response = refusal(request)
                response.status_code = 429
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
