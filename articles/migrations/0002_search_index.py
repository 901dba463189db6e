"""The search index: canonical text per article, plus a token index per database vendor."""

import django.db.models.deletion
from django.db import migrations, models

FTS5_OPTIONS = "tokens, content='', detail='none', columnsize=0, tokenize='ascii'"
# articles_search_tokens(title, text) is a Python function the search app registers on
# every SQLite connection (articles.search.backends.sqlite).
_FTS_INSERT = """
    INSERT INTO articles_search_fts(rowid, tokens) VALUES (new.article_id, articles_search_tokens(new.title, new.text));
    INSERT INTO articles_search_title_fts(rowid, tokens) VALUES (new.article_id, articles_search_tokens(new.title, ''));
"""
_FTS_DELETE = """
    INSERT INTO articles_search_fts(articles_search_fts, rowid, tokens)
        VALUES ('delete', old.article_id, articles_search_tokens(old.title, old.text));
    INSERT INTO articles_search_title_fts(articles_search_title_fts, rowid, tokens)
        VALUES ('delete', old.article_id, articles_search_tokens(old.title, ''));
"""
SCHEMA = {
    # Contentless FTS5 tables of distinct tokens (all fields, and the title alone), kept in
    # step with articles_searchdocument by triggers.
    "sqlite": [
        f"CREATE VIRTUAL TABLE articles_search_fts USING fts5({FTS5_OPTIONS})",
        f"CREATE VIRTUAL TABLE articles_search_title_fts USING fts5({FTS5_OPTIONS})",
        f"CREATE TRIGGER articles_searchdocument_ai AFTER INSERT ON articles_searchdocument BEGIN {_FTS_INSERT} END",
        f"CREATE TRIGGER articles_searchdocument_ad AFTER DELETE ON articles_searchdocument BEGIN {_FTS_DELETE} END",
        "CREATE TRIGGER articles_searchdocument_au AFTER UPDATE OF title, text ON articles_searchdocument "
        f"BEGIN {_FTS_DELETE} {_FTS_INSERT} END",
    ],
    # Token arrays as columns of the document (written by the search app), with GIN indexes.
    "postgresql": [
        "ALTER TABLE articles_searchdocument ADD COLUMN tokens text[] NOT NULL DEFAULT '{}', "
        "ADD COLUMN title_tokens text[] NOT NULL DEFAULT '{}'",
        "CREATE INDEX articles_search_tokens_gin ON articles_searchdocument USING gin (tokens)",
        "CREATE INDEX articles_search_title_tokens_gin ON articles_searchdocument USING gin (title_tokens)",
    ],
}
DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS articles_searchdocument_ai",
        "DROP TRIGGER IF EXISTS articles_searchdocument_ad",
        "DROP TRIGGER IF EXISTS articles_searchdocument_au",
        "DROP TABLE IF EXISTS articles_search_fts",
        "DROP TABLE IF EXISTS articles_search_title_fts",
    ],
    "postgresql": [
        "DROP INDEX IF EXISTS articles_search_tokens_gin",
        "DROP INDEX IF EXISTS articles_search_title_tokens_gin",
        "ALTER TABLE articles_searchdocument DROP COLUMN IF EXISTS tokens, DROP COLUMN IF EXISTS title_tokens",
    ],
}


def create_token_index(apps, schema_editor):
    for statement in SCHEMA.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_token_index(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("title", models.TextField(blank=True, verbose_name="title")),
                ("text", models.TextField(blank=True, verbose_name="text")),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
            },
        ),
        migrations.RunPython(create_token_index, drop_token_index),
    ]
