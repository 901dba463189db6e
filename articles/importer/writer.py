"""Writing parsed posts to the database in batches: one transaction and a handful of queries each."""

import hashlib
from dataclasses import dataclass
from datetime import UTC

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from taggit.models import Tag

from articles import search
from articles.batches import BATCH_SIZE
from articles.fingerprints import text_fingerprint, title_key
from articles.models import (
    SLUG_MAX_LENGTH,
    Article,
    Category,
    CategoryAlias,
    TagAlias,
    TaggedArticle,
    fit,
    max_length,
    unicode_slug,
)
from articles.search import indexing
from articles.search.indexing import PreparedDocument, index_documents, prepare_document

from .history import insert_history, update_with_history
from .links import current_links, ensure_categories, ensure_tags, write_aliases, write_links
from .merge import MERGED_FIELDS, SCALAR_FIELDS, merge
from .post import ParsedPost
from .report import unexpected
from .rows import insert_objects

CHANGE_REASON = "import"
RETRIES = 3
# Written on every import of a changed file, whatever the merge decides.
PROVENANCE_FIELDS = ["content_hash", "source_path", "front_matter", "import_snapshot", "imported_at"]
# Set from the post as is; the others from the (column-fitted) source values.
UNCUT_FIELDS = {"body_html", "published_at"}
CategoryThrough = Article.categories.through


@dataclass
class Derived:
    """What a new article needs besides the post, computed in the parse workers (see ``derive``)."""

    document: PreparedDocument
    title_key: str
    text_fingerprint: str


@dataclass
class PendingPost:
    """A parsed post on its way to the database."""

    post: ParsedPost
    key: str
    relative: str
    display: str
    content_hash: str
    derived: Derived | None = None


@dataclass
class Outcome:
    item: PendingPost
    outcome: str  # created / updated / unchanged / skipped
    conflicts: tuple = ()
    article_id: int | None = None
    reason: str = ""  # why it failed


def digest(text):
    return hashlib.sha256((text or "").encode()).hexdigest()


def comparable_time(value):
    return value.astimezone(UTC).isoformat() if value else None


class NameMap:
    """Tag or category names mapped through aliases (merged names go to the kept one)."""

    def __init__(self, pairs, max_length):
        self.aliases = {alias.casefold(): name for alias, name in pairs}
        self.max_length = max_length

    def __call__(self, names):
        mapped = set()
        for name in names:
            name = str(name).strip()[: self.max_length]
            if name:
                mapped.add(self.aliases.get(name.casefold(), name))
        return mapped


def derive(post, tag_names, category_names):
    """The search document and duplicate keys the post gives as a new article (tags through aliases):
    what ``Article.refresh_derived`` and ``update_index`` would compute, computed in the parse workers."""
    title = fit(Article, "title", post.title)
    document = prepare_document(
        title,
        fit(Article, "author", post.author),
        post.body_text,
        tag_names(post.tags),
        category_names(post.categories),
    )
    return Derived(document, title_key(title), text_fingerprint(post.body_text))


class BatchWriter:
    """Creates, merges and updates the articles of one batch of posts at a time."""

    def __init__(self, *, user=None, overwrite=False, dry_run=False):
        self.user = user
        self.overwrite = overwrite
        self.dry_run = dry_run
        self.tag_names = NameMap(TagAlias.objects.values_list("name", "tag__name"), max_length(Tag, "name"))
        self.category_names = NameMap(
            CategoryAlias.objects.values_list("name", "category__name"), max_length(Category, "name")
        )

    def write(self, batch):
        """Write ``batch`` (a list of ``PendingPost`` with distinct keys); return one ``Outcome`` each.

        A batch is one transaction. When another import wrote the same keys or slugs meanwhile
        (IntegrityError), the batch is retried and those articles count as existing. A batch that
        still fails, whatever the error (a value the database refuses, a bug), is split in halves
        until the post that fails is alone, so one bad post fails alone.
        """
        error = None
        for _attempt in range(RETRIES):
            try:
                with transaction.atomic():
                    return self._write(batch)
            except IntegrityError as exc:
                error = exc
            except Exception as exc:
                error = exc
                break
        if len(batch) == 1:
            reason = f"database error: {error}" if isinstance(error, DatabaseError) else unexpected(error)
            return [Outcome(batch[0], "failed", reason=reason)]
        middle = len(batch) // 2
        return self.write(batch[:middle]) + self.write(batch[middle:])

    def source_values(self, post):
        return {
            "title": fit(Article, "title", post.title),
            "body_html": digest(post.body_html),
            "excerpt": post.excerpt,
            "author": fit(Article, "author", post.author),
            "original_url": fit(Article, "original_url", post.original_url),
            "published_at": comparable_time(post.published_at),
            "lead_image_url": fit(Article, "lead_image_url", post.lead_image_url),
            "lead_image_caption": post.lead_image_caption,
            "status": post.status,
            "legacy_slug": fit(Article, "legacy_slug", post.legacy_slug),
            "tags": sorted(self.tag_names(post.tags)),
            "categories": sorted(self.category_names(post.categories)),
        }

    @staticmethod
    def current_values(article, tags, categories):
        values = {name: getattr(article, name) for name in SCALAR_FIELDS}
        values["body_html"] = digest(article.body_html)
        values["published_at"] = comparable_time(article.published_at)
        values["tags"] = sorted(tags)
        values["categories"] = sorted(categories)
        return values

    def snapshot(self, source):
        """What the import wrote, to compare with later (the source's values, merged fields only)."""
        return {name: source[name] for name in MERGED_FIELDS}

    def _write(self, batch):
        now = timezone.now()
        existing = {a.import_key: a for a in Article.objects.filter(import_key__in=[item.key for item in batch])}
        ids = [a.pk for a in existing.values()]
        tag_links = current_links(
            TaggedArticle.objects.filter(content_object_id__in=ids), "content_object_id", "tag__name"
        )
        category_links = current_links(
            CategoryThrough.objects.filter(article_id__in=ids), "article_id", "category__name"
        )

        outcomes, created, updated, touched, created_items, aliases = [], [], [], [], [], []
        wanted_tags, wanted_categories = {}, {}  # article (object) -> names
        update_fields = set()
        for item in batch:
            post, source = item.post, self.source_values(item.post)
            article = existing.get(item.key)
            if article is None:
                article = self._new_article(item, source, now)
                created.append(article)
                created_items.append((article, item))
                aliases.append((article, post.aliases))
                wanted_tags[id(article)] = (article, set(source["tags"]))
                wanted_categories[id(article)] = (article, set(source["categories"]))
                outcomes.append(Outcome(item, "created"))
                continue
            if article.content_hash == item.content_hash and not self.overwrite:
                outcomes.append(Outcome(item, "unchanged", article_id=article.pk))
                continue
            current_tags = {name for _, name in tag_links.get(article.pk, ())}
            current_categories = {name for _, name in category_links.get(article.pk, ())}
            result = merge(
                self.current_values(article, current_tags, current_categories),
                article.import_snapshot or {},
                source,
                overwrite=self.overwrite,
            )
            for name in result.take:
                setattr(article, name, getattr(post, name) if name in UNCUT_FIELDS else source[name])
                update_fields.add(name)
            if "body_html" in result.take:
                article.reading_time = post.reading_time
                update_fields.add("reading_time")
            known = {"body_text": post.body_text} if "body_html" in result.take else None
            update_fields.update(article.refresh_derived(result.take, known=known))
            if "tags" in result.sets:
                wanted_tags[id(article)] = (article, result.sets["tags"])
            if "categories" in result.sets:
                wanted_categories[id(article)] = (article, result.sets["categories"])
            if post.exported and not result.changed:
                # This archive's own export, changed nowhere: the original's provenance stays.
                outcomes.append(Outcome(item, result.outcome, tuple(result.conflicts), article.pk))
                continue
            aliases.append((article, post.aliases))
            self._set_provenance(article, item, source, now)
            (updated if result.changed else touched).append(article)
            outcomes.append(Outcome(item, result.outcome, tuple(result.conflicts), article.pk))

        if self.dry_run:
            return outcomes
        for article, slug in zip(created, self._unique_slugs([a.slug for a in created]), strict=True):
            article.slug = slug
        if created:
            _insert_articles(created)
            insert_history(created, user=self.user, reason=CHANGE_REASON)
        if updated:
            for article in updated:
                article.updated_at = now
            update_with_history(
                updated,
                sorted(update_fields | {"updated_at", *PROVENANCE_FIELDS}),
                user=self.user,
                reason=CHANGE_REASON,
            )
        if touched:
            Article.objects.bulk_update(touched, PROVENANCE_FIELDS, batch_size=BATCH_SIZE)
        write_aliases([(article.pk, paths) for article, paths in aliases if paths], now)
        self._write_tags(wanted_tags.values(), tag_links)
        self._write_categories(wanted_categories.values(), category_links)
        prepared = {article.pk: item.derived.document for article, item in created_items if item.derived}
        if prepared:
            index_documents(prepared)
        reindex = [a.pk for a, item in created_items if not item.derived] + [a.pk for a in updated]
        if reindex:
            search.update_index(reindex)
        for outcome, article in zip((o for o in outcomes if o.outcome == "created"), created, strict=True):
            outcome.article_id = article.pk
        return outcomes

    def _new_article(self, item, source, now):
        post = item.post
        article = Article(
            title=source["title"],
            slug=unicode_slug(post.slug or post.title),
            body_html=post.body_html,
            excerpt=post.excerpt,
            author=source["author"],
            original_url=source["original_url"],
            published_at=post.published_at,
            lead_image_url=source["lead_image_url"],
            lead_image_caption=post.lead_image_caption,
            reading_time=post.reading_time,
            status=post.status,
            hidden_reason=fit(Article, "hidden_reason", post.hidden_reason),
            featured=post.featured,
            legacy_slug=source["legacy_slug"],
            import_key=item.key,
            first_imported_at=now,
            created_at=now,
            updated_at=now,
        )
        known = {"body_text": post.body_text}
        if item.derived:
            known.update(title_key=item.derived.title_key, text_fingerprint=item.derived.text_fingerprint)
        article.refresh_derived(known=known)
        self._set_provenance(article, item, source, now)
        return article

    def _set_provenance(self, article, item, source, now):
        article.content_hash = item.content_hash
        article.source_path = fit(Article, "source_path", item.relative)
        article.front_matter = item.post.front_matter
        article.import_snapshot = self.snapshot(source)
        article.imported_at = now

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

    def _write_tags(self, wanted, links):
        write_links(TaggedArticle, "content_object_id", "tag_id", ensure_tags, wanted, links)

    def _write_categories(self, wanted, links):
        write_links(CategoryThrough, "article_id", "category_id", ensure_categories, wanted, links)


def _insert_articles(articles):
    """INSERT new articles (one statement per batch) and give each its primary key, read by import key."""
    insert_objects(Article, articles)
    ids = dict(Article.objects.filter(import_key__in=[a.import_key for a in articles]).values_list("import_key", "pk"))
    for article in articles:
        article.pk = ids[article.import_key]
        article._state.adding = False
        article._state.db = connection.alias


def analyze():
    """Fresh planner statistics for every table an import writes (see ``search.indexing.analyze``)."""
    indexing.analyze([Article, Article.history.model, TaggedArticle, CategoryThrough, Tag, Category])
