"""Sanitizing and tidying untrusted HTML: what may be stored and shown as an article body.

Two passes. nh3 (Rust) applies the allow-list: no script, style, iframe, form, event attributes or
unsafe URLs. It keeps ``id``/``class`` and lazy-image attributes for one lxml tree pass that removes
ad and paywall placeholders, makes lazy images real, turns loose image captions into figures, unwraps
useless wrappers, drops elements left empty and collapses whitespace; that pass then strips every
attribute the allow-list does not name. The result is stable: ``clean_html(clean_html(x)) ==
clean_html(x)``.
"""

import re
from urllib.parse import urlsplit

import lxml.html
import nh3

LINK_REL = "noopener noreferrer nofollow"
DATA_IMAGE_MAX = 64 * 1024
LAZY_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-actualsrc", "data-url")
SRCSET_ATTRS = ("data-srcset", "srcset", "data-lazy-srcset")
IMG_SIZE_ATTRS = ("width", "height")
TREE_ONLY_ATTRS = {"id", "class", *LAZY_ATTRS, *SRCSET_ATTRS}

WRAPPER_TAGS = {"div", "section", "article", "aside", "header", "footer", "nav", "main", "center", "span"}
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

AD_RE = re.compile(
    r"^(?:dfp-ad|innity|imu\d*$|ad[-_]|ads?$|adsbygoogle|advert|google[-_]?ad|sponsor|banner[-_]?ad|outbrain|taboola)",
    re.IGNORECASE,
)
PAYWALL_RE = re.compile(r"^(?:cx_paywall|paywall|piano[-_]|subscribe[-_]?(?:wall|box))", re.IGNORECASE)
AD_LABEL_MAX = 40  # an ad block with more text than this is content with an unlucky class name
DATA_IMAGE_RE = re.compile(r"^data:image/(?:png|gif|jpe?g|webp|avif);base64,[a-z0-9+/=\s]+$", re.IGNORECASE)
PLACEHOLDER_SRC_RE = re.compile(r"^data:|blank\.gif|placeholder|spacer\.gif|lazy[-_]?load", re.IGNORECASE)
SPACE_RE = re.compile(r"\s+")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
CAPTION_MARK_RE = re.compile(r"^\s*[▲△↑]\s*")


BLOCK_TAGS = {
    "p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "center", "figure",
    "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col", "pre", "hr",
}  # fmt: skip
CONTAINER_BLOCKS = {"ul", "ol", "dl", "blockquote", "table", "thead", "tbody", "tfoot", "tr", "figure"}
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


def fragment(html):
    """An HTML fragment parsed into a ``<div>`` container (lxml)."""
    return lxml.html.fragment_fromstring(html or "", create_parent="div")


def serialize(root):
    """The HTML of a container's content."""
    return lxml.html.tostring(root, encoding="unicode")[len("<div>") : -len("</div>")].strip()


def _attribute_filter(tag, attr, value):
    if value[:5].lower() == "data:":
        is_image = tag == "img" and attr == "src"
        return value if is_image and len(value) <= DATA_IMAGE_MAX and DATA_IMAGE_RE.match(value) else None
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


def safe_url(url, *, allow_data_image=False):
    """``url`` if it is http(s), protocol-relative (made https) or relative; else ""."""
    url = (url or "").strip()
    if not url or CONTROL_RE.search(url):
        return ""
    if url.startswith("//"):
        return "https:" + url
    if url[:5].lower() == "data:":
        return url if allow_data_image and len(url) <= DATA_IMAGE_MAX and DATA_IMAGE_RE.match(url) else ""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    return url if scheme in ("", "http", "https") else ""


def _largest_srcset_candidate(srcset):
    best, best_size = "", -1.0
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts:
            continue
        try:
            size = float(parts[1][:-1]) if len(parts) > 1 else 0.0
        except ValueError:
            size = 0.0
        if size >= best_size:
            best, best_size = parts[0], size
    return best


def _image_source(img):
    """The real image URL of ``img``: lazy-loading attributes win over a placeholder ``src``."""
    for attr in LAZY_ATTRS:
        lazy = safe_url(img.get(attr))
        if lazy:
            return lazy
    src = (img.get("src") or "").strip()
    if not src or PLACEHOLDER_SRC_RE.search(src):
        for attr in SRCSET_ATTRS:
            candidate = safe_url(_largest_srcset_candidate(img.get(attr) or ""))
            if candidate:
                return candidate
    return safe_url(src, allow_data_image=True)


def _text_len(el):
    return len("".join(el.itertext()).strip())


def _remove(el):
    """Remove ``el`` and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _has_content(el):
    """Whether ``el`` holds text or an image (an element holding neither shows nothing)."""
    if (el.text or "").strip() or el.tag in ("img", "hr"):
        return True
    return any(_has_content(child) or (child.tail or "").strip() for child in el)


def _remove_placeholders(root):
    for el in list(root.iter()):
        if el.getparent() is None and el is not root:
            continue  # inside an element removed already
        tokens = [el.get("id") or "", *(el.get("class") or "").split()]
        if any(AD_RE.match(token) for token in tokens if token):
            if _text_len(el) <= AD_LABEL_MAX:
                _remove(el)
        elif any(PAYWALL_RE.match(token) for token in tokens if token) and not _has_content(el):
            _remove(el)


def _fix_images(root):
    for img in list(root.iter("img")):
        src = _image_source(img)
        if not src:
            _remove(img)
            continue
        alt = img.get("alt") or img.get("title") or ""
        kept = {"src": src, "alt": alt, **{attr: img.get(attr) for attr in IMG_SIZE_ATTRS if img.get(attr)}}
        if img.get("title") and img.get("title") != alt:
            kept["title"] = img.get("title")
        img.attrib.clear()
        img.attrib.update({**kept, "loading": "lazy", "referrerpolicy": "no-referrer"})


def _only_image(el):
    """The single image ``el`` holds with no text, or None."""
    if el.tag == "img":
        return el
    if _text_len(el):
        return None
    images = list(el.iter("img"))
    return images[0] if len(images) == 1 else None


def _make_figure(holder, caption):
    """Put a ``<figure>`` with ``holder``'s image (and its link) and ``caption`` in ``holder``'s place."""
    figure = holder.makeelement("figure", {})
    holder.addprevious(figure)
    figure.tail = holder.tail
    img = _only_image(holder)
    parent = img.getparent()
    media = parent if parent is not None and parent.tag == "a" and _only_image(parent) is img else img
    if holder is not media:
        holder.getparent().remove(holder)
    media.tail = None
    figure.append(media)
    caption.tail = "\n"
    figure.append(caption)
    return figure


def _fix_figures(root):
    # A figcaption outside any figure, right after the element that holds an image (the seed's
    # div.figure-media + figcaption), makes a proper figure with it; any other stray one a paragraph.
    for caption in list(root.iter("figcaption")):
        if next(caption.iterancestors("figure"), None) is not None:
            continue
        previous = caption.getprevious()
        if previous is not None and not (previous.tail or "").strip() and _only_image(previous) is not None:
            tail = caption.tail
            caption.getparent().remove(caption)
            _make_figure(previous, caption).tail = tail
        else:
            caption.tag = "p"
    # Markdown's "![alt](url)" followed by a line "▲ caption", a common convention for captions.
    for p in list(root.iter("p")):
        children = list(p)
        if not children or (p.text or "").strip() or _only_image(children[0]) is None:
            continue
        holder, rest = children[0], children[1:]
        text = holder.tail or ""
        if rest and rest[0].tag == "br" and not text.strip():
            text, rest = rest[0].tail or "", rest[1:]
        if not CAPTION_MARK_RE.match(text.strip() or (rest[0].text if rest else "") or ""):
            continue
        caption = p.makeelement("figcaption", {})
        caption.text = CAPTION_MARK_RE.sub("", text)
        caption.extend(rest)
        if not caption.text.strip() and len(caption):
            caption[0].text = CAPTION_MARK_RE.sub("", caption[0].text or "")
        for el in children[1:]:
            if el.getparent() is p:
                p.remove(el)
        p.text = holder.tail = None
        _make_figure(holder, caption)
        p.drop_tag()
    # Wrappers inside a figure (div.figure-media and the like) are noise.
    for figure in list(root.iter("figure")):
        for el in list(figure.iter(*WRAPPER_TAGS)):
            el.drop_tag()


def _has_direct_text(el):
    return bool((el.text or "").strip() or any((child.tail or "").strip() for child in el))


def _tidy_structure(root):
    """h1 becomes h2, useless wrappers go, and only allow-listed attributes stay."""
    for el in list(root.iter()):
        if el is root:
            continue
        if el.tag == "h1":
            el.tag = "h2"
        parent = el.getparent()
        holds_paragraphs = parent is root or parent.tag in FLOW_CONTAINERS
        if el.tag in BLOCK_TAGS and el.tag not in WRAPPER_TAGS:
            expected = STRUCTURE_PARENTS.get(el.tag)
            if (parent.tag not in expected) if expected else not holds_paragraphs:
                # A block where HTML does not allow one (a list in a heading, a stray cell): a
                # browser or parser would move it, so it becomes part of the text around it.
                if el.tag in ("hr", "col"):
                    _remove(el)
                else:
                    el.drop_tag()
                continue
        if el.tag == "p" and any(child.tag in BLOCK_TAGS for child in el):
            el.drop_tag()  # a "paragraph" made of blocks is a wrapper
            continue
        if el.tag in WRAPPER_TAGS:
            wraps_text = _has_direct_text(el) and all(child.tag not in BLOCK_TAGS for child in el)
            if el.tag != "span" and wraps_text and holds_paragraphs:
                el.tag = "p"
            else:
                el.drop_tag()
                continue
        allowed = KEPT_ATTRS.get(el.tag, ())
        for attr in [attr for attr in el.attrib if attr not in allowed]:
            del el.attrib[attr]
        if el.tag == "a":
            href = (el.get("href") or "").strip()
            href = href if href.startswith(("#", "mailto:", "tel:")) else safe_url(href)
            if href:
                el.set("href", href)
                el.set("rel", LINK_REL)
            else:
                el.drop_tag()  # a link to nowhere (or to javascript:) is just its text


def _remove_empty(root):
    for el in reversed(list(root.iter())):
        if el is root or el.tag in KEEP_EMPTY:
            continue
        if not _has_content(el):
            _remove(el)


def _in_pre(el):
    return el.tag == "pre" or any(ancestor.tag == "pre" for ancestor in el.iterancestors("pre"))


def _tidy_whitespace(root):
    """Collapse whitespace runs (outside ``pre``) and put each block on its own line."""
    for el in root.iter():
        if el.tag == "pre" and el.text:
            el.text = el.text.lstrip("\n") or None  # parsers drop a newline right after <pre>
        if _in_pre(el):
            continue
        if el.text:
            el.text = SPACE_RE.sub(" ", el.text)
        for child in el:
            if child.tail and not _in_pre(el):
                child.tail = SPACE_RE.sub(" ", child.tail)
    for el in root.iter():
        if (el is not root and el.tag not in BLOCK_TAGS) or _in_pre(el):
            continue
        children = list(el)
        container = el is root or el.tag in CONTAINER_BLOCKS
        if el.text:
            el.text = el.text.lstrip() or None
        if children and children[0].tag in BLOCK_TAGS and container and not el.text:
            el.text = "\n"
        if children:
            if children[-1].tail:
                children[-1].tail = children[-1].tail.rstrip() or None
        elif el.text:
            el.text = el.text.rstrip() or None
        for child in children:
            if child.tag in BLOCK_TAGS and (child.tail is None or not child.tail.strip()):
                child.tail = "\n" if container else None
            if child.tag in BLOCK_TAGS and child.tail and child.tail.strip():
                child.tail = child.tail.lstrip()


def clean_tree(html):
    """The sanitized, tidied body as an lxml container element (a ``<div>``)."""
    root = fragment(sanitize(html))
    _remove_placeholders(root)
    _fix_images(root)
    _fix_figures(root)
    _tidy_structure(root)
    _remove_empty(root)
    _tidy_whitespace(root)
    return root


def clean_html(html: str) -> str:
    """Sanitized, tidied HTML, safe to mark safe in a template; idempotent."""
    if not html or not html.strip():
        return ""
    return serialize(clean_tree(html))
