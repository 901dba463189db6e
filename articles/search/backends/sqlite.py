"""SQLite: contentless FTS5 tables of each article's distinct tokens, keyed by article id.

``articles_search_fts`` holds the tokens of all fields, ``articles_search_title_fts`` those of
the title alone (for ranking). Contentless and ``detail=none`` keep the index small (no copy
of the text, no positions).

Documents are written only by ``insert_documents``, which writes their prepared tokens with
plain statements. Triggers on ``articles_searchdocument`` (migrations 0002 and 0005) drop a
document's tokens when it is updated or deleted, however that happens (ORM cascades, flush);
they compute the old tokens with the ``articles_search_tokens()`` function registered below.
No trigger writes new tokens: FTS5 writes out its pending tokens at the end of every statement
run by a trigger, so indexing through one cost twice as much as these direct inserts.
"""

import threading

from django.db.models import Q

from articles.models import Article, SearchDocument
from articles.text.normalize import document_tokens, token_stream

DOCUMENTS = SearchDocument._meta.db_table

# "id IN (many candidates)": "+id" is not indexable, so the articles' own indexes drive the
# query and candidates are probed; otherwise SQLite, with statistics, would loop over every
# candidate and read each article's row.
PROBE_TEMPLATE = "+%(expressions)s"
_TABLES = {"all": "articles_search_fts", "title": "articles_search_title_fts"}  # made by migration 0002
# Set by ``clear`` on the thread that runs its DELETE (the triggers' function runs on that thread).
_clearing = threading.local()


def _quote(token):
    return '"' + token.replace('"', '""') + '"'


def candidates(tokens, field="all"):
    """SQL and params selecting the ids of articles whose ``field`` ("all" or "title") has every token."""
    table = _TABLES[field]
    match = " AND ".join(_quote(token) for token in tokens)
    return f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match]  # noqa: S608 (a constant table name)


def token_string(*canonical_texts):
    """What ``insert_documents`` indexes for these texts: every token, repeats and all.

    FTS5 keeps a token once per document (``detail=none``), and finds repeats far faster than
    Python could remove them.
    """
    return " ".join(map(token_stream, canonical_texts))


def tokens_sql(title, text):
    """The triggers' ``articles_search_tokens(title, text)``: space-separated distinct tokens.

    Empty while ``clear`` runs: it empties the token index at once, so the deleted documents'
    tokens need not be computed one document at a time.
    """
    if getattr(_clearing, "active", False):
        return ""
    return " ".join(document_tokens(title or "", text or ""))


def prepare_connection(dbapi_connection):
    """Register the triggers' function: every connection needs it."""
    dbapi_connection.create_function("articles_search_tokens", 2, tokens_sql, deterministic=True)


def insert_documents(cursor, rows):
    """Write ``[(article id, PreparedDocument)]`` and their tokens, replacing the articles' old documents."""
    ids = [pk for pk, _ in rows]
    placeholders = ", ".join(["%s"] * len(ids))
    cursor.execute(f"DELETE FROM {DOCUMENTS} WHERE article_id IN ({placeholders})", ids)  # noqa: S608
    cursor.executemany(
        f"INSERT INTO {DOCUMENTS} (article_id, title, text) VALUES (%s, %s, %s)",  # noqa: S608 (the model's table)
        [(pk, document.title, document.text) for pk, document in rows],
    )
    cursor.executemany(
        f"INSERT INTO {_TABLES['all']} (rowid, tokens) VALUES (%s, %s)",  # noqa: S608 (a constant table name)
        [(pk, document.tokens) for pk, document in rows],
    )
    cursor.executemany(
        f"INSERT INTO {_TABLES['title']} (rowid, tokens) VALUES (%s, %s)",  # noqa: S608 (a constant table name)
        [(pk, document.title_tokens) for pk, document in rows],
    )


def prepare_bulk_write(cursor):
    """Nothing to do: FTS5 buffers new tokens itself (16 MB, migration 0005)."""


def flush(cursor):
    """Nothing to do: FTS5 writes its buffered tokens at the end of each transaction."""


def clear(cursor):
    """Delete every document and empty the token index (the delete trigger does no work meanwhile)."""
    _clearing.active = True
    try:
        cursor.execute(f"DELETE FROM {DOCUMENTS}")  # noqa: S608 (the model's table)
    finally:
        _clearing.active = False
    _command_all(cursor, "delete-all")


def optimize(cursor):
    """Merge the FTS5 segments, and give the query planner statistics so few candidates drive a search."""
    _command_all(cursor, "optimize")
    cursor.execute(f"ANALYZE {Article._meta.db_table}")
    cursor.execute(f"ANALYZE {DOCUMENTS}")


def _command_all(cursor, command):
    """Run an FTS5 command ("optimize", "delete-all") on both token tables."""
    for table in _TABLES.values():
        cursor.execute(f"INSERT INTO {table}({table}) VALUES (%s)", [command])  # noqa: S608 (constant names)


def size(cursor):
    """Bytes used by the token indexes (their shadow tables) and by the document table and its index."""
    sizes = []
    for pattern in ("articles_search_%fts%", f"{DOCUMENTS}%"):
        cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", [pattern])
        sizes.append(cursor.fetchone()[0] or 0)
    return tuple(sizes)


def analyze(cursor, tables):
    """Statistics for ``tables`` (the token tables are virtual: nothing to analyze)."""
    # Not "PRAGMA optimize": before SQLite 3.46 it skips tables this connection did not read.
    cursor.execute("PRAGMA analysis_limit = 1000")  # sampled: milliseconds, however large
    for table in tables:
        cursor.execute(f"ANALYZE {table}")


def in_subquery(field, subquery):
    return Q(**{f"{field}__in": subquery})
