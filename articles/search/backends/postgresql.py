"""PostgreSQL: each document's distinct tokens in ``text[]`` columns with GIN indexes, queried with ``@>``.

``articles_search_tokens`` (migration 0002) holds ``tokens`` (all fields) and ``title_tokens``
(the title, for ranking); triggers drop a document's tokens when it is deleted or truncated.
Arrays of pre-made tokens do not depend on the database's locale or text-search parser.
"""

from ..normalize import text_tokens

# "id IN (many candidates)" kept as a filter (IS TRUE stops it becoming a join), so it is a
# hashed set probed while the articles are read, not tens of thousands of index lookups.
PROBE_TEMPLATE = "(%(expressions)s) IS TRUE"
_TITLE_ONLY = {"all": False, "title": True}


def candidates(tokens, field="all"):
    """SQL and params selecting the ids of articles whose ``field`` ("all" or "title") has every token.

    ``articles_search_candidates()`` reads the GIN index even when most articles match.
    """
    return "SELECT * FROM articles_search_candidates(%s::text[], %s)", [list(tokens), _TITLE_ONLY[field]]


def token_string(*canonical_texts):
    """What ``insert_documents`` stores for these texts: each distinct token once (arrays keep repeats)."""
    return " ".join(set().union(*map(text_tokens, canonical_texts)))


def insert_documents(cursor, rows):
    """Write ``[(article id, PreparedDocument)]`` and their tokens, replacing old ones: two statements."""
    ids = [pk for pk, _ in rows]
    cursor.execute(
        "INSERT INTO articles_searchdocument (article_id, title, text) "
        "SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[]) "
        "ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, text = EXCLUDED.text",
        [ids, [doc.title for _, doc in rows], [doc.text for _, doc in rows]],
    )
    cursor.execute(
        "INSERT INTO articles_search_tokens (article_id, tokens, title_tokens) "
        "SELECT id, string_to_array(tokens, ' '), string_to_array(title_tokens, ' ') "
        "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS prepared (id, tokens, title_tokens) "
        "ON CONFLICT (article_id) DO UPDATE SET tokens = EXCLUDED.tokens, title_tokens = EXCLUDED.title_tokens",
        [ids, [doc.tokens for _, doc in rows], [doc.title_tokens for _, doc in rows]],
    )


def clear(cursor):
    cursor.execute("DELETE FROM articles_searchdocument")


def optimize(cursor):
    cursor.execute("SELECT gin_clean_pending_list('articles_search_tokens_gin'::regclass)")
    cursor.execute("SELECT gin_clean_pending_list('articles_search_title_tokens_gin'::regclass)")
    cursor.execute("ANALYZE articles_search_tokens")


def size(cursor):
    """Bytes of the token table, its out-of-line arrays and its indexes."""
    cursor.execute("SELECT pg_total_relation_size('articles_search_tokens')")
    return cursor.fetchone()[0] or 0
