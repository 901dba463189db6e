"""Storage benchmark: database bytes per source byte, on SQLite and PostgreSQL, with a per-table breakdown.

    .venv/bin/python bench/storage_bench.py                        # the real samples, SQLite only
    .venv/bin/python bench/storage_bench.py --postgres postgres://postgres@127.0.0.1:5432/archive_storage_bench
    .venv/bin/python bench/storage_bench.py --before main --postgres ...   # also the code of main, same posts

Imports the posts (../shared/corpus-sample/, plus ``--news``/``--long`` generated ones as in
``import_bench.py``) into a fresh, migrated database and prints how many bytes the import added
per byte of source files, table by table (each table with its indexes: SQLite's ``dbstat``,
PostgreSQL's ``pg_total_relation_size``, which counts TOAST). The empty schema's own pages are
left out: they are fixed, and next to the samples' 1 MB they would weigh more than the articles.
Each line also gives the import's time and CPU seconds (its process and parse workers; the
wall-clock time depends on the machine's load, the CPU time less). Goal: under 2.5 on both.
``--before REV`` runs the same measure on the code of a git revision (from ``git archive``), so
both lines come from the same machine and posts. The PostgreSQL database is dropped and created
again: its name must contain "bench".
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from import_bench import CORPUS, cpu_seconds, generate
from throwaway import recreate_postgres, setup_database

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {".md", ".markdown", ".html", ".htm", ".txt"}
GOAL = 2.5


def sqlite_tables(cursor):
    """{table: bytes} from dbstat: each index and FTS5 shadow table counted with its table."""
    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cursor.execute("VACUUM")
    cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')")
    owner = dict(cursor.fetchall())
    cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
    sizes = {}
    for name, size in cursor.fetchall():
        table = owner.get(name, name)
        for fts in ("articles_search_index", "articles_search_fts", "articles_search_title_fts"):
            if table.startswith(f"{fts}_"):
                table = fts
        sizes[table] = sizes.get(table, 0) + size
    return sizes


def postgres_tables(cursor):
    """{table: bytes}: pg_total_relation_size (heap, TOAST, indexes) of each table of the schema."""
    cursor.execute("VACUUM ANALYZE")
    cursor.execute(
        "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'"
    )
    return dict(cursor.fetchall())


def measure(tree, paths):
    """In a fresh process on ``DATABASE_URL``: migrate, measure, import, measure; print JSON."""
    sys.path.insert(0, str(tree))  # the tree under test (``--tree``), not this file's
    setup_database()
    from django.core.management import call_command
    from django.db import connection

    from articles.importer.runner import import_paths

    call_command("migrate", verbosity=0)
    tables = postgres_tables if connection.vendor == "postgresql" else sqlite_tables
    with connection.cursor() as cursor:
        empty = tables(cursor)
    start, cpu = time.perf_counter(), cpu_seconds()
    report = import_paths(paths, progress=False)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    with connection.cursor() as cursor:
        full = tables(cursor)
    added = {name: size - empty.get(name, 0) for name, size in full.items()}
    summary = f"{report.summary()}; import {seconds:.1f} s, {cpu:.1f} s of CPU"
    print(json.dumps({"vendor": connection.vendor, "summary": summary, "added": added}))


def run(tree, database_url, paths):
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(tree)}
    command = [sys.executable, __file__, "--measure", "--tree", str(tree), *map(str, paths)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env, cwd=tree).stdout
    return json.loads(output.splitlines()[-1])


def checkout(revision, scratch):
    """The files of ``revision`` in a folder of ``scratch``, sharing this checkout's virtualenv."""
    tree = scratch / f"tree-{revision.replace('/', '-')}"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def breakdown(label, result, source_bytes, top=8):
    added = result["added"]
    total = sum(added.values())
    print(f"{label}: {total / source_bytes:.2f} bytes per source byte ({total / 1e6:.1f} MB)  {result['summary']}")
    for name, size in sorted(added.items(), key=lambda item: -item[1])[:top]:
        print(f"    {name:40}{size / 1e6:9.2f} MB{size / source_bytes:8.2f}")
    return total / source_bytes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL whose database name contains 'bench'")
    parser.add_argument("--before", help="also measure the code of this git revision (e.g. main)")
    parser.add_argument("--news", type=int, default=0, help="generated short news posts (import_bench.py's)")
    parser.add_argument("--long", type=int, default=0, help="generated 20 KB long-form posts")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", type=Path, help="posts to import (default: the real samples)")
    args = parser.parse_args()
    if args.measure:
        measure(args.tree, args.paths)
        return

    scratch = Path(tempfile.mkdtemp(prefix="storage-bench-"))
    try:
        paths = list(args.paths) or ([CORPUS] if CORPUS.is_dir() else [])
        if args.news or args.long:
            generate(scratch / "posts", args.news, args.long)
            paths.append(scratch / "posts")
        files = [p for path in paths for p in ([path] if path.is_file() else path.rglob("*")) if p.suffix in SUFFIXES]
        source_bytes = sum(p.stat().st_size for p in files)
        print(f"{len(files):,} source files, {source_bytes / 1e6:.1f} MB; load {os.getloadavg()[0]:.2f}")
        trees = [(args.before, checkout(args.before, scratch))] if args.before else []
        trees.append(("this tree", ROOT))
        ratios = {}  # of this tree, by database
        for label, tree in trees:
            for vendor in ("sqlite", "postgresql"):
                if vendor == "sqlite":
                    url = f"sqlite:///{scratch / 'storage-bench.sqlite3'}"
                    for suffix in ("", "-wal", "-shm"):
                        Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
                elif args.postgres:
                    url = args.postgres
                    recreate_postgres(url)
                else:
                    continue
                ratios[vendor] = breakdown(f"{label}, {vendor}", run(tree, url, paths), source_bytes)
        print("goal met" if all(ratio < GOAL for ratio in ratios.values()) else f"GOAL NOT MET (< {GOAL})")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
