"""The facets' own table: a count of the writes that change what searches and facets count."""

from django.db import models


class ContentWrites(models.Model):
    """One row (``id`` 1), its ``writes`` moved on in the transaction of every write that changes
    what searches and facets count (see ``version``). Written by upsert, never through the ORM: a
    flushed table (a test's) starts again from no row."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    writes = models.BigIntegerField(default=0)

    class Meta:
        app_label = "articles"
        verbose_name = "content writes"
        verbose_name_plural = "content writes"

    def __str__(self):
        return str(self.writes)
