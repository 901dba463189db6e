"""Responses to a signed-in user are private: no cache between the server and the browser keeps them."""

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers


def signed_in(request):
    """Only a request carrying a session cookie can be signed in: the user is looked up only then, so an
    anonymous request never reads the session (nor gets ``Vary: Cookie`` for it), and a stale or
    made-up cookie counts as anonymous."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


class PrivateForSignedInMiddleware:
    """``Cache-Control: private, no-store`` and ``Vary: Cookie`` on every response to a signed-in user.

    Staff see drafts, hidden articles with the reason they were hidden, and the admin; a shared
    cache (a CDN, a company proxy) must never hand those to anyone else, and the browser need not
    keep them on disk. Anonymous readers' responses (and their cacheability) are untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
        return response
