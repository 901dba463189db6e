"""Scale benchmark: a million articles on SQLite and PostgreSQL, side by side.

    .venv/bin/python bench/scale_bench.py --count 100000                       # SQLite, a file in /tmp
    .venv/bin/python bench/scale_bench.py --count 100000 --postgres postgres://postgres@127.0.0.1:5432/scale_bench
    .venv/bin/python bench/scale_bench.py --postgres URL --no-sqlite           # 1,000,000 on PostgreSQL only

Builds ``--count`` articles synthesized from the real samples (../shared/corpus-sample): each takes
the language and length of a random sample, made of the samples' sentences (a third in traditional
characters), 1-4 of 2,000 tags and 1-2 of 8 categories (both Zipf-like), one of 205 authors and a date
from 2000 to 2025 (an import writes no history row for a new article). Rows go straight to the database in bulk
(the importer, at about 1,000 posts/s on two cores, would take hours), then ``rebuild_search_index``
builds the search index (timed). Then, in one process per database, it measures:

- the importer's rate into the full database (1,000 generated news posts, the import benchmark's);
- the database's size on disk;
- search p50/p95/max of each query's first run on the search page, facets included (the search
  benchmark's 22 queries and the ground-truth test's 32; per-query caches empty, shared ones warm);
- cold renders: the page cache emptied before each request, in-process (Django's test client):
  home, list page 1000, an article, the largest tag, a year archive, a sitemap page, the admin's
  article list (signed in).

Goals at 1,000,000: every public page under 50 ms cold, the admin list under 500 ms, search p95
under 150 ms and none over 500 ms. Memory stays bounded (rows are generated and written 5,000 at a time). The databases
must be throwaway ones: names containing "bench"; their articles are replaced. ``--reuse`` keeps a
database that already has ``--count`` articles and measures it again.
"""

import argparse
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from throwaway import setup_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHUNK = 5000
TAGS = 2000
START, END = datetime(2000, 1, 1, tzinfo=UTC), datetime(2025, 12, 31, tzinfo=UTC)
PUBLIC_GOAL_MS, ADMIN_GOAL_MS, SEARCH_P95_GOAL_MS, SEARCH_MAX_GOAL_MS = 50, 500, 150, 500


def zipf_weights(count):
    """Cumulative weights (for ``random.choices``) of ``count`` things, the n-th 1/n as popular as the first."""
    return list(itertools.accumulate(1 / (rank + 1) for rank in range(count)))


def tag_names(chinese, rng):
    """2,000 distinct tag names: 2-4 characters from the samples' sentences, else numbered."""
    names = dict.fromkeys(s[: rng.randint(2, 4)] for s in chinese if len(s) >= 4)
    names = [n for n in names if n.strip()][:TAGS]
    return names + [f"话题{i}" for i in range(TAGS - len(names))]


def texts(count, samples, rng):
    """(title, body, categories) per article: a random sample's language and length (0.7-1.3x), made of
    the samples' sentences, every third in traditional characters (search_bench's mix, made faster:
    sentence pools converted once, not each article)."""
    import opencc
    from search_bench import _sentences

    chinese, english = _sentences(samples)
    to_traditional = opencc.OpenCC("s2t")
    pools = {False: chinese, True: english, "traditional": [to_traditional.convert(s) for s in chinese]}
    templates = [(sum(c.isascii() for c in body) > 0.8 * len(body), len(body)) for _t, body, _c, _a in samples if body]
    templates = templates or [(False, 800)]
    categories = ["rss", "国际", "香港", "台湾", "中国", "军事", "经济", "评论"]
    category_weights = zipf_weights(len(categories))
    for n in range(count):
        is_english, length = rng.choice(templates)
        pool = pools["traditional" if n % 3 == 0 and not is_english else is_english]
        target, paragraphs, size = max(60, round(length * rng.uniform(0.7, 1.3))), [], 0
        while size < target:
            paragraph = (" " if is_english else "").join(rng.choices(pool, k=rng.randint(1, 4)))
            paragraphs.append(paragraph)
            size += len(paragraph)
        title = rng.choice(pools["traditional" if n % 3 == 0 else False])[: rng.randint(8, 30)]
        yield title, paragraphs, rng.choices(categories, cum_weights=category_weights, k=rng.randint(1, 2))


def article_rows(count, first_id):
    """(article columns, tag names, category names) per generated article, ``CHUNK`` at a time."""
    from search_bench import _sentences, sample_texts

    from articles.fingerprints import text_fingerprint, title_key
    from articles.models import unicode_slug

    rng = random.Random(20261130)
    samples = sample_texts()
    tags = tag_names(_sentences(samples)[0], rng)
    weights = zipf_weights(len(tags))
    authors = [""] * 5 + [f"记者 {i}" for i in range(200)]
    chunk = []
    for n, (title, paragraphs, categories) in enumerate(texts(count, samples, rng)):
        pk = first_id + n
        body = "\n\n".join(paragraphs)
        row = {
            "id": pk,
            "title": title[:1000] or f"无题 {pk}",
            "slug": f"{unicode_slug(title)[:60]}-{pk}",
            "body_html": "".join(f"<p>{p}</p>" for p in paragraphs),
            "body_text": body,
            "excerpt": paragraphs[0][:200],
            "author": rng.choice(authors),
            "published_at": START + (END - START) * rng.random(),
            "reading_time": max(1, len(body) // 500),
            "status": "published" if n % 50 else "hidden",
            "featured": n % 1000 == 0,
            "import_key": f"scale-bench/{pk}",
            "title_key": title_key(title),
            "text_fingerprint": text_fingerprint(body),
        }
        chunk.append((row, set(rng.choices(tags, cum_weights=weights, k=rng.randint(1, 4))), set(categories)))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_chunk(chunk, tag_ids, category_ids, now):
    """One transaction: the articles, their tags and their categories."""
    from django.db import transaction

    from articles.importer.rows import insert_values
    from articles.models import Article, TaggedArticle

    names = list(chunk[0][0]) + ["created_at", "updated_at", "first_imported_at", "imported_at"]
    defaults = {"original_url": "", "lead_image_url": "", "lead_image_caption": "", "hidden_reason": ""}
    defaults |= {"content_hash": "", "source_path": "", "legacy_slug": "", "front_matter": {}, "import_snapshot": {}}
    names += list(defaults)
    rows = [(*row.values(), now, now, now, now, *defaults.values()) for row, _tags, _cats in chunk]
    through = Article.categories.through
    with transaction.atomic():
        insert_values(Article, names, rows)
        links = [(row["id"], tag_ids[name]) for row, tags, _c in chunk for name in tags]
        insert_values(TaggedArticle, ["content_object_id", "tag_id"], links)
        links = [(row["id"], category_ids[name]) for row, _t, cats in chunk for name in cats]
        insert_values(through, ["article_id", "category_id"], links)


def fill(count):
    """Replace the articles with ``count`` generated ones; the seconds it took."""
    from django.db import connection
    from django.utils import timezone

    from articles.importer.links import ensure_categories, ensure_tags
    from articles.models import Article

    started = time.perf_counter()
    Article.objects.all().delete()
    now = timezone.now()
    tag_ids, category_ids = {}, {}
    first_id = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for done, chunk in enumerate(article_rows(count, first_id), start=1):
        tag_ids |= ensure_tags({name for _r, tags, _c in chunk for name in tags} - tag_ids.keys())
        category_ids |= ensure_categories({name for _r, _t, cats in chunk for name in cats} - category_ids.keys())
        write_chunk(chunk, tag_ids, category_ids, now)
        print(f"  {done * CHUNK:,} articles written", file=sys.stderr, end="\r", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # explicit ids: move the sequence past them
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('articles_article', 'id'), max(id)) FROM articles_article"
            )
    return time.perf_counter() - started


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
    from django.test import Client

    from articles.facets import Narrowing
    from articles.facets.subtraction import content_version, whole_archive_rows
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
        response = client.get("/search/", {"q": query})
        elapsed, cpu = (time.perf_counter() - started) * 1000, (cpu_seconds() - before) * 1000
        assert response.status_code == 200, query
        matches = search(Article.objects.published(), query).count()  # not timed
        measured.append((query, elapsed, cpu, matches))
    return measured


def pages():
    """(name, path, staff) of each page measured, picked from the database."""
    from django.db.models import Count
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article

    published = Article.objects.published().order_by("-published_at", "-pk")
    middle = published[published.count() // 2]
    tag = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
    year = timezone.localtime(middle.published_at).year
    sitemap_pages = published.count() // 5000
    deep = min(1000, published.count() // 20)  # page 1000 when there are that many
    return [
        ("home", "/", False),
        ("list page 1000", f"/?page={deep}", False),
        ("article", middle.get_absolute_url(), False),
        ("largest tag", f"/tag/{tag.slug}/", False),
        ("year archive", f"/archive/{year}/", False),
        ("sitemap page (5,000 URLs)", f"/sitemap-articles.xml?p={sitemap_pages // 2 + 1}", False),
        ("admin article list", "/admin/articles/article/", True),
    ]


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


def measure_one(count, reuse):
    """In this process, on ``DATABASE_URL``: build (unless reused) and measure; the numbers as a dict."""
    setup_database()
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article

    call_command("migrate", verbosity=0)
    numbers = {"vendor": connection.vendor}
    if not (reuse and Article.objects.count() >= count):
        numbers["fill_seconds"] = fill(count)
        numbers["rebuild_seconds"] = rebuild_seconds()
        vacuum()
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


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(results):
    """Print the databases' numbers side by side, with the goals; True when every goal is met."""
    names = [r["vendor"] for r in results]
    print(f"{'':34}" + "".join(f"{name:>16}" for name in names))

    def line(label, values, goal=""):
        print(f"{label:34}" + "".join(f"{v:>16}" for v in values) + (f"   {goal}" if goal else ""))

    line("articles", [f"{r['articles']:,}" for r in results])
    line(
        "bulk load (articles/s)",
        [f"{r['articles'] / r['fill_seconds']:,.0f}" if "fill_seconds" in r else "reused" for r in results],
    )
    line("rebuild_search_index (s)", [f"{r['rebuild_seconds']:,.0f}" if "fill_seconds" in r else "-" for r in results])
    line("database size (MB)", [f"{r['bytes'] / 1e6:,.0f}" for r in results])
    line("import into it (posts/s)", [f"{r['import_rate']:,.0f}" for r in results])
    line("search p50 (ms)", [f"{r['search'][0]:.1f}" for r in results])
    line("search p95 (ms)", [f"{r['search'][1]:.1f}" for r in results], f"goal < {SEARCH_P95_GOAL_MS}")
    line("search max (ms)", [f"{r['search'][2]:.1f}" for r in results], f"goal < {SEARCH_MAX_GOAL_MS}")
    line("search CPU p50/p95/max (ms)", ["{:.0f} / {:.0f} / {:.0f}".format(*r["search_cpu"]) for r in results])
    met = all(r["search"][1] < SEARCH_P95_GOAL_MS and r["search"][2] < SEARCH_MAX_GOAL_MS for r in results)
    for r in results:
        slowest = ", ".join(f"{query} {ms:.0f} ms ({matches:,})" for query, ms, _cpu, matches in r["slowest_searches"])
        print(f"slowest first searches, {r['vendor']}: {slowest}")
    print("cold render: ms (queries) CPU ms")
    for page in results[0]["pages"]:
        goal = ADMIN_GOAL_MS if page.startswith("admin") else PUBLIC_GOAL_MS
        values = [r["pages"][page] for r in results]
        line(f"  {page}", [f"{ms:.0f} ({queries}) {cpu:.0f}" for ms, queries, cpu in values], f"goal < {goal}")
        met = met and all(ms < goal for ms, _queries, _cpu in values)
    return met


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="articles to build")
    parser.add_argument("--postgres", metavar="URL", help="also build and measure this PostgreSQL database")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--sqlite", default=str(Path(tempfile.gettempdir()) / "scale_bench.sqlite3"))
    parser.add_argument("--reuse", action="store_true", help="measure a database that already has --count articles")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.count, args.reuse)))
        return
    urls = ([] if args.no_sqlite else [f"sqlite:///{args.sqlite}"]) + ([args.postgres] if args.postgres else [])
    results = []
    for url in urls:
        command = [sys.executable, __file__, "--one", "--count", str(args.count)] + (["--reuse"] if args.reuse else [])
        output = subprocess.run(
            command, check=True, stdout=subprocess.PIPE, text=True, env={**os.environ, "DATABASE_URL": url}
        )
        results.append(json.loads(output.stdout.splitlines()[-1]))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work shares the machine)")
    print("goals met" if report(results) else "GOALS NOT MET")


if __name__ == "__main__":
    main()
