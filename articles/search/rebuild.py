"""Rebuilding the whole index: worker processes read and tokenize articles, this process writes.

Reading an article (its body is stored compressed), normalizing its fields and cutting them into
tokens is most of what a rebuild costs, and needs nothing but the article: each worker reads its
own batches of ids through its own connection and hands back prepared documents
(``indexing.PreparedDocument``), in order, while this process writes the previous ones in one
transaction. As the importer's parse workers do, so a rebuild keeps every core busy.
"""

import multiprocessing
import os
from collections import deque

from django.db import connections, transaction

from articles.core.batches import BATCH_SIZE, chunked
from articles.models import Article

from . import indexing

# Batches prepared ahead of the writer, per worker: enough to keep the workers busy while a batch
# is written, few enough that prepared documents never pile up in memory.
AHEAD_PER_WORKER = 2


def prepare_batch(ids, using):
    """[(article id, PreparedDocument)] of the articles with these ids, read on this process's connection."""
    return indexing.prepare_documents(ids, using)


def _start_pool(workers, using):
    """A pool of ``workers`` forked processes, or None to prepare batches inline: for one worker, and
    when the workers could not read what this process sees (inside a caller's transaction, or an
    in-memory SQLite database).

    Forked children must not share this process's connections: they are closed before forking
    (no transaction is open), so each side opens its own.
    """
    connection = connections[using]
    in_memory = connection.vendor == "sqlite" and connection.creation.is_in_memory_db(connection.settings_dict["NAME"])
    if workers <= 1 or connection.in_atomic_block or in_memory:
        return None
    connections.close_all()
    return multiprocessing.get_context("fork").Pool(workers)


def _prepared(batches, using, pool, workers):
    """Each batch's prepared documents, in order: from the pool, ``workers`` * AHEAD_PER_WORKER ahead."""
    if pool is None:
        yield from (prepare_batch(ids, using) for ids in batches)
        return
    try:
        pending = deque()
        for ids in batches:
            pending.append(pool.apply_async(prepare_batch, (ids, using)))
            if len(pending) > workers * AHEAD_PER_WORKER:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def rebuild(using, batch_size=BATCH_SIZE, workers=None, progress=None):
    """Empty the index and index every article again, in one transaction; the number of articles.

    ``workers``: processes that read and tokenize (default: one per core; 1 works inline).
    ``progress(n)`` is called after each batch of ``n`` articles is written.
    """
    ids = list(Article.objects.using(using).order_by("pk").values_list("pk", flat=True))
    workers = workers or len(os.sched_getaffinity(0))
    pool = _start_pool(workers, using)
    batches = _prepared(chunked(ids, max(1, batch_size)), using, pool, workers)
    with transaction.atomic(using=using):
        indexing.clear_index(using)
        indexing.prepare_bulk_write(using)
        for rows in batches:
            indexing.write_prepared(rows, using)
            if progress:
                progress(len(rows))
        indexing.optimize_index(using)
    return len(ids)
