"""The search index: canonical text per article, plus a token index per database vendor."""

import django.db.models.deletion
from django.db import migrations, models

from articles.search.backends import get_backend


def create_token_index(apps, schema_editor):
    for statement in get_backend(schema_editor.connection).SCHEMA:
        schema_editor.execute(statement)


def drop_token_index(apps, schema_editor):
    for statement in get_backend(schema_editor.connection).DROP:
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
