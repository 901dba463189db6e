"""The interface language: the reader's choice (the language cookie), else the browser's ``Accept-Language``.

Django alone would answer a bare ``zh`` or ``zh-yue`` with zh-hans (its first ``zh-`` language).
Here the rule is exact: ``zh-TW``, ``zh-HK``, ``zh-MO`` and any ``zh-Hant`` tag get zh-hant;
``zh-CN``, ``zh-SG`` and any ``zh-Hans`` tag get zh-hans; ``en`` gets English. Other tags are
passed over for the browser's next choice, and a browser that names none of these gets English.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

TRADITIONAL, SIMPLIFIED, ENGLISH = "zh-hant", "zh-hans", "en"
TRADITIONAL_REGIONS = ("tw", "hk", "mo")
SIMPLIFIED_REGIONS = ("cn", "sg")
HONG_KONG_FORMS = ("hk", "mo")  # regions that write traditional Chinese in Hong Kong's forms


def _subtags(tag):
    return tag.lower().replace("_", "-").split("-")


def language_for_tag(tag):
    """The interface language one ``Accept-Language`` tag asks for, or None when we have none for it."""
    primary, *rest = _subtags(tag)
    if primary == "en":
        return ENGLISH
    if primary != "zh":
        return None
    if "hant" in rest or rest[:1] and rest[0] in TRADITIONAL_REGIONS:
        return TRADITIONAL
    if "hans" in rest or rest[:1] and rest[0] in SIMPLIFIED_REGIONS:
        return SIMPLIFIED
    return None


def accepted_tags(request):
    """The browser's language tags, most wanted first (``request`` may be a bare WSGI environ's wrapper)."""
    return [tag for tag, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))]


def language_from_request(request):
    """The interface language of a request: the language cookie when it names one of ours, else the browser's."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    for tag in accepted_tags(request):
        language = language_for_tag(tag)
        if language:
            return language
    return ENGLISH


def hong_kong_forms(request):
    """True when the browser's first regional Chinese tag is Hong Kong's or Macau's."""
    for tag in accepted_tags(request):
        primary, *rest = _subtags(tag)
        regions = [part for part in rest if len(part) == 2]
        if primary == "zh" and regions:
            return regions[0] in HONG_KONG_FORMS
    return False


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, with the language chosen by ``language_from_request`` (responses vary on ``Accept-Language``;
    ``reading.choice`` adds ``Cookie`` for a reader who chose)."""

    def process_request(self, request):
        translation.activate(language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()
