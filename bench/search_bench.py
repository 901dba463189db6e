"""Search benchmark: 100,000 articles, index build time and size, query latency.

    .venv/bin/python bench/search_bench.py                      # SQLite, a fresh file in /tmp
    .venv/bin/python bench/search_bench.py --db /tmp/mine_bench.sqlite3 [--reuse]   # another SQLite file
    .venv/bin/python bench/search_bench.py --articles 28800 --real-lengths   # the real archive's size and mix
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/archive_bench .venv/bin/python bench/search_bench.py

The articles are the real samples (../shared/corpus-sample, read in place, when present)
plus generated posts in their style: their sentences and characters reshuffled, a third
converted to traditional characters, some English (with --real-lengths, each post has the
language and length of a random real sample). Each query runs what the search page does
(count, first page of 20, snippets), then its facets (counts by year, category, top author and
top tag, one query that also gives the count, timed apart: "facets ms"); common words run first,
and their first run is "cold" (no query has warmed the database's caches for them). Goals on SQLite: p50 < 30 ms,
p95 < 150 ms, none over 1 s, common words under 300 ms even on their first run; PostgreSQL
within 2x, and common words under 300 ms too. Each article has 1-4 of 2,000 tags (a few common,
most rare), so facets count tag links as the real archive's do. The database must be a throwaway one: its name
has to contain "bench", and its articles are replaced.

``--real-queries`` runs instead the 32 queries of the ground-truth test (tests/search/
test_ground_truth.py: its 28 fixed ones and 4 substrings sampled from the samples), and checks
each one's published results against that test's brute-force scan of every article: the same
articles, or the benchmark fails. Goal: p95 < 150 ms on both databases at the real corpus's size
(``--articles 28800 --real-lengths``).
"""

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from throwaway import setup_database

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TAGS = 2000
CORPUS = Path(os.environ.get("CORPUS_SAMPLE_DIR", ROOT.parent / "shared" / "corpus-sample"))

# Run first, so their first ("cold") run meets caches no other query has warmed: the worst
# queries a reader (or a flood) can send, each matching many articles.
COMMON_WORDS = [
    ("common words", "the a of"),
    ("1 common char", "的"),
    ("1 common letter", "a"),
    ("2 common chars", "在 是"),
    ("common words, mixed", "的 the"),
]
QUERIES = [
    ("1 char, rare", "鹰"),
    ("2 chars simplified", "台湾"),
    ("2 chars traditional", "臺灣"),
    ("2 chars, very common", "中国"),
    ("3 chars", "解放军"),
    ("3 chars traditional", "馬哈蒂"),
    ("4 chars", "美台军事"),
    ("4 chars traditional", "兩岸關係"),
    ("8 chars", "跨黨派聯合政府"),
    ("8 chars, rare", "美台军事勾连升级"),
    ("English word", "NATO"),
    ("English, common", "the"),
    ("English phrase", '"South Africa"'),
    ("multi-term", "美国 关税"),
    ("multi-term mixed", "Russia 制裁"),
    ("exclusion", "香港 -选举"),
    ("no match", "量子纠缠猫"),
]
FALLBACK_SENTENCES = [
    "中共国防部回应美台军事勾连",
    "台湾海峡局势持续紧张",
    "美国宣布对中国商品加征关税",
    "香港立法会选举结果公布",
    "解放军在东海举行军事演习",
    "The NATO summit discussed sanctions on Russia.",
    "South Africa hosted a roundtable in Pretoria.",
]


def sample_texts():
    """(title, body, categories, author) of each real sample, read in place with the importer's parser."""
    from django.utils import timezone

    from articles.importer.decode import decode_bytes
    from articles.importer.parse import parse_post
    from articles.importer.post import PostError

    if not CORPUS.is_dir():
        return []
    posts = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in {".md", ".html", ".markdown"}:
            continue
        try:
            post = parse_post(
                decode_bytes(path.read_bytes()), path.relative_to(CORPUS).as_posix(), tz=timezone.get_default_timezone()
            )
        except PostError:
            continue  # a sample the importer refuses is left out here too
        posts.append((post.title, post.body_text, post.categories, post.author))
    return posts


def _sentences(samples):
    """The samples' sentences in simplified characters: (Chinese, English), English being mostly ASCII."""
    import opencc

    to_simplified = opencc.OpenCC("t2s")
    chinese, english = [], []
    for _title, body, _cats, _author in samples:
        for sentence in re.split(r"(?<=[。！？.!?])\s*", body):
            sentence = sentence.strip()
            if 6 <= len(sentence) <= 300:
                is_english = sum(char.isascii() for char in sentence) > 0.8 * len(sentence)
                (english if is_english else chinese).append(to_simplified.convert(sentence))
    chinese = chinese or [s for s in FALLBACK_SENTENCES if not s.isascii()]
    english = english or [s for s in FALLBACK_SENTENCES if s.isascii()]
    return chinese, english


def _short_body(chinese, english, rng):
    paragraphs = rng.sample(chinese, k=min(len(chinese), rng.randint(3, 10)))
    if rng.random() < 0.15:
        paragraphs += rng.sample(english, k=min(len(english), rng.randint(1, 4)))
    return "\n\n".join(paragraphs)


def _body_like(template, chinese, english, rng):
    """A body in the language of a real sample and about its length (0.7-1.3x), in paragraphs of 1-4 sentences."""
    is_english = sum(char.isascii() for char in template) > 0.8 * len(template)
    pool = english if is_english else chinese
    target = max(60, round(len(template) * rng.uniform(0.7, 1.3)))
    paragraphs, size = [], 0
    while size < target:
        paragraph = (" " if is_english else "").join(rng.choices(pool, k=rng.randint(1, 4)))
        paragraphs.append(paragraph)
        size += len(paragraph)
    return "\n\n".join(paragraphs)


def generated(count, samples, rng, real_lengths=False):
    """Posts in the samples' style: their sentences reshuffled, a third in traditional characters.

    By default each post has 3-10 sentences, some with English ones added. With ``real_lengths``
    each post takes the language and length of a random real sample, so the archive has the real
    mix: mostly short Chinese news, and long Chinese and English columns.
    """
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    chinese, english = _sentences(samples)
    templates = [body for _title, body, _cats, _author in samples if body]
    categories = ["rss", "国际", "香港", "台湾", "中国", "军事", "经济", "评论"]
    authors = ["", "", "记者 王明", "Olivia Allison", "本台记者"] + [f"作者{k}" for k in range(200)]
    for n in range(count):
        if real_lengths and templates:
            body = _body_like(rng.choice(templates), chinese, english, rng)
        else:
            body = _short_body(chinese, english, rng)
        title = rng.choice(chinese)[: rng.randint(8, 30)]
        if n % 3 == 0:
            body, title = to_traditional.convert(body), to_traditional.convert(title)
        yield title, body, rng.sample(categories, k=rng.randint(1, 2)), rng.choice(authors)


def tag_names(rng, count=TAGS):
    """1-4 of ``count`` tag names for a post, the first few far more common (a rough Zipf law)."""
    ranks = {min(count, int(rng.paretovariate(0.6))) for _ in range(rng.randint(1, 4))}
    return [f"标签{rank}" for rank in sorted(ranks)]


def tag_articles(articles, rng):
    """Links each article to a few tags with two bulk inserts (tags made once, as the importer does)."""
    from taggit.models import Tag

    from articles.models import TaggedArticle

    picked = [(article.pk, tag_names(rng)) for article in articles]
    names = sorted({name for _pk, names in picked for name in names})
    Tag.objects.bulk_create([Tag(name=name, slug=name) for name in names], ignore_conflicts=True)
    tag_ids = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    TaggedArticle.objects.bulk_create(
        [TaggedArticle(content_object_id=pk, tag_id=tag_ids[name]) for pk, names in picked for name in names]
    )


def load_articles(total, rng, real_lengths=False):
    from articles.models import Article, Category, unicode_slug

    samples = sample_texts()
    posts = list(samples) + list(generated(total - len(samples), samples, rng, real_lengths))
    names = sorted({name for _t, _b, cats, _a in posts for name in cats})
    Category.objects.bulk_create(
        [Category(name=name, slug=unicode_slug(name) + f"-{i}") for i, name in enumerate(names)], ignore_conflicts=True
    )
    category_ids = dict(Category.objects.filter(name__in=names).values_list("name", "pk"))
    start = datetime(2019, 1, 1, tzinfo=UTC)
    through = Article.categories.through
    for offset in range(0, len(posts), 2000):
        chunk = posts[offset : offset + 2000]
        articles = Article.objects.bulk_create(
            [
                Article(
                    title=title[:1000],
                    slug=f"bench-{offset + i}",
                    body_text=body,
                    body_html=f"<p>{body}</p>",
                    author=author,
                    status=Article.Status.PUBLISHED if (offset + i) % 50 else Article.Status.HIDDEN,
                    published_at=start + timedelta(minutes=rng.randint(0, 6 * 365 * 24 * 60)),
                )
                for i, (title, body, _cats, author) in enumerate(chunk)
            ]
        )
        through.objects.bulk_create(
            [
                through(article_id=article.pk, category_id=category_ids[name])
                for article, (_t, _b, cats, _a) in zip(articles, chunk, strict=True)
                for name in cats
            ]
        )
        tag_articles(articles, rng)
    return len(samples), len(posts)


def build_index():
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("rebuild_search_index", verbosity=0)
    return time.perf_counter() - started


def run_query(query):
    """(ms, matches, CPU ms) of the search page's work, and the ms its facets take after it."""
    from articles.facets import Narrowing
    from articles.facets.subtraction import count_search_facets
    from articles.models import Article
    from articles.search import search

    started, cpu = time.perf_counter(), time.process_time()
    results = search(Article.objects.published(), query)
    count = results.count()
    page = list(results.results[:20])
    for article in page:
        results.snippet(article)
    elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    started = time.perf_counter()
    facets = count_search_facets(results, Narrowing())  # as the first time: only the whole archive's are cached
    assert facets.total == count, (query, facets.total, count)  # the page takes its count from the facets
    return elapsed, count, cpu, (time.perf_counter() - started) * 1000


def real_queries():
    """(label, query) of the ground-truth test's fixed queries and 4 sampled from the real samples."""
    from tests.search.test_ground_truth import FIXED_QUERIES, sampled_queries

    samples = {
        n: [brute_normalize(title), brute_normalize(body)] for n, (title, body, *_r) in enumerate(sample_texts())
    }
    return [("ground truth", query) for query in FIXED_QUERIES + sampled_queries(samples, count=4)]


_T2S = {}


def brute_normalize(text):
    """``test_ground_truth.brute_normalize`` (NFKC, case folding, OpenCC one character at a time), each
    character converted once: the same text, fast enough for tens of thousands of articles."""
    import unicodedata

    from tests.search.test_ground_truth import _t2s

    folded = unicodedata.normalize("NFKC", text or "").casefold()
    for char in set(folded):
        if ord(char) not in _T2S:
            _T2S[ord(char)] = _t2s.convert(char)
    return folded.translate(_T2S)


def check_against_brute_force(queries):
    """Queries whose published results differ from the ground-truth test's brute-force scan."""
    from itertools import chain

    from articles.models import Article, TaggedArticle
    from articles.search import search
    from tests.search.test_ground_truth import brute_force

    links = {}
    for pk, name in chain(
        Article.categories.through.objects.values_list("article_id", "category__name").iterator(),
        TaggedArticle.objects.values_list("content_object_id", "tag__name").iterator(),
    ):
        links.setdefault(pk, []).append(brute_normalize(name))
    articles = {
        pk: [brute_normalize(title), brute_normalize(body), brute_normalize(author), *links.get(pk, [])]
        for pk, title, body, author in Article.objects.values_list("pk", "title", "body_text", "author").iterator()
    }
    published = set(Article.objects.published().values_list("pk", flat=True))
    wrong = []
    for _label, query in queries:
        found = set(search(Article.objects.published(), query).results.values_list("pk", flat=True))
        if found != brute_force(articles, query) & published:
            wrong.append(query)
    return wrong


def whole_archive_ms():
    from django.db import connection

    from articles.facets import Narrowing
    from articles.facets.subtraction import whole_archive_rows
    from articles.facets.version import content_version

    started = time.perf_counter()
    whole_archive_rows(connection.alias, Narrowing(), content_version(connection.alias))
    return (time.perf_counter() - started) * 1000


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query (the first warms caches)")
    parser.add_argument("--reuse", action="store_true", help="keep the loaded articles and index")
    parser.add_argument(
        "--db", type=Path, default=Path(tempfile.gettempdir()) / "search_bench.sqlite3", help="the SQLite file"
    )
    parser.add_argument(
        "--real-lengths", action="store_true", help="generated posts take a real sample's language and length"
    )
    parser.add_argument(
        "--real-queries", action="store_true", help="the ground-truth test's queries, checked against its brute force"
    )
    args = parser.parse_args()
    setup_database(args.db, fresh=not args.reuse)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article
    from articles.search.indexing import index_size

    call_command("migrate", verbosity=0)
    if not args.reuse:
        call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(20201026)
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    if not args.reuse or not Article.objects.exists():
        started = time.perf_counter()
        real, total = load_articles(args.articles, rng, args.real_lengths)
        print(f"loaded {total} articles ({real} real samples) in {time.perf_counter() - started:.1f} s")
        print(f"index build: {build_index():.1f} s")
    tokens, documents = index_size()
    print(f"index size: tokens {tokens / 1e6:.1f} MB + canonical text {documents / 1e6:.1f} MB")
    timings, cold, cold_cpu, facet_timings = [], [], [], []
    print(f"whole archive's facet counts (once per content version): {whole_archive_ms():.1f} ms")
    # "cpu ms": this process's CPU time for the first run; on SQLite that is all the work, so it
    # changes little with the machine's load, unlike the elapsed times.
    print(
        f"{'query':<28} {'text':<18} {'matches':>8} {'cold ms':>8} {'cpu ms':>7} {'median ms':>10} {'max ms':>8}"
        f" {'facets ms':>10}"
    )
    queries = real_queries() if args.real_queries else COMMON_WORDS + QUERIES
    for label, query in queries:
        runs = [run_query(query) for _ in range(args.repeat)]
        times = [ms for ms, _count, _cpu, _facets in runs[1:]] or [runs[0][0]]
        facet_times = [facets for _ms, _count, _cpu, facets in runs[1:]] or [runs[0][3]]
        timings.extend(times)
        facet_timings.extend(facet_times)
        first_ms, matches, first_cpu, _facets = runs[0]
        if (label, query) in COMMON_WORDS:
            cold.append(first_ms)
            cold_cpu.append(first_cpu)
        print(
            f"{label:<28} {query:<18} {matches:>8} {first_ms:>8.1f} {first_cpu:>7.1f} "
            f"{statistics.median(times):>10.1f} {max(times):>8.1f} {statistics.median(facet_times):>10.1f}"
        )
    p50, p95, worst = percentile(timings, 0.5), percentile(timings, 0.95), max(timings)
    print(f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms over {len(timings)} runs (the first runs left out)")
    if cold:
        print(f"common words, first run: worst {max(cold):.1f} ms, {max(cold_cpu):.1f} ms CPU here (goal < 300 ms)")
    facets = percentile(facet_timings, 0.5), percentile(facet_timings, 0.95), max(facet_timings)
    print("facets (uncached per query, after the search): p50 {:.1f} ms, p95 {:.1f} ms, max {:.1f} ms".format(*facets))
    if args.real_queries:
        wrong = check_against_brute_force(queries)
        print(f"results equal to the brute-force scan: {len(queries) - len(wrong)} of {len(queries)} {wrong or ''}")
        print(f"p95 goal < 150 ms: {'met' if p95 < 150 and not wrong else 'NOT MET'}")


if __name__ == "__main__":
    main()
