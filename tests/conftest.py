"""Fixtures for every test: the real samples, a cold cache, and signed-in clients for the admin.

Plain helpers that tests import live in ``tests/helpers.py`` and ``tests/factories.py``, not here.
"""

import importlib
import signal
import sqlite3
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tests.helpers import CORPUS_DIR, SEEDS_DIR, migrated_sqlite

WORKER_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
editors_migration = importlib.import_module("articles.migrations.0003_editors_group")
# Later migrations that give Editors more permissions, each with its grant_editors(apps, schema_editor).
EDITOR_GRANTS = [importlib.import_module("articles.migrations.0008_assets")]


@pytest.fixture
def corpus_dir():
    """The real sample posts; tests that use them skip when the folder is absent."""
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"corpus sample not found at {CORPUS_DIR}")
    return CORPUS_DIR


@pytest.fixture
def seeds_dir():
    return SEEDS_DIR


@pytest.fixture(autouse=True)
def fresh_cache():
    """Page, card, count and related-article caches never leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editors_group(db):
    """The group the data migration made (made again if a transactional test flushed it)."""
    if not Group.objects.filter(name="Editors").exists():
        # The migration marks each app's models_module and then clears it (right for a migration's
        # historical apps); on the live registry that would leave no app for a flush's
        # post_migrate to recreate content types for, so the next transactional test finds none.
        modules = {config: config.models_module for config in apps.get_app_configs()}
        # The migrations' functions ask their schema editor only for its connection; SQLite cannot
        # open a real one inside a test's transaction (a transactional test may have run first).
        schema_editor = SimpleNamespace(connection=connection)
        try:
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
def superuser_client(superuser):
    """Signed in as ``superuser`` (pytest-django's ``admin_client`` signs in a user of its own)."""
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


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


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory):
    return migrated_sqlite(tmp_path_factory.mktemp("sqlite") / "template.sqlite3")


@pytest.fixture
def sqlite_file(migrated_sqlite_template, tmp_path):
    """A SQLite database file with every migration applied, for commands run in processes of their own."""
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(migrated_sqlite_template) as template, sqlite3.connect(path) as copy:
        template.backup(copy)
    template.close()
    copy.close()
    return path
