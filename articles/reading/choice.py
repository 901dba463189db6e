"""Which script a reader reads articles in: 简 (simplified), 繁 (traditional) or 原文 (as written).

The reader's switch keeps the choice in a cookie; without one, the interface language decides:
zh-hans reads simplified, zh-hant traditional (Hong Kong's forms when the browser's region is
Hong Kong or Macau, Taiwan's otherwise), English as written. The choice is active for the
request like Django's language (``active``), so templates, cards, feeds and cache keys agree.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy

from .languages import SIMPLIFIED, TRADITIONAL, hong_kong_forms, language_from_request

COOKIE_NAME = "reading_script"  # kept as long and as safely as the language's (settings.LANGUAGE_COOKIE_*)


@dataclass(frozen=True)
class Script:
    code: str  # the cache keys' and the CSS's name for it
    lang: str  # the BCP 47 tag of text shown in it
    opencc: str | None  # OpenCC's configuration converting to it; None: as written


# Character forms only (s2tw, s2hk, not s2twp's vocabulary): the text stays in its author's words.
ORIGINAL = Script("original", "zh", None)
SIMPLIFIED_SCRIPT = Script("hans", "zh-Hans", "t2s")
TAIWAN = Script("hant-tw", "zh-Hant-TW", "s2tw")
HONG_KONG = Script("hant-hk", "zh-Hant-HK", "s2hk")


@dataclass(frozen=True)
class Choice:
    code: str  # the cookie's value
    label: str  # the switch's button
    lang: str  # the label's language
    name: str  # what screen readers add to the label, in the interface language


# The switch's choices, in its order.
CHOICES = {
    choice.code: choice
    for choice in (
        Choice("hans", "简", "zh-Hans", gettext_lazy("simplified Chinese")),
        Choice("hant", "繁", "zh-Hant", gettext_lazy("traditional Chinese")),
        Choice("original", "原文", "zh", gettext_lazy("as written")),
    )
}
DEFAULT_CHOICE = {SIMPLIFIED: "hans", TRADITIONAL: "hant"}  # any other interface: "original"

_active = ContextVar("reading_script", default=ORIGINAL)


def choice_from_request(request):
    """The switch's choice for a request: the cookie when it names one, else the interface language's."""
    chosen = request.COOKIES.get(COOKIE_NAME)
    if chosen in CHOICES:
        return chosen
    return DEFAULT_CHOICE.get(language_from_request(request), "original")


def script_from_request(request):
    """The Script a request reads in (``request`` may be a bare WSGI environ's wrapper)."""
    choice = choice_from_request(request)
    if choice == "hans":
        return SIMPLIFIED_SCRIPT
    if choice == "hant":
        return HONG_KONG if hong_kong_forms(request) else TAIWAN
    return ORIGINAL


def active():
    """The script of the request being answered (as written outside a request)."""
    return _active.get()


def chose(request):
    """True when the request carries the reader's choice of language or script (a cookie)."""
    return COOKIE_NAME in request.COOKIES or settings.LANGUAGE_COOKIE_NAME in request.COOKIES


class ReadingScriptMiddleware:
    """Makes the request's script active while its response is made (and rendered).

    A reader who chose a language or a script gets ``Vary: Cookie``, so no shared cache hands
    their page to anyone else. A reader without a choice gets the page of their
    ``Accept-Language``, and (as every anonymous page, see ``web.privacy``) no ``Vary: Cookie``:
    shared caches may keep it for every such reader.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.reading_script = script_from_request(request)
        token = _active.set(request.reading_script)
        try:
            response = self.get_response(request)
        finally:
            _active.reset(token)
        if chose(request):
            patch_vary_headers(response, ["Cookie"])
        return response
