"""PostgreSQL: each document's distinct tokens as ``bigint[]`` columns with GIN indexes, queried with ``@>``.

``articles_search_tokens`` (migrations 0002 and 0012) holds ``tokens`` (all fields) and
``title_tokens`` (the title, for ranking); triggers drop a document's tokens when it is deleted or
truncated. Arrays of pre-made tokens do not depend on the database's locale or text-search parser.

A token is stored as a number (``token_id``): a CJK character is its code point, a pair of them
both code points in one number, so neither can collide; a word is 63 bits of its BLAKE2b hash
(negative, apart from the CJK ids; two words sharing one id among millions is a 1 in 10^6 chance
even at 10^7 distinct words). GIN keeps integer keys at about half the CPU text keys cost: indexing
2,270 generated news posts (885 tokens each) took 18 s of the server's CPU as ``bigint[]`` against
31 s as ``text[]``, in the same run.
"""

import hashlib
import sys
from array import array

from django.db.models import BooleanField, F, Func

from articles.models import SearchDocument
from articles.text.normalize import CJK_RUN_RE, MAX_TOKEN_LENGTH, WORD_RE, is_cjk

from .base import PreparedDocument

DOCUMENTS = SearchDocument._meta.db_table
TOKENS = "articles_search_tokens"  # made by migration 0002, with the two GIN indexes below
GIN_INDEXES = ("articles_search_tokens_gin", "articles_search_title_tokens_gin")
# "id IN (many candidates)" kept as a filter (IS TRUE stops it becoming a join), so it is a
# hashed set probed while the articles are read, not tens of thousands of index lookups.
PROBE_TEMPLATE = "(%(expressions)s) IS TRUE"
_TITLE_ONLY = {"all": False, "title": True}


def prepare_connection(dbapi_connection):
    """Nothing to set up: the index is plain tables and triggers."""


# Bits of a CJK code point (the highest, U+3134F, needs 18): a pair is first << 21 | second.
_PAIR_SHIFT = 21
_CODE_POINTS = next(code for code in "IL" if array(code).itemsize == 4)
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"


def _word_id(word):
    """A word's id: a negative 63-bit number from its BLAKE2b hash."""
    digest = hashlib.blake2b(word[:MAX_TOKEN_LENGTH].encode(), digest_size=8).digest()
    return -1 - (int.from_bytes(digest, "big") >> 1)


def token_id(token):
    """The number stored for one token of ``normalize.segment_tokens``: a CJK character or pair, or a word."""
    if is_cjk(token) and len(token) <= 2:
        return ord(token[0]) << _PAIR_SHIFT | ord(token[1]) if len(token) == 2 else ord(token)
    return _word_id(token)


def text_token_ids(text):
    """The distinct token ids of canonical text: each CJK character and adjacent pair, each word."""
    ids = set()
    for run in CJK_RUN_RE.findall(text):
        points = array(_CODE_POINTS, run.encode(_UTF32))
        ids.update(points)
        ids.update(map(lambda first, second: first << _PAIR_SHIFT | second, points, points[1:]))
    ids.update(map(_word_id, set(WORD_RE.findall(text))))
    return ids


def exact(term):
    """A word, or a CJK term of one or two characters: a token; longer ones are confirmed in the text."""
    return term.exact


def candidates(terms, field="all"):
    """SQL and params selecting the ids of articles whose ``field`` ("all" or "title") has every term's tokens.

    ``articles_search_candidates()`` reads the GIN index even when most articles match.
    """
    ids = sorted({token_id(token) for term in terms for token in term.tokens})
    return "SELECT * FROM articles_search_candidates(%s::bigint[], %s)", [ids, _TITLE_ONLY[field]]


def token_string(*canonical_texts):
    """What ``insert_documents`` stores for these texts: each distinct token id once, space-separated."""
    return " ".join(map(str, set().union(*map(text_token_ids, canonical_texts))))


def stored(title, text):
    """Both texts as they are: phrases and long terms are confirmed in them."""
    return title, text


def prepare(title, text):
    """The ``PreparedDocument`` of canonical ``title`` and ``text``: both stored, and their tokens."""
    return PreparedDocument(title, text, token_string(title, text), token_string(title))


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
        "SELECT id, string_to_array(tokens, ' ')::bigint[], string_to_array(title_tokens, ' ')::bigint[] "
        "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS prepared (id, tokens, title_tokens) "
        "ON CONFLICT (article_id) DO UPDATE SET tokens = EXCLUDED.tokens, title_tokens = EXCLUDED.title_tokens",
        [ids, [doc.tokens for _, doc in rows], [doc.title_tokens for _, doc in rows]],
    )


# For a transaction writing many documents (an import's batch): new tokens wait in the GIN
# indexes' pending lists (4 MB by default, about 400 news posts), and are merged into the
# indexes in one pass when the list is full or the import ends (``flush``). Merging 9,000
# documents at once took 11.8 s of the server's CPU against 18 s in 4 MB steps (same run).
# Searches read the pending list too, so results stay exact meanwhile.
BULK_SETTINGS = {"gin_pending_list_limit": "128MB", "work_mem": "128MB"}


def prepare_bulk_write(cursor):
    """Let this transaction's new tokens wait in the indexes' pending lists (see ``BULK_SETTINGS``)."""
    for name, value in BULK_SETTINGS.items():
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def flush(cursor):
    """Merge the tokens waiting in the GIN indexes' pending lists into the indexes."""
    cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [BULK_SETTINGS["work_mem"]])
    for index in GIN_INDEXES:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])


def clear(cursor):
    cursor.execute(f"DELETE FROM {DOCUMENTS}")  # noqa: S608 (the model's table)


def optimize(cursor):
    flush(cursor)
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
    # Loaded on first use, not with the module: django.contrib.postgres pulls in psycopg and its
    # types (slow to import), which a process on SQLite never needs.
    from django.contrib.postgres.expressions import ArraySubquery

    return _EqualsAny(F(field), ArraySubquery(subquery))
