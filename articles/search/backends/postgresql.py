"""PostgreSQL: each document's distinct tokens in ``text[]`` columns with GIN indexes, queried with ``@>``.

``tokens`` (all fields) and ``title_tokens`` (the title, for ranking) are columns of
``articles_searchdocument`` added by migration 0002, outside the model: deleting or
truncating documents drops their tokens with them. Arrays of pre-made tokens do not depend
on the database's locale or text-search parser.
"""

PROBE_TEMPLATE = None  # the planner knows how many candidates there are
_COLUMNS = {"all": "tokens", "title": "title_tokens"}


def candidates(tokens, field="all"):
    """SQL and params selecting the ids of articles whose ``field`` ("all" or "title") has every token."""
    column = _COLUMNS[field]
    return f"SELECT article_id FROM articles_searchdocument WHERE {column} @> %s::text[]", [list(tokens)]  # noqa: S608


def write_tokens(cursor, rows):
    """Rows are (article_id, tokens, title_tokens) of documents just written."""
    if rows:
        cursor.executemany(
            "UPDATE articles_searchdocument SET tokens = %s, title_tokens = %s WHERE article_id = %s",
            [(list(tokens), list(title_tokens), article_id) for article_id, tokens, title_tokens in rows],
        )


def clear(cursor):
    cursor.execute("DELETE FROM articles_searchdocument")


def optimize(cursor):
    cursor.execute("SELECT gin_clean_pending_list('articles_search_tokens_gin'::regclass)")
    cursor.execute("SELECT gin_clean_pending_list('articles_search_title_tokens_gin'::regclass)")
    cursor.execute("ANALYZE articles_searchdocument")


def size(cursor):
    """Bytes of the two GIN indexes."""
    cursor.execute(
        "SELECT pg_relation_size('articles_search_tokens_gin') + pg_relation_size('articles_search_title_tokens_gin')"
    )
    return cursor.fetchone()[0] or 0
