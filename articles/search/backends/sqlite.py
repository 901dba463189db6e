"""SQLite: a contentless FTS5 table of each article's distinct tokens, keyed by article id.

Contentless and ``detail=none`` keep the index small (no copy of the text, no positions);
FTS5 needs a row's old tokens to delete it, and they are recomputed from the stored
canonical text, which is why every change goes through ``replace`` and ``remove``.
"""

SCHEMA = [
    "CREATE VIRTUAL TABLE articles_search_fts USING fts5("
    "tokens, content='', detail='none', columnsize=0, tokenize='ascii')",
]
DROP = ["DROP TABLE IF EXISTS articles_search_fts"]


def _quote(token):
    return '"' + token.replace('"', '""') + '"'


def candidates(tokens):
    match = " AND ".join(_quote(token) for token in tokens)
    return "SELECT rowid FROM articles_search_fts WHERE articles_search_fts MATCH %s", [match]


def remove(cursor, old_rows):
    cursor.executemany(
        "INSERT INTO articles_search_fts(articles_search_fts, rowid, tokens) VALUES ('delete', %s, %s)",
        [(article_id, " ".join(tokens)) for article_id, tokens in old_rows],
    )


def replace(cursor, old_rows, new_rows):
    remove(cursor, old_rows)
    cursor.executemany(
        "INSERT INTO articles_search_fts(rowid, tokens) VALUES (%s, %s)",
        [(article_id, " ".join(tokens)) for article_id, tokens in new_rows],
    )


def clear(cursor):
    cursor.execute("INSERT INTO articles_search_fts(articles_search_fts) VALUES ('delete-all')")


def optimize(cursor):
    cursor.execute("INSERT INTO articles_search_fts(articles_search_fts) VALUES ('optimize')")


def size(cursor):
    """Bytes used by the token index (its shadow tables)."""
    cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", ["articles_search_fts%"])
    return cursor.fetchone()[0] or 0
