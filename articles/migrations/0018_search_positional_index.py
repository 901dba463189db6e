"""SQLite: one FTS5 index that keeps token positions, instead of two token sets and a copy of the text.

Phrases and substrings used to be confirmed by reading each candidate's stored canonical text, which
at a million articles was most of a search's time, and the text was a third of the database. The new
index (``search.backends.sqlite``) finds them exactly by itself; the search document keeps a digest
of the text instead. Existing documents are converted from their stored text, in batches, as
``rebuild_search_index`` would index them (about as long as a rebuild). PostgreSQL is unchanged.
Going back restores the old index from the articles themselves.
"""

from importlib import import_module

from django.db import migrations

from articles.batches import chunked

INDEX_OPTIONS = "title, text, content='', detail='full', columnsize=0, tokenize=\"ascii tokenchars '$'\""
HASHSIZE = 16 * 1024 * 1024  # as migration 0005 set for the old index
SCHEMA = [
    f"CREATE VIRTUAL TABLE articles_search_index USING fts5({INDEX_OPTIONS})",
    f"INSERT INTO articles_search_index(articles_search_index, rank) VALUES ('hashsize', {HASHSIZE})",  # noqa: S608
    "CREATE TABLE articles_search_deletions (article_id INTEGER PRIMARY KEY, tokens BLOB NOT NULL)",
    """CREATE TRIGGER articles_searchdocument_ad AFTER DELETE ON articles_searchdocument BEGIN
        INSERT INTO articles_search_index(articles_search_index, rowid, title, text)
            SELECT 'delete', article_id, articles_search_unpack(tokens, 0), articles_search_unpack(tokens, 1)
            FROM articles_search_deletions WHERE article_id = old.article_id;
        DELETE FROM articles_search_deletions WHERE article_id = old.article_id;
    END""",
]
DROP = [
    "DROP TRIGGER IF EXISTS articles_searchdocument_ad",
    "DROP TABLE IF EXISTS articles_search_deletions",
    "DROP TABLE IF EXISTS articles_search_index",
]
OLD = import_module("articles.migrations.0002_search_index")
OLD_HASHSIZE = import_module("articles.migrations.0005_search_index_direct_writes")


def _documents(schema_editor):
    """Batches of [(article id, title, text)] of the search documents, in id order."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT article_id FROM articles_searchdocument ORDER BY article_id")
        ids = [pk for (pk,) in cursor.fetchall()]
        for batch in chunked(ids):
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"SELECT article_id, title, text FROM articles_searchdocument WHERE article_id IN ({placeholders})",  # noqa: S608
                batch,
            )
            yield cursor.fetchall()


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from articles.search.backends import sqlite  # the backend registers the triggers' function

    for statement in OLD.DROP["sqlite"]:
        schema_editor.execute(statement)
    for statement in SCHEMA:
        schema_editor.execute(statement)
    batches = list(_documents(schema_editor))
    with schema_editor.connection.cursor() as cursor:
        for rows in batches:
            sqlite.insert_documents(cursor, [(pk, sqlite.prepare(title, text)) for pk, title, text in rows])


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from articles.search.indexing import build_documents
    from articles.search.normalize import token_stream

    for statement in DROP:
        schema_editor.execute(statement)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT article_id FROM articles_searchdocument ORDER BY article_id")
        ids = [pk for (pk,) in cursor.fetchall()]
        documents = {}
        for batch in chunked(ids):
            documents.update(build_documents(batch, schema_editor.connection.alias))
            cursor.executemany(
                "UPDATE articles_searchdocument SET title = %s, text = %s WHERE article_id = %s",
                [(*documents[pk], pk) for pk in batch if pk in documents],
            )
    for statement in OLD.SCHEMA["sqlite"]:
        if "articles_searchdocument_ai" not in statement:  # migration 0005 dropped the insert trigger
            schema_editor.execute(statement)
    for table in OLD_HASHSIZE.TABLES:
        schema_editor.execute(f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', {OLD_HASHSIZE.HASHSIZE})")  # noqa: S608
    with schema_editor.connection.cursor() as cursor:
        for pk, (title, text) in documents.items():
            cursor.execute(
                "INSERT INTO articles_search_fts(rowid, tokens) VALUES (%s, %s)",
                [pk, f"{token_stream(title)} {token_stream(text)}"],
            )
            cursor.execute(
                "INSERT INTO articles_search_title_fts(rowid, tokens) VALUES (%s, %s)", [pk, token_stream(title)]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0017_drop_unused_pattern_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
