"""Counts kept in the database, so the archive's timelines and the admin's dashboard never count rows per request."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tally(models.Model):
    """One kept number: the articles of one month of one thing (a tag, an author...), or a total.

    ``kind`` says what is counted (``keeping.KINDS``), ``key`` which one (a tag's id, an author's
    name, a status; "" for the whole archive), ``month`` the month as ``year * 100 + month`` in the
    site time zone, or 0 for every month together. Written only by ``keeping``, in the
    transaction of the change it counts.
    """

    kind = models.CharField(_("kind"), max_length=16)
    key = models.CharField(_("key"), max_length=200, blank=True)
    month = models.PositiveIntegerField(_("month"))
    value = models.BigIntegerField(_("value"))

    class Meta:
        app_label = "articles"
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [models.UniqueConstraint(fields=["kind", "key", "month"], name="unique_tally")]
        # Every tag's total and what lies in months still to come, without reading each tag's months.
        indexes = [models.Index(fields=["kind", "month"], name="tally_kind_month_idx")]

    def __str__(self):
        return f"{self.kind} {self.key} {self.month}: {self.value}"
