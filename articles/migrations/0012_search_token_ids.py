"""PostgreSQL: search tokens stored as numbers (``bigint[]``) rather than strings (``text[]``).

GIN indexes integer keys for about half the CPU (see ``search.backends.postgresql``), which was
most of what an import cost on PostgreSQL. The tokens are computed again from the search
documents, in batches, with the GIN indexes dropped meanwhile and built once at the end.
SQLite's FTS5 index is unchanged.
"""

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


def _as_ids(title, text):
    from articles.search.backends.postgresql import token_string

    return token_string(title, text), token_string(title)


def _as_strings(title, text):
    from articles.search.normalize import document_tokens

    return " ".join(document_tokens(title, text)), " ".join(document_tokens(title))


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
