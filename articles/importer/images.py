"""Images in a body being cleaned: lazy images made real, loose captions made figures (BeautifulSoup)."""

import re

from articles.text.soup import ancestor, children, elements, first_text, is_tag, new_tag, text_content
from articles.text.tags import WRAPPER_TAGS

from .urls import safe_url

LAZY_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-actualsrc", "data-url")
SRCSET_ATTRS = ("data-srcset", "srcset", "data-lazy-srcset")
IMG_SIZE_ATTRS = ("width", "height")
PLACEHOLDER_SRC_RE = re.compile(r"^data:|blank\.gif|placeholder|spacer\.gif|lazy[-_]?load", re.IGNORECASE)
CAPTION_MARK_RE = re.compile(r"^\s*[▲△↑]\s*")


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


def fix_images(root):
    for img in elements(root, "img"):
        src = _image_source(img)
        if not src:
            img.decompose()
            continue
        alt = img.get("alt") or img.get("title") or ""
        kept = {"src": src, "alt": alt, **{attr: img[attr] for attr in IMG_SIZE_ATTRS if img.get(attr)}}
        if img.get("title") and img.get("title") != alt:
            kept["title"] = img["title"]
        img.attrs = {**kept, "loading": "lazy", "referrerpolicy": "no-referrer"}


def only_image(el):
    """The single image ``el`` holds with no text, or None."""
    if el.name == "img":
        return el
    if text_content(el).strip():
        return None
    images = elements(el, "img")
    return images[0] if len(images) == 1 else None


def _make_figure(holder, caption):
    """Put a ``<figure>`` with ``holder``'s image (and its link) and ``caption`` in ``holder``'s place."""
    figure = new_tag("figure")
    holder.insert_before(figure)
    img = only_image(holder)
    parent = img.parent
    media = parent if parent is not None and parent.name == "a" and only_image(parent) is img else img
    if holder is not media:
        holder.extract()
    figure.append(media.extract())
    figure.append(caption)
    figure.append("\n")
    return figure


def _drop_blank_between(first, second):
    """Remove the whitespace-only text between two siblings."""
    node = first.next_sibling
    while node is not None and node is not second:
        following = node.next_sibling
        node.extract()
        node = following


def _previous_element(el):
    """The element right before ``el`` when only whitespace is between them, else None."""
    node = el.previous_sibling
    while node is not None and not is_tag(node):
        if node.strip():
            return None
        node = node.previous_sibling
    return node


def _split_text(nodes):
    """``(text, rest)``: the text at the start of ``nodes`` (siblings) and the nodes from the first element on."""
    index = next((i for i, node in enumerate(nodes) if is_tag(node)), len(nodes))
    return "".join(nodes[:index]), nodes[index:]


def _caption_paragraph(p):
    """``(holder, text, rest)`` for a paragraph made of an image and a "▲ caption": the image's
    holder, the caption's leading text and the nodes after it; None for any other paragraph."""
    elements = children(p)
    if not elements or first_text(p).strip() or only_image(elements[0]) is None:
        return None
    holder = elements[0]
    text, rest = _split_text(list(holder.next_siblings))
    if rest and rest[0].name == "br" and not text.strip():
        text, rest = _split_text(rest[1:])
    if not CAPTION_MARK_RE.match(text.strip() or (first_text(rest[0]) if rest else "")):
        return None
    return holder, text, rest


def _drop_mark(el):
    first = el.contents[0] if el.contents else None
    if first is not None and not is_tag(first):
        text = CAPTION_MARK_RE.sub("", first)
        if text:
            first.replace_with(text)
        else:
            first.extract()


def fix_figures(root):
    # A figcaption outside any figure, right after the element that holds an image (the seed's
    # div.figure-media + figcaption), makes a proper figure with it; any other stray one a paragraph.
    for caption in elements(root, "figcaption"):
        if ancestor(caption, ("figure",), root) is not None:
            continue
        previous = _previous_element(caption)
        if previous is not None and only_image(previous) is not None:
            _drop_blank_between(previous, caption)
            _make_figure(previous, caption.extract())
        else:
            caption.name = "p"
    # Markdown's "![alt](url)" followed by a line "▲ caption", a common convention for captions.
    for p in elements(root, "p"):
        found = _caption_paragraph(p)
        if found is None:
            continue
        holder, text, rest = found
        caption = new_tag("figcaption")
        text = CAPTION_MARK_RE.sub("", text)
        if text:
            caption.append(text)
        caption.extend([node.extract() for node in rest])
        if not text.strip() and children(caption):
            _drop_mark(children(caption)[0])  # the mark opens the caption's first element ("<b>▲ ...")
        p.replace_with(_make_figure(holder, caption))
    # Wrappers inside a figure (div.figure-media and the like) are noise.
    for figure in elements(root, "figure"):
        for el in elements(figure, *WRAPPER_TAGS):
            el.unwrap()
