"""PostgreSQL: each article's distinct tokens in ``text[]`` columns with GIN indexes, queried with ``@>``.

``tokens`` covers all fields, ``title_tokens`` the title alone (for ranking). Arrays of
pre-made tokens do not depend on the database's locale or text-search parser. The table
cascades from ``articles_searchdocument``, so deleting a document drops its tokens.
"""

_COLUMNS = {"all": "tokens", "title": "title_tokens"}


def candidates(tokens, field="all"):
    """SQL and params selecting the ids of articles whose ``field`` ("all" or "title") has every token."""
    column = _COLUMNS[field]
    return f"SELECT article_id FROM articles_search_tokens WHERE {column} @> %s::text[]", [list(tokens)]  # noqa: S608


def remove(cursor, old_rows):
    if old_rows:
        cursor.execute("DELETE FROM articles_search_tokens WHERE article_id = ANY(%s)", [[row[0] for row in old_rows]])


def replace(cursor, old_rows, new_rows):
    if new_rows:
        cursor.executemany(
            "INSERT INTO articles_search_tokens (article_id, tokens, title_tokens) VALUES (%s, %s, %s) "
            "ON CONFLICT (article_id) DO UPDATE SET tokens = EXCLUDED.tokens, title_tokens = EXCLUDED.title_tokens",
            [(article_id, list(tokens), list(title_tokens)) for article_id, tokens, title_tokens in new_rows],
        )


def clear(cursor):
    cursor.execute("TRUNCATE articles_search_tokens")


def optimize(cursor):
    cursor.execute("SELECT gin_clean_pending_list('articles_search_tokens_gin'::regclass)")
    cursor.execute("SELECT gin_clean_pending_list('articles_search_title_tokens_gin'::regclass)")
    cursor.execute("ANALYZE articles_search_tokens")


def size(cursor):
    cursor.execute("SELECT pg_total_relation_size('articles_search_tokens')")
    return cursor.fetchone()[0] or 0
