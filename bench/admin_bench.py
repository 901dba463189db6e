"""Admin benchmark: the article change list and the duplicates page at 100,000 articles.

    .venv/bin/python bench/admin_bench.py                   # SQLite, a fresh file in /tmp
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/archive_admin_bench .venv/bin/python bench/admin_bench.py

Prints, for each page, the number of queries (constant: it must not grow with rows) and the
median and worst time of five requests. Goal: every change-list page and the duplicates page
under 500 ms. One article in 100 repeats an earlier one's title a day later, one in 250 another's
text, so the duplicates page lists about 1,000 pairs (hidden ones are left out). The database
must be a throwaway one: its name has to contain "bench", and its articles are replaced.
"""

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from throwaway import setup_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("change list, first page", "/admin/articles/article/"),
    ("change list, page 500", "/admin/articles/article/?p=500"),
    ("sorted by author", "/admin/articles/article/?o=5"),
    ("filter: tag", "/admin/articles/article/?tag=tag-7"),
    ("filter: status + featured", "/admin/articles/article/?status__exact=draft&featured__exact=1"),
    ("date hierarchy: a month", "/admin/articles/article/?published_at__year=2020&published_at__month=3"),
    ("tag list with counts", "/admin/taggit/tag/?o=-3"),
    ("possible duplicates", "/admin/articles/article/duplicates/"),
    ("possible duplicates, page 20", "/admin/articles/article/duplicates/?p=20"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    setup_database()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    load(args.articles)
    user, _ = User.objects.get_or_create(username="bench", defaults={"is_staff": True, "is_superuser": True})
    client = Client()
    client.force_login(user)
    print(f"{args.articles} articles, {connection.vendor}")
    for label, url in PAGES:
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        median, worst = statistics.median(times), max(times)
        print(f"{label:32} {len(queries):3d} queries  median {median:7.1f} ms  max {worst:7.1f} ms")

    from articles.curation.duplicates import find_duplicate_pairs

    start = time.perf_counter()
    pairs = find_duplicate_pairs()
    print(f"{'duplicates (all pairs)':32} {len(pairs)} pairs in {(time.perf_counter() - start) * 1000:.0f} ms")


def load(count):
    from django.db import connection
    from taggit.models import Tag

    from articles.models import Article, TaggedArticle

    Article.objects.all().delete()
    tags = [Tag.objects.get_or_create(name=f"tag {i}", defaults={"slug": f"tag-{i}"})[0] for i in range(2000)]
    start = datetime(2015, 1, 1, tzinfo=UTC)
    batch = 5000
    for offset in range(0, count, batch):
        articles = [article(i, start) for i in range(offset, min(offset + batch, count))]
        for each in articles:
            each.refresh_derived()
        Article.objects.bulk_create(articles)
        TaggedArticle.objects.bulk_create(
            (TaggedArticle(content_object=a, tag=tags[(a.pk * k) % len(tags)]) for a in articles for k in (1, 7, 13)),
            ignore_conflicts=True,
        )
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: statistics and the visibility map.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE articles_article")


def article(i, start):
    """Article ``i``; every 100th repeats the title of the one 24 before it, every 250th the text of i - 7."""
    from articles.models import Article

    title_of = i - 24 if i % 100 == 99 else i
    text_of = i - 7 if i % 250 == 249 else i
    text = f"正文 {text_of} " + "中美两军加强对话。" * 40
    return Article(
        title=f"台海新闻 {title_of}" if title_of % 50 == 0 else f"新闻标题 {title_of}",
        slug=f"bench-{i}",
        status=("published", "draft", "hidden")[i % 3],
        featured=i % 97 == 0,
        published_at=start + timedelta(hours=i),
        author=f"作者 {i % 300}",
        body_html=f"<p>{text}</p>",
        body_text=text,
    )


if __name__ == "__main__":
    main()
