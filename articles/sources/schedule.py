"""Which sources are due: those with a schedule (``every_minutes``) whose time has come.

Scheduled syncs run where ``sync_sources --due`` runs (a systemd timer in production, the loop of
``sync_sources --due --watch`` beside ``make run``); syncs a push or a curator asks for are queued
for the worker (``tasks``). A failed sync is tried again at the source's next time.
"""

from django.utils import timezone

from articles.models import Source


def due_sources(now=None):
    now = now or timezone.now()
    return [source for source in Source.objects.exclude(every_minutes=None) if source.is_due(now)]


def next_due(now=None):
    """The soonest time a scheduled source is due (None without any)."""
    times = [source.next_due_at for source in Source.objects.exclude(every_minutes=None)]
    return min(times, default=None)
