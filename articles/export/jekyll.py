"""One article as a Jekyll post: where it goes, its front matter and its file.

``write_article`` writes one article; everything an export writes per article goes through it.
The front matter keeps every key of the original, with the curated values in place of the
source's (title, date with its zone, author, ``from``, tags, categories, image, caption,
description, status), the permalink of the article's page here, and the archive's own keys
under ``archive:`` (import key, status, hidden reason, featured, old Jekyll slug), with which
the importer brings the file back as the same article.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, tzinfo

from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import uri_to_iri

from articles.importer import fields
from articles.importer.frontmatter import write_post
from articles.models import Article

from .assets import localize, point_image
from .files import write_atomic

KEY_ORDER = (
    "layout", "title", "date", "author", *fields.ORIGINAL_URL_KEYS, *fields.TAG_KEYS, *fields.CATEGORY_KEYS,
    "image", "image_caption", "description", "excerpt", "published", "draft", "slug", "permalink", "aliases",
)  # fmt: skip
NAME_MAX_BYTES = 200  # file names stay under the 255 bytes file systems allow, with room to spare
DRAFTS, POSTS = "_drafts", "_posts"


@dataclass(frozen=True)
class Site:
    """Where an export goes, and what every article's file needs that is the same for all."""

    folder: str
    tz: tzinfo
    url: str  # an article's URL with "{date}" and "{slug}" in it: reverse() once, not 40 us an article

    @classmethod
    def at(cls, folder):
        url = uri_to_iri(reverse("articles:detail", kwargs={"year": 1, "month": 1, "day": 1, "slug": "slug"}))
        return cls(str(folder), timezone.get_current_timezone(), url.replace("0001/01/01/slug/", "{date}/{slug}/"))

    def article_url(self, local, slug):
        """``article.get_absolute_url()`` as an IRI, from the article's local time."""
        return self.url.replace("{date}", local.date().isoformat().replace("-", "/")).replace("{slug}", slug)


def post_path(article, local):
    """The file's path in the site: ``_posts/YYYY-MM-DD-<slug>.html`` (local date), drafts in ``_drafts/``."""
    name = article.slug
    if len(name.encode()) > NAME_MAX_BYTES:  # a long Chinese slug: cut, and a hash keeps it unique
        cut = name.encode()[: NAME_MAX_BYTES - 9].decode(errors="ignore")
        name = f"{cut}-{hashlib.sha256(article.slug.encode()).hexdigest()[:8]}"
    if article.status == Article.Status.DRAFT:
        return f"{DRAFTS}/{name}.html"
    return f"{POSTS}/{local.date().isoformat()}-{name}.html"


def jekyll_date(local):
    """``2022-07-07 23:04:00 +08:00``, as Jekyll writes dates; in UTC when the zone's offset then
    had seconds (local mean time, before about 1900), which no format holds.

    Dates here and in paths go through ``isoformat()``: ``strftime("%Y")`` writes the year 1 as
    ``1`` on Linux, which neither Jekyll nor the importer reads as a year."""
    if local.utcoffset().seconds % 60:
        local = local.astimezone(UTC)
    offset = local.strftime("%z")
    return f"{local.replace(tzinfo=None).isoformat(sep=' ')} {offset[:3]}:{offset[3:]}"


def front_matter(article, local, permalink, tags, categories, redirects):
    """The post's front matter (a dict)."""
    fm = dict(article.front_matter or {})
    warnings = []
    fm["title"] = article.title
    fm["date"] = jekyll_date(local)
    if fields.author(fm, warnings) != article.author:  # a mapping such as {name, twitter} stays if it agrees
        fm["author"] = article.author
    for key in fields.ORIGINAL_URL_KEYS:  # "from" and the synonyms the importer also reads
        _put(fm, key, article.original_url, add=key == "from")
    for keys, names in (fields.TAG_KEYS, tags), (fields.CATEGORY_KEYS, categories):
        for key in keys:
            _put(fm, key, sorted(names), add=key == keys[0])
    if fields.lead_image(fm) != (article.lead_image_url, article.lead_image_caption):
        fm.pop("image", None)  # a mapping such as {url, caption} stays only while it agrees
        _put(fm, "image", article.lead_image_url)
        _put(fm, "image_caption", article.lead_image_caption)
    _put(fm, "description", article.excerpt)
    if article.status == Article.Status.HIDDEN:
        fm["published"] = False
    elif article.status == Article.Status.PUBLISHED:
        _put(fm, "published", True, add=False)
    if "draft" in fm:
        fm["draft"] = article.status == Article.Status.DRAFT
    fm["slug"] = article.slug
    fm["permalink"] = permalink
    _put(fm, "aliases", list(dict.fromkeys([*fields.aliases(fm, warnings), *sorted(redirects)])))
    fm.pop(fields.ARCHIVE_KEY, None)
    # One order whatever the database kept (PostgreSQL's jsonb sorts keys): the post's own keys
    # first, the original's others by name, the archive's last. The same article, the same bytes.
    ordered = {key: fm.pop(key) for key in KEY_ORDER if key in fm}
    return {**ordered, **dict(sorted(fm.items())), fields.ARCHIVE_KEY: _archive_keys(article)}


def _put(fm, key, value, *, add=True):
    """Override ``key`` if the original has it; else add it when ``add`` and ``value`` says something."""
    if key in fm or (add and value):
        fm[key] = value


def _archive_keys(article):
    keys = {"status": article.status, "legacy_slug": article.legacy_slug}  # legacy_slug even when empty
    if article.import_key:
        keys["import_key"] = article.import_key
    if article.featured:
        keys["featured"] = True
    if article.hidden_reason:
        keys["hidden_reason"] = article.hidden_reason
    return keys


def write_article(site, article, tags, categories, redirects, images=None):
    """Write ``article`` into ``site`` (a ``Site``), pointing at the copies ``images`` ({URL: site
    path}) names; returns the file's path relative to the site."""
    local = article.published_at.astimezone(site.tz)
    relative = post_path(article, local)
    fm = front_matter(article, local, site.article_url(local, article.slug), tags, categories, redirects)
    body, lead, originals = localize(article, images)
    if lead != article.lead_image_url:
        point_image(fm, article.lead_image_url, lead)
    if originals:
        fm[fields.ARCHIVE_KEY]["images"] = originals
    write_atomic(f"{site.folder}/{relative}", write_post(fm, body))
    return relative
