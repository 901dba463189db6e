"""The archive's data: articles, their categories and tags, and import provenance."""

import os
import socket
from datetime import timedelta
from itertools import chain, count

from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from .fingerprints import text_fingerprint, title_key

SLUG_MAX_LENGTH = 200


def max_length(model, field_name):
    """The length of a model's text column: read from the model, never repeated."""
    return model._meta.get_field(field_name).max_length


def fit(model, field_name, value):
    """Cut a string to its column's length (PostgreSQL refuses longer ones)."""
    length = max_length(model, field_name)
    return value[:length] if length and isinstance(value, str) else value


def unicode_slug(text, max_length=SLUG_MAX_LENGTH, fallback="article"):
    """A URL slug that keeps Chinese characters and always fits its column."""
    slug = slugify(text, allow_unicode=True)[:max_length].strip("-_")
    return slug or fallback


class Category(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


class CategoryAlias(models.Model):
    """A category name merged into another; the importer maps it to the kept one."""

    name = models.CharField(_("name"), max_length=max_length(Category, "name"), unique=True)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, db_index=True, allow_unicode=True, blank=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name = _("category alias")
        verbose_name_plural = _("category aliases")

    def __str__(self):
        return f"{self.name} → {self.category}"


class TagAlias(models.Model):
    """A tag name merged into (or renamed to) another tag."""

    name = models.CharField(_("name"), max_length=max_length(Tag, "name"), unique=True)
    slug = models.SlugField(
        _("slug"), max_length=max_length(Tag, "slug"), db_index=True, allow_unicode=True, blank=True
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name = _("tag alias")
        verbose_name_plural = _("tag aliases")

    def __str__(self):
        return f"{self.name} → {self.tag}"


@receiver(pre_save, sender=Tag)
def tag_slug_never_empty(sender, instance, **kwargs):
    """taggit slugifies a name such as "!!!" to "", which has no URL: such a tag gets "tag", "tag_2"…
    as the importer gives it. (Curators create tags by typing names; taggit makes the row.)"""
    if not instance.slug:
        taken = set(Tag.objects.filter(slug__startswith="tag").values_list("slug", flat=True))
        candidates = chain(["tag"], (f"tag_{n}" for n in count(2)))
        instance.slug = next(slug for slug in candidates if slug not in taken)


class TaggedArticle(TaggedItemBase):
    """Tag links with a real foreign key, so tag filters are indexed joins."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag"),
        ]
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, and its time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """Staff see drafts and hidden articles too; everyone else only published ones."""
        if user is not None and user.is_active and user.is_staff:
            return self.all()
        return self.published()


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden")

    title = models.CharField(_("title"), max_length=1000)
    slug = models.SlugField(_("slug"), max_length=SLUG_MAX_LENGTH, unique=True, allow_unicode=True)
    body_html = models.TextField(_("body (sanitized HTML)"), blank=True)
    body_text = models.TextField(_("body (plain text)"), blank=True, editable=False)
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

    history = HistoricalRecords(
        excluded_fields=["body_text", "import_snapshot", "updated_at", "title_key", "text_fingerprint"],
        history_change_reason_field=models.TextField(null=True),
    )

    objects = ArticleQuerySet.as_manager()

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

    def save(self, *args, **kwargs):
        self.refresh_fingerprints()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        local = self.local_published_at
        return reverse(
            "articles:detail",
            kwargs={"year": local.year, "month": f"{local.month:02d}", "day": f"{local.day:02d}", "slug": self.slug},
        )

    def refresh_fingerprints(self):
        """Recompute the duplicate-detection keys; bulk writers call this themselves."""
        self.title_key = title_key(self.title)
        self.text_fingerprint = text_fingerprint(self.body_text)

    @property
    def local_published_at(self):
        return timezone.localtime(self.published_at)

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()


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


# A running import beats after each batch and every few hundred files (seconds apart); a run
# whose last beat is older than this is taken for dead when its process cannot be checked.
IMPORT_HEARTBEAT_TIMEOUT = timedelta(minutes=5)


class ImportRun(models.Model):
    """One run of the importer, from the command line or the admin."""

    class Source(models.TextChoices):
        COMMAND = "command", _("Command line")
        ADMIN = "admin", _("Admin upload")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        FAILED = "failed", _("stopped")
        INTERRUPTED = "interrupted", _("interrupted")

    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="import_runs")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.COMMAND)
    paths = models.TextField(_("paths"), blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    overwrite = models.BooleanField(_("overwrite"), default=False)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True)
    # Set by the process running the import: None until it starts (a queued upload).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    files_total = models.PositiveIntegerField(_("files found"), null=True, blank=True)
    files_done = models.PositiveIntegerField(_("files done"), default=0)
    failure = models.TextField(_("stopped by"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self):
        return f"Import {self.started_at:%Y-%m-%d %H:%M} ({self.get_source_display()})"

    @property
    def state(self):
        """Queued, running, finished, failed, or interrupted (its process died before the end)."""
        if self.finished_at is not None:
            return self.State.FAILED if self.failure else self.State.FINISHED
        if self.heartbeat_at is None:
            return self.State.QUEUED
        if not _process_alive(self.host, self.pid) or timezone.now() - self.heartbeat_at > IMPORT_HEARTBEAT_TIMEOUT:
            return self.State.INTERRUPTED
        return self.State.RUNNING


def _process_alive(host, pid):
    """False when process ``pid`` is known to be gone (or a zombie) on this host; True when it
    lives or cannot be checked (another host: the heartbeat alone tells)."""
    if not pid or host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True
