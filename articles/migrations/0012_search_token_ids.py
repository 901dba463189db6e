"""PostgreSQL: search tokens stored as numbers (``bigint[]``) rather than strings (``text[]``).

GIN indexes integer keys for about half the CPU (see ``search.backends.postgresql``), which was
most of what an import cost on PostgreSQL. The tokens are computed again from the search
documents, in batches, with the GIN indexes dropped meanwhile and built once at the end.
SQLite's FTS5 index is unchanged.
"""

import hashlib
import re
from importlib import import_module

from django.db import migrations

TABLE = "articles_search_tokens"
INDEXES = {"articles_search_tokens_gin": "tokens", "articles_search_title_tokens_gin": "title_tokens"}
BATCH = 500
# Migration 0002's function, for the new type of its argument ("wanted text[]" there).
CANDIDATES = next(
    statement
    for statement in import_module("articles.migrations.0002_search_index").SCHEMA["postgresql"]
    if "FUNCTION articles_search_candidates" in statement
)


# The tokens of canonical text as search made them when this migration was written (``normalize``
# and ``backends.postgresql``), frozen here: a later change there must not change what this does.
CJK = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)
CJK_RUN_RE = re.compile(f"[{CJK}]+")
WORD_RE = re.compile(rf"[^\W_{CJK}]+")
MAX_TOKEN_LENGTH = 48
PAIR_SHIFT = 21


def _tokens(text):
    """Each CJK character and pair of adjacent ones, and each other word (cut to MAX_TOKEN_LENGTH)."""
    tokens = {word[:MAX_TOKEN_LENGTH] for word in WORD_RE.findall(text)}
    for run in CJK_RUN_RE.findall(text):
        tokens.update(run)
        tokens.update(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def _token_id(token):
    """A CJK character is its code point, a pair both in one number, a word 63 bits of its hash."""
    if CJK_RUN_RE.fullmatch(token):
        return ord(token[0]) << PAIR_SHIFT | ord(token[1]) if len(token) == 2 else ord(token)
    digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
    return -1 - (int.from_bytes(digest, "big") >> 1)


def _ids(*texts):
    return " ".join(str(_token_id(token)) for token in set().union(*map(_tokens, texts)))


def _as_ids(title, text):
    return _ids(title, text), _ids(title)


def _as_strings(title, text):
    return " ".join(sorted(_tokens(title) | _tokens(text))), " ".join(sorted(_tokens(title)))


def _retype(schema_editor, old, new, tokens_of):
    """Change the token columns from ``old``[] to ``new``[] and fill them with ``tokens_of(title, text)``."""
    execute = schema_editor.execute
    for index in INDEXES:
        execute(f"DROP INDEX IF EXISTS {index}")
    execute(f"DROP FUNCTION IF EXISTS articles_search_candidates({old}[], boolean)")
    execute(
        f"ALTER TABLE {TABLE} ALTER COLUMN tokens TYPE {new}[] USING '{{}}', "
        f"ALTER COLUMN title_tokens TYPE {new}[] USING '{{}}'"
    )
    with schema_editor.connection.cursor() as cursor:
        last = -1
        while True:
            cursor.execute(
                "SELECT article_id, title, text FROM articles_searchdocument WHERE article_id > %s "
                "ORDER BY article_id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            tokens = [tokens_of(title, text) for _pk, title, text in rows]
            cursor.execute(
                f"UPDATE {TABLE} SET tokens = string_to_array(new.tokens, ' ')::{new}[], "  # noqa: S608 (constants)
                f"title_tokens = string_to_array(new.title_tokens, ' ')::{new}[] "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS new (id, tokens, title_tokens) "
                f"WHERE {TABLE}.article_id = new.id",
                [[pk for pk, _t, _x in rows], [t for t, _ in tokens], [t for _, t in tokens]],
            )
    for index, column in INDEXES.items():
        execute(f"CREATE INDEX {index} ON {TABLE} USING gin ({column})")
    execute(CANDIDATES.replace("wanted text[]", f"wanted {new}[]"))


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _retype(schema_editor, "text", "bigint", _as_ids)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _retype(schema_editor, "bigint", "text", _as_strings)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_article_bodies_compressed"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
