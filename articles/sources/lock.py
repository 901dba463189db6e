"""One sync of a source at a time, on SQLite and PostgreSQL alike: a conditional UPDATE of the
source's row takes the lock, so of two syncs started together exactly one writes.

The owner (host, process id and a token) beats while it works. A lock whose owner's process is gone
(same host) or has not beaten for ``STALE_AFTER`` is taken over: a killed sync never blocks its
source, and the next one redoes its work (the last synced commit moved only if it completed).
"""

import os
import socket
import uuid

from django.db.models import Q
from django.utils import timezone

from articles.core.processes import process_alive
from articles.models import Source
from articles.models.imports import IMPORT_HEARTBEAT_TIMEOUT

STALE_AFTER = IMPORT_HEARTBEAT_TIMEOUT
BEAT_SECONDS = 30


class LockLost(Exception):
    """Another sync took the source over (this one stopped beating for too long)."""


def acquire(source_id):
    """Take the source's lock; the owner string, or None when another live sync holds it."""
    owner = f"{socket.gethostname()} {os.getpid()} {uuid.uuid4().hex}"
    now = timezone.now()
    free = Q(sync_owner="") | Q(sync_beat__lt=now - STALE_AFTER) | Q(sync_beat=None)
    if Source.objects.filter(free, pk=source_id).update(sync_owner=owner, sync_beat=now):
        return owner
    holder = Source.objects.filter(pk=source_id).values_list("sync_owner", flat=True).first()
    dead = holder and not _alive(holder)
    if dead and Source.objects.filter(pk=source_id, sync_owner=holder).update(sync_owner=owner, sync_beat=now):
        return owner
    return None


def beat(source_id, owner):
    """Show that the owner still works; ``LockLost`` if another sync took the source meanwhile."""
    if not Source.objects.filter(pk=source_id, sync_owner=owner).update(sync_beat=timezone.now()):
        raise LockLost("another sync took over this source (this one showed no life for too long)")


def release(source_id, owner, **fields):
    """Give the lock back, writing ``fields`` in the same UPDATE; False if it was no longer ours."""
    return bool(Source.objects.filter(pk=source_id, sync_owner=owner).update(sync_owner="", sync_beat=None, **fields))


def is_running(source):
    """Whether a live sync holds ``source`` (a killed one's lock waits for the next sync to take it)."""
    if not source.sync_owner or source.sync_beat is None:
        return False
    return _alive(source.sync_owner) and timezone.now() - source.sync_beat < STALE_AFTER


def _alive(holder):
    host, _, rest = holder.partition(" ")
    pid = rest.partition(" ")[0]
    return process_alive(host, int(pid)) if pid.isdigit() else True
