"""Writing parsed posts to the database in batches: one transaction and a handful of queries each.

Each batch: load its articles and their links, plan each post (``plan.Planner``, no database),
then apply the plans in bulk: inserts (no history row: see ``models.history``), updates with
their history rows, provenance, old paths, tags and categories, and the search index. Each post's outcome is one of
``report.Outcome``: created, updated, unchanged, skipped (every change held by a curator), or
failed (with the reason).
"""

import logging
import sqlite3
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, InterfaceError, connection
from django.utils import timezone
from taggit.models import Tag

from articles.core.batches import BATCH_SIZE
from articles.counts.keeping import kept
from articles.facets.version import bump, bumped_once
from articles.models import SLUG_MAX_LENGTH, Article, Category, TaggedArticle
from articles.models.history import IMPORT_REASON
from articles.models.rows import insert_objects
from articles.search import indexing
from articles.search.indexing import index_documents, update_index

from .links import current_links, ensure_categories, ensure_tags, write_aliases, write_links
from .plan import PendingPost, Planner, Write
from .report import Outcome, unexpected

RETRIES = 3
# Written on every import of a changed file, whatever the merge decides.
PROVENANCE_FIELDS = ["content_hash", "source_path", "front_matter", "import_snapshot", "imported_at"]
CategoryThrough = Article.categories.through
# Errors that mean the database cannot be written at all, rather than that a post's values were
# refused: they stop the run (one line, the run closed) instead of failing every post in turn.
SQLITE_STOPS = {
    sqlite3.SQLITE_FULL,  # "database or disk is full"
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_NOTADB,
}
# PostgreSQL's classes of SQLSTATE: 08 connection lost, 53 insufficient resources (53100: disk
# full), 57 operator intervention (a shutdown), 58 system error (an I/O error).
POSTGRESQL_STOPS = {"08", "53", "57", "58"}

logger = logging.getLogger("articles.importer")


@dataclass
class PostOutcome:
    """What became of one post."""

    item: PendingPost
    outcome: Outcome
    conflicts: tuple = ()
    article_id: int | None = None
    reason: str = ""  # why it failed
    notes: tuple = ()  # what of the post was left out, and why (an alias that is another article's address)


@dataclass
class Links:
    """The tag and category names of a batch's existing articles: {article id: [(link id, name)]}."""

    tags: dict
    categories: dict

    def names(self, kind, article):
        return {name for _, name in getattr(self, kind).get(article.pk, ())} if article else set()


class BatchWriter:
    """Creates, merges and updates the articles of one batch of posts at a time."""

    def __init__(self, *, user=None, overwrite=False, dry_run=False):
        self.user = user
        self.dry_run = dry_run
        self.planner = Planner(overwrite=overwrite)

    def write(self, batch):
        """Write ``batch`` (a list of ``PendingPost`` with distinct keys); return a ``PostOutcome`` each.

        A batch is one transaction. When another import wrote the same keys or slugs meanwhile
        (IntegrityError), the batch is retried and those articles count as existing. A batch that
        still fails, whatever the error (a value the database refuses, a bug), is split in halves
        until the post that fails is alone, so one bad post fails alone.
        """
        error = None
        for _attempt in range(RETRIES):
            try:
                with bumped_once():  # one transaction; its writes move the facets' content version once
                    indexing.prepare_bulk_write()
                    return self._write(batch)
            except IntegrityError as exc:
                error = exc
            except Exception as exc:
                if stops_the_run(exc):
                    raise
                error = exc
                break
        if len(batch) == 1:
            logger.error("writing %s failed", batch[0].display, exc_info=error)
            reason = f"database error: {error}" if isinstance(error, DatabaseError) else unexpected(error)
            return [PostOutcome(batch[0], Outcome.FAILED, reason=reason)]
        middle = len(batch) // 2
        return self.write(batch[:middle]) + self.write(batch[middle:])

    def _write(self, batch):
        now = timezone.now()
        existing = {a.import_key: a for a in Article.objects.filter(import_key__in=[item.key for item in batch])}
        _adopt_keyless(batch, existing)
        links = _current_links([a.pk for a in existing.values()])
        plans = []
        for item in batch:
            article = existing.get(item.key)
            tags, categories = links.names("tags", article), links.names("categories", article)
            plans.append(self.planner.plan(item, article, tags, categories, now))
        notes = {} if self.dry_run else self._apply(plans, links, now)
        return [
            PostOutcome(
                plan.item,
                plan.outcome,
                plan.conflicts,
                plan.article.pk if plan.article else None,
                notes=tuple(notes.get(plan.article.pk, ()) if plan.article else ()),
            )
            for plan in plans
        ]

    def _apply(self, plans, links, now):
        """Write what the plans say, a few statements for the whole batch; {article id: [note]} for
        what was left out."""
        inserts = [plan.article for plan in plans if plan.write is Write.INSERT]
        updates = [plan for plan in plans if plan.write is Write.UPDATE]
        provenance = [plan.article for plan in plans if plan.write is Write.PROVENANCE]
        changing = [plan.article.pk for plan in plans if plan.write in (Write.UPDATE, Write.PROVENANCE)]
        with kept(changing) as counts:  # the kept counts, in this batch's transaction
            if inserts:
                self._insert(inserts)
                counts.add([article.pk for article in inserts])
                bump()  # written in raw SQL: no signal tells the content version
            if updates:
                self._update(updates, now)
            if provenance:
                Article.objects.bulk_update(provenance, PROVENANCE_FIELDS, batch_size=BATCH_SIZE)
            if any(plan.tags is not None or plan.categories is not None for plan in plans):
                bump()  # links written in raw SQL, as above
            notes = write_aliases([(plan.article.pk, plan.aliases) for plan in plans if plan.aliases], now)
            wanted_tags = [(plan.article, plan.tags) for plan in plans if plan.tags is not None]
            write_links(TaggedArticle, "content_object_id", "tag_id", ensure_tags, wanted_tags, links.tags)
            wanted_categories = [(plan.article, plan.categories) for plan in plans if plan.categories is not None]
            write_links(
                CategoryThrough, "article_id", "category_id", ensure_categories, wanted_categories, links.categories
            )
        _index(plans)
        return notes

    def _insert(self, articles):
        for article, slug in zip(articles, self._unique_slugs([a.slug for a in articles]), strict=True):
            article.slug = slug
        _insert_articles(articles)

    def _update(self, plans, now):
        articles = [plan.article for plan in plans]
        for article in articles:
            article.updated_at = now
        fields = set().union(*(plan.fields for plan in plans)) | {"updated_at", *PROVENANCE_FIELDS}
        # Indexed after the tags and categories are written (``_index``).
        Article.objects.update_with_history(
            articles, sorted(fields), user=self.user, reason=IMPORT_REASON, reindex=False
        )

    def _unique_slugs(self, bases):
        """``bases`` made unique against the database and each other with -2, -3... suffixes."""
        if not bases:
            return []
        taken = set(Article.objects.filter(slug__in=set(bases)).values_list("slug", flat=True))
        clashing = {base for base in bases if base in taken} | {b for b in bases if bases.count(b) > 1}
        stems = {base: base[: SLUG_MAX_LENGTH - 8].rstrip("-") for base in clashing}
        if stems:
            query = Article.objects.none()
            for stem in set(stems.values()):
                query |= Article.objects.filter(slug__startswith=f"{stem}-")
            taken |= set(query.values_list("slug", flat=True))
        slugs = []
        for base in bases:
            slug, n = base, 1
            while slug in taken:
                n += 1
                slug = f"{stems[base]}-{n}"
            taken.add(slug)
            slugs.append(slug)
        return slugs


def stops_the_run(exc):
    """Whether ``exc`` means the database cannot be written at all (a full disk, a lost connection)."""
    if isinstance(exc, InterfaceError):
        return True
    cause = exc.__cause__ if isinstance(exc, DatabaseError) else None
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in SQLITE_STOPS  # the primary code of an extended one (SQLITE_IOERR_WRITE...)
    return str(getattr(cause, "sqlstate", None) or "")[:2] in POSTGRESQL_STOPS


def _current_links(ids):
    tags = current_links(TaggedArticle.objects.filter(content_object_id__in=ids), "content_object_id", "tag__name")
    categories = current_links(CategoryThrough.objects.filter(article_id__in=ids), "article_id", "category__name")
    return Links(tags, categories)


def _index(plans):
    """Index new articles from the documents their parse prepared, and reindex the rest that changed."""
    prepared = {
        plan.article.pk: plan.item.derived.document
        for plan in plans
        if plan.write is Write.INSERT and plan.item.derived
    }
    if prepared:
        index_documents(prepared)
    reindex = [
        plan.article.pk
        for plan in plans
        if plan.write is Write.UPDATE or (plan.write is Write.INSERT and not plan.item.derived)
    ]
    if reindex:
        update_index(reindex)


def _insert_articles(articles):
    """INSERT new articles (one statement per batch) and give each its primary key, read by import key."""
    insert_objects(Article, articles)
    ids = dict(Article.objects.filter(import_key__in=[a.import_key for a in articles]).values_list("import_key", "pk"))
    for article in articles:
        article.pk = ids[article.import_key]
        article._state.adding = False
        article._state.db = connection.alias


def finish_index():
    """Merge the index entries the batches deferred (see ``search.indexing.prepare_bulk_write``)."""
    indexing.flush_index()


def analyze():
    """Fresh planner statistics for every table an import writes (see ``search.indexing.analyze``)."""
    indexing.analyze([Article, Article.history.model, TaggedArticle, CategoryThrough, Tag, Category])


def _adopt_keyless(batch, existing):
    """An article made in the admin has no import key, so its export names none: when such an
    export comes back, the article with its slug and no key is the one it was written from."""
    keyless = {
        item.post.slug: item.key
        for item in batch
        if item.post.exported and not item.post.import_key and item.key not in existing
    }
    if keyless:
        for article in Article.objects.filter(import_key=None, slug__in=keyless):
            existing[keyless[article.slug]] = article
