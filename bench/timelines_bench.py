"""Timelines and dashboard benchmark: the kept counts' pages at a million articles, SQLite and PostgreSQL side by side.

    .venv/bin/python bench/timelines_bench.py --count 100000                  # SQLite, a file in /tmp
    .venv/bin/python bench/timelines_bench.py --postgres postgres://postgres@127.0.0.1:5432/tl_bench
    .venv/bin/python bench/timelines_bench.py --postgres URL --no-sqlite --reuse

Builds ``--count`` articles with ``scale_bench``'s bulk builder (``scale_build``: Zipf-like tags
and categories, authors, dates from 2000 to 2025, bodies), then counts them
(``manage.py rebuild_counts``, timed; the search index is not built, so search is not measured here:
``scale_bench`` does). Then, in one process per database, each page is rendered in-process with
every cache emptied first ("cold"), as ``scale_bench`` does: the archive with its timeline, a year
and a month, ``/tags/``, the largest tag, a category and an author (their timelines and years),
and the admin's dashboard. It prints the median time, the queries and the CPU per page (this
process and, on PostgreSQL, its server process), and the time of the kept counts' own query for
the largest tag. Goal: every page under 50 ms cold at 1,000,000, with constant query counts.
Databases must be throwaway ones (names containing "bench").
"""

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import scale_build
from scale_bench import cpu_seconds, run_one, vacuum
from throwaway import setup_database

GOAL_MS = 50


def pages():
    """(name, path, staff) of each page measured, picked from the kept counts."""
    from django.utils import timezone
    from taggit.models import Tag

    from articles.counts import reading
    from articles.counts.keeping import AUTHOR, CATEGORY, TAG
    from articles.models import Category, Tally

    def largest(kind):
        return Tally.objects.filter(kind=kind, month=0).order_by("-value").values_list("key", flat=True).first()

    tag = Tag.objects.get(pk=int(largest(TAG)))
    category = Category.objects.get(pk=int(largest(CATEGORY)))
    months = reading.months("archive")
    year, month = divmod(months[len(months) // 2][0], 100)
    this_year = timezone.localdate().year
    assert reading.months(AUTHOR, largest(AUTHOR))
    return [
        ("/archive/ (timeline)", "/archive/", False),
        ("year archive", f"/archive/{year}/", False),
        ("month archive", f"/archive/{year}/{month:02d}/", False),
        ("/tags/", "/tags/", False),
        ("largest tag", f"/tag/{tag.slug}/", False),
        ("largest tag, a year", f"/tag/{tag.slug}/?year={min(year, this_year)}", False),
        ("category", f"/category/{category.slug}/", False),
        ("author", f"/author/{largest(AUTHOR)}/", False),
        ("admin dashboard", "/admin/", True),
    ]


def cold_renders(repeat=5):
    """{page: (median ms, queries, mean CPU ms)}, each request made with every cache emptied first."""
    from django.contrib.auth.models import User
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, _ = User.objects.get_or_create(username="timelines-bench", defaults={"is_staff": True, "is_superuser": True})
    public, staff = Client(), Client()
    staff.force_login(user)
    rendered = {}
    for name, path, signed_in in pages():
        client = staff if signed_in else public
        assert client.get(path).status_code == 200, path
        times, cpu = [], 0.0
        for _ in range(repeat):
            for cache in caches.all():
                cache.clear()
            before = cpu_seconds()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            cpu += cpu_seconds() - before
        rendered[name] = (statistics.median(times), len(queries), cpu * 1000 / repeat)
    return rendered


def kept_counts_ms(repeat=20):
    """Median ms of the kept counts' query for the largest tag's months, and for every tag's total."""
    from articles.counts import reading
    from articles.counts.keeping import TAG
    from articles.models import Tally

    key = Tally.objects.filter(kind=TAG, month=0).order_by("-value").values_list("key", flat=True).first()
    timings = {}
    for name, read in (
        ("largest tag's months", lambda: reading.months(TAG, key)),
        ("every tag's total", reading.tag_totals),
    ):
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            read()
            times.append((time.perf_counter() - started) * 1000)
        timings[name] = statistics.median(times)
    return timings


def measure_one(count, reuse):
    url = os.environ["DATABASE_URL"]
    if not reuse:
        scale_build.reset_database(url)
    setup_database()
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article, Tally

    call_command("migrate", verbosity=0)
    numbers = {"vendor": connection.vendor}
    if not (reuse and scale_build.built(count)):
        numbers["fill_seconds"], source_bytes = scale_build.write(count)
        scale_build.mark_built(count, source_bytes)
        vacuum()
    started = time.perf_counter()
    call_command("rebuild_counts", verbosity=0)
    numbers["rebuild_seconds"] = time.perf_counter() - started
    vacuum()
    numbers["articles"] = Article.objects.count()
    numbers["tallies"] = Tally.objects.count()
    numbers["kept"] = kept_counts_ms()
    numbers["pages"] = cold_renders()
    return numbers


def report(results):
    """Print the databases' numbers side by side; True when every page meets the goal."""
    print(f"{'':30}" + "".join(f"{r['vendor']:>20}" for r in results))

    def line(label, values, goal=""):
        print(f"{label:30}" + "".join(f"{v:>20}" for v in values) + (f"   {goal}" if goal else ""))

    line("articles", [f"{r['articles']:,}" for r in results])
    line("bulk load (s)", [f"{r['fill_seconds']:,.0f}" if "fill_seconds" in r else "reused" for r in results])
    line("rebuild_counts (s)", [f"{r['rebuild_seconds']:,.1f}" for r in results])
    line("kept count rows", [f"{r['tallies']:,}" for r in results])
    for name in results[0]["kept"]:
        line(f"query: {name} (ms)", [f"{r['kept'][name]:.1f}" for r in results])
    print("cold render: ms (queries) CPU ms")
    met = True
    for page in results[0]["pages"]:
        values = [r["pages"][page] for r in results]
        line(f"  {page}", [f"{ms:.0f} ({queries}) {cpu:.0f}" for ms, queries, cpu in values], f"goal < {GOAL_MS}")
        met = met and all(ms < GOAL_MS for ms, _queries, _cpu in values)
    return met


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="articles to build")
    parser.add_argument("--postgres", metavar="URL", help="also build and measure this PostgreSQL database")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--sqlite", default=str(Path(tempfile.gettempdir()) / "timelines_bench.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="measure a database where a build of --count finished")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.count, args.reuse)))
        return
    urls = ([] if args.no_sqlite else [f"sqlite:///{args.sqlite}"]) + ([args.postgres] if args.postgres else [])
    results = []
    for url in urls:
        arguments = ["--one", "--count", str(args.count), *(["--reuse"] if args.reuse else [])]
        results.append(run_one(url, *arguments, script=__file__))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work shares the machine)")
    print("goals met" if report(results) else "GOALS NOT MET")


if __name__ == "__main__":
    main()
