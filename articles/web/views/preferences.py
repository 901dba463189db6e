"""The reader's switches, posted from any page: the interface language (Django's ``set_language``) and
the reading script (the same, for the script's cookie).

The switches are small forms in every page, and those pages are shared by every anonymous
reader through the page cache, so they cannot carry a per-reader CSRF token. A switch only sets
a display cookie, and a post another site's page makes is refused from the headers browsers add
to every post (``Sec-Fetch-Site``, ``Origin``), which a page cannot forge.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.reading import choice as reading

SAME_SITE_FETCHES = ("same-origin", "none")  # "none": the reader's own action, such as a bookmark


def posted_from_this_site(request):
    """False when the browser says another site's page made this post."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in SAME_SITE_FETCHES:
        return False
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.get_host() or origin in settings.CSRF_TRUSTED_ORIGINS


def switch(view):
    """A switch's view: POST only, from this site's pages, without a CSRF token (see the module's doc)."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapped(request):
        if not posted_from_this_site(request):
            return HttpResponseForbidden("Switches can only be used from this site's pages.")
        return view(request)

    return wrapped


@switch
def set_language(request):
    """Django's: the language cookie, then back to ``next`` when it is a page of this site (else home)."""
    return i18n.set_language(request)


@switch
def set_script(request):
    """The reading-script cookie (a choice of the switch's, else unchanged), then back as ``set_language`` goes."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    choice = request.POST.get("script")
    if choice in reading.CHOICES:
        response.set_cookie(
            reading.COOKIE_NAME,
            choice,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
