"""Placeholders the importer drops from bodies, chosen by CSS selectors (``IMPORT_STRIP_SELECTORS``).

The setting is a CSS selector list as soupsieve (BeautifulSoup's selector engine) reads it. The
custom selector ``:--placeholders`` stands for the built-in rules below, so a site's boilerplate
can be added to them: ``IMPORT_STRIP_SELECTORS=":--placeholders, .share-bar, p.editor-note"``.

An element a selector matches goes with its content only when it holds at most ``LABEL_MAX``
characters of text (a placeholder, a label, a share bar): one holding more is article text under
an unlucky class name (``ad-hoc-notes``) and stays.
"""

import functools

import soupsieve
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from articles.text.soup import children

LABEL_MAX = 40
AD_MARKS = (
    "dfp-ad", "innity", "imu", "ad-", "ad_", "adsbygoogle", "advert", "google-ad", "google_ad", "googlead",
    "sponsor", "banner-ad", "banner_ad", "bannerad", "outbrain", "taboola",
)  # fmt: skip
PAYWALL_MARKS = (
    "cx_paywall", "paywall", "piano-", "piano_", "subscribe-wall", "subscribe_wall", "subscribewall",
    "subscribe-box", "subscribe_box", "subscribebox",
)  # fmt: skip


def _marked(prefixes):
    """Elements whose id, or one of whose classes, starts with one of ``prefixes`` (in any case)."""
    return ", ".join(f'[id^="{p}" i], [class^="{p}" i], [class*=" {p}" i]' for p in prefixes)


PLACEHOLDERS = ", ".join(
    [
        _marked(AD_MARKS),
        '[id="ad" i], [id="ads" i], [class~="ad" i], [class~="ads" i]',
        # A paywall slot goes only when empty: a wrapper of the subscribers' paragraphs stays.
        f":is({_marked(PAYWALL_MARKS)}):empty:not(img, hr)",
    ]
)
CUSTOM = {":--placeholders": PLACEHOLDERS}


class StripRules:
    """A compiled selector list, and which elements are worth matching against it."""

    def __init__(self, text):
        self.attributes, self.tags, self.any_element = set(), set(), False
        self.selector = None
        if not text.strip():
            return  # stripping turned off
        try:
            self.selector = soupsieve.compile(text, custom=CUSTOM)
        except soupsieve.SelectorSyntaxError as exc:
            reason = str(exc).splitlines()[0]
            raise ImproperlyConfigured(
                f"IMPORT_STRIP_SELECTORS is not a valid CSS selector list ({reason}): {text!r}"
            ) from exc
        # Matching costs about 1 us per selector and element: try only the elements that have an
        # attribute or tag some selector requires (the default rules need an id or a class).
        for selector in self.selector.selectors:
            keys = _required(selector)
            if keys is None:
                self.any_element = True
            for kind, name in keys or ():
                (self.attributes if kind == "attribute" else self.tags).add(name)

    def may_match(self, el):
        return self.any_element or el.name in self.tags or any(name in el.attrs for name in self.attributes)

    def strip(self, root):
        """Remove the matched elements of ``root`` that hold no more than a label's text."""
        if self.selector is None:
            return
        pending = children(root)[::-1]
        while pending:
            el = pending.pop()
            if self.may_match(el) and self.selector.match(el) and len(el.get_text().strip()) <= LABEL_MAX:
                el.decompose()
            else:
                pending.extend(children(el)[::-1])


def _required(selector):
    """``{(kind, name)}``, one of which an element needs for ``selector`` to match it; None: any element."""
    if selector.ids:
        return {("attribute", "id")}
    if selector.classes:
        return {("attribute", "class")}
    for attribute in selector.attributes:
        if not attribute.inverse:
            return {("attribute", attribute.attribute.lower())}
    if selector.tag is not None and selector.tag.name != "*":
        return {("tag", selector.tag.name.lower())}
    for alternatives in selector.selectors:  # :is(), :where() and custom selectors; not :not()
        if alternatives.is_not or not alternatives:
            continue
        keys = [_required(alternative) for alternative in alternatives]
        if all(key is not None for key in keys):
            return set().union(*keys)
    return None


@functools.lru_cache(maxsize=8)
def compile_rules(text):
    """The rules of a setting's value, compiled once per process; ImproperlyConfigured if invalid."""
    return StripRules(text)


def strip_placeholders(root):
    compile_rules(settings.IMPORT_STRIP_SELECTORS).strip(root)
