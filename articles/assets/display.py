"""Pages show an image's archived copy once it is fetched, and the remote URL until then.

The copy is put in at render time, with one query per page for all of the page's images (looked
up by URL key), not written into the stored body:

- the body is the curators' text: an edit must never meet, or overwrite, a machine-rewritten
  copy, and re-imports compare bodies with the last import to tell edits from the source's;
- the body keeps the original image URLs, the provenance;
- a page uses a copy as soon as it is fetched, and goes back to the remote URL if a copy is
  removed, with no body to rewrite either way.

The cost: parsing, rewriting and serializing a body with lxml took 0.36 ms of CPU on the real
samples' bodies with images (16 kB on average), against several milliseconds for the page's
template; a regular expression would take 0.03 ms but trusts the markup's shape. A body with no
archived image is returned as stored, unparsed. Cards cache their HTML per version of the copy
(``LocalImage.version`` is in the card key), so list pages pay only the one query.
"""

from dataclasses import dataclass

from articles.models import Asset, SourceCheck

from . import storage
from .discovery import body_images, parse_body, resolve, serialize_body
from .records import url_key

# Rendered widths, from static/css/site.css: cards 5.5rem on phones, 12rem on wide screens,
# 9.5rem between; the article column is 40rem, less 2rem of padding on small screens.
CARD_SIZES = "(max-width: 40rem) 5.5rem, (min-width: 75rem) 12rem, 9.5rem"
ARTICLE_SIZES = "(max-width: 42rem) calc(100vw - 2rem), 40rem"
WAYBACK = "https://web.archive.org/web/"
CARD_WIDTH = 360  # the default src of card thumbnails: the 360 copy
ARTICLE_WIDTH = 720  # and of article images: the 720 copy


@dataclass(frozen=True)
class LocalImage:
    """An archived image as a page uses it: a default ``src``, a ``srcset`` and the shown size."""

    original: str
    variants: tuple  # ((width, url), ...), narrowest first, the original last
    width: int
    height: int
    version: str

    def src(self, width):
        """The narrowest copy at least ``width`` wide (else the widest there is)."""
        return next((url for w, url in self.variants if w >= width), self.variants[-1][1])

    @property
    def srcset(self):
        return ", ".join(f"{url} {w}w" for w, url in self.variants) if len(self.variants) > 1 else ""


def local_image(asset):
    original = storage.url(storage.original_name(asset.sha256, asset.kind))
    copies = [(w, storage.url(storage.variant_name(asset.sha256, w))) for w in sorted(asset.variants)]
    version = f"{asset.sha256}:{','.join(map(str, asset.variants))}"
    return LocalImage(original, (*copies, (asset.width, original)), asset.width, asset.height, version)


def local_images(urls):
    """``{url: LocalImage}`` for those of ``urls`` that are archived: one query, none without URLs."""
    keys = {url_key(url): url for url in urls if url}
    if not keys:
        return {}
    fields = ("url_key", "sha256", "kind", "width", "height", "variants")
    archived = Asset.objects.filter(url_key__in=keys, status=Asset.Status.FETCHED).only(*fields)
    return {keys[asset.url_key]: local_image(asset) for asset in archived}


def localize_article(article):
    """``(body HTML, lead LocalImage or None)`` with archived copies in place of remote images."""
    base = article.original_url
    lead_url = resolve(article.lead_image_url, base)
    root = parse_body(article.body_html) if "<img" in article.body_html else None
    found = body_images(root, base) if root is not None else []
    images = local_images([lead_url, *(url for _img, url in found)])
    lead = images.get(lead_url)
    archived = [(img, images[url]) for img, url in found if url in images]
    if not archived:
        return article.body_html, lead
    for img, image in archived:
        _use_copy(img, image)
    return serialize_body(root), lead


def attach_lead_images(articles):
    """Set each article's ``lead_image`` to its archived lead image (or None): one query for the page."""
    urls = {article.pk: resolve(article.lead_image_url, article.original_url) for article in articles}
    images = local_images(urls.values())
    for article in articles:
        article.lead_image = images.get(urls[article.pk])
    return articles


def _use_copy(img, image):
    img.set("src", image.src(ARTICLE_WIDTH))
    if image.srcset:
        img.set("srcset", image.srcset)
        img.set("sizes", ARTICLE_SIZES)
    declared = img.get("width", "")
    if declared.isdigit() and int(declared):
        img.set("height", str(round(int(declared) * image.height / image.width)))  # the source's width, our shape
    else:
        img.set("width", str(image.width))
        img.set("height", str(image.height))


def wayback_url(url):
    """The Wayback Machine's copy of ``url`` (its latest capture)."""
    return WAYBACK + url


def source_gone(article):
    """Whether the last check found ``article``'s source gone (its ``source_check`` selected with it)."""
    check = getattr(article, "source_check", None)
    return check is not None and check.status == SourceCheck.Status.GONE
