"""Exporting articles as a Jekyll site source: chosen by status, date, tag or category, in chunks."""

import logging
import os
import sys
import time
from dataclasses import dataclass, field
from functools import partial

from tqdm import tqdm

from articles.core import periods
from articles.core.process_pool import ProcessPool
from articles.models import CATEGORIES, TAGS, Article, ArticleRedirect, TaggedArticle

from .assets import Copier, fetched_images
from .files import ExportError, prepare
from .jekyll import Site, write_article

CHUNK = 1000  # articles read at a time: memory stays flat however large the archive
# Articles handed to a worker process at a time; an export of fewer gets one worker. Even one
# article is written in a worker: whatever writing it does to its process, the export goes on.
POOL_CHUNK = 50
# An article's writing is stopped past this much CPU time, or when its process gives no answer for
# this long (far beyond the milliseconds one takes: only a process gone wrong reaches them).
WRITE_CPU_SECONDS = 60
WRITE_WALL_SECONDS = 240
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


logger = logging.getLogger("articles.export")


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

    ``workers``: writing processes (default: one per core; a small export gets one).
    """
    started = time.perf_counter()
    total = articles.count()
    folder = prepare(folder, force=force)
    site = Site.at(folder)
    copier = Copier(folder)
    report = ExportReport()
    show = sys.stderr.isatty() if progress is None else progress
    workers = min(workers or len(os.sched_getaffinity(0)), -(-total // POOL_CHUNK))
    if total:
        with (
            tqdm(total=total, disable=not show, unit="article", file=sys.stderr) as bar,
            ProcessPool(
                write_one,
                site,
                workers=workers,
                chunksize=POOL_CHUNK,
                ahead=CHUNK + 2 * workers * POOL_CHUNK,  # the next chunk is read while the workers write
                on_death=partial(write_crashed, site),
                cpu_seconds=WRITE_CPU_SECONDS,
                wall_seconds=WRITE_WALL_SECONDS,
            ) as pool,
        ):
            jobs = (job for chunk in _chunks(articles.only(*FIELDS)) for job in _jobs(chunk, copier))
            for status, error in pool.imap(jobs):
                _account(report, status, error)
                bar.update()
    report.images, report.missing = copier.count, copier.missing
    report.seconds = time.perf_counter() - started
    return report


def write_one(site, job):
    """Write one article into ``site`` (in a worker); ``(status, None)``, or ``(None, (where, reason))``
    when it failed. Never raises."""
    article, tags, categories, redirects, images = job
    try:
        write_article(site, article, tags, categories, redirects, images)
    except OSError as exc:  # a full disk, say: this article fails, the others go on
        return None, (_where(site, article), exc.strerror or str(exc))
    except Exception as exc:  # a bug must not stop the export: report it against the article, log its traceback
        logger.exception("unexpected error exporting article %s", article.pk)
        return None, (_where(site, article), f"unexpected error: {type(exc).__name__}: {exc}")
    return article.status, None


def write_crashed(site, job, reason):
    """The result of an article whose writing process died (``ProcessPool``'s ``on_death``)."""
    article = job[0]
    logger.error("the export's writer crashed on article %s (%s)", article.pk, reason)
    return None, (_where(site, article), f"the writer crashed ({reason})")


def _where(site, article):
    return f"{site.article_url(article.published_at.astimezone(site.tz), article.slug)} (id {article.pk})"


def _account(report, status, error):
    if error:
        report.errors.append(error)
    else:
        report.written[status] = report.written.get(status, 0) + 1


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
