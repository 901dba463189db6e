"""The search index's own table: each article's fields in canonical form."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One article as the search engine sees it; rebuilt from the article, never edited.

    On PostgreSQL ``title`` and ``text`` (tags, categories, author and body, one per line) hold
    the canonical form from ``normalize.canonical``, which confirms long terms; on SQLite, whose
    index keeps positions, ``title`` is empty and ``text`` a digest of both (see ``backends``:
    each backend's ``stored``), so an unchanged article is not written again.
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
