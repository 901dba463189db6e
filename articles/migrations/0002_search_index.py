"""The search index: canonical text per article, plus a token index per database vendor."""

import django.db.models.deletion
from django.db import migrations, models

FTS5_OPTIONS = "tokens, content='', detail='none', columnsize=0, tokenize='ascii'"
SCHEMA = {
    # Contentless FTS5 tables of distinct tokens: all fields, and the title alone.
    "sqlite": [
        f"CREATE VIRTUAL TABLE articles_search_fts USING fts5({FTS5_OPTIONS})",
        f"CREATE VIRTUAL TABLE articles_search_title_fts USING fts5({FTS5_OPTIONS})",
    ],
    # Token arrays with GIN indexes; deleting a document deletes its tokens.
    "postgresql": [
        """CREATE TABLE articles_search_tokens (
            article_id bigint PRIMARY KEY
                REFERENCES articles_searchdocument (article_id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
            tokens text[] NOT NULL,
            title_tokens text[] NOT NULL
        )""",
        "CREATE INDEX articles_search_tokens_gin ON articles_search_tokens USING gin (tokens)",
        "CREATE INDEX articles_search_title_tokens_gin ON articles_search_tokens USING gin (title_tokens)",
    ],
}
DROP = {
    "sqlite": ["DROP TABLE IF EXISTS articles_search_fts", "DROP TABLE IF EXISTS articles_search_title_fts"],
    "postgresql": ["DROP TABLE IF EXISTS articles_search_tokens"],
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
