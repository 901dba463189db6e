"""Public-site benchmark: pages under gunicorn at 100,000 articles, next to a trivial Django view.

    .venv/bin/python bench/site_bench.py                  # SQLite, a fresh file in /tmp
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/archive_site_bench .venv/bin/python bench/site_bench.py

Fills the database with the real samples (../shared/corpus-sample, through the importer, when
present) plus generated posts with tags and categories (bulk_create), serves the site with gunicorn
(2 workers) on 127.0.0.1, and drives each page with 8 keep-alive client threads. Prints requests/s
and p50/p95 latency per page and each page's share of the trivial view's requests/s.
Goals: every page >= 40% of the trivial view's requests/s and p95 < 50 ms at concurrency 8.
The database must be a throwaway one (its name contains "bench"); a filled one is reused.
"""

import argparse
import http.client
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from throwaway import setup_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus-sample"
WORDS = [
    "台海",
    "中美",
    "关系",
    "经济",
    "新加坡",
    "东盟",
    "政府",
    "总理",
    "部长",
    "会议",
    "选举",
    "疫情",
    "疫苗",
    "贸易",
    "关税",
    "科技",
    "芯片",
    "能源",
    "气候",
    "香港",
    "台湾",
    "日本",
    "韩国",
    "印尼",
    "马来西亚",
    "欧盟",
    "俄罗斯",
    "乌克兰",
    "外交",
    "军事",
    "演习",
    "合作",
    "发展",
    "市场",
    "股市",
    "通胀",
    "利率",
    "央行",
    "房价",
    "教育",
    "医疗",
    "人口",
    "就业",
    "企业",
    "投资",
    "旅游",
    "航空",
    "铁路",
    "数字",
    "人工智能",
    "网络",
    "安全",
    "法案",
    "改革",
    "对话",
]
SOURCES = ["联合早报", "路透社", "法新社", "美联社", "中央社"]
CATEGORIES = ["中国", "国际", "东南亚", "财经", "科技", "体育"]
TOPICS = [f"{a}{b}" for a in WORDS[:40] for b in ("", "问题", "局势", "政策", "新闻")][:200]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=6.0, help="measuring time per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    return parser.parse_args()


def setup_django():
    setup_database()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        create_database(connection)

    call_command("migrate", verbosity=0)


def create_database(connection):
    """Create the throwaway PostgreSQL database when it does not exist yet."""
    import psycopg
    from psycopg import sql

    params = connection.get_connection_params()
    name = params.pop("dbname")
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, dbname="postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def sentence(rng, words):
    return "".join(rng.choice(WORDS) for _ in range(words))


def fill(total):
    """Real samples through the importer, then generated posts written with bulk_create."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from taggit.models import Tag

    from articles.models import Article, Category, TaggedArticle

    have = Article.objects.count()
    if have >= total:
        print(f"reusing {have:,} articles in {connection.settings_dict['NAME']}")
        return
    started = time.perf_counter()
    if CORPUS.is_dir() and not have:
        call_command("import_seeds", str(CORPUS), "--no-progress", stdout=open(os.devnull, "w"))  # noqa: SIM115
    rng = random.Random(42)
    tags = {t.name: t for t in Tag.objects.all()}
    for name in SOURCES + TOPICS:
        if name not in tags:
            tags[name] = Tag.objects.create(name=name)
    categories = [Category.objects.get_or_create(name=n, defaults={"slug": n})[0] for n in CATEGORIES]
    topic_weights = [1 / (rank + 1) for rank in range(len(TOPICS))]  # Zipf-like popularity
    start = datetime(2019, 1, 1, tzinfo=UTC)
    span = (datetime(2024, 12, 31, tzinfo=UTC) - start).total_seconds()
    missing = total - Article.objects.count()
    batch = 5000
    for offset in range(0, missing, batch):
        rows = []
        for n in range(offset, min(offset + batch, missing)):
            title = sentence(rng, rng.randint(5, 10))
            text = "。".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(8, 30)))
            rows.append(
                Article(
                    title=title,
                    slug=f"{title[:40]}-{n}",
                    body_html="".join(f"<p>{p}。</p>" for p in text.split("。")),
                    body_text=text,
                    excerpt=text[:120],
                    author=rng.choice(SOURCES),
                    original_url=f"https://news.example.org/{n}",
                    published_at=start + timedelta(seconds=rng.random() * span),
                    lead_image_url=f"https://img.example.org/{n}.jpg" if rng.random() < 0.5 else "",
                    reading_time=max(1, len(text) // 500),
                    status=Article.Status.PUBLISHED if rng.random() < 0.97 else Article.Status.DRAFT,
                    featured=rng.random() < 0.001,
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(rows)
            links, category_links = [], []
            through = Article.categories.through
            for article in created:
                names = {rng.choice(SOURCES), *rng.choices(TOPICS, topic_weights, k=rng.randint(2, 4))}
                links += [TaggedArticle(content_object_id=article.pk, tag_id=tags[name].pk) for name in names]
                category_links.append(through(article_id=article.pk, category_id=rng.choice(categories).pk))
            TaggedArticle.objects.bulk_create(links, batch_size=5000)
            through.objects.bulk_create(category_links, batch_size=5000)
        print(f"  {Article.objects.count():,} articles", end="\r", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled {Article.objects.count():,} articles in {time.perf_counter() - started:.0f} s")


def pages():
    """(name, path) of each measured page, picked from the filled database."""
    from django.db.models import Count
    from django.utils import timezone
    from taggit.models import Tag

    from articles.models import Article

    published = Article.objects.published()
    middle = published.order_by("-published_at")[published.count() // 2]
    tag = Tag.objects.get(name=TOPICS[5]) if Tag.objects.filter(name=TOPICS[5]).exists() else Tag.objects.first()
    biggest = Tag.objects.annotate(n=Count("articles_taggedarticle_items")).order_by("-n").first()
    month = timezone.localtime(middle.published_at)
    return [
        ("trivial view (/_bench/ping)", "/_bench/ping"),
        ("home", "/"),
        ("list page 500", "/?page=500"),
        ("article detail", middle.get_absolute_url()),
        (f"tag page ({tag.articles_taggedarticle_items.count():,} articles)", quote(f"/tag/{tag.slug}/")),
        (f"largest tag ({biggest.n:,} articles)", quote(f"/tag/{biggest.slug}/")),
        ("month archive", f"/archive/{month.year}/{month.month:02d}/"),
        ("api list", "/api/articles/?page=3"),
    ]


def serve(args, page_cache_seconds):
    env = {
        **os.environ,
        "BENCH_VIEWS": "1",
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        "ARCHIVE_PAGE_CACHE_SECONDS": str(page_cache_seconds),
    }
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "archive.wsgi",
        f"--workers={args.workers}",
        f"--bind=127.0.0.1:{args.port}",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            conn.request("GET", "/_bench/ping")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


def load(port, path, seconds, concurrency):
    """Requests/s and latencies (ms) of `concurrency` keep-alive clients hammering one path."""
    latencies, errors = [], []
    stop = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                errors.append(f"HTTP {response.status}")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": latencies[int(len(latencies) * 0.95) - 1],
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def measure(args, measured, page_cache_seconds):
    server = serve(args, page_cache_seconds)
    try:
        rows = []
        for name, path in measured:
            load(args.port, path, 1.0, args.concurrency)  # warm-up: caches, connections
            rows.append((name, load(args.port, path, args.seconds, args.concurrency)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    return rows


def report(title, rows):
    """Print one table; True when every page met the goals."""
    ceiling = rows[0][1]["rps"]
    print(f"\n{title}")
    print(f"{'page':<34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'% ping':>7}  goal")
    met = True
    for name, r in rows:
        share = r["rps"] / ceiling * 100
        ok = name.startswith("trivial") or (share >= 40 and r["p95"] < 50 and not r["errors"])
        met &= ok
        note = f"  {r['errors']} errors, e.g. {r['first_error']}" if r["errors"] else ""
        verdict = "ok" if ok else "MISSED"
        print(f"{name:<34} {r['rps']:8.0f} {r['p50']:8.1f} {r['p95']:8.1f} {share:6.0f}%  {verdict}{note}")
    return met


def main():
    args = parse_args()
    setup_django()
    fill(args.articles)
    measured = pages()
    from django.db import connection

    print(
        f"database: {connection.vendor}, {args.articles:,} articles; gunicorn {args.workers} workers; "
        f"concurrency {args.concurrency}; {args.seconds:g} s per page"
    )
    connection.close()
    cached = measure(args, measured, page_cache_seconds=30)
    uncached = measure(args, measured, page_cache_seconds=0)
    met = report("As deployed (ARCHIVE_PAGE_CACHE_SECONDS=30: anonymous repeat views come from the page cache)", cached)
    report(
        "Every request rendered (ARCHIVE_PAGE_CACHE_SECONDS=0; counts, article cards and related lists still cached)",
        uncached,
    )
    print(
        "\ngoal (as deployed): each page >= 40% of the trivial view's req/s and p95 < 50 ms:",
        "met" if met else "NOT met",
    )


if __name__ == "__main__":
    main()
