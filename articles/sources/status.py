"""What state a source is in, as the admin's list and the dashboard both say it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from . import lock


@dataclass(frozen=True)
class Status:
    name: str  # a stable word for CSS and tests: syncing, stopped, queued, failing, never, synced
    label: str


def describe(source):
    """The ``Status`` of ``source``, its last error left to the caller (the admin shows it in full)."""
    if lock.is_running(source):
        return Status("syncing", _("syncing now"))
    if source.sync_owner:
        return Status("stopped", _("a sync stopped before the end: the next one finishes it"))
    if source.queued_at:
        return Status("queued", _("queued: waiting for the worker"))
    if source.last_error:
        return Status("failing", _("failing (%(n)d in a row)") % {"n": source.failures})
    if source.last_synced_at is None:
        return Status("never", _("never synced"))
    return Status("synced", _("up to date"))
