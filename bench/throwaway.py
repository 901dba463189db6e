"""The benchmarks' database: a throwaway one, never somebody's archive.

Each benchmark replaces the articles of the database it runs on, so ``setup_database`` refuses
any database whose name does not contain "bench".
"""

import os
import sys
import tempfile
from pathlib import Path


def setup_database(sqlite_path=None, *, fresh=False):
    """Set Django up on ``DATABASE_URL`` or, when that is unset, on the SQLite file ``sqlite_path``
    (default: a new one in a temporary folder).

    Exits unless the database's name (the URL's last part) contains "bench". ``fresh`` deletes
    an SQLite file left by an earlier run first.
    """
    if "DATABASE_URL" not in os.environ:
        path = sqlite_path or Path(tempfile.mkdtemp(prefix="bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    url = os.environ["DATABASE_URL"]
    if "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit(f"Refusing to replace the articles of {url}: use a database whose name contains 'bench'.")
    if fresh and url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()


def empty_archive(prefix):
    """A new scratch folder, and the throwaway database (its SQLite file in that folder unless
    ``DATABASE_URL`` is set) migrated and without articles or import runs."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    setup_database(scratch / "bench.sqlite3")
    from django.apps import apps
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # Models by name: benchmarks' --before runs this on revisions that kept them in other modules.
    for model in ("Article", "ImportRun"):
        apps.get_model("articles", model).objects.all().delete()
    return scratch


def recreate_postgres(url):
    """Drop and create the benchmark's PostgreSQL database (its name contains "bench"): each run,
    or each revision a ``--before`` measures, migrates its own."""
    import psycopg

    base, name = url.rsplit("/", 1)
    if "bench" not in name:
        sys.exit(f"Refusing to drop {url}: use a database whose name contains 'bench'.")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
