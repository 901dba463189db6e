"""Article bodies (HTML and plain text) stored zlib-compressed: 2.1x smaller, read and written as text."""

from django.db import migrations

from articles.fields import CompressedTextField, compress_column


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
