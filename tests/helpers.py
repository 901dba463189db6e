"""Helpers that tests import: where the samples are, migrating the test database, posting admin actions, the
image fetcher's test setup, and commands run in processes of their own on a SQLite file."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.assets.fetching import Fetcher
from articles.assets.guard import Guard

CORPUS_DIR = Path(os.environ.get("CORPUS_SAMPLE_DIR", settings.BASE_DIR.parent / "shared" / "corpus-sample"))
SEEDS_DIR = settings.BASE_DIR / "seeds"
FIXTURES_DIR = Path(__file__).parent / "fixtures"

# The image fetcher in tests. Its time limit covers a whole exchange, headers included, so it is
# generous: a loaded machine (or a garbage collection) never fails a good request. Tests that need
# a limit to fire use SHORT_TIMEOUT, against routes that stall far longer (tests/assets/server.py).
TEST_TIMEOUT = 5.0  # seconds
SHORT_TIMEOUT = 0.5
TEST_MAX_BYTES = 1024 * 1024
TEST_MAX_PIXELS = 4_000_000


def migrate(target):
    """Migrate the test database to ``target`` (a (app, name) node, or None for the latest); its apps."""
    executor = MigrationExecutor(connection)
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())
    return executor.loader.project_state([target] if target else executor.loader.graph.leaf_nodes()).apps


def post_action(client, url, action, ids, follow=False, **data):
    """Post a change list's action for the rows ``ids`` (``apply="1"`` and the form's fields in ``data``)."""
    data = {"action": action, "_selected_action": [str(pk) for pk in ids], **data}
    return client.post(url, data, follow=follow)


def make_fetcher(guard=None, **options):
    options = {
        "user_agent": "TestArchiver/1.0",
        "max_bytes": TEST_MAX_BYTES,
        "timeout": TEST_TIMEOUT,
        "connect_timeout": TEST_TIMEOUT,
        **options,
    }
    return Fetcher(guard or Guard(allow_private=True), **options)


def sqlite_env(database, **env):
    """The environment of a ``manage.py`` process (or ``python -c``) working on SQLite file ``database``."""
    return {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "0", **env}


def migrated_sqlite(database):
    """Create SQLite file ``database`` with every migration applied (in a process of its own)."""
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "migrate", "-v", "0"]
    subprocess.run(command, env=sqlite_env(database), check=True, cwd=settings.BASE_DIR, timeout=600)  # noqa: S603
    return database


def run_python(code, *args, env, timeout=300):
    """Run ``code`` (after ``django.setup()``) with ``args`` in a Python process of its own; the
    ``CompletedProcess`` with its text output. ``timeout`` only bounds a hang."""
    code = "import sys, django; django.setup()\n" + code
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code, *map(str, args)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# import_seeds as ``manage.py import_seeds`` runs it, for ``run_python``.
IMPORT_SEEDS = (
    "from django.core.management import execute_from_command_line\n"
    "execute_from_command_line(['manage.py', 'import_seeds', '--no-progress', *sys.argv[1:]])\n"
)
