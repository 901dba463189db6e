"""Sanitizing and tidying untrusted HTML: what may be stored and shown as an article body.

Two passes. nh3 (Rust) applies the allow-list: no script, style, iframe, form, event attributes or
unsafe URLs. It keeps ``id``/``class`` and lazy-image attributes for one BeautifulSoup tree pass
(lxml builds the tree) that removes the placeholders ``IMPORT_STRIP_SELECTORS`` names (ads,
paywalls; see ``strip.py``), makes lazy images real and loose image captions figures
(``images.py``), unwraps useless wrappers, drops elements left empty and collapses whitespace;
that pass then strips every attribute the allow-list does not name. The result is stable:
``clean_html(clean_html(x)) == clean_html(x)``.
"""

import re

import nh3

from articles.text.soup import children, elements, fragment, is_tag, serialize
from articles.text.tags import BLOCK_TAGS, WRAPPER_TAGS

from .images import LAZY_ATTRS, SRCSET_ATTRS, fix_figures, fix_images
from .strip import strip_placeholders
from .urls import is_data_image, safe_url
from .whitespace import tidy_whitespace

LINK_REL = "noopener noreferrer nofollow"
TREE_ONLY_ATTRS = {"id", "class", *LAZY_ATTRS, *SRCSET_ATTRS}

KEPT_TAGS = {
    "p", "br", "a", "img", "figure", "figcaption", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "dl", "dt", "dd", "blockquote", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "colgroup", "col", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "abbr", "q",
    "cite", "code", "pre", "kbd", "samp", "sub", "sup", "hr",
}  # fmt: skip
KEPT_ATTRS = {
    "a": {"href", "title", "rel"},
    "img": {"src", "alt", "title", "width", "height", "loading", "referrerpolicy"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "abbr": {"title"},
}
DROPPED_WITH_CONTENT = {
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed",
    "applet", "svg", "math", "form", "button", "select", "textarea", "canvas", "audio", "video", "head",
    "title",
}  # fmt: skip
NH3_TAGS = KEPT_TAGS | WRAPPER_TAGS | {"h1"}
NH3_ATTRS = {
    **{tag: attrs - {"rel"} for tag, attrs in KEPT_ATTRS.items()},
    "img": (KEPT_ATTRS["img"] - {"loading", "referrerpolicy"}) | TREE_ONLY_ATTRS,
    "*": {"id", "class"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
SPACE_RE = re.compile(r"\s+")

FLOW_CONTAINERS = {"blockquote", "li", "dd", "td", "th", "figure", "figcaption", *WRAPPER_TAGS} - {"span"}
STRUCTURE_PARENTS = {
    "li": {"ul", "ol"},
    "dt": {"dl"},
    "dd": {"dl"},
    "tr": {"table", "thead", "tbody", "tfoot"},
    "td": {"tr"},
    "th": {"tr"},
    "thead": {"table"},
    "tbody": {"table"},
    "tfoot": {"table"},
    "caption": {"table"},
    "colgroup": {"table"},
    "col": {"colgroup", "table"},
    "figcaption": {"figure"},
}
KEEP_EMPTY = {"img", "br", "hr", "td", "th", "tr", "col", "colgroup", "thead", "tbody", "tfoot", "table"}


def _attribute_filter(tag, attr, value):
    if value[:5].lower() == "data:":
        return value if tag == "img" and attr == "src" and is_data_image(value) else None
    return value


def sanitize(html):
    """The allow-list pass alone (nh3); keeps the attributes the tree pass needs."""
    return nh3.clean(
        html,
        tags=NH3_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=NH3_ATTRS,
        url_schemes=URL_SCHEMES | {"data"},
        attribute_filter=_attribute_filter,
        link_rel=None,
        strip_comments=True,
    )


def _has_direct_text(el):
    return any(not is_tag(child) and child.strip() for child in el.contents)


def _fix_link(el):
    href = (el.get("href") or "").strip()
    href = href if href.startswith(("#", "mailto:", "tel:")) else safe_url(href)
    if href:
        el["href"] = href
        el["rel"] = LINK_REL
    else:
        el.unwrap()  # a link to nowhere (or to javascript:) is just its text


def _misplaced(el, parent, holds_paragraphs):
    """Whether block ``el`` sits where HTML does not allow it (a list in a heading, a stray cell)."""
    expected = STRUCTURE_PARENTS.get(el.name)
    return parent.name not in expected if expected else not holds_paragraphs


def _tidy_structure(root):
    """h1 becomes h2, useless wrappers go, and only allow-listed attributes stay."""
    for el in elements(root):
        if el.name == "h1":
            el.name = "h2"
        parent = el.parent
        holds_paragraphs = parent is root or parent.name in FLOW_CONTAINERS
        if el.name in BLOCK_TAGS and el.name not in WRAPPER_TAGS and _misplaced(el, parent, holds_paragraphs):
            # A browser or parser would move it, so it becomes part of the text around it.
            if el.name in ("hr", "col"):
                el.decompose()
            else:
                el.unwrap()
            continue
        if el.name == "p" and any(child.name in BLOCK_TAGS for child in children(el)):
            el.unwrap()  # a "paragraph" made of blocks is a wrapper
            continue
        if el.name in WRAPPER_TAGS:
            wraps_text = _has_direct_text(el) and all(child.name not in BLOCK_TAGS for child in children(el))
            if el.name != "span" and wraps_text and holds_paragraphs:
                el.name = "p"
            else:
                el.unwrap()
                continue
        allowed = KEPT_ATTRS.get(el.name, ())
        for attr in [attr for attr in el.attrs if attr not in allowed]:
            del el.attrs[attr]
        if el.name == "a":
            _fix_link(el)


def _has_content(el):
    """Whether ``el`` holds text or an image (an element holding neither shows nothing)."""
    if el.name in ("img", "hr"):
        return True
    return any(_has_content(child) if is_tag(child) else child.strip() for child in el.contents)


def _remove_empty(root):
    for el in reversed(elements(root)):
        if el.name not in KEEP_EMPTY and not _has_content(el):
            el.decompose()


def clean_tree(html):
    """The sanitized, tidied body as a tree: a BeautifulSoup container element."""
    root = fragment(sanitize(html))
    strip_placeholders(root)
    fix_images(root)
    fix_figures(root)
    _tidy_structure(root)
    _remove_empty(root)
    tidy_whitespace(root)
    return root


def clean_html(html: str) -> str:
    """Sanitized, tidied HTML, safe to mark safe in a template; idempotent."""
    if not html or not html.strip():
        return ""
    return serialize(clean_tree(html))
