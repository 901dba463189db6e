"""Keeping the index current: (re)index or drop articles in batches, in the caller's transaction."""

from django.db import connections, router, transaction

from articles.core.batches import chunked
from articles.models import Article, SearchDocument, TaggedArticle
from articles.text.normalize import canonical

from .backends import get_backend
from .backends.base import PreparedDocument  # noqa: F401 (the type the importer's plan holds)


def _database():
    return router.db_for_write(SearchDocument)


def _batches(ids):
    return chunked(sorted({int(pk) for pk in ids if pk is not None}))


def document_text(tags, categories, author, body):
    """The ``text`` field: one canonical line per tag, category, author and body, so no match spans two.

    Tags and categories go in code-point order, whatever the database's collation.
    """
    return "\n".join(canonical(value) for value in (*sorted(tags), *sorted(categories), author, body))


def prepare_document(title, author, body, tags, categories, using=None):
    """What ``update_index`` would store for an article with these values.

    Pure (it only asks which kind of database ``using`` is), so it runs in parse workers.
    """
    backend = get_backend(connections[using or _database()])
    return backend.prepare(canonical(title), document_text(tags, categories, author, body))


def build_documents(ids, using):
    """{article id: (canonical title, text)} for the articles with these ids that exist, in three queries."""
    tags, categories = {}, {}
    tagged = TaggedArticle.objects.using(using).filter(content_object_id__in=ids)
    for article_id, name in tagged.values_list("content_object_id", "tag__name"):
        tags.setdefault(article_id, []).append(name)
    through = Article.categories.through.objects.using(using).filter(article_id__in=ids)
    for article_id, name in through.values_list("article_id", "category__name"):
        categories.setdefault(article_id, []).append(name)
    rows = Article.objects.using(using).filter(pk__in=ids).values_list("pk", *Article.SEARCH_FIELDS)
    return {
        pk: (canonical(title), document_text(tags.get(pk, ()), categories.get(pk, ()), author, body))
        for pk, title, author, body in rows
    }


def prepare_documents(ids, using):
    """[(article id, PreparedDocument)] of the articles with these ids that exist, in id order.

    Reads and tokenizes only, so worker processes can run it (see ``rebuild``).
    """
    backend = get_backend(connections[using])
    return [(pk, backend.prepare(title, text)) for pk, (title, text) in sorted(build_documents(ids, using).items())]


def write_prepared(rows, using=None):
    """Write ``[(article id, PreparedDocument)]``, replacing any documents these articles had."""
    using = using or _database()
    if rows:
        with connections[using].cursor() as cursor:
            get_backend(connections[using]).insert_documents(cursor, rows)


def _index_batch(ids, using):
    documents = SearchDocument.objects.using(using).filter(article_id__in=ids)
    old = {pk: (title, text) for pk, title, text in documents.values_list("article_id", "title", "text")}
    new = build_documents(ids, using)
    backend = get_backend(connections[using])
    changed = [
        (pk, backend.prepare(title, text))
        for pk, (title, text) in sorted(new.items())
        if old.get(pk) != backend.stored(title, text)
    ]
    gone = [pk for pk in old if pk not in new]
    if gone:
        documents.filter(article_id__in=gone).delete()
    if changed:
        with connections[using].cursor() as cursor:
            get_backend(connections[using]).insert_documents(cursor, changed)
    return len(changed)


def update_index(article_ids, using=None):
    """(Re)index these articles; ids of deleted articles are dropped from the index.

    Runs in the caller's transaction (or its own), so the index commits with the articles.
    Unchanged articles cost a read and no write.
    """
    using = using or _database()
    changed = 0
    with transaction.atomic(using=using):
        for ids in _batches(article_ids):
            changed += _index_batch(ids, using)
    return changed


def index_documents(documents, using=None):
    """Index articles from ``{article id: PreparedDocument}``, replacing any document they had.

    No re-reading, no tokenizing here.

    For bulk writers that prepared the documents elsewhere (the importer's parse workers).
    """
    using = using or _database()
    with transaction.atomic(using=using):
        for rows in chunked(sorted(documents.items())):
            write_prepared(rows, using)


def _backend_call(operation, using):
    """Run the backend's ``operation(cursor)`` on the database ``using`` (default: the index's)."""
    connection = connections[using or _database()]
    with connection.cursor() as cursor:
        return getattr(get_backend(connection), operation)(cursor)


def prepare_bulk_write(using=None):
    """Make the current transaction's index writes cheaper, for a bulk writer (the importer's batches);
    call ``flush_index`` when the writing is done."""
    _backend_call("prepare_bulk_write", using)


def flush_index(using=None):
    """Finish the index work that bulk writes deferred (see ``prepare_bulk_write``)."""
    _backend_call("flush", using)


def remove_from_index(article_ids, using=None):
    """Drop these articles from the index (their tokens go with them, see ``backends``)."""
    using = using or _database()
    with transaction.atomic(using=using):
        for ids in _batches(article_ids):
            SearchDocument.objects.using(using).filter(article_id__in=ids).delete()


def clear_index(using=None):
    """Empty the index before a rebuild."""
    using = using or _database()
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        get_backend(connections[using]).clear(cursor)


def optimize_index(using=None):
    _backend_call("optimize", using)


def index_size(using=None):
    """Bytes on disk of the token index and of the canonical text table."""
    return _backend_call("size", using)


def analyze(models, using=None):
    """Give the query planner fresh statistics for these models' tables and the token index
    (after a large import): searches and lists need them."""
    using = using or _database()
    tables = [model._meta.db_table for model in (*models, SearchDocument)]
    with connections[using].cursor() as cursor:
        get_backend(connections[using]).analyze(cursor, tables)
