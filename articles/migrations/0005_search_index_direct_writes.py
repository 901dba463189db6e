"""SQLite: the search index's tokens are written by the search app, not by an insert trigger.

FTS5 writes out its pending tokens at the end of every statement a trigger runs, so each new
document became a tiny segment to merge: half of what an import spent on the index. The search
app now inserts the prepared tokens itself (``backends.sqlite.insert_documents``); the update
and delete triggers stay, so tokens still go with their document however it changes.

Each FTS5 index also buffers 16 MB of new tokens (instead of 1 MB) before writing a segment.
The setting is stored with the index (its ``_config`` table), so it holds for every connection.
"""

from django.db import migrations

TABLES = ["articles_search_fts", "articles_search_title_fts"]
HASHSIZE = 16 * 1024 * 1024
DEFAULT_HASHSIZE = 1024 * 1024
INSERT_TRIGGER = """
CREATE TRIGGER articles_searchdocument_ai AFTER INSERT ON articles_searchdocument BEGIN
    INSERT INTO articles_search_fts(rowid, tokens) VALUES (new.article_id, articles_search_tokens(new.title, new.text));
    INSERT INTO articles_search_title_fts(rowid, tokens) VALUES (new.article_id, articles_search_tokens(new.title, ''));
END
"""


def _set_hashsize(schema_editor, value):
    for table in TABLES:
        schema_editor.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', {value})")  # noqa: S608


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS articles_searchdocument_ai")
        _set_hashsize(schema_editor, HASHSIZE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(INSERT_TRIGGER)
        _set_hashsize(schema_editor, DEFAULT_HASHSIZE)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_fingerprints_notes_category_alias_slug"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
