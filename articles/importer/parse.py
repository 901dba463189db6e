"""One post file's text to a ParsedPost: front matter, dates, body, cleaning, excerpt, lead image."""

import re
from datetime import datetime
from pathlib import PurePosixPath

from articles.models import Article, fit
from articles.text.plain import make_excerpt, reading_time, tree_to_text
from articles.text.soup import ancestor, children, elements, first_element, first_text, is_tag, serialize, text_content
from articles.text.spaces import one_line

from . import dates, fields
from .clean import clean_tree
from .frontmatter import read_front_matter
from .post import ParsedPost, PostError
from .render import render_body
from .urls import safe_url

DEFAULT_EXCERPT_SEPARATOR = "<!--more-->"
JEKYLL_SLUG_RE = re.compile(r"^\d{2,4}-\d{1,2}-\d{1,2}-(.+)$")
COMPARABLE_RE = re.compile(r"[\W_]+")


def parse_post(text, path, *, tz, mtime=None):
    """Parse one post; ``path`` is the POSIX path relative to the import root, ``mtime`` the file's
    modification time (a timestamp), which dates a draft that has no date (as Jekyll does).

    Raises NoFrontMatter for files that are not posts, PostError with a short reason for bad ones.
    """
    warnings = []
    fm, body = read_front_matter(text)
    name = PurePosixPath(path)
    stem = name.stem if name.suffix else name.name
    name_date, name_title = dates.date_from_filename(stem, tz)
    name_title = name_title if name_date else stem
    epoch_date, body = dates.date_from_epoch_comment(body)

    title = fields.title(fm, name_title, warnings)
    status = fields.status(fm, "_drafts" in name.parts)
    mtime = mtime if status == Article.Status.DRAFT else None
    published_at = dates.in_range(_published_at(fm, epoch_date, name_date, tz, mtime), tz)
    import_key, featured, hidden_reason, legacy_slug = fields.archived(fm)
    images = fields.restore_archived_images(fm)

    separator = fm.get("excerpt_separator")
    separator = separator if isinstance(separator, str) and separator.strip() else DEFAULT_EXCERPT_SEPARATOR
    head = None
    if separator in body:
        head, _, rest = body.partition(separator)
        body = head + rest

    root = clean_tree(render_body(body, path))
    _restore_images(root, images)
    _drop_repeated_title(root, title)
    lead_url, lead_caption = _lead_image(fm, root, warnings)
    body_text = tree_to_text(root)

    return ParsedPost(
        title=title,
        slug=fields.slug(fm, title, name_title, published_at),
        published_at=published_at,
        author=fields.author(fm, warnings),
        original_url=fields.original_url(fm, warnings),
        tags=fields.terms(fm, fields.TAG_KEYS, fields.TAG_MAX, warnings),
        categories=fields.terms(fm, fields.CATEGORY_KEYS, fields.CATEGORY_MAX, warnings),
        body_html=serialize(root),
        body_text=body_text,
        excerpt=_excerpt(fm, head, path, root, body_text),
        lead_image_url=lead_url,
        lead_image_caption=lead_caption,
        reading_time=reading_time(body_text),
        status=status,
        front_matter=fm,
        legacy_slug=_legacy_slug(fm, stem) if legacy_slug is None else legacy_slug,
        aliases=fields.aliases(fm, warnings),
        warnings=warnings,
        import_key=import_key,
        featured=featured,
        hidden_reason=hidden_reason,
        exported=bool(fields.archive_keys(fm)),
    )


def _published_at(fm, epoch_date, name_date, tz, mtime):
    """``date``, else the epoch comment, else the file name's date, else Hugo's ``lastmod`` (as
    Hugo dates a page), else (for a draft) the file's modification time."""
    raw = fm.get("date")
    if raw not in (None, ""):
        return dates.parse_date(raw, tz)
    if epoch_date:
        return epoch_date
    if name_date:
        return name_date
    if fm.get("lastmod") not in (None, ""):
        return dates.parse_date(fm["lastmod"], tz)
    if mtime is not None:
        return datetime.fromtimestamp(int(mtime), tz)
    raise PostError("no date")


def _legacy_slug(fm, stem):
    """The slug of the post's old Jekyll URL: its ``slug`` key, else the title part of its file name."""
    if fields.text_value(fm.get("slug")):
        return fit(Article, "legacy_slug", fields.text_value(fm["slug"]))
    match = JEKYLL_SLUG_RE.match(stem)
    return fit(Article, "legacy_slug", match.group(1) if match else stem)


def _restore_images(root, images):
    """Put back the addresses of the images an export pointed at its copies."""
    if images:
        for img in elements(root, "img"):
            original = safe_url(images.get(img.get("src"), ""))
            if original:
                img["src"] = original


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
    url, caption = fields.lead_image(fm, warnings)
    if url:
        return url, caption
    for img in elements(root, "img"):
        url = fields.http_url(img.get("src"))
        if not url or len(url) > fields.IMAGE_URL_MAX:
            continue
        holder = img
        while holder.parent is not root:
            holder = holder.parent
        figure = ancestor(img, ("figure",), root)
        figcaption = first_element(figure, "figcaption") if figure is not None else None
        body_caption = one_line(text_content(figcaption)) if figcaption is not None else ""
        at_top = holder is children(root)[0] and not first_text(root).strip()
        if at_top and (holder.name == "figure" or (holder.name == "p" and not text_content(holder).strip())):
            _remove_leading(root, holder)
        return url, caption or body_caption
    return "", caption


def _excerpt(fm, head, path, root, body_text):
    for key in ("description", "excerpt"):
        text = fields.caption_text(fm.get(key))
        if text:
            return text
    if head is not None and head.strip():
        text = tree_to_text(clean_tree(render_body(head, path)))
        if text:
            return make_excerpt(text)
    for p in elements(root, "p"):
        if ancestor(p, ("figure", "blockquote", "table"), root) is None:
            text = one_line(text_content(p))
            if text:
                return make_excerpt(text)
    return make_excerpt(body_text.split("\n\n", 1)[0])
