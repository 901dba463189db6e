"""SQLite: contentless FTS5 tables of each article's distinct tokens, keyed by article id.

``articles_search_fts`` holds the tokens of all fields, ``articles_search_title_fts`` those of
the title alone (for ranking). Contentless and ``detail=none`` keep the index small (no copy
of the text, no positions); FTS5 needs a row's old tokens to delete it, and they are
recomputed from the stored canonical text, which is why every change goes through
``replace`` and ``remove``.
"""

_TABLES = {"all": "articles_search_fts", "title": "articles_search_title_fts"}


def _quote(token):
    return '"' + token.replace('"', '""') + '"'


def candidates(tokens, field="all"):
    """SQL and params selecting the ids of articles whose ``field`` ("all" or "title") has every token."""
    table = _TABLES[field]
    match = " AND ".join(_quote(token) for token in tokens)
    return f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match]  # noqa: S608 (a constant table name)


def _rows(rows, column):
    return [(row[0], " ".join(row[column])) for row in rows]


def remove(cursor, old_rows):
    """Rows are (article_id, tokens, title_tokens), exactly as they were added."""
    cursor.executemany(
        "INSERT INTO articles_search_fts(articles_search_fts, rowid, tokens) VALUES ('delete', %s, %s)",
        _rows(old_rows, 1),
    )
    cursor.executemany(
        "INSERT INTO articles_search_title_fts(articles_search_title_fts, rowid, tokens) VALUES ('delete', %s, %s)",
        _rows(old_rows, 2),
    )


def replace(cursor, old_rows, new_rows):
    remove(cursor, old_rows)
    cursor.executemany("INSERT INTO articles_search_fts(rowid, tokens) VALUES (%s, %s)", _rows(new_rows, 1))
    cursor.executemany("INSERT INTO articles_search_title_fts(rowid, tokens) VALUES (%s, %s)", _rows(new_rows, 2))


def clear(cursor):
    cursor.execute("INSERT INTO articles_search_fts(articles_search_fts) VALUES ('delete-all')")
    cursor.execute("INSERT INTO articles_search_title_fts(articles_search_title_fts) VALUES ('delete-all')")


def optimize(cursor):
    cursor.execute("INSERT INTO articles_search_fts(articles_search_fts) VALUES ('optimize')")
    cursor.execute("INSERT INTO articles_search_title_fts(articles_search_title_fts) VALUES ('optimize')")


def size(cursor):
    """Bytes used by the token indexes (their shadow tables)."""
    cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", ["articles_search_%fts%"])
    return cursor.fetchone()[0] or 0
