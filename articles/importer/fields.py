"""Article fields from a post's front matter: Jekyll's keys, Hugo's, and the archive's own.

Pure functions over the JSON-safe front matter dict. ``warnings`` collects what was ignored, for
the import report.
"""

import hashlib
import re
from urllib.parse import urlsplit

from taggit.models import Tag

from articles.models import Article, ArticleRedirect, Category, fit, max_length, unicode_slug
from articles.models.routes import site_route
from articles.text.plain import tree_to_text
from articles.text.spaces import one_line

from .clean import clean_tree
from .post import PostError
from .render import has_tags

TITLE_MAX = max_length(Article, "title")
AUTHOR_MAX = max_length(Article, "author")
URL_MAX = max_length(Article, "original_url")
TAG_MAX = max_length(Tag, "name")
CATEGORY_MAX = max_length(Category, "name")
ALIASES_MAX = 50
ALIAS_MAX_LENGTH = max_length(ArticleRedirect, "old_path")
ORIGINAL_URL_KEYS = ("from", "source", "original_url", "canonical_url")
TAG_KEYS = ("tags", "tag")
CATEGORY_KEYS = ("categories", "category")
IMAGE_KEYS = ("path", "url", "src", "feature", "image")  # in an ``image`` mapping
IMAGE_URL_MAX = max_length(Article, "lead_image_url")
TERM_SEPARATORS_RE = re.compile(r"[,，、]")
FALSE_WORDS = {"false", "no", "off", "0"}
TRUE_WORDS = {"true", "yes", "on", "1"}
# The archive's own keys, under ARCHIVE_KEY, written by ``export_posts`` so an export imports back
# as the same articles: identity, curated status and the old Jekyll slug.
ARCHIVE_KEY = "archive"
STATUSES = {choice.value for choice in Article.Status}


def text_value(value):
    """A scalar front matter value as one line of text ("" for None, lists and mappings)."""
    if value is None or isinstance(value, dict | list | bool):
        return ""
    return one_line(value)


def _says_false(value):
    return value is False or (isinstance(value, str) and value.strip().lower() in FALSE_WORDS)


def _says_true(value):
    return value is True or (isinstance(value, str) and value.strip().lower() in TRUE_WORDS)


def title(fm, name_title, warnings):
    """The title as written (symbols only is fine, as Jekyll publishes it), else from the file name."""
    raw = fm.get("title")
    if isinstance(raw, dict | list):
        raise PostError("title is not text")
    text = text_value(raw)
    if not text:
        # As Jekyll does: the file name without its date, dashes as spaces, words capitalized.
        words = [word for word in re.split(r"[-\s]+", name_title) if word]
        text = " ".join(word[:1].upper() + word[1:] for word in words)
    if not text:
        raise PostError("no title")
    if len(text) > TITLE_MAX:
        warnings.append(f"title cut to {TITLE_MAX} characters")
        text = text[:TITLE_MAX].rstrip()
    return text


def slug(fm, title_text, name_title, published_at):
    """The URL slug: front matter ``slug`` (Jekyll's and Hugo's), else the title's, else the file
    name's (for a title of symbols alone), else the date and a short hash of the title."""
    words = title_text if any(char.isalnum() for char in title_text) else ""
    for text in (text_value(fm.get("slug")), words, name_title):
        found = unicode_slug(text, fallback="")
        if found:
            return found
    digest = hashlib.sha256(title_text.encode()).hexdigest()[:8]
    return f"{published_at.date().isoformat()}-{digest}"  # not %Y: the year 1 would be "1"


def status(fm, in_drafts_folder):
    """ "draft" for ``_drafts/``, ``published: false`` and Hugo's ``draft: true``; else "published".
    An export's archive status (hidden, say) wins."""
    archived = archive_keys(fm).get("status")
    if archived in STATUSES:
        return archived
    if in_drafts_folder or _says_false(fm.get("published")) or _says_true(fm.get("draft")):
        return Article.Status.DRAFT.value
    return Article.Status.PUBLISHED.value


def archive_keys(fm):
    """The archive's own keys of an exported post (a mapping), or {}."""
    value = fm.get(ARCHIVE_KEY)
    return value if isinstance(value, dict) else {}


def archived(fm):
    """``(import key, featured, hidden reason, legacy slug)`` from an exported post's archive keys."""
    keys = archive_keys(fm)
    return (
        fit(Article, "import_key", text_value(keys.get("import_key"))),
        keys.get("featured") is True,
        fit(Article, "hidden_reason", text_value(keys.get("hidden_reason"))),
        # None when absent: an article made in the admin has an empty one, which must stay empty.
        fit(Article, "legacy_slug", text_value(keys["legacy_slug"])) if "legacy_slug" in keys else None,
    )


def restore_archived_images(fm):
    """``{copy path: original address}`` of the images an export copied beside its posts (under
    ``archive: images:``, see ``export.assets``); the front matter's ``image`` gets its original back."""
    raw = archive_keys(fm).get("images")
    images = {path: url for path, url in raw.items() if text_value(url)} if isinstance(raw, dict) else {}
    if not images:
        return images
    image = fm.get("image")
    if isinstance(image, str):
        fm["image"] = images.get(image, image)
    elif isinstance(image, dict):
        fm["image"] = {
            key: images.get(value, value) if key in IMAGE_KEYS and isinstance(value, str) else value
            for key, value in image.items()
        }
    return images


def author(fm, warnings):
    raw = fm.get("author")
    if isinstance(raw, dict):
        raw = raw.get("name") or raw.get("display_name") or ""
    if isinstance(raw, list):
        raw = ", ".join(author({"author": item}, warnings) for item in raw)
        raw = ", ".join(part for part in raw.split(", ") if part)
    text = text_value(raw)
    if len(text) > AUTHOR_MAX:
        warnings.append(f"author cut to {AUTHOR_MAX} characters")
        text = text[:AUTHOR_MAX].rstrip()
    return text


def http_url(value):
    """``value`` if it is an absolute http(s) URL (protocol-relative ones made https), else ""."""
    url = text_value(value).replace(" ", "%20")
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def image_source(fm):
    """``(image, caption)`` as written: ``image`` (a URL or a mapping holding one) and ``image_caption``."""
    raw, caption = fm.get("image"), fm.get("image_caption")
    if isinstance(raw, dict):
        caption = caption or raw.get("caption")
        raw = next((raw[key] for key in IMAGE_KEYS if text_value(raw.get(key))), None)
    return raw, caption


def caption_text(value):
    """A caption or description as one line of text (HTML in it is cleaned, then read as text)."""
    text = text_value(value)
    return one_line(tree_to_text(clean_tree(text))) if has_tags(text) else text


def lead_image(fm, warnings=None):
    """``(URL, caption)`` of the lead image the front matter names; the URL is "" when it names none."""
    raw, caption = image_source(fm)
    url = http_url(raw) if text_value(raw) else ""
    if text_value(raw) and (not url or len(url) > IMAGE_URL_MAX):
        if warnings is not None:
            warnings.append("image ignored: not an http(s) URL" if not url else "image ignored: URL too long")
        url = ""
    return url, caption_text(caption)


def original_url(fm, warnings):
    for key in ORIGINAL_URL_KEYS:
        raw = fm.get(key)
        if not text_value(raw):
            continue
        url = http_url(raw)
        if not url:
            warnings.append(f"{key} ignored: not an http(s) URL")
        elif len(url) > URL_MAX:
            warnings.append(f"{key} ignored: longer than {URL_MAX} characters")
        else:
            return url
    return ""


def terms(fm, keys, max_length, warnings):
    """Tags or categories: lists, flow lists, or strings split on commas (else spaces, as Jekyll)."""
    found = []
    for key in keys:
        found.extend(_flatten(fm.get(key)))
    seen, result = set(), []
    for term in found:
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
    text = text_value(value)
    parts = TERM_SEPARATORS_RE.split(text) if TERM_SEPARATORS_RE.search(text) else text.split()
    return [part.strip() for part in parts]


def _term(value):
    if isinstance(value, bool):
        return "true" if value else "false"  # as YAML wrote it
    return text_value(value)


def aliases(fm, warnings):
    """Hugo's ``aliases``: old paths (or URLs, of which the path counts) that redirect to the article.

    A path that is one of the site's own pages or files (``/``, ``/search/``, ``/media/…``) is
    refused: a redirect must never answer for them (see ``articles.models.routes``). One that is an
    article's address is kept here; the writer refuses it if an article holds it.
    """
    raw = fm.get("aliases")
    paths = []
    for value in raw if isinstance(raw, list) else [raw]:
        text = text_value(value)
        if not text:
            continue
        path = urlsplit(text).path if http_url(text) else text
        if not path.startswith("/") or path.startswith("//"):
            warnings.append(f"alias {text[:60]!r} ignored: not an absolute path")
        elif len(path) > ALIAS_MAX_LENGTH:
            warnings.append(f"alias {text[:60]!r}… ignored: longer than {ALIAS_MAX_LENGTH} characters")
        elif (route := site_route(path)) is not None and not route.of_article:
            warnings.append(f"alias {text[:60]!r} ignored: an address of the site itself ({route.name})")
        elif path not in paths:
            paths.append(path)
    if len(paths) > ALIASES_MAX:
        warnings.append(f"aliases: only the first {ALIASES_MAX} kept")
    return paths[:ALIASES_MAX]
