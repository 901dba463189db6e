"""Archived images (Asset), their links to articles, and source checks; what Editors may do with them.

Editors see the archived images and may retry them (change); nobody edits or deletes them by hand.
"""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITOR_PERMISSIONS = [("asset", ("view", "change")), ("sourcecheck", ("view",))]


def grant_editors(apps, schema_editor):
    articles = apps.get_app_config("articles")
    articles.models_module = True
    create_permissions(articles, verbosity=0, apps=apps, using=schema_editor.connection.alias)
    articles.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group is None:
        return
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS for action in actions]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_runs_unfinished_before_heartbeats"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="SourceCheck",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="source_check",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("alive", "Alive"),
                            ("moved", "Moved"),
                            ("gone", "Gone"),
                            ("unreachable", "Unreachable"),
                        ],
                        db_index=True,
                        max_length=12,
                        verbose_name="source",
                    ),
                ),
                ("http_status", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="HTTP status")),
                ("final_url", models.TextField(blank=True, verbose_name="moved to")),
                ("error", models.CharField(blank=True, max_length=500, verbose_name="error")),
                ("checked_at", models.DateTimeField(db_index=True, verbose_name="checked")),
            ],
            options={
                "verbose_name": "source check",
                "verbose_name_plural": "source checks",
            },
        ),
        migrations.CreateModel(
            name="ArticleAsset",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="asset_links", to="articles.article"
                    ),
                ),
            ],
            options={
                "verbose_name": "article image",
                "verbose_name_plural": "article images",
            },
        ),
        migrations.CreateModel(
            name="Asset",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("url", models.TextField(verbose_name="URL")),
                ("url_key", models.CharField(editable=False, max_length=64, unique=True, verbose_name="URL key")),
                ("sha256", models.CharField(blank=True, db_index=True, max_length=64, verbose_name="SHA-256")),
                ("kind", models.CharField(blank=True, max_length=8, verbose_name="type")),
                ("size", models.PositiveBigIntegerField(blank=True, null=True, verbose_name="bytes")),
                ("width", models.PositiveIntegerField(blank=True, null=True, verbose_name="width")),
                ("height", models.PositiveIntegerField(blank=True, null=True, verbose_name="height")),
                ("variants", models.JSONField(blank=True, default=list, verbose_name="WebP widths")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Not fetched yet"),
                            ("fetched", "Archived"),
                            ("failed", "Failed (will retry)"),
                            ("gone", "Gone at the source"),
                            ("refused", "Refused"),
                        ],
                        default="pending",
                        max_length=8,
                        verbose_name="status",
                    ),
                ),
                ("http_status", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="HTTP status")),
                ("error", models.CharField(blank=True, max_length=500, verbose_name="error")),
                ("tries", models.PositiveIntegerField(default=0, verbose_name="tries")),
                ("fetched_at", models.DateTimeField(blank=True, null=True, verbose_name="fetched")),
                ("next_try_at", models.DateTimeField(blank=True, null=True, verbose_name="next try")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="found")),
                (
                    "articles",
                    models.ManyToManyField(
                        related_name="assets",
                        through="articles.ArticleAsset",
                        to="articles.article",
                        verbose_name="articles",
                    ),
                ),
            ],
            options={
                "verbose_name": "archived image",
                "verbose_name_plural": "archived images",
                "ordering": ["id"],
            },
        ),
        migrations.AddField(
            model_name="articleasset",
            name="asset",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="article_links", to="articles.asset"
            ),
        ),
        migrations.AddIndex(
            model_name="asset",
            index=models.Index(fields=["status", "next_try_at"], name="asset_status_next_try_idx"),
        ),
        migrations.AddConstraint(
            model_name="articleasset",
            constraint=models.UniqueConstraint(fields=("article", "asset"), name="unique_article_asset"),
        ),
        migrations.RunPython(grant_editors, migrations.RunPython.noop),
    ]
