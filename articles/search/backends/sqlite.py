"""SQLite: a contentless FTS5 table that keeps each token's positions, so phrases are found by the index alone.

``articles_search_index`` (migration 0014) has two columns, ``title`` and ``text``, each holding the
field's ``normalize.position_tokens``: one token per CJK character or word, plus run and line
boundaries. A term is the FTS5 phrase of its ``normalize.phrase_tokens``, which occurs exactly where
the term's pattern occurs in the canonical text, so every match is exact without reading any text
and without storing it: the search document keeps only a digest of it (to skip unchanged articles).

A contentless FTS5 table forgets a document only when told its tokens again (a "delete" command;
SQLite 3.43's ``contentless_delete`` is newer than Debian's 3.40). FTS5 records a deletion per
distinct token, column and document, whatever the positions, so each document's distinct tokens of
each column are kept compressed in ``articles_search_deletions``; a trigger on the document table
deletes them from the index with the document, however it goes (ORM cascades, flush), through the
``articles_search_unpack()`` function registered below. ``tests/search/test_indexing.py`` checks
that the index then holds exactly the remaining documents' tokens, positions included.
"""

import hashlib
import threading
import zlib

from django.db.models import Q

from articles.models import Article, SearchDocument
from articles.text.normalize import BOUNDARY, position_tokens

from .base import PreparedDocument

DOCUMENTS = SearchDocument._meta.db_table
INDEX = "articles_search_index"  # made by migration 0014, with the two tables below
DELETIONS = "articles_search_deletions"
# "id IN (many candidates)": "+id" is not indexable, so the articles' own indexes drive the
# query and candidates are probed; otherwise SQLite, with statistics, would loop over every
# candidate and read each article's row.
PROBE_TEMPLATE = "+%(expressions)s"
_COLUMNS = {"all": "", "title": "title : "}
# Set by ``clear`` on the thread that runs its DELETE (the triggers' function runs on that thread).
_clearing = threading.local()


def _phrase(term):
    return '"' + " ".join(term.phrase_tokens) + '"'


def exact(term):
    """Every term: the index keeps positions."""
    return True


def candidates(terms, field="all"):
    """SQL and params selecting the ids of articles whose ``field`` ("all" or "title") has every term."""
    match = " AND ".join(_COLUMNS[field] + _phrase(term) for term in terms)
    return f"SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH %s", [match]  # noqa: S608 (a constant table name)


def stored(title, text):
    """No text (the index holds its positions): a digest of it, to tell an unchanged article."""
    return "", hashlib.blake2b(f"{title}\0{text}".encode(), digest_size=16).hexdigest()


def prepare(title, text):
    """The ``PreparedDocument`` of canonical ``title`` and ``text``: the digest stored, tokens indexed."""
    title_tokens, text_tokens = position_tokens(title), position_tokens(text)
    deletion = pack_tokens([set(title_tokens), set(text_tokens)])
    return PreparedDocument(*stored(title, text), " ".join(text_tokens), " ".join(title_tokens), deletion)


def _varint(number):
    out = bytearray()
    while number >= 0x80:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return out


def _is_character(token):
    """One character from U+2E80 up (CJK ones, mostly), or one with ``BOUNDARY`` after it (a run's end):
    packed as a number."""
    return token[0] >= "\u2e80" and (len(token) == 1 or token[1:] == BOUNDARY)


def pack_tokens(columns):
    """Sets of tokens (one per column), compressed: characters as sorted code points (doubled, plus
    one for a run's end) in differences of a byte or two, other tokens as text. A third the size of
    the tokens as compressed text: 0.13 byte per byte of the real samples' posts."""
    packed = bytearray()
    for tokens in columns:
        numbers = sorted(ord(token[0]) * 2 + (len(token) > 1) for token in tokens if _is_character(token))
        words = " ".join(sorted(token for token in tokens if not _is_character(token))).encode()
        packed += _varint(len(numbers))
        previous = 0
        for number in numbers:
            packed += _varint(number - previous)
            previous = number
        packed += _varint(len(words)) + words
    return zlib.compress(bytes(packed), 9)


def unpack_tokens(packed):
    """The token sets ``pack_tokens`` packed, each as space-separated text."""
    data, position, columns = zlib.decompress(packed), 0, []

    def varint():
        nonlocal position
        number = shift = 0
        while True:
            byte = data[position]
            position += 1
            number |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return number

    while position < len(data):
        tokens, number = [], 0
        for _ in range(varint()):
            number += varint()
            tokens.append(chr(number >> 1) + (BOUNDARY if number & 1 else ""))
        size = varint()
        tokens.append(data[position : position + size].decode())
        position += size
        columns.append(" ".join(tokens))
    return columns


def unpack_sql(packed, column):
    """The trigger's ``articles_search_unpack(tokens, column)``: a document's distinct tokens of one
    column (0: title, 1: text), space-separated, as FTS5 needs them to delete it (each column's own:
    given in another column, FTS5 corrupts its index).

    Empty while ``clear`` runs: it empties the index at once, so no document's deletion need be recorded.
    """
    if getattr(_clearing, "active", False) or not packed:
        return ""
    return unpack_tokens(packed)[column]


def prepare_connection(dbapi_connection):
    """Register the trigger's function: every connection needs it."""
    dbapi_connection.create_function("articles_search_unpack", 2, unpack_sql, deterministic=True)


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
        f"INSERT INTO {DELETIONS} (article_id, tokens) VALUES (%s, %s)",  # noqa: S608 (a constant table name)
        [(pk, document.deletion) for pk, document in rows],
    )
    cursor.executemany(
        f"INSERT INTO {INDEX} (rowid, title, text) VALUES (%s, %s, %s)",  # noqa: S608 (a constant table name)
        [(pk, document.title_tokens, document.tokens) for pk, document in rows],
    )


def prepare_bulk_write(cursor):
    """Nothing to do: FTS5 buffers new tokens itself (16 MB, migration 0014)."""


def flush(cursor):
    """Nothing to do: FTS5 writes its buffered tokens at the end of each transaction."""


def clear(cursor):
    """Delete every document and empty the index (the delete trigger records no deletions meanwhile)."""
    _clearing.active = True
    try:
        cursor.execute(f"DELETE FROM {DOCUMENTS}")  # noqa: S608 (the model's table)
    finally:
        _clearing.active = False
    cursor.execute(f"INSERT INTO {INDEX}({INDEX}) VALUES ('delete-all')")  # noqa: S608 (a constant name)


def optimize(cursor):
    """Merge the FTS5 segments, and give the query planner statistics so few candidates drive a search."""
    cursor.execute(f"INSERT INTO {INDEX}({INDEX}) VALUES ('optimize')")  # noqa: S608 (a constant name)
    cursor.execute(f"ANALYZE {Article._meta.db_table}")
    cursor.execute(f"ANALYZE {DOCUMENTS}")


def size(cursor):
    """Bytes used by the index (its shadow tables and the deletions' tokens) and by the document table."""
    sizes = []
    for pattern in (f"{INDEX}%", f"{DOCUMENTS}%"):
        cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE %s", [pattern])
        sizes.append(cursor.fetchone()[0] or 0)
    cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = %s", [DELETIONS])
    return sizes[0] + (cursor.fetchone()[0] or 0), sizes[1]


def analyze(cursor, tables):
    """Statistics for ``tables`` (the index is virtual: nothing to analyze)."""
    # Not "PRAGMA optimize": before SQLite 3.46 it skips tables this connection did not read.
    cursor.execute("PRAGMA analysis_limit = 1000")  # sampled: milliseconds, however large
    for table in tables:
        cursor.execute(f"ANALYZE {table}")


def in_subquery(field, subquery):
    return Q(**{f"{field}__in": subquery})
