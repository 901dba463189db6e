"""Leaner history: no row for an article still as its import wrote it, and bodies compressed.

An article's first version is now the article itself until it first changes (``articles.history``),
so the "+" rows imports wrote are deleted where they are an article's only row and still equal
it, field by field. The bodies of the other rows are stored zlib-compressed. Going back
decompresses the bodies; the deleted rows are written again at each article's next change.
"""

from django.db import migrations
from django.db.models import Count

from articles.batches import chunked
from articles.fields import CompressedTextField, compress_column
from articles.history import IMPORT_REASON


def tracked(history):
    """The article columns a history row copies (those not named history_*)."""
    return [f.attname for f in history._meta.concrete_fields if not f.attname.startswith("history_")]


def drop_first_versions(apps, schema_editor):
    """Delete the import's "+" rows that are their article's only row and still equal it."""
    database = schema_editor.connection.alias
    Article = apps.get_model("articles", "Article")
    history = apps.get_model("articles", "HistoricalArticle")
    rows = history.objects.using(database)
    lone = rows.values("id").annotate(versions=Count("history_id")).filter(versions=1).values_list("id", flat=True)
    names = tracked(history)
    for ids in chunked(lone):
        firsts = rows.filter(id__in=ids, history_type="+", history_change_reason=IMPORT_REASON)
        current = {row["id"]: row for row in Article.objects.using(database).filter(pk__in=ids).values(*names)}
        same = [
            row["history_id"]
            for row in firsts.values("history_id", *names)
            if current.get(row["id"]) == {name: row[name] for name in names}
        ]
        rows.filter(history_id__in=same).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_assets")]

    operations = [
        migrations.RunPython(drop_first_versions, migrations.RunPython.noop),
        *compress_column(
            "articles",
            "historicalarticle",
            "body_html",
            CompressedTextField(blank=True, default="", verbose_name="body (sanitized HTML)"),
        ),
    ]
