"""Import snapshots keep the title, excerpt and lead image caption as SHA-256 digests, as they kept the
body: the re-import merge only needs to know whether each changed (``importer.merge.comparable``)."""

import hashlib

from django.db import migrations

# The fields this migration digests (the body was a digest already); fixed here as they were.
DIGESTED = ("title", "excerpt", "lead_image_caption")
BATCH_SIZE = 500


# ``importer.merge.digest`` and ``batches.chunked`` as they were, frozen: this migration must not change with them.
def digest(text):
    return hashlib.sha256((text or "").encode()).hexdigest()


def chunked(items, size=BATCH_SIZE):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def digest_snapshots(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias)
    for ids in chunked(articles.order_by("pk").values_list("pk", flat=True)):
        changed = []
        for article in articles.filter(pk__in=ids).only("pk", "import_snapshot"):
            snapshot = article.import_snapshot or {}
            if any(name in snapshot for name in DIGESTED):
                names = [name for name in DIGESTED if name in snapshot]
                article.import_snapshot = {**snapshot, **{name: digest(snapshot[name]) for name in names}}
                changed.append(article)
        articles.bulk_update(changed, ["import_snapshot"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_history_first_versions_compressed")]

    operations = [migrations.RunPython(digest_snapshots, migrations.RunPython.noop, elidable=True)]
