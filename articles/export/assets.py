"""Archived images in an export: copied beside the posts, and the posts pointing at the copies.

Each fetched image an article shows (``articles.assets``) is copied once into the site as
``assets/<sha256>.<ext>``, and the article's body and lead image point at ``/assets/...``, so
the built site shows its pictures without the source's servers. The front matter keeps the
address each copy stands for under ``archive: images:`` ({copy: the address as the article had
it}), and importing the export puts those addresses back (``importer.fields.restore_archived_images``):
the original URLs stay the provenance, and the article imports back unchanged.
"""

from django.core.files.storage import default_storage

from articles.assets import storage
from articles.assets.discovery import body_images, parse_body, resolve, serialize_body
from articles.importer.fields import IMAGE_KEYS
from articles.models import ArticleAsset, Asset

from .files import write_atomic

FOLDER = "assets"


def site_path(sha256, kind):
    """Where a copy is in the site, as pages address it: ``/assets/<sha256>.<ext>``."""
    return f"/{FOLDER}/{sha256}.{storage.KINDS[kind][1]}"


def fetched_images(article_ids):
    """``{article id: {image URL: (sha256, kind)}}`` of the fetched images the articles show: one query."""
    rows = ArticleAsset.objects.filter(article_id__in=article_ids, asset__status=Asset.Status.FETCHED)
    found = {}
    for article_id, url, sha256, kind in rows.values_list("article_id", "asset__url", "asset__sha256", "asset__kind"):
        if sha256 and kind in storage.KINDS:
            found.setdefault(article_id, {})[url] = (sha256, kind)
    return found


class Copier:
    """Copies archived files into the site, each once per export (in the process reading the
    database, so the count is exact and the workers write only posts)."""

    def __init__(self, folder):
        self.folder = folder
        self.copied = {}  # site path -> True when in place, False when the stored copy is missing
        self.missing = []  # (storage name, URL, reason)

    def copy(self, images):
        """``{URL: site path}`` of those of ``images`` ({URL: (sha256, kind)}) now in the site."""
        placed = {}
        for url, (sha256, kind) in images.items():
            path = site_path(sha256, kind)
            if path not in self.copied:
                self.copied[path] = self._copy(storage.original_name(sha256, kind), path, url)
            if self.copied[path]:
                placed[url] = path
        return placed

    @property
    def count(self):
        return sum(self.copied.values())

    def _copy(self, name, path, url):
        try:
            with default_storage.open(name, "rb") as stored:
                data = stored.read()
            (self.folder / FOLDER).mkdir(exist_ok=True)
            write_atomic(f"{self.folder}{path}", data)
        except OSError as exc:  # a copy removed from storage, say: its articles keep the remote URL
            self.missing.append((name, url, exc.strerror or str(exc)))
            return False
        return True


def localize(article, images):
    """``(body HTML, lead image URL, {site path: address as the article had it})``: the article
    pointing at the copies ``images`` ({URL: site path}) names.

    Two addresses of one image (``//host/a.jpg`` and ``https://host/a.jpg``) would share a copy
    but not an original: the first keeps the copy, the other its remote address.
    """
    if not images:
        return article.body_html, article.lead_image_url, {}
    originals = {}

    def copy_of(raw, url):
        path = images.get(url)
        return path if path is not None and originals.setdefault(path, raw) == raw else None

    lead = article.lead_image_url
    lead = copy_of(lead, resolve(lead, article.original_url)) or lead
    body = article.body_html
    if "<img" in body:
        root = parse_body(body)
        changed = False
        for img, url in body_images(root, article.original_url):
            path = copy_of(img.get("src"), url)
            if path:
                img.set("src", path)
                changed = True
        body = serialize_body(root) if changed else body
    return body, lead, originals


def point_image(fm, original, path):
    """Make the front matter's ``image`` (a URL, or a mapping holding one) say ``path`` for ``original``."""
    image = fm.get("image")
    if isinstance(image, dict):
        key = next((key for key in IMAGE_KEYS if image.get(key) == original), None)
        if key is not None:
            fm["image"] = {**image, key: path}
            return
    fm["image"] = path
