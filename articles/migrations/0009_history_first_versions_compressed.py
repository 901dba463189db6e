"""Leaner history: no row for an article still as its import wrote it, and bodies compressed.

An article's first version is now the article itself until it first changes (``models.history``),
so the "+" rows imports wrote are deleted where they are an article's only row and still equal
it, field by field. The bodies of the other rows are stored zlib-compressed. Going back
decompresses the bodies; the deleted rows are written again at each article's next change.
"""

from django.db import migrations
from django.db.models import Count

from articles.models.fields import CompressedTextField

# What the live code was when this migration was written, frozen here (a later change to it must
# not change what this migration does): the first import's change reason, the batch size, and the
# operations that compress a column (migration 0011 uses them too).
IMPORT_REASON = "import"
BATCH_SIZE = 500


def chunked(items, size=BATCH_SIZE):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def compress_column(app_label, model_name, name, field):
    """Operations turning the text column ``name`` into ``field`` (a ``CompressedTextField``), keeping
    its values; reversible. The column is rewritten in batches."""
    plain = f"{name}_plain"

    def copy(source, target):
        def run(apps, schema_editor):
            model = apps.get_model(app_label, model_name)
            rows = model.objects.using(schema_editor.connection.alias)
            for ids in chunked(rows.order_by("pk").values_list("pk", flat=True)):
                objects = list(rows.filter(pk__in=ids).only("pk", source))
                for obj in objects:
                    setattr(obj, target, getattr(obj, source))
                rows.bulk_update(objects, [target])

        return run

    return [
        migrations.RenameField(model_name, name, plain),
        migrations.AddField(model_name, name, field, preserve_default=False),
        migrations.RunPython(copy(plain, name), copy(name, plain)),
        migrations.RemoveField(model_name, plain),
    ]


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
