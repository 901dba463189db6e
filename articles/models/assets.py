"""Archived copies of the images articles show, and what became of each article's source page."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The media storage's folder of the archived files: ``assets.storage`` names them under it, and the
# kept counts (``counts.records``) walk it to count the bytes stored.
STORAGE_PREFIX = "assets"


class Asset(models.Model):
    """One remote image URL and the local copy of its bytes.

    The bytes are stored once per SHA-256 (see ``storage.py``), however many URLs or articles
    share them; ``variants`` lists the widths of the WebP derivatives made from them.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Not fetched yet")
        FETCHED = "fetched", _("Archived")
        FAILED = "failed", _("Failed (will retry)")
        GONE = "gone", _("Gone at the source")
        REFUSED = "refused", _("Refused")

    url = models.TextField(_("URL"))
    url_key = models.CharField(_("URL key"), max_length=64, unique=True, editable=False)  # SHA-256 of the URL
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    kind = models.CharField(_("type"), max_length=8, blank=True)  # jpeg, png, gif, webp or avif
    size = models.PositiveBigIntegerField(_("bytes"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    variants = models.JSONField(_("WebP widths"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    tries = models.PositiveIntegerField(_("tries"), default=0)
    fetched_at = models.DateTimeField(_("fetched"), null=True, blank=True)
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    created_at = models.DateTimeField(_("found"), auto_now_add=True)
    articles = models.ManyToManyField(
        "Article", through="ArticleAsset", related_name="assets", verbose_name=_("articles")
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("archived image")
        verbose_name_plural = _("archived images")
        indexes = [models.Index(fields=["status", "next_try_at"], name="asset_status_next_try_idx")]

    def __str__(self):
        return self.url


class ArticleAsset(models.Model):
    """An image an article shows (in its body or as its lead image)."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="asset_links")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="article_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "asset"], name="unique_article_asset")]
        verbose_name = _("article image")
        verbose_name_plural = _("article images")

    def __str__(self):
        return f"{self.article_id} → {self.asset_id}"


class SourceCheck(models.Model):
    """The last check of an article's original URL (``archive_assets --check-sources``)."""

    class Status(models.TextChoices):
        ALIVE = "alive", _("Alive")
        MOVED = "moved", _("Moved")
        GONE = "gone", _("Gone")
        UNREACHABLE = "unreachable", _("Unreachable")

    article = models.OneToOneField("Article", on_delete=models.CASCADE, primary_key=True, related_name="source_check")
    status = models.CharField(_("source"), max_length=12, choices=Status.choices, db_index=True)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    final_url = models.TextField(_("moved to"), blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("checked"), db_index=True)

    class Meta:
        verbose_name = _("source check")
        verbose_name_plural = _("source checks")

    def __str__(self):
        return f"{self.article_id}: {self.status}"
