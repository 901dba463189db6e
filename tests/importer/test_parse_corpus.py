import re
import time
from zoneinfo import ZoneInfo

from articles.importer.decode import decode_bytes
from articles.importer.parse import parse_post

UNSAFE_RE = re.compile(r"<(?:script|iframe|style|object|embed)|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def _posts(corpus_dir):
    return [path for path in sorted(corpus_dir.rglob("*.*")) if path.name != "README.md"]


def test_every_sample_parses_cleanly(corpus_dir):
    tz = ZoneInfo("Asia/Singapore")
    posts = _posts(corpus_dir)
    assert len(posts) >= 190
    started = time.perf_counter()
    for path in posts:
        post = parse_post(decode_bytes(path.read_bytes()), path.relative_to(corpus_dir).as_posix(), tz=tz)
        name = path.name
        assert post.title.strip(), name
        assert post.published_at.utcoffset() is not None, name
        assert post.body_text.strip(), name
        assert not UNSAFE_RE.search(post.body_html), name
        assert post.excerpt, name
        assert post.reading_time >= 1, name
        assert post.legacy_slug, name
    # Not a benchmark (bench/ has those): a guard against a pathological slowdown.
    assert time.perf_counter() - started < 30


def test_news_dates_and_categories(corpus_dir):
    path = corpus_dir / "news0" / "2020-02-14-18-28-58-14.html"
    post = parse_post(path.read_text("utf-8"), "news0/" + path.name, tz=ZoneInfo("Asia/Singapore"))
    assert post.title == "中原地產本周末預約睇樓量按周升逾14%"
    assert post.published_at.isoformat() == "2020-02-14T18:28:58+08:00"
    assert post.categories == ["rss"]
    assert post.legacy_slug == "18-28-58-14"
    assert post.body_html.count("<p>") >= 2  # blank-line paragraphs of a tagless .html body stay paragraphs


def test_long_form_front_matter(corpus_dir):
    path = corpus_dir / "pen0" / "hkers" / "2022-02-25-ukraine-invasion-update-8.md"
    post = parse_post(path.read_text("utf-8"), "hkers/" + path.name, tz=ZoneInfo("Asia/Singapore"))
    assert post.author == "ISW Russia Team"
    assert post.excerpt == "Russian invasion of Ukraine started on February 24, 2022."
    assert post.lead_image_url == "https://i.imgur.com/uTJ9KsM.jpg"
    assert post.lead_image_caption == "Russian forces entered major Ukrainian cities."
    assert "<excerpt" not in post.body_html
    assert "<h3>Key Takeaways</h3>" in post.body_html
    assert "<figure>" in post.body_html
    assert post.reading_time > 5
