import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from articles.importer.decode import decode_bytes
from articles.importer.parse import parse_post
from articles.importer.post import NoFrontMatter, PostError
from tests.helpers import FIXTURES_DIR

SGT = ZoneInfo("Asia/Singapore")
POSTS = FIXTURES_DIR / "posts"


def parse_fixture(relative):
    return parse_post(decode_bytes((POSTS / relative).read_bytes()), relative, tz=SGT)


def parse_text(text, path="_posts/2020-01-01-post.md"):
    return parse_post(text, path, tz=SGT)


def test_full_front_matter():
    post = parse_fixture("_posts/2021-01-31-full-front-matter.md")
    assert post.title == "A post with every front matter key"
    assert post.published_at == datetime(2021, 1, 31, 16, 55, 44, tzinfo=timezone(timedelta(hours=8)))
    assert post.author == "Jane Doe, John Roe"
    assert post.original_url == "https://example.com/news/2021/full-front-matter?utm_source=rss"
    assert post.tags == ["politics", "Asia", "2021"]
    assert post.categories == ["world", "news"]
    assert post.lead_image_url == "https://example.com/images/lead.jpg?size=large&v=2"
    assert post.lead_image_caption == "The lead image's caption"
    assert post.excerpt == "A hand-written summary of the post."
    assert post.front_matter["position"] == "right"
    assert post.front_matter["custom"] == {"nested": [1, 2.5, None]}
    assert json.loads(json.dumps(post.front_matter)) == post.front_matter
    assert "<!--cut-->" not in post.body_html
    assert "<p>The first paragraph, before the cut.</p>" in post.body_html
    assert "<table>" in post.body_html and "<s>struck</s>" in post.body_html
    assert 'rel="noopener noreferrer nofollow"' in post.body_html
    # The body image stays in the body: the front matter named the lead image.
    assert 'src="https://example.com/images/body.png"' in post.body_html
    assert post.legacy_slug == "full-front-matter"
    assert post.status == "published"


def test_title_and_date_from_the_file_name():
    post = parse_fixture("_posts/2020-02-14-title-from-file-name.md")
    assert post.title == "Title From File Name"
    assert post.published_at == datetime(2020, 2, 14, tzinfo=SGT)
    assert post.tags == ["one", "two", "three"]
    assert post.legacy_slug == "title-from-file-name"


def test_drafts_folder_gives_draft_status():
    post = parse_fixture("_drafts/a-draft-post.md")
    assert post.status == "draft"
    assert post.published_at == datetime(2023, 3, 1, tzinfo=SGT)
    assert post.legacy_slug == "a-draft-post"


def test_published_false_gives_draft_status():
    assert parse_fixture("_posts/2022-07-07-unpublished.md").status == "draft"


@pytest.mark.parametrize("value", ["false", "'false'", "no"])
def test_published_false_spellings(value):
    assert parse_text(f"---\ntitle: x\npublished: {value}\n---\nbody").status == "draft"


def test_news_plain_text_html_body_with_time_in_the_file_name():
    post = parse_fixture("news/2020-02-14-18-28-58-14.html")
    assert post.published_at == datetime(2020, 2, 14, 18, 28, 58, tzinfo=SGT)
    assert post.categories == ["rss"]
    assert post.body_html == (
        "<p>中原地產十大屋苑本周末睇樓量335組，按周上升14.3%，農曆新年後連續3星期睇樓量錄得升幅。</p>\n"
        "<p>中原地產亞太區副主席兼住宅部總裁陳永傑表示，<br>睇樓量升幅逐星期緩緩向上反映市民置業需求不減。</p>\n"
        '<p>A &amp; B &lt; C, said "the agent".</p>'
    )
    assert post.body_text.split("\n\n")[2] == 'A & B < C, said "the agent".'
    assert post.legacy_slug == "18-28-58-14"


def test_epoch_comment_date_and_comma_separated_tags():
    post = parse_fixture("news/epoch-comment.html")
    assert post.published_at == datetime(2022, 7, 7, 15, 4, tzinfo=UTC)
    assert post.tags == ["香港", "經濟"]
    assert post.body_html == "<p>正文第一段。</p>\n<p>正文第二段。</p>"
    assert post.excerpt == "正文第一段。"
    assert post.legacy_slug == "epoch-comment"


def test_lazy_images_and_ad_placeholders():
    post = parse_fixture("news/2022-07-07-lazy-and-ads.html")
    assert post.lead_image_url == "https://cdn.example.com/a.jpg?x=1&y=2"
    assert post.lead_image_caption == "A caption in the title"
    assert post.body_html == (
        "<p>First paragraph.</p>\n"
        '<p>Second paragraph with <img src="https://cdn.example.com/b.jpg" alt="inline" loading="lazy"'
        ' referrerpolicy="no-referrer"></p>\n'
        "<p>Third paragraph.</p>"
    )


def test_excerpt_separator_and_caption_figure():
    post = parse_fixture("columns/2021-05-20-excerpt-separator.md")
    assert post.excerpt == "二十年前的一天，在广州的一辆公共汽车上。"
    assert "<excerpt" not in post.body_html
    assert "<p>二十年前的一天，在广州的一辆公共汽车上。今天，那位环卫工人应该已经退休了。</p>" in post.body_html
    assert "<figcaption>内卷？内卷化。</figcaption>" in post.body_html
    assert post.lead_image_url == "https://images.example.com/?url=i.imgur.com/XRM6zWf.jpg"
    assert post.published_at == datetime(2021, 5, 20, 4, 0, tzinfo=UTC)


def test_repeated_title_link_is_dropped():
    post = parse_fixture("news/repeated-title.md")
    assert post.body_html == "<p>正文。</p>"


@pytest.mark.parametrize(
    "body",
    [
        "# [The Title](https://example.com/a)\n\nText",
        "# The Title\n\nText",
        "The Title\n\nText",
        "**The title**\n=====\n\nText",
    ],
)
def test_leading_title_repetitions_are_dropped(body):
    post = parse_text(f"---\ntitle: The Title\n---\n{body}")
    assert post.body_html == "<p>Text</p>"


def test_a_heading_that_differs_from_the_title_stays():
    assert parse_text("---\ntitle: The Title\n---\n## Background\n\nText").body_html.startswith("<h2>Background")


def test_xss_fixture_is_clean():
    post = parse_fixture("news/xss.html")
    html = post.body_html.lower()
    for marker in ("<script", "javascript:", "onerror", "onclick", "onload", "<iframe", "<svg", "style=", "<form"):
        assert marker not in html
    assert "safe text survives." in html


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("bad/invalid-yaml.md", r"^invalid YAML front matter: line \d+: "),
        ("bad/2020-02-15-08-06-10-.md", "^no title$"),
        ("bad/bad-date.md", "^bad date 'yesterday at noon'$"),
        ("bad/no-date.md", "^no date$"),
        ("bad/empty.md", "^empty file$"),
        ("bad/front-matter-list.md", r"^front matter is not a mapping"),
        ("bad/unclosed.md", "^front matter is not closed"),
    ],
)
def test_bad_posts_say_why(relative, message):
    with pytest.raises(PostError, match=message):
        parse_fixture(relative)


def test_no_front_matter_is_skipped_not_failed():
    with pytest.raises(NoFrontMatter):
        parse_fixture("bad/no-front-matter.md")


@pytest.mark.parametrize(
    ("relative", "title"),
    [
        ("encodings/gb18030-simplified.md", "简体中文的标题"),
        ("encodings/gb18030-traditional.md", "繁體中文的標題"),
        ("encodings/big5-traditional.md", "繁體中文的標題"),
        ("encodings/utf8-bom.md", "简体中文的标题"),
    ],
)
def test_legacy_encodings(relative, title):
    post = parse_fixture(relative)
    assert post.title == title
    assert post.published_at == datetime(2020, 3, 1, 10, tzinfo=timezone(timedelta(hours=8)))


def test_undecodable_file():
    with pytest.raises(PostError, match="cannot decode"):
        parse_fixture("encodings/latin1-undecodable.md")


def test_long_title_is_cut_with_a_warning():
    post = parse_text("---\ntitle: " + "長" * 1200 + "\n---\nbody")
    assert len(post.title) == 1000
    assert len(post.front_matter["title"]) == 1200
    assert post.warnings == ["title cut to 1000 characters"]
    assert len(post.slug) <= 200


@pytest.mark.parametrize(
    ("yaml_value", "expected"),
    [
        ("[a, b]", ["a", "b"]),
        ("\n  - a\n  - b\n  - a", ["a", "b"]),
        ("a b  c", ["a", "b", "c"]),
        ("a, b c,  ,d", ["a", "b c", "d"]),
        ("[2020, 3.5, true]", ["2020", "3.5", "true"]),
        ("''", []),
        ("~", []),
    ],
)
def test_tag_forms(yaml_value, expected):
    assert parse_text(f"---\ntitle: x\ntags: {yaml_value}\n---\nbody").tags == expected


@pytest.mark.parametrize(
    ("yaml_value", "expected"),
    [("Jane", "Jane"), ("[Jane, John]", "Jane, John"), ("{name: Jane, twitter: j}", "Jane"), ("42", "42")],
)
def test_author_forms(yaml_value, expected):
    assert parse_text(f"---\ntitle: x\nauthor: {yaml_value}\n---\nbody").author == expected


@pytest.mark.parametrize("key", ["from", "source", "original_url", "canonical_url"])
def test_original_url_keys(key):
    assert parse_text(f"---\ntitle: x\n{key}: https://example.com/a\n---\nb").original_url == "https://example.com/a"


def test_non_http_original_url_is_ignored_with_a_warning():
    post = parse_text("---\ntitle: x\nfrom: javascript:alert(1)\n---\nbody")
    assert post.original_url == ""
    assert post.warnings == ["from ignored: not an http(s) URL"]


def test_image_mapping_and_non_http_image():
    post = parse_text("---\ntitle: x\nimage: {url: 'https://x.example/a.jpg', caption: Cap}\n---\nbody")
    assert (post.lead_image_url, post.lead_image_caption) == ("https://x.example/a.jpg", "Cap")
    post = parse_text("---\ntitle: x\nimage: /assets/a.jpg\n---\nbody")
    assert post.lead_image_url == ""
    assert post.warnings == ["image ignored: not an http(s) URL"]


def test_first_body_image_is_the_lead_when_not_at_the_top():
    post = parse_text("---\ntitle: x\n---\nIntro.\n\n![alt](https://x.example/b.jpg)\n▲ Caption\n")
    assert (post.lead_image_url, post.lead_image_caption) == ("https://x.example/b.jpg", "Caption")
    assert "<figure>" in post.body_html  # not at the top: it stays where the author put it


def test_top_markdown_image_moves_to_the_lead():
    post = parse_text("---\ntitle: x\n---\n![alt](https://x.example/b.jpg)\n\nText")
    assert post.lead_image_url == "https://x.example/b.jpg"
    assert post.body_html == "<p>Text</p>"


def test_long_first_paragraph_excerpt_is_cut():
    post = parse_text("---\ntitle: x\n---\n" + "很长的第一段" * 60)
    assert len(post.excerpt) <= 150 and post.excerpt.endswith("…")


def test_json_safe_front_matter_keeps_date_text():
    post = parse_text("---\ntitle: x\ndate: 2020-02-26\nupdated: 2020-03-01 10:00\n---\nbody")
    assert post.front_matter == {"title": "x", "date": "2020-02-26", "updated": "2020-03-01 10:00"}
    assert post.published_at == datetime(2020, 2, 26, tzinfo=SGT)


def test_title_that_is_a_mapping_is_an_error():
    with pytest.raises(PostError, match="title is not text"):
        parse_text("---\ntitle: {a: b}\n---\nbody")
