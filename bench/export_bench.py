"""Export benchmark: ``export_posts`` of an archive imported from the import benchmark's posts.

    .venv/bin/python bench/export_bench.py                          # 29,000 news + 1,000 long-form, SQLite in /tmp
    .venv/bin/python bench/export_bench.py --news 2000 --long 100   # a quick look
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/archive_export_bench .venv/bin/python bench/export_bench.py

Imports the generated posts (and the real samples when present), then exports them twice, each
time in a fresh interpreter so its peak memory is the export's own (VmHWM of the exporting
process, largest writing process): articles/s, CPU per article (user and system, all processes:
what the machine's load cannot change) and peak memory. Goals: at least 2,000 articles/s on
SQLite, peak memory under 300 MB at 30,000 articles. The database must be a throwaway one (its
name contains "bench"); files go to /tmp.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from import_bench import CORPUS, cpu_seconds, generate, own_peak_kilobytes
from throwaway import empty_archive, setup_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_export(folder):
    """One export in this (fresh) process: prints seconds, the summary and peak RSS as JSON."""
    setup_database()  # the benchmark's, passed on in DATABASE_URL
    from articles.export.runner import export_articles, select

    start, cpu = time.perf_counter(), cpu_seconds()
    report = export_articles(folder, select(), progress=False)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    peaks = own_peak_kilobytes(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "cpu": cpu, "articles": report.total, "errors": len(report.errors),
                      "peak": max(peaks)}))  # fmt: skip


def timed_export(folder):
    command = [sys.executable, __file__, "--export-only", str(folder)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=int, default=29_000, help="generated short news posts")
    parser.add_argument("--long", type=int, default=1_000, help="generated 20 KB long-form posts")
    parser.add_argument("--export-only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_only:
        run_export(args.export_only)
        return

    scratch = empty_archive("export-bench-")
    from django.db import connection

    from articles.importer.runner import import_paths

    try:
        generate(scratch / "posts", args.news, args.long)
        paths = [scratch / "posts"] + ([CORPUS] if CORPUS.is_dir() else [])
        report = import_paths(paths, progress=False)
        vendor = connection.vendor
        connection.close()
        print(f"archive: {report.summary()} ({vendor}, load {os.getloadavg()[0]:.2f})")
        for attempt in (1, 2):
            result = timed_export(scratch / f"export-{attempt}")
            count, seconds = result["articles"], result["seconds"]
            print(
                f"export {attempt}: {count:,} articles in {seconds:.1f} s, {count / seconds:,.0f} articles/s"
                f" (goal >= 2,000), CPU {result['cpu'] / count * 1e6:.0f} us an article (all processes),"
                f" peak memory {result['peak'] / 1024:.0f} MB (goal < 300 MB), {result['errors']} errors,"
                f" load {os.getloadavg()[0]:.2f}"
            )
        size = sum(p.stat().st_size for p in (scratch / "export-1").rglob("*") if p.is_file())
        print(f"site source: {size / 1024 / 1024:.0f} MB")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
