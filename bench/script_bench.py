"""Reading-script benchmark: what converting an article page's text costs (goal: a 5,000-character
article in under 5 ms, in each script).

    .venv/bin/python bench/script_bench.py

The articles are the real samples (../shared/corpus-sample, parsed as the importer does), else
generated posts. Each article's title, excerpt and body HTML are converted as its page converts
them (text between the markup only). It prints the CPU time (best of 5 runs: the machine may be
busy) per 5,000 characters of text over every article of 1,000 characters or more, and the
time of each article of 4,000 to 6,000 characters.
"""

import os
import random
import statistics
import sys
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
CORPUS = Path(os.environ.get("CORPUS_SAMPLE_DIR", ROOT.parent / "shared" / "corpus-sample"))
ROUNDS = 5
MIN_LENGTH = 1000  # shorter texts cost mostly the per-call overhead, not their length


def real_posts():
    from articles.importer.parse import parse_post

    tz = zoneinfo.ZoneInfo("Asia/Singapore")
    for path in sorted(CORPUS.rglob("*")) if CORPUS.is_dir() else []:
        if path.suffix in (".md", ".markdown", ".html") and path.name != "README.md":
            try:
                post = parse_post(path.read_text(encoding="utf-8"), path.name, tz=tz)
            except Exception:  # noqa: BLE001, S112 (a post the importer refuses is not a benchmark's business)
                continue
            yield post.title, post.excerpt, post.body_html, len(post.body_text)


def generated_posts(count=50):
    rng = random.Random(1)
    words = [
        "台湾",
        "海峡",
        "两岸",
        "关系",
        "发展",
        "经济",
        "政府",
        "软件",
        "头发",
        "里面",
        "著作",
        "臺灣",
        "兩岸",
        "發展",
        "經濟",
        "the",
        "of",
        "news",
    ]
    for _ in range(count):
        paragraphs = ["".join(rng.choice(words) for _ in range(60)) for _ in range(20)]
        body = "".join(f'<p>{text}<a href="https://example.com/{n}">链接</a></p>' for n, text in enumerate(paragraphs))
        yield "台湾新闻", "摘要", body, sum(len(text) + 2 for text in paragraphs)


def cost(convert, post):
    """The CPU time of converting one article's page text, best of ROUNDS (the machine may be busy), in ms."""
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.process_time()
        convert(post)
        best = min(best, time.process_time() - started)
    return best * 1000


def main():
    import django

    django.setup()
    from django.utils.safestring import mark_safe

    from articles.reading.choice import HONG_KONG, SIMPLIFIED_SCRIPT, TAIWAN
    from articles.reading.convert import convert_html, convert_text

    posts = [post for post in (list(real_posts()) or list(generated_posts())) if post[3] >= MIN_LENGTH]
    sized = [post for post in posts if 4000 <= post[3] <= 6000]
    source = "real samples" if CORPUS.is_dir() else "generated posts"
    print(f"{len(posts)} {source} of {MIN_LENGTH:,}+ characters of text, {len(sized)} of 4,000 to 6,000")
    for script in (SIMPLIFIED_SCRIPT, TAIWAN, HONG_KONG):
        convert_text("预热", script)  # OpenCC loads its dictionaries on first use

        def page(post, script=script):
            title, excerpt, body, _length = post
            convert_text(title, script), convert_text(excerpt, script), convert_html(mark_safe(body), script)  # noqa: S308

        per_5000 = sorted(cost(page, post) * 5000 / post[3] for post in posts)
        at_5000 = [cost(page, post) for post in sized]
        print(
            f"{script.code:8} per 5,000 characters: p50 {statistics.median(per_5000):.2f} ms, "
            f"p95 {per_5000[int(len(per_5000) * 0.95)]:.2f} ms, max {per_5000[-1]:.2f} ms"
            + (f"; the 4-6k articles: {', '.join(f'{ms:.2f}' for ms in at_5000)} ms" if at_5000 else "")
        )


if __name__ == "__main__":
    main()
