"""Deciding what each post of a batch does to the database, one post at a time, without touching it.

The writer loads the batch's articles and their links, asks ``Planner.plan`` for each post, then
applies the plans in bulk (see ``writer``). A plan holds the article as it must be written (a new
one, or the existing one with the merge's fields set), the tags and categories it must have, its
old paths, and the outcome to report.
"""

from dataclasses import dataclass, field
from datetime import UTC
from enum import Enum, auto

from taggit.models import Tag

from articles.models import CATEGORIES, TAGS, Article, Category, fit, max_length, unicode_slug
from articles.search.indexing import PreparedDocument, prepare_document
from articles.text.fingerprints import text_fingerprint, title_key

from .merge import MERGED_FIELDS, SCALAR_FIELDS, comparable, merge
from .post import ParsedPost
from .report import Outcome

# Set from the post as is; the others from the (column-fitted) source values.
UNCUT_FIELDS = {"body_html", "published_at"}


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


class Write(Enum):
    """What a plan writes of its article."""

    NOTHING = auto()  # unchanged, or an export of this archive changed nowhere
    INSERT = auto()  # a new article (its own first version: no history row yet)
    UPDATE = auto()  # the fields the merge takes and the provenance, with a history row
    PROVENANCE = auto()  # the file changed, the curator's values stay: only where it came from


@dataclass
class PostPlan:
    item: PendingPost
    outcome: Outcome
    article: Article | None = None
    write: Write = Write.NOTHING
    fields: set = field(default_factory=set)  # for UPDATE: the fields that change
    tags: set | None = None  # the tag names the article must have, when they change
    categories: set | None = None
    aliases: list = field(default_factory=list)  # old paths that must redirect to the article
    conflicts: tuple = ()


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


class Planner:
    """Plans posts as one import's options say (overwrite or merge), with the aliases as they were
    when it started."""

    def __init__(self, *, overwrite=False):
        self.overwrite = overwrite
        self.tag_names = NameMap(TAGS.alias_names(), max_length(Tag, "name"))
        self.category_names = NameMap(CATEGORIES.alias_names(), max_length(Category, "name"))

    def plan(self, item, article, tags, categories, now):
        """The plan for ``item``; ``article`` is the one its import key names (None for a new one),
        ``tags`` and ``categories`` the names it has."""
        post, source = item.post, self.source_values(item.post)
        if article is None:
            article = self._new_article(item, source, now)
            tags, categories = set(source["tags"]), set(source["categories"])
            return PostPlan(
                item, Outcome.CREATED, article, Write.INSERT, tags=tags, categories=categories, aliases=post.aliases
            )
        if article.content_hash == item.content_hash and not self.overwrite:
            return PostPlan(item, Outcome.UNCHANGED, article)
        current = comparable(self.current_values(article, tags, categories))
        result = merge(current, article.import_snapshot or {}, comparable(source), overwrite=self.overwrite)
        plan = PostPlan(item, result.outcome, article, conflicts=tuple(result.conflicts))
        plan.fields = self._take(article, post, source, result.take)
        plan.tags, plan.categories = result.sets.get("tags"), result.sets.get("categories")
        if post.exported and not result.changed:
            return plan  # This archive's own export, changed nowhere: the original's provenance stays.
        self._set_provenance(article, item, source, now)
        plan.write = Write.UPDATE if result.changed else Write.PROVENANCE
        plan.aliases = post.aliases
        return plan

    def source_values(self, post):
        return {
            "title": fit(Article, "title", post.title),
            "body_html": post.body_html,
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
        values["published_at"] = comparable_time(article.published_at)
        values["tags"] = sorted(tags)
        values["categories"] = sorted(categories)
        return values

    @staticmethod
    def _take(article, post, source, names):
        """Set the fields the merge takes from the source, and what derives from them; return their names."""
        for name in names:
            setattr(article, name, getattr(post, name) if name in UNCUT_FIELDS else source[name])
        fields = set(names)
        if "body_html" in names:
            article.reading_time = post.reading_time
            fields.add("reading_time")
        known = {"body_text": post.body_text} if "body_html" in names else None
        fields.update(article.refresh_derived(names, known=known))
        return fields

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
        article.import_snapshot = comparable({name: source[name] for name in MERGED_FIELDS})  # to compare later
        article.imported_at = now
