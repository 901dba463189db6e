"""The dashboard's other kept numbers: archived images and source checks by status, and media bytes stored.

As for articles (``keeping``), a write is bracketed: ``kept_statuses`` reads the statuses of the
rows it touches before and after and adds the difference. The archiver's writes
(``assets.records``) are the only ones; deletions come through ``signals``. The bytes stored are
a running total, added as each file is written (a file already stored adds nothing), so no
request ever walks the media folder; ``rebuild`` does, once.
"""

import os
from collections import Counter
from contextlib import contextmanager

from django.core.files.storage import default_storage
from django.db import router, transaction
from django.db.models import Count, Q

from articles.models import Asset, SourceCheck, Tally
from articles.models.assets import STORAGE_PREFIX

from .keeping import TOTAL, apply

ASSET, SOURCE, MEDIA = "asset", "source", "media"
KINDS = {Asset: ASSET, SourceCheck: SOURCE}


def _statuses(model, condition, using):
    rows = model.objects.using(using).filter(condition).values_list("status").annotate(n=Count("pk")).order_by()
    return Counter({(KINDS[model], status, TOTAL): n for status, n in rows})


@contextmanager
def kept_statuses(model, condition, using=None):
    """Keep the counts by status of ``model``'s rows matching ``condition`` right across the block."""
    using = using or router.db_for_write(model)
    with transaction.atomic(using=using):
        before = _statuses(model, condition, using)
        yield
        changes = _statuses(model, condition, using)
        changes.subtract(before)
        apply(changes, using)


def forget_one(model, status, using=None):
    """One row of ``model`` with ``status`` is being deleted."""
    apply({(KINDS[model], status, TOTAL): -1}, using)


def stored(written, using=None):
    """``written`` more bytes of media are stored."""
    apply({(MEDIA, "", TOTAL): written}, using)


def media_bytes():
    """Bytes of the files under ``assets/`` in the media storage: a walk, for ``rebuild`` only."""
    total, folders = 0, [STORAGE_PREFIX]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = default_storage.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        folders += [os.path.join(folder, name) for name in subfolders]
        total += sum(default_storage.size(os.path.join(folder, name)) for name in files)
    return total


def rebuild(using=None):
    """Count the images and source checks by status, and the media stored, again."""
    using = using or router.db_for_write(Tally)
    with transaction.atomic(using=using):
        Tally.objects.using(using).filter(kind__in=[*KINDS.values(), MEDIA]).delete()
        counts = Counter()
        for model in KINDS:
            counts.update(_statuses(model, Q(), using))
        counts[MEDIA, "", TOTAL] = media_bytes()
        apply(counts, using)
