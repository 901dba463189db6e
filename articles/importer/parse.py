"""One post file's text to a ParsedPost: front matter, dates, body, cleaning, excerpt, lead image."""

import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from articles.models import unicode_slug

from . import dates
from .clean import clean_tree
from .frontmatter import load_front_matter, split_front_matter
from .post import ParsedPost, PostError
from .render import has_tags, render_body
from .soup import ancestor, children, elements, first_element, first_text, is_tag, serialize, text_content
from .text import make_excerpt, reading_time, tree_to_text

TITLE_MAX = 1000
AUTHOR_MAX = 200
URL_MAX = 2000
TAG_MAX = 100
CATEGORY_MAX = 200
ORIGINAL_URL_KEYS = ("from", "source", "original_url", "canonical_url")
IMAGE_KEYS = ("path", "url", "src", "feature", "image")
DEFAULT_EXCERPT_SEPARATOR = "<!--more-->"
JEKYLL_SLUG_RE = re.compile(r"^\d{2,4}-\d{1,2}-\d{1,2}-(.+)$")
TERM_SEPARATORS_RE = re.compile(r"[,，、]")
COMPARABLE_RE = re.compile(r"[\W_]+")
FALSE_WORDS = {"false", "no", "off", "0"}


def parse_post(text, path, *, tz):
    """Parse one post; ``path`` is the POSIX path relative to the import root.

    Raises NoFrontMatter for files that are not posts, PostError with a short reason for bad ones.
    """
    warnings = []
    yaml_text, body = split_front_matter(text)
    fm = load_front_matter(yaml_text)
    name = PurePosixPath(path)
    stem = name.stem if name.suffix else name.name
    name_date, name_title = dates.date_from_filename(stem, tz)
    epoch_date, body = dates.date_from_epoch_comment(body)

    title = _title(fm, name_title if name_date else stem, warnings)
    published_at = _published_at(fm, epoch_date, name_date, tz)
    slug_match = JEKYLL_SLUG_RE.match(stem)

    separator = fm.get("excerpt_separator")
    separator = separator if isinstance(separator, str) and separator.strip() else DEFAULT_EXCERPT_SEPARATOR
    head = None
    if separator in body:
        head, _, rest = body.partition(separator)
        body = head + rest

    root = clean_tree(render_body(body, path))
    _drop_repeated_title(root, title)
    lead_url, lead_caption = _lead_image(fm, root, warnings)
    body_text = tree_to_text(root)

    return ParsedPost(
        title=title,
        slug=unicode_slug(title),
        published_at=published_at,
        author=_author(fm, warnings),
        original_url=_original_url(fm, warnings),
        tags=_terms(fm, ("tags", "tag"), TAG_MAX, warnings),
        categories=_terms(fm, ("categories", "category"), CATEGORY_MAX, warnings),
        body_html=serialize(root),
        body_text=body_text,
        excerpt=_excerpt(fm, head, path, root, body_text),
        lead_image_url=lead_url,
        lead_image_caption=lead_caption,
        reading_time=reading_time(body_text),
        status="draft" if _is_draft(fm, name) else "published",
        front_matter=fm,
        legacy_slug=(slug_match.group(1) if slug_match else stem)[:500],
        warnings=warnings,
    )


def _text_value(value):
    """A scalar front matter value as one line of text ("" for None, lists and mappings)."""
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return " ".join(str(value).split())


def _title(fm, name_title, warnings):
    raw = fm.get("title")
    if isinstance(raw, dict | list):
        raise PostError("title is not text")
    title = _text_value(raw)
    if not title:
        # As Jekyll does: the file name without its date, dashes as spaces, words capitalized.
        words = [word for word in re.split(r"[-\s]+", name_title) if word]
        title = " ".join(word[:1].upper() + word[1:] for word in words)
    if not any(char.isalnum() for char in title):
        raise PostError("no title")
    if len(title) > TITLE_MAX:
        warnings.append(f"title cut to {TITLE_MAX} characters")
        title = title[:TITLE_MAX].rstrip()
    return title


def _published_at(fm, epoch_date, name_date, tz):
    raw = fm.get("date")
    if raw not in (None, ""):
        return dates.parse_date(raw, tz)
    if epoch_date:
        return epoch_date
    if name_date:
        return dates.in_range(name_date, tz)
    raise PostError("no date")


def _is_draft(fm, name):
    published = fm.get("published", True)
    if isinstance(published, str):
        published = published.strip().lower() not in FALSE_WORDS
    return "_drafts" in name.parts or published is False


def _author(fm, warnings):
    raw = fm.get("author")
    if isinstance(raw, dict):
        raw = raw.get("name") or raw.get("display_name") or ""
    if isinstance(raw, list):
        raw = ", ".join(_author({"author": item}, warnings) for item in raw)
        raw = ", ".join(part for part in raw.split(", ") if part)
    author = _text_value(raw)
    if len(author) > AUTHOR_MAX:
        warnings.append(f"author cut to {AUTHOR_MAX} characters")
        author = author[:AUTHOR_MAX].rstrip()
    return author


def _http_url(value):
    """``value`` if it is an absolute http(s) URL (protocol-relative ones made https), else ""."""
    url = _text_value(value).replace(" ", "%20")
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def _original_url(fm, warnings):
    for key in ORIGINAL_URL_KEYS:
        raw = fm.get(key)
        if not _text_value(raw):
            continue
        url = _http_url(raw)
        if not url:
            warnings.append(f"{key} ignored: not an http(s) URL")
        elif len(url) > URL_MAX:
            warnings.append(f"{key} ignored: longer than {URL_MAX} characters")
        else:
            return url
    return ""


def _terms(fm, keys, max_length, warnings):
    """Tags or categories: lists, flow lists, or strings split on commas (else spaces, as Jekyll)."""
    terms = []
    for key in keys:
        terms.extend(_flatten(fm.get(key)))
    seen, result = set(), []
    for term in terms:
        if len(term) > max_length:
            warnings.append(f"{keys[0]}: {term[:30]!r}… cut to {max_length} characters")
            term = term[:max_length].rstrip()
        if term and term.casefold() not in seen:
            seen.add(term.casefold())
            result.append(term)
    return result


def _flatten(value):
    if value is None or isinstance(value, dict):
        return []
    if isinstance(value, list):
        return [term for item in value for term in (_flatten(item) if isinstance(item, list) else [_term(item)])]
    text = _text_value(value)
    parts = TERM_SEPARATORS_RE.split(text) if TERM_SEPARATORS_RE.search(text) else text.split()
    return [part.strip() for part in parts]


def _term(value):
    if isinstance(value, bool):
        return "true" if value else "false"  # as YAML wrote it
    return _text_value(value)


def _comparable(text):
    return COMPARABLE_RE.sub("", text.casefold())


def _drop_repeated_title(root, title):
    """Drop a first heading or paragraph that only repeats the title (often a link to the source)."""
    elements = children(root)
    if first_text(root).strip() or not elements:
        return
    first = elements[0]
    repeats = _comparable(text_content(first)) == _comparable(title)
    if repeats and first.name in ("h2", "h3", "h4", "h5", "h6", "p") and first_element(first, "img") is None:
        _remove_leading(root, first)


def _remove_leading(root, el):
    """Remove ``el``, the first element of ``root``, and the blank text around it."""
    el.decompose()
    while root.contents and not is_tag(root.contents[0]) and not root.contents[0].strip():
        root.contents[0].extract()
    if root.contents and not is_tag(root.contents[0]):
        root.contents[0].replace_with(root.contents[0].lstrip())


def _lead_image(fm, root, warnings):
    """Lead image URL and caption: the front matter's ``image``, else the body's first image
    (a figure at the very top then leaves the body, so the page does not show it twice)."""
    raw = fm.get("image")
    caption = fm.get("image_caption")
    if isinstance(raw, dict):
        caption = caption or raw.get("caption")
        raw = next((raw[key] for key in IMAGE_KEYS if _text_value(raw.get(key))), None)
    caption = _caption_text(caption)
    if _text_value(raw):
        url = _http_url(raw)
        if url and len(url) <= URL_MAX:
            return url, caption
        warnings.append("image ignored: not an http(s) URL" if not url else "image ignored: URL too long")
    for img in elements(root, "img"):
        url = _http_url(img.get("src"))
        if not url or len(url) > URL_MAX:
            continue
        holder = img
        while holder.parent is not root:
            holder = holder.parent
        figure = ancestor(img, ("figure",), root)
        figcaption = first_element(figure, "figcaption") if figure is not None else None
        body_caption = " ".join(text_content(figcaption).split()) if figcaption is not None else ""
        at_top = holder is children(root)[0] and not first_text(root).strip()
        if at_top and (holder.name == "figure" or (holder.name == "p" and not text_content(holder).strip())):
            _remove_leading(root, holder)
        return url, caption or body_caption
    return "", caption


def _caption_text(value):
    text = _text_value(value)
    return tree_to_text(clean_tree(text)) if has_tags(text) else text


def _excerpt(fm, head, path, root, body_text):
    for key in ("description", "excerpt"):
        text = _caption_text(fm.get(key))
        if text:
            return text
    if head is not None and head.strip():
        text = tree_to_text(clean_tree(render_body(head, path)))
        if text:
            return make_excerpt(text)
    for p in elements(root, "p"):
        if ancestor(p, ("figure", "blockquote", "table"), root) is None:
            text = " ".join(text_content(p).split())
            if text:
                return make_excerpt(text)
    return make_excerpt(body_text.split("\n\n", 1)[0])
