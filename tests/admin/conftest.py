import importlib
import signal
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from taggit.models import Tag

from articles.models import Article, TaggedArticle

WORKER_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
editors_migration = importlib.import_module("articles.migrations.0003_editors_group")
# Later migrations that give Editors more permissions, each with its grant_editors(apps, schema_editor).
EDITOR_GRANTS = [importlib.import_module("articles.migrations.0008_assets")]


@pytest.fixture
def editors_group(db):
    """The group the data migration made (made again if a transactional test flushed it)."""
    if not Group.objects.filter(name="Editors").exists():
        # The migration marks each app's models_module and then clears it (right for a migration's
        # historical apps); on the live registry that would leave no app for a flush's
        # post_migrate to recreate content types for, so the next transactional test finds none.
        modules = {config: config.models_module for config in apps.get_app_configs()}
        try:
            with connection.schema_editor() as schema_editor:
                editors_migration.create_editors_group(apps, schema_editor)
                for migration in EDITOR_GRANTS:
                    migration.grant_editors(apps, schema_editor)
        finally:
            for config, module in modules.items():
                config.models_module = module
    return Group.objects.get(name="Editors")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("boss", "boss@example.org", "pw-boss-123")


@pytest.fixture
def editor(editors_group):
    user = User.objects.create_user("ed", "ed@example.org", "pw-ed-123", is_staff=True)
    user.groups.add(editors_group)
    return user


@pytest.fixture
def admin_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def make_many(count, *, tags=("台海", "国际")):
    """``count`` published articles with tags, in a few bulk queries."""
    noon = datetime(2024, 6, 1, 12, tzinfo=UTC)  # all in one year, whatever today is
    articles = Article.objects.bulk_create(
        Article(
            title=f"批量文章 {i}",
            slug=f"bulk-{i}",
            status=Article.Status.PUBLISHED,
            published_at=noon - timedelta(minutes=i),
            author=f"作者{i % 7}",
            body_html=f"<p>正文 {i}</p>",
            body_text=f"正文 {i}",
        )
        for i in range(count)
    )
    tag_objects = [Tag.objects.get_or_create(name=name)[0] for name in tags]
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=article, tag=tag) for article in articles for tag in tag_objects
    )
    return articles


def post_action(client, url, action, ids, follow=False, **data):
    data = {"action": action, "_selected_action": [str(pk) for pk in ids], **data}
    return client.post(url, data, follow=follow)


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    """Uploads wait in a folder of the test's own."""
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    return settings.IMPORT_UPLOAD_DIR


@pytest.fixture
def run_worker():
    """Runs the task package's worker command in this process until the queue is empty."""

    def run():
        handlers = {number: signal.getsignal(number) for number in WORKER_SIGNALS}
        try:
            call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
        finally:
            for number, handler in handlers.items():  # the worker sets its own; give pytest its own back
                signal.signal(number, handler)

    return run
