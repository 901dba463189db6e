"""Articles: the ``Article`` model, its queryset (what is public, bulk writes that keep derived fields,
history and the search index current) and the old paths that redirect to an article."""

from contextlib import contextmanager

from django.db import models, router, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager

from articles.text.fingerprints import text_fingerprint, title_key
from articles.text.plain import html_to_text

from .columns import SLUG_MAX_LENGTH
from .fields import CompressedTextField
from .history import VersionedQuerySet
from .labels import Category, TaggedArticle

# Sent when ``ArticleQuerySet.update()`` or ``bulk_update()`` (which send no post_save) changed
# fields of ``Article.SEARCH_FIELDS``: sender=Article, ids, using. The search index listens.
search_fields_updated = Signal()
# Sent after every ``ArticleQuerySet.update()``, ``bulk_update()`` and ``bulk_create()`` (which send no
# post_save): sender=Article, using. The facets' content version listens.
articles_written = Signal()
# Sent before and after ``update()`` or ``bulk_update()`` write fields of ``Article.COUNTED_FIELDS``,
# in one transaction: sender=Article, ids (the same list object in both), using. The kept counts
# (``articles.counts``) read the articles' counts on each side.
counted_fields_changing = Signal()
counted_fields_changed = Signal()


# Each derived field, the field it is derived from, and how (in order: the text comes before its key).
DERIVATIONS = (
    ("body_text", "body_html", html_to_text),
    ("text_fingerprint", "body_text", text_fingerprint),
    ("title_key", "title", title_key),
)
DERIVED_FROM = frozenset(source for _, source, _ in DERIVATIONS)
_UNKNOWN = object()


def can_view_articles(user):
    return user.has_perm("articles.view_article") or user.has_perm("articles.change_article")


# The publication rule, written once: what the public may see is published and its time has come.
# ``published_lookups`` says it to the database, ``is_published`` of values in memory.


def published_lookups(start=None, end=None, through=""):
    """``ArticleQuerySet.published()``'s filter, also through a relation (``"content_object__"``). Of now and
    ``end`` only the tighter bound: two keep SQLite off one (status, published_at) range (3 ms at 100,000)."""
    now = timezone.now()
    op, bound = ("lt", end) if end is not None and end <= now else ("lte", now)
    lookups = {f"{through}status": Article.Status.PUBLISHED, f"{through}published_at__{op}": bound}
    return lookups | ({f"{through}published_at__gte": start} if start is not None else {})


def is_published(status, published_at):
    """``published_lookups``' rule for an article's values in memory."""
    return status == Article.Status.PUBLISHED and published_at <= timezone.now()


@contextmanager
def _counted(fields, ids, using):
    """The ``counted_fields_changing``/``changed`` signals around a write of ``fields`` of articles ``ids``."""
    if not ids or not set(Article.COUNTED_FIELDS) & set(fields):
        yield
        return
    with transaction.atomic(using=using):
        counted_fields_changing.send(Article, ids=ids, using=using)
        yield
        counted_fields_changed.send(Article, ids=ids, using=using)


class ArticleQuerySet(VersionedQuerySet):
    def published(self, start=None, end=None):
        """What the public may see (published, its time has come); only [start, end) with bounds."""
        return self.filter(**published_lookups(start, end))

    def visible_to(self, user):
        """Staff who may view articles (as the admin reads it: the view or the change permission) see
        drafts and hidden articles too, with the reason; everyone else only published ones."""
        if user is not None and user.is_staff and can_view_articles(user):
            return self.all()
        return self.published()

    def bulk_update(self, objs, fields, batch_size=None, *, reindex=True):
        """Django's bulk_update(), also writing what derives from ``fields`` (see ``Article.refresh_derived``).

        ``reindex``: send ``search_fields_updated`` when a field the search document reads changed;
        off for bulk writers that index the articles themselves (the importer, after their tags).
        """
        objs, fields = list(objs), list(fields)
        for obj in objs:
            fields += [name for name in obj.refresh_derived(fields) if name not in fields]
        # Django's bulk_update() writes through update() with SQL CASE expressions, and the derived
        # values are among them already: Django's own queryset does it.
        django = models.QuerySet(self.model, query=self.query.chain(), using=self._db, hints=self._hints)
        with _counted(fields, [obj.pk for obj in objs], django.db):
            rows = django.bulk_update(objs, fields, batch_size=batch_size)
        if reindex and objs and set(fields) & set(Article.SEARCH_FIELDS):
            search_fields_updated.send(Article, ids=[obj.pk for obj in objs], using=django.db)
        if objs:
            articles_written.send(Article, using=django.db)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        """Django's bulk_create(), telling ``articles_written``'s receivers (no post_save is sent)."""
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            articles_written.send(Article, using=self.db)
        return created

    def update(self, **kwargs):
        """Django's update(), also setting what derives from the values it sets, and telling the search
        index when a field it reads changed (and ``articles_written``'s receivers when a row did). A
        title or body computed in SQL (an ``F()`` expression, say) cannot be derived from: it is refused."""
        sources = DERIVED_FROM & kwargs.keys()
        for name in sources:
            if hasattr(kwargs[name], "resolve_expression"):
                raise ValueError(f"Article.{name} is derived from in Python: set it with values, not SQL")
        if sources:
            values = Article(**{name: kwargs[name] for name in sources})
            kwargs.update({name: getattr(values, name) for name in values.refresh_derived(sources)})
        searched, counted = set(Article.SEARCH_FIELDS) & kwargs.keys(), set(Article.COUNTED_FIELDS) & kwargs.keys()
        if not searched and not counted:
            rows = super().update(**kwargs)
        else:
            self._for_write = True  # the ids are read where the rows are written, not from a replica
            with transaction.atomic(using=self.db):
                ids = list(self.values_list("pk", flat=True))
                with _counted(counted, ids, self.db):
                    rows = super().update(**kwargs)
                if searched:
                    search_fields_updated.send(Article, ids=ids, using=self.db)
        if rows:
            articles_written.send(Article, using=self.db)
        return rows


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")

    title = models.CharField(_("title"), max_length=1000)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True, allow_unicode=True)
    # Stored zlib-compressed (2.1x smaller): read and written as text, never filtered on in SQL.
    body_html = CompressedTextField(_("body (sanitized HTML)"), blank=True)
    body_text = CompressedTextField(_("body (plain text)"), blank=True, editable=False)
    excerpt = models.TextField(_("excerpt"), blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    original_url = models.URLField(_("original URL"), max_length=2000, blank=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    lead_image_url = models.URLField(_("lead image URL"), max_length=2000, blank=True)
    lead_image_caption = models.TextField(_("lead image caption"), blank=True)
    reading_time = models.PositiveIntegerField(_("reading time (minutes)"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    featured = models.BooleanField(_("featured"), default=False)

    tags = TaggableManager(through=TaggedArticle, blank=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="articles")

    # Provenance. The import key is the normalized original URL, else the path
    # relative to the import root; front_matter keeps every key of the source.
    import_key = models.CharField(_("import key"), max_length=1000, unique=True, null=True, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, db_index=True)
    source_path = models.CharField(_("source path"), max_length=1000, blank=True)
    legacy_slug = models.CharField(
        _("Jekyll slug"),
        max_length=500,
        blank=True,
        db_index=True,
        help_text=_("The title part of the source file name, for redirects from old Jekyll URLs."),
    )
    front_matter = models.JSONField(_("original front matter"), default=dict, blank=True)
    import_snapshot = models.JSONField(
        _("values at last import"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("What the last import wrote, to tell curators' edits from the source's."),
    )
    # Duplicate detection: equal keys mean "same title" / "same opening text" (see fingerprints.py).
    title_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    text_fingerprint = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    first_imported_at = models.DateTimeField(_("first imported"), null=True, blank=True)
    imported_at = models.DateTimeField(_("last imported"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # No row until the first change: see ``history``.
    history = HistoricalRecords(
        excluded_fields=["body_text", "import_snapshot", "updated_at", "title_key", "text_fingerprint"],
        history_change_reason_field=models.TextField(null=True),
    )

    objects = ArticleQuerySet.as_manager()

    # What the search document is made of besides tags and categories (as Wagtail models declare
    # their search_fields): see ``search.indexing.build_documents``.
    SEARCH_FIELDS = ("title", "author", "body_text")
    # What the kept counts read besides tags and categories (``articles.counts``).
    COUNTED_FIELDS = ("status", "published_at", "author")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # id last: the list's tie-break, so a deep page is answered from the index alone.
            models.Index(fields=["status", "-published_at", "id"], name="article_status_pub_id_idx"),
            models.Index(fields=["published_at"], name="article_pub_idx"),
            models.Index(fields=["featured", "status", "-published_at"], name="article_featured_idx"),
            models.Index(fields=["author", "-published_at"], name="article_author_idx"),
            models.Index(fields=["updated_at"], name="article_updated_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, update_fields=None, **kwargs):
        if self.pk is not None and not self._state.adding:
            Article.objects.record_first_versions([self.pk])  # the version this save replaces, if the first
        derived = self.refresh_derived(update_fields)
        if update_fields is not None:
            update_fields = {*update_fields, *derived}
        # One transaction with the kept counts the save signals update (``articles.counts``).
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(Article, instance=self)):
            super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        local = self.local_published_at
        return reverse(
            "articles:detail",
            kwargs={"year": local.year, "month": f"{local.month:02d}", "day": f"{local.day:02d}", "slug": self.slug},
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        # The stored derived fields belong to the stored sources (see ``refresh_derived``).
        article._derived_from = {name: article.__dict__[name] for name in DERIVED_FROM if name in article.__dict__}
        return article

    def refresh_derived(self, fields=None, *, known=None):
        """Bring the derived fields up to date with what they derive from (``DERIVATIONS``): ``body_text``
        from ``body_html``, the duplicate keys from the text and the title. Return the derived fields
        a write of ``fields`` (all when None) must include.

        As taggit's ``TagBase.save`` derives a tag's slug, ``save()`` calls this (so an edit from a
        shell or a script reaches search: the post_save signal reindexes what it derived), and so
        do ``ArticleQuerySet.bulk_update()`` and ``update()``. Not covered: ``bulk_create()``, raw
        SQL, fixtures and data migrations (their historical models have no methods): they write the
        values given, so call this first (a migration copies the functions of ``DERIVATIONS`` it
        needs, frozen: see migration 0004), then ``manage.py rebuild_search_index``.

        A value is derived again only when its source changed since it was derived or loaded, so
        a save that leaves the body alone parses no HTML (and ``body_text`` set by hand stays until
        the body changes). ``known``: derived values the caller computed already from these same
        sources (the importer's parse).
        """
        known = known or {}
        deferred = self.get_deferred_fields()
        written = {name for name in DERIVED_FROM if name not in deferred and (fields is None or name in fields)}
        sources = self.__dict__.setdefault("_derived_from", {})
        derived = []
        for target, source, derive in DERIVATIONS:
            if source not in written:
                continue
            value = getattr(self, source)
            if target in known:
                setattr(self, target, known[target])
            elif sources.get(source, _UNKNOWN) != value:
                setattr(self, target, derive(value))
            sources[source] = value
            written.add(target)
            derived.append(target)
        return derived

    @property
    def local_published_at(self):
        return timezone.localtime(self.published_at)

    @property
    def is_public(self):
        return is_published(self.status, self.published_at)

    @property
    def is_scheduled(self):
        """Published, but its time has not come yet: the public sees it then."""
        return self.status == self.Status.PUBLISHED and not self.is_public

    @classmethod
    def hidden_reason_for(cls, status, reason):
        """What ``hidden_reason`` holds for ``status``: why a hidden article is hidden (required:
        ``ValueError`` when blank; staff see it, readers get "not found"), nothing for any other status."""
        if status != cls.Status.HIDDEN:
            return ""
        if not (reason or "").strip():
            raise ValueError("Say why the article is hidden.")
        return reason


class ArticleRedirect(models.Model):
    """An old path (a merged duplicate, a renamed slug) that now points at an article."""

    old_path = models.CharField(_("old path"), max_length=1000, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")

    def __str__(self):
        return f"{self.old_path} → {self.article_id}"
