"""PostgreSQL: drop the ``varchar_pattern_ops`` copies of indexes that no query reads with LIKE.

For every indexed or unique ``CharField`` and ``SlugField`` Django adds a second index of the same
column with the pattern operator class, which only ``LIKE 'prefix%'`` (``__startswith``) can use.
Only the article slug is looked up that way (the importer's free-slug search), so the others cost
space and write time for nothing: 33 MB of indexes at 100,000 articles. Equality lookups and
uniqueness keep their ordinary index. Reversing recreates nothing (nothing needs them); a later
``AlterField`` of one of these columns would add its copy back, and then needs dropping again.
SQLite has no such indexes.
"""

from django.db import migrations

# Table -> columns whose pattern index is dropped (every indexed character column of this app but
# articles_article.slug, which ``slug__startswith`` reads).
UNUSED = {
    "articles_article": ["title_key", "text_fingerprint", "import_key", "content_hash", "legacy_slug"],
    "articles_historicalarticle": ["slug", "content_hash", "legacy_slug", "import_key"],
    "articles_articleredirect": ["old_path"],
    "articles_asset": ["sha256", "url_key"],
    "articles_category": ["name", "slug"],
    "articles_categoryalias": ["name", "slug"],
    "articles_tagalias": ["name", "slug"],
    "articles_sourcecheck": ["status"],
    "articles_source": ["name"],
}
PATTERN_INDEXES = """
    SELECT i.relname FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
    JOIN pg_opclass o ON o.oid = x.indclass[0]
    WHERE x.indnatts = 1 AND o.opcname IN ('varchar_pattern_ops', 'text_pattern_ops')
      AND t.relname = %s AND a.attname = ANY(%s)
"""


def drop_pattern_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, columns in UNUSED.items():
            cursor.execute(PATTERN_INDEXES, [table, columns])
            for (name,) in cursor.fetchall():
                schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_sources"),
    ]

    operations = [
        migrations.RunPython(drop_pattern_indexes, migrations.RunPython.noop),
    ]
