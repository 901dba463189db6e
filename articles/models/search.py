"""The search index's own table: each article's fields in canonical form."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One article as the search engine sees it; rebuilt from the article, never edited.

    ``title`` and ``text`` (tags, categories, author and body, one per line) hold the
    canonical form from ``normalize.canonical``; the token index (FTS5 or a GIN-indexed
    array, see ``backends``) is derived from them.
    """

    article = models.OneToOneField(
        "Article",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    title = models.TextField(_("title"), blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return str(self.article_id)
