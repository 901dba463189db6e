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
    # Token arrays (written by the search app) with GIN indexes, in a narrow table: the arrays
    # live out of line (compressed), so turning index hits into article ids reads little.
    # Triggers drop a document's tokens with it (also on TRUNCATE, as Django's flush does).
    # The function reads candidates through the index even for very common tokens, where the
    # planner would otherwise scan and unpack every array.
    "postgresql": [
        """CREATE TABLE articles_search_tokens (
            article_id bigint PRIMARY KEY,
            tokens text[] NOT NULL,
            title_tokens text[] NOT NULL
        ) WITH (toast_tuple_target = 128)""",
        "CREATE INDEX articles_search_tokens_gin ON articles_search_tokens USING gin (tokens)",
        "CREATE INDEX articles_search_title_tokens_gin ON articles_search_tokens USING gin (title_tokens)",
        """CREATE FUNCTION articles_search_drop_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                TRUNCATE articles_search_tokens;
            ELSE
                DELETE FROM articles_search_tokens WHERE article_id = OLD.article_id;
            END IF;
            RETURN NULL;
        END $$""",
        "CREATE TRIGGER articles_searchdocument_ad AFTER DELETE ON articles_searchdocument "
        "FOR EACH ROW EXECUTE FUNCTION articles_search_drop_tokens()",
        "CREATE TRIGGER articles_searchdocument_at AFTER TRUNCATE ON articles_searchdocument "
        "FOR EACH STATEMENT EXECUTE FUNCTION articles_search_drop_tokens()",
        """CREATE FUNCTION articles_search_candidates(wanted text[], title_only boolean DEFAULT false)
        RETURNS SETOF bigint LANGUAGE plpgsql STABLE ROWS 30000 SET enable_seqscan = off AS $$
        BEGIN
            IF title_only THEN
                RETURN QUERY SELECT article_id FROM articles_search_tokens WHERE title_tokens @> wanted;
            ELSE
                RETURN QUERY SELECT article_id FROM articles_search_tokens WHERE tokens @> wanted;
            END IF;
        END $$""",
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
        "DROP TRIGGER IF EXISTS articles_searchdocument_ad ON articles_searchdocument",
        "DROP TRIGGER IF EXISTS articles_searchdocument_at ON articles_searchdocument",
        "DROP FUNCTION IF EXISTS articles_search_drop_tokens()",
        "DROP FUNCTION IF EXISTS articles_search_candidates(text[], boolean)",
        "DROP TABLE IF EXISTS articles_search_tokens",
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
