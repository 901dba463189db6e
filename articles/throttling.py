"""A per-client limit on searches (the search page and the API's ``q``), counted in the cache.

django-ratelimit counts each client's searches in fixed windows (staggered per client) in the
default cache: each process's memory, or the Redis of ``CACHE_URL`` shared by every worker.
Clients are told apart by ``archive.client_ip.client_ip`` (IPv6 clients by their /64 network).

``SearchLimitMiddleware`` counts and refuses near the top of the middleware stack, so a flood's
refusals cost less than the pages readers get: the refusal itself (a page for /search/, JSON for
the API) is made by the view, with every middleware's headers, once per path, host and language,
and then served from the cache.
"""

from functools import cache as once
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import get_language_from_request
from django_ratelimit.core import get_usage

from .views.caching import cache_key

GROUP = "archive.search"
REFUSAL_SECONDS = 600  # how long a rendered refusal is kept


@once
def _search_paths():
    return frozenset({reverse("articles:search"), reverse("articles:api-list")})


def is_search(request):
    """A search the limit counts: the search page or the API list with a non-empty ``q``."""
    return request.path in _search_paths() and bool(request.GET.get("q", "").strip())


def retry_after(request):
    """None while the client may search; else the seconds until it may again. Counts this request."""
    if not settings.SEARCH_RATE_LIMIT:
        return None
    usage = get_usage(request, group=GROUP, key="ip", rate=settings.SEARCH_RATE_LIMIT, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


class SearchLimitMiddleware:
    """Answers a search over the client's limit with 429 and ``Retry-After``, before the rest of the stack."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = retry_after(request) if is_search(request) else None
        if seconds is None:
            return self.get_response(request)
        key = cache_key("search-refusal", request.path, request.get_host(), get_language_from_request(request))
        response = cache.get(key)
        if response is None:
            request.search_refused = True  # the view answers with its refusal (see ``refuse_when_limited``)
            response = self.get_response(request)
            if response.status_code == 429 and not response.cookies:
                cache.set(key, response, REFUSAL_SECONDS)
        response["Retry-After"] = str(seconds)
        return response


def refuse_when_limited(refusal):
    """A view decorator: when the middleware refused the request, answer ``refusal(request)`` with 429."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if getattr(request, "search_refused", False):
                response = refusal(request)
                response.status_code = 429
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
