"""PostgreSQL: each article's distinct tokens in a ``text[]`` with a GIN index, queried with ``@>``.

Arrays of pre-made tokens do not depend on the database's locale or text-search parser.
The table cascades from ``articles_searchdocument``, so deleting a document drops its tokens.
"""

TABLE = "articles_search_tokens"

SCHEMA = [
    """CREATE TABLE articles_search_tokens (
        article_id bigint PRIMARY KEY
            REFERENCES articles_searchdocument (article_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        tokens text[] NOT NULL
    )""",
    "CREATE INDEX articles_search_tokens_gin ON articles_search_tokens USING gin (tokens)",
]
DROP = ["DROP TABLE IF EXISTS articles_search_tokens"]


def candidates(tokens):
    return "SELECT article_id FROM articles_search_tokens WHERE tokens @> %s::text[]", [list(tokens)]


def remove(cursor, old_rows):
    if old_rows:
        cursor.execute(
            "DELETE FROM articles_search_tokens WHERE article_id = ANY(%s)",
            [[article_id for article_id, _ in old_rows]],
        )


def replace(cursor, old_rows, new_rows):
    if new_rows:
        cursor.executemany(
            "INSERT INTO articles_search_tokens (article_id, tokens) VALUES (%s, %s) "
            "ON CONFLICT (article_id) DO UPDATE SET tokens = EXCLUDED.tokens",
            [(article_id, list(tokens)) for article_id, tokens in new_rows],
        )


def clear(cursor):
    cursor.execute("TRUNCATE articles_search_tokens")


def optimize(cursor):
    cursor.execute("SELECT gin_clean_pending_list('articles_search_tokens_gin'::regclass)")
    cursor.execute("ANALYZE articles_search_tokens")


def size(cursor):
    cursor.execute("SELECT pg_total_relation_size(%s)", [TABLE])
    return cursor.fetchone()[0] or 0
