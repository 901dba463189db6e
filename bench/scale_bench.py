"""Scale benchmark: a million articles on SQLite and PostgreSQL, side by side.

    .venv/bin/python bench/scale_bench.py --count 100000                       # SQLite, a file in /tmp
    .venv/bin/python bench/scale_bench.py --count 100000 --postgres postgres://postgres@127.0.0.1:5432/scale_bench
    .venv/bin/python bench/scale_bench.py --postgres URL --no-sqlite           # 1,000,000 on PostgreSQL only

Builds ``--count`` synthesized articles in bulk (see ``scale_build``: rows, then
``rebuild_search_index``, each timed), then, in one process per database, measures:

- the database's bytes per source byte (titles and bodies as UTF-8);
- the importer's rate into the full database (1,000 generated news posts, the import benchmark's),
  next to its rate into an empty database of the same kind (goal: at least 60% of it);
- search p50/p95/max of each query's first run on the search page, facets included (the search
  benchmark's 22 queries and the ground-truth test's 32; per-query caches empty, shared ones warm);
- cold renders, in-process (Django's test client), every cache emptied before each request: home,
  list page 1 and the last page, an article, the largest tag and its last page, the largest category
  and its last page, the largest author, `/archive/`, a year and a month, `/tags/`, the feed, the
  API list, a sitemap page of 5,000 URLs and the sitemap index; the admin's article list plain,
  filtered by the largest tag, and with a search (signed in).

Goals at 1,000,000: each build under 30 minutes, every public page under 50 ms cold, the admin list
under 500 ms, search p95 under 150 ms and none over 500 ms, import at 60% of the empty archive's
rate, 2.5 database bytes per source byte. Memory stays bounded. The databases must be throwaway ones: names containing
"bench"; they are dropped and built again (a database is reused with ``--reuse`` only when a
build of ``--count`` articles finished in it; a run killed halfway is built again).
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import scale_build
from throwaway import setup_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PUBLIC_GOAL_MS, ADMIN_GOAL_MS, SEARCH_P95_GOAL_MS, SEARCH_MAX_GOAL_MS = 50, 500, 150, 500
BUILD_GOAL_S, IMPORT_SHARE_GOAL, BYTES_GOAL = 30 * 60, 0.6, 2.5


def vacuum():
    """What autovacuum and ANALYZE do soon after a bulk load: statistics and the visibility map."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def database_bytes():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    path = Path(connection.settings_dict["NAME"])
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def import_rate(posts=1000):
    """Posts/s of the importer adding ``posts`` generated news posts to the full database."""
    from import_bench import generate

    from articles.importer.runner import import_paths
    from articles.models import Article

    folder = Path(tempfile.mkdtemp(prefix="scale-bench-posts-"))
    generate(folder, posts, 0)
    Article.objects.filter(import_key__startswith="_posts/").delete()  # an earlier run's (--reuse)
    started = time.perf_counter()
    report = import_paths([folder], progress=False)
    seconds = time.perf_counter() - started
    assert report.created == posts, report.summary()
    return posts / seconds


def cpu_seconds():
    """CPU seconds used so far by this process and, on a PostgreSQL server on this machine, by its
    server process: what a request costs, whatever else keeps the machine's cores busy."""
    from django.db import connection

    used = time.process_time()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a server on another machine: its share is not counted
            return used
        used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def search_queries():
    """(label, query) of the search benchmark's queries and the ground-truth test's (its fixed ones and
    4 sampled from the real samples), each once."""
    from search_bench import COMMON_WORDS, QUERIES, real_queries

    seen, listed = set(), []
    for label, query in COMMON_WORDS + QUERIES + real_queries():
        if query not in seen:
            seen.add(query)
            listed.append((label, query))
    return listed


def first_searches():
    """[(query, elapsed ms, CPU ms, matches)] of each query's first run on the search page, facets included.

    As a reader meets it on a running site: the per-query caches (each search's facets) are empty,
    the shared ones warm (the whole archive's facet counts, asked for first), and the page is rendered
    in-process (Django's test client). CPU as ``cpu_seconds`` counts it (this process and its server).
    """
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client, override_settings

    from articles.facets import Narrowing
    from articles.facets.subtraction import whole_archive_rows
    from articles.facets.version import content_version
    from articles.models import Article
    from articles.search import search

    for cache in caches.all():
        cache.clear()
    whole_archive_rows(connection.alias, Narrowing(), content_version(connection.alias))
    client = Client()
    assert client.get("/search/", {"q": "量子纠缠猫"}).status_code == 200  # code and templates loaded
    measured = []
    for _label, query in search_queries():
        before, started = cpu_seconds(), time.perf_counter()
        with override_settings(SEARCH_RATE_LIMIT=""):  # one client asks every query: not a flood
            response = client.get("/search/", {"q": query})
        elapsed, cpu = (time.perf_counter() - started) * 1000, (cpu_seconds() - before) * 1000
        assert response.status_code == 200, (query, response.status_code)
        matches = search(Article.objects.published(), query).count()  # not timed
        measured.append((query, elapsed, cpu, matches))
    return measured


def pages():
    """(name, path, staff) of each page measured, picked from the database."""
    from django.db.models import Count
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article, Category

    published = Article.objects.published()
    total = published.count()
    middle = published.order_by("-published_at", "id")[total // 2]
    tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
    tag_count = published.filter(tagged_items__tag=tag).count()
    category = Category.objects.annotate(n=Count("articles")).order_by("-n").first()
    category_count = published.filter(categories=category).count()
    author = published.exclude(author="").values("author").annotate(n=Count("id")).order_by("-n")[0]["author"]
    pinned = min(3, published.filter(featured=True).count())  # on page 1, left out of the list's pages
    local = timezone.localtime(middle.published_at)
    return [
        ("home", "/", False),
        ("list, last page", f"/?page={last_page(total - pinned)}", False),
        ("article", middle.get_absolute_url(), False),
        ("largest tag", f"/tag/{tag.slug}/", False),
        ("largest tag, last page", f"/tag/{tag.slug}/?page={last_page(tag_count)}", False),
        ("largest category", f"/category/{category.slug}/", False),
        ("largest category, last page", f"/category/{category.slug}/?page={last_page(category_count)}", False),
        ("largest author", f"/author/{author}/", False),
        ("/archive/", "/archive/", False),
        ("year archive", f"/archive/{local.year}/", False),
        ("month archive", f"/archive/{local.year}/{local.month:02d}/", False),
        ("/tags/", "/tags/", False),
        ("feed", "/feed/atom/", False),
        ("API list", "/api/articles/", False),
        ("sitemap index", "/sitemap.xml", False),
        ("sitemap page (5,000 URLs)", f"/sitemap-articles.xml?p={total // 5000 // 2 + 1}", False),
        ("admin article list", "/admin/articles/article/", True),
        ("admin, largest tag", f"/admin/articles/article/?tag={tag.slug}", True),
        ("admin, a search", "/admin/articles/article/?q=%E9%A6%99%E6%B8%AF", True),
    ]


def last_page(count, per_page=20):
    return max(1, math.ceil(count / per_page))


def cold_renders(repeat=3):
    """{page: (ms, queries, CPU ms)}: the median of ``repeat`` requests, each made with every cache
    emptied first, and their mean CPU (see ``cpu_seconds``).

    Each page is requested once beforehand, so the process has loaded its code and templates:
    "cold" means the site's caches (pages, counts, cards), not a process that just started.
    """
    from django.contrib.auth.models import User
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, _ = User.objects.get_or_create(username="scale-bench", defaults={"is_staff": True, "is_superuser": True})
    public, staff = Client(), Client()
    staff.force_login(user)
    rendered = {}
    for name, path, signed_in in pages():
        client = staff if signed_in else public
        assert client.get(path).status_code == 200, path
        times, before = [], cpu_seconds()
        for _ in range(repeat):
            for cache in caches.all():
                cache.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
        cpu = (cpu_seconds() - before) * 1000 / repeat  # clearing the caches included: a little
        rendered[name] = (statistics.median(times), len(queries), cpu)
    return rendered


def rebuild_seconds():
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("rebuild_search_index", verbosity=0)
    return time.perf_counter() - started


def build(count, url):
    """A fresh database of ``count`` articles: {fill_seconds, rebuild_seconds, source_bytes}."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    scale_build.reset_database(url)
    call_command("migrate", verbosity=0)
    numbers = {}
    numbers["fill_seconds"], source_bytes = scale_build.write(count)
    numbers["rebuild_seconds"] = rebuild_seconds()
    vacuum()
    scale_build.mark_built(count, source_bytes)
    return numbers


def measure_one(count, reuse):
    """In this process, on ``DATABASE_URL``: build (unless reused) and measure; the numbers as a dict."""
    url = os.environ["DATABASE_URL"]
    setup_database()
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article

    numbers = {"vendor": connection.vendor}
    if not (reuse and scale_build.built(count)):
        numbers |= build(count, url)
    else:
        call_command("migrate", verbosity=0)
    numbers["source_bytes"] = scale_build.built(count)
    numbers["bytes"] = database_bytes()
    numbers["articles"] = Article.objects.count()  # then 1,000 more, for the import's rate
    numbers["import_rate"] = import_rate()
    vacuum()
    searches = first_searches()
    times, cpu = [ms for _q, ms, _c, _n in searches], [c for _q, _ms, c, _n in searches]
    numbers["search"] = (statistics.median(times), percentile(times, 0.95), max(times))
    numbers["search_cpu"] = (statistics.median(cpu), percentile(cpu, 0.95), max(cpu))
    numbers["slowest_searches"] = sorted(searches, key=lambda row: -row[1])[:5]
    numbers["pages"] = cold_renders()
    return numbers


def empty_import_rate():
    """In this process, on ``DATABASE_URL`` (made empty first): the importer's rate into an empty archive."""
    scale_build.reset_database(os.environ["DATABASE_URL"])
    setup_database()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return {"empty_import_rate": import_rate()}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(results):
    """Print the databases' numbers side by side, with the goals; True when every goal is met."""
    names = [r["vendor"] for r in results]
    print(f"{'':34}" + "".join(f"{name:>18}" for name in names))
    met = True

    def line(label, values, goal="", ok=True):
        nonlocal met
        met = met and ok
        print(f"{label:34}" + "".join(f"{v:>18}" for v in values) + (f"   {goal}" if goal else ""))

    built = [r for r in results if "fill_seconds" in r]
    line("articles", [f"{r['articles']:,}" for r in results])
    line("bulk rows (s)", [f"{r['fill_seconds']:,.0f}" if "fill_seconds" in r else "reused" for r in results])
    line("rebuild_search_index (s)", [f"{r['rebuild_seconds']:,.0f}" if "fill_seconds" in r else "-" for r in results])
    line(
        "build in all (s)",
        [f"{r['fill_seconds'] + r['rebuild_seconds']:,.0f}" if "fill_seconds" in r else "-" for r in results],
        f"goal < {BUILD_GOAL_S:,}",
        all(r["fill_seconds"] + r["rebuild_seconds"] < BUILD_GOAL_S for r in built),
    )
    line("database size (MB)", [f"{r['bytes'] / 1e6:,.0f}" for r in results])
    line(
        "database bytes per source byte",
        [f"{r['bytes'] / r['source_bytes']:.2f}" for r in results],
        f"goal <= {BYTES_GOAL}",
        all(r["bytes"] / r["source_bytes"] <= BYTES_GOAL for r in results),
    )
    line("import into it (posts/s)", [f"{r['import_rate']:,.0f}" for r in results])
    line("import into an empty one (posts/s)", [f"{r['empty_import_rate']:,.0f}" for r in results])
    line(
        "  share",
        [f"{r['import_rate'] / r['empty_import_rate']:.0%}" for r in results],
        f"goal >= {IMPORT_SHARE_GOAL:.0%}",
        all(r["import_rate"] / r["empty_import_rate"] >= IMPORT_SHARE_GOAL for r in results),
    )
    line("search p50 (ms)", [f"{r['search'][0]:.1f}" for r in results])
    line(
        "search p95 (ms)",
        [f"{r['search'][1]:.1f}" for r in results],
        f"goal < {SEARCH_P95_GOAL_MS}",
        all(r["search"][1] < SEARCH_P95_GOAL_MS for r in results),
    )
    line(
        "search max (ms)",
        [f"{r['search'][2]:.1f}" for r in results],
        f"goal < {SEARCH_MAX_GOAL_MS}",
        all(r["search"][2] < SEARCH_MAX_GOAL_MS for r in results),
    )
    line("search CPU p50/p95/max (ms)", ["{:.0f} / {:.0f} / {:.0f}".format(*r["search_cpu"]) for r in results])
    for r in results:
        slowest = ", ".join(f"{query} {ms:.0f} ms ({matches:,})" for query, ms, _cpu, matches in r["slowest_searches"])
        print(f"slowest first searches, {r['vendor']}: {slowest}")
    print("cold render: ms (queries) CPU ms")
    for page in results[0]["pages"]:
        goal = ADMIN_GOAL_MS if page.startswith("admin") else PUBLIC_GOAL_MS
        values = [r["pages"][page] for r in results]
        line(
            f"  {page}",
            [f"{ms:.0f} ({queries}) {cpu:.0f}" for ms, queries, cpu in values],
            f"goal < {goal}",
            all(ms < goal for ms, _queries, _cpu in values),
        )
    return met


def empty_url(url):
    """A sibling throwaway database for the import into an empty archive."""
    if url.startswith("sqlite:///"):
        return url.removesuffix(".sqlite3") + "-empty.sqlite3"
    return url.rsplit("?", 1)[0] + "_empty"


def run_one(url, *arguments, script=__file__):
    """The numbers one measuring process of ``script`` prints (its last line), on ``url``."""
    command = [sys.executable, script, *arguments]
    output = subprocess.run(
        command, check=True, stdout=subprocess.PIPE, text=True, env={**os.environ, "DATABASE_URL": url}
    )
    return json.loads(output.stdout.splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="articles to build")
    parser.add_argument("--postgres", metavar="URL", help="also build and measure this PostgreSQL database")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--sqlite", default=str(Path(tempfile.gettempdir()) / "scale_bench.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="measure a database where a build of --count finished")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--empty", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(empty_import_rate() if args.empty else measure_one(args.count, args.reuse)))
        return
    urls = ([] if args.no_sqlite else [f"sqlite:///{args.sqlite}"]) + ([args.postgres] if args.postgres else [])
    results = []
    for url in urls:
        numbers = run_one(url, "--one", "--count", str(args.count), *(["--reuse"] if args.reuse else []))
        numbers |= run_one(empty_url(url), "--one", "--empty")
        results.append(numbers)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work shares the machine)")
    print("goals met" if report(results) else "GOALS NOT MET")


if __name__ == "__main__":
    main()
