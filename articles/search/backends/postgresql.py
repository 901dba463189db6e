"""PostgreSQL: each document's distinct tokens in ``text[]`` columns with GIN indexes, queried with ``@>``.

``articles_search_tokens`` (migration 0002) holds ``tokens`` (all fields) and ``title_tokens``
(the title, for ranking); triggers drop a document's tokens when it is deleted or truncated.
Arrays of pre-made tokens do not depend on the database's locale or text-search parser.
"""

from django.db.models import BooleanField, F, Func

from ..models import SearchDocument
from ..normalize import text_tokens

DOCUMENTS = SearchDocument._meta.db_table
TOKENS = "articles_search_tokens"  # made by migration 0002, with the two GIN indexes below
GIN_INDEXES = ("articles_search_tokens_gin", "articles_search_title_tokens_gin")
# "id IN (many candidates)" kept as a filter (IS TRUE stops it becoming a join), so it is a
# hashed set probed while the articles are read, not tens of thousands of index lookups.
PROBE_TEMPLATE = "(%(expressions)s) IS TRUE"
_TITLE_ONLY = {"all": False, "title": True}


def prepare_connection(dbapi_connection):
    """Nothing to set up: the index is plain tables and triggers."""


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
        f"INSERT INTO {DOCUMENTS} (article_id, title, text) "  # noqa: S608 (names from the model and this module)
        "SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[]) "
        "ON CONFLICT (article_id) DO UPDATE SET title = EXCLUDED.title, text = EXCLUDED.text",
        [ids, [doc.title for _, doc in rows], [doc.text for _, doc in rows]],
    )
    cursor.execute(
        f"INSERT INTO {TOKENS} (article_id, tokens, title_tokens) "  # noqa: S608 (a constant table name)
        "SELECT id, string_to_array(tokens, ' '), string_to_array(title_tokens, ' ') "
        "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS prepared (id, tokens, title_tokens) "
        "ON CONFLICT (article_id) DO UPDATE SET tokens = EXCLUDED.tokens, title_tokens = EXCLUDED.title_tokens",
        [ids, [doc.tokens for _, doc in rows], [doc.title_tokens for _, doc in rows]],
    )


def clear(cursor):
    cursor.execute(f"DELETE FROM {DOCUMENTS}")  # noqa: S608 (the model's table)


def optimize(cursor):
    for index in GIN_INDEXES:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    cursor.execute(f"ANALYZE {TOKENS}")


def size(cursor):
    """Bytes of the token table (with its out-of-line arrays and indexes), and of the document table."""
    cursor.execute("SELECT pg_total_relation_size(%s), pg_total_relation_size(%s)", [TOKENS, DOCUMENTS])
    tokens, documents = cursor.fetchone()
    return tokens or 0, documents or 0


def analyze(cursor, tables):
    cursor.execute(f"ANALYZE {', '.join([*tables, TOKENS])}")


class _EqualsAny(Func):
    """``field = ANY(array)``."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        (field, field_params), (array, array_params) = (compiler.compile(e) for e in self.source_expressions)
        return f"{field} = ANY({array})", (*field_params, *array_params)


def in_subquery(field, subquery):
    """``field = ANY(ARRAY(subquery))``: PostgreSQL sizes an ``IN (subquery)`` by its statistics
    (tens of thousands of values, say) and hashes the whole table; an array is read first, so each
    of its values is an index lookup."""
    from django.contrib.postgres.expressions import ArraySubquery

    return _EqualsAny(F(field), ArraySubquery(subquery))
