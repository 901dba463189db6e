"""Exporting articles as a Jekyll site source: chosen by status, date, tag or category, in chunks."""

import multiprocessing
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connections
from tqdm import tqdm

from articles.core import periods
from articles.models import CATEGORIES, TAGS, Article, ArticleRedirect, TaggedArticle

from .assets import Copier, fetched_images
from .files import ExportError, prepare
from .jekyll import Site, write_article

CHUNK = 1000  # articles read at a time: memory stays flat however large the archive
INLINE_LIMIT = 500  # fewer articles than this are written in this process: starting workers costs more
POOL_CHUNK = 50  # articles handed to a worker at a time
FIELDS = (
    "title", "slug", "body_html", "excerpt", "author", "original_url", "published_at", "lead_image_url",
    "lead_image_caption", "status", "hidden_reason", "featured", "import_key", "legacy_slug", "front_matter",
)  # fmt: skip


@dataclass
class ExportReport:
    written: dict = field(default_factory=dict)  # status -> count
    errors: list = field(default_factory=list)  # (article, reason)
    images: int = 0  # archived images copied beside the posts
    missing: list = field(default_factory=list)  # (storage name, URL, reason): copies not found
    seconds: float = 0.0

    @property
    def total(self):
        return sum(self.written.values())

    def summary(self):
        parts = ", ".join(f"{n} {status}" for status, n in sorted(self.written.items()))
        line = f"exported {self.total} articles" + (f" ({parts})" if parts else "")
        line += f", {self.images} images copied" if self.images else ""
        line += f", {len(self.missing)} archived images missing" if self.missing else ""
        line += f", failed {len(self.errors)}" if self.errors else ""
        return line + f" in {self.seconds:.1f} s"


def select(*, statuses=(), since=None, tag=None, category=None):
    """The articles to export; ``tag`` and ``category`` are names (renamed ones too) or slugs."""
    articles = Article.objects.all()
    if statuses:
        articles = articles.filter(status__in=statuses)
    if since is not None:
        articles = articles.filter(**periods.lookups("published_at", periods.local_midnight(since), None))
    if tag:
        found = _find(TAGS, tag)
        articles = articles.filter(pk__in=TaggedArticle.objects.filter(tag=found).values("content_object_id"))
    if category:
        articles = articles.filter(categories=_find(CATEGORIES, category))
    return articles


def _find(kind, value):
    found, _ = kind.find_by_names([value])
    match = found[0] if found else kind.model.objects.filter(slug=value).first()
    if match is None:
        raise ExportError(f"no {kind.model._meta.verbose_name} named {value!r} (nor with that slug)")
    return match


def export_articles(folder, articles, *, force=False, progress=None, workers=None):
    """Write ``articles`` (a queryset) into ``folder`` as a Jekyll site source; an ``ExportReport``.

    ``workers``: writing processes (default: one per core; a small export writes in this one).
    """
    global _site
    started = time.perf_counter()
    total = articles.count()
    folder = prepare(folder, force=force)
    _site = Site.at(folder)
    copier = Copier(folder)
    report = ExportReport()
    show = sys.stderr.isatty() if progress is None else progress
    try:
        with (
            tqdm(total=total, disable=not show, unit="article", file=sys.stderr) as bar,
            _writer(total, workers) as write,
        ):
            pending = None
            for chunk in _chunks(articles.only(*FIELDS)):
                jobs = _jobs(chunk, copier)  # the next chunk is read while the workers write this one
                if pending is not None:
                    bar.update(_account(report, pending.get()))
                pending = write(jobs)
            if pending is not None:
                bar.update(_account(report, pending.get()))
    finally:
        _site = None
    report.images, report.missing = copier.count, copier.missing
    report.seconds = time.perf_counter() - started
    return report


_site = None  # the export's Site, set before forking so the workers inherit it


def _write_one(job):
    """Write one article (in a worker); ``(status, None)``, or ``(None, (where, reason))`` when it failed."""
    article, tags, categories, redirects, images = job
    try:
        write_article(_site, article, tags, categories, redirects, images)
    except OSError as exc:  # a full disk, say: this article fails, the others go on
        where = f"{_site.article_url(article.published_at.astimezone(_site.tz), article.slug)} (id {article.pk})"
        return None, (where, exc.strerror or str(exc))
    return article.status, None


def _account(report, results):
    for status, error in results:
        if error:
            report.errors.append(error)
        else:
            report.written[status] = report.written.get(status, 0) + 1
    return len(results)


class _Done:
    def __init__(self, results):
        self.results = results

    def get(self):
        return self.results


@contextmanager
def _writer(total, workers):
    """A function writing a list of jobs, whose result's ``get()`` gives one result per job:
    in this process for a small export, else in a pool of forked processes."""
    workers = workers or len(os.sched_getaffinity(0))
    if workers <= 1 or total < INLINE_LIMIT:
        yield lambda jobs: _Done([_write_one(job) for job in jobs])
        return
    if not any(conn.in_atomic_block for conn in connections.all(initialized_only=True)):
        connections.close_all()  # the workers never use the database: they must not share its connection
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        yield lambda jobs: pool.map_async(_write_one, jobs, chunksize=POOL_CHUNK)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _jobs(chunk, copier):
    """(article, tag names, category names, redirect paths, {image URL: site path of its copy}) for
    each article of ``chunk``: four queries, and the chunk's archived images copied into the site."""
    ids = [article.pk for article in chunk]
    images = {pk: copier.copy(found) for pk, found in fetched_images(ids).items()}
    tags = _names(TaggedArticle.objects.filter(content_object_id__in=ids), "content_object_id", "tag__name")
    categories = _names(Article.categories.through.objects.filter(article_id__in=ids), "article_id", "category__name")
    redirects = _names(ArticleRedirect.objects.filter(article_id__in=ids), "article_id", "old_path")
    return [(a, tags.get(a.pk, ()), categories.get(a.pk, ()), redirects.get(a.pk, ()), images.get(a.pk)) for a in chunk]


def _chunks(articles):
    """The articles in primary key order, ``CHUNK`` at a time (keyset pagination: no OFFSET)."""
    last = 0
    while True:
        chunk = list(articles.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _names(queryset, owner, name):
    found = {}
    for owner_id, value in queryset.values_list(owner, name):
        found.setdefault(owner_id, []).append(value)
    return found
