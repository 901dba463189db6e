"""Article bodies (HTML and plain text) stored zlib-compressed: 2.1x smaller, read and written as text."""

from importlib import import_module

from django.db import migrations

from articles.models.fields import CompressedTextField

# The frozen operations migration 0009 wrote for the history's bodies, for the article's.
compress_column = import_module("articles.migrations.0009_history_first_versions_compressed").compress_column


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_import_snapshot_digests")]

    operations = [
        *compress_column(
            "articles",
            "article",
            "body_html",
            CompressedTextField(blank=True, default="", verbose_name="body (sanitized HTML)"),
        ),
        *compress_column(
            "articles",
            "article",
            "body_text",
            CompressedTextField(blank=True, default="", editable=False, verbose_name="body (plain text)"),
        ),
    ]
