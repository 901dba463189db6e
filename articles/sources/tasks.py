"""Syncs queued for the worker (a push, "Sync now"): django-tasks, run by ``manage.py db_worker``.

A source has at most one queued sync: pushes that arrive while it waits queue nothing more, and the
sync, once started, clears the mark first, so it fetches everything pushed before it began and a
push during it queues the next one.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from articles.models import Source

from .sync import State, sync_source

# A queued mark older than this belongs to a task that was lost (the worker's tasks were deleted,
# say): the next push queues another.
QUEUED_STALE_AFTER = timedelta(hours=1)
# A queued sync that finds another sync of its source running tries again this much later.
BUSY_RETRY = timedelta(seconds=30)


def request_sync(source_id, *, delay=None):
    """Queue one sync of the source unless one is queued already; whether this call queued it."""
    now = timezone.now()
    waiting = Q(queued_at=None) | Q(queued_at__lt=now - QUEUED_STALE_AFTER)
    with transaction.atomic():
        if not Source.objects.filter(waiting, pk=source_id).update(queued_at=now):
            return False
        queued = sync_in_background.using(run_after=now + delay) if delay else sync_in_background
        queued.enqueue(source_id)
    return True


@task()
def sync_in_background(source_id):
    """Sync the source; when another sync holds it, queue this one again a little later."""
    Source.objects.filter(pk=source_id).update(queued_at=None)
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return "source deleted"
    result = sync_source(source, progress=False)
    if result.state is State.BUSY:
        request_sync(source_id, delay=BUSY_RETRY)
    return result.message
