"""SQLite: contentless FTS5 tables of each article's distinct tokens, keyed by article id.

``articles_search_fts`` holds the tokens of all fields, ``articles_search_title_fts`` those of
the title alone (for ranking). Contentless and ``detail=none`` keep the index small (no copy
of the text, no positions). Triggers on ``articles_searchdocument`` (migration 0002) keep
them in step with every insert, update and delete, however it happens (ORM cascades, flush);
they compute tokens with the ``articles_search_tokens()`` function registered below, which
takes them ready-made from ``insert_documents`` when a bulk writer prepared them.
"""

from ..normalize import document_tokens

# "id IN (many candidates)": "+id" is not indexable, so the articles' own indexes drive the
# query and candidates are probed; otherwise SQLite, with statistics, would loop over every
# candidate and read each article's row.
PROBE_TEMPLATE = "+%(expressions)s"
_TABLES = {"all": "articles_search_fts", "title": "articles_search_title_fts"}


def _quote(token):
    return '"' + token.replace('"', '""') + '"'


def candidates(tokens, field="all"):
    """SQL and params selecting the ids of articles whose ``field`` ("all" or "title") has every token."""
    table = _TABLES[field]
    match = " AND ".join(_quote(token) for token in tokens)
    return f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match]  # noqa: S608 (a constant table name)


# canonical title -> PreparedDocument, while ``insert_documents`` runs. Tokens are a pure function
# of (title, text), so an entry is used only when both match, whichever thread looks.
_prepared = {}


def tokens_sql(title, text):
    """The triggers' ``articles_search_tokens(title, text)``: space-separated distinct tokens."""
    document = _prepared.get(title)
    if document is not None:
        if text == document.text:
            return document.tokens
        if not text:
            return document.title_tokens
    return " ".join(document_tokens(title or "", text or ""))


def register_functions(dbapi_connection):
    dbapi_connection.create_function("articles_search_tokens", 2, tokens_sql, deterministic=True)


def write_tokens(cursor, documents):
    """Nothing to do: the triggers index each document as it is written."""


def insert_documents(cursor, rows):
    """Write ``[(article id, PreparedDocument)]``; the triggers take the prepared tokens."""
    _prepared.update((document.title, document) for _, document in rows)
    try:
        cursor.executemany(
            "INSERT INTO articles_searchdocument (article_id, title, text) VALUES (%s, %s, %s) "
            "ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, text = excluded.text",
            [(pk, document.title, document.text) for pk, document in rows],
        )
    finally:
        _prepared.clear()


def clear(cursor):
    cursor.execute("DELETE FROM articles_searchdocument")
    cursor.execute("INSERT INTO articles_search_fts(articles_search_fts) VALUES ('delete-all')")
    cursor.execute("INSERT INTO articles_search_title_fts(articles_search_title_fts) VALUES ('delete-all')")


def optimize(cursor):
    """Merge the FTS5 segments, and give the query planner statistics so few candidates drive a search."""
    cursor.execute("INSERT INTO articles_search_fts(articles_search_fts) VALUES ('optimize')")
    cursor.execute("INSERT INTO articles_search_title_fts(articles_search_title_fts) VALUES ('optimize')")
    cursor.execute("ANALYZE articles_article")
    cursor.execute("ANALYZE articles_searchdocument")


def size(cursor):
    """Bytes used by the token indexes (their shadow tables)."""
    cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", ["articles_search_%fts%"])
    return cursor.fetchone()[0] or 0
