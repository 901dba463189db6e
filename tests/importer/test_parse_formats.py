"""Front matter in YAML, TOML and JSON; Hugo's keys; titles of symbols; drafts without a date."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from articles.importer.parse import parse_post
from articles.importer.post import NoFrontMatter, PostError

SGT = ZoneInfo("Asia/Singapore")
PLUS8 = timezone(timedelta(hours=8))

YAML_POST = """---
title: 台海 "news" 1
date: 2021-01-31 16:55:44 +08:00
tags: [台海, 2021]
categories: world
author: Jane
from: https://example.com/a
---
正文。
"""
TOML_POST = """+++
title = '台海 "news" 1'
date = 2021-01-31T16:55:44+08:00
tags = ["台海", 2021]
categories = "world"
author = "Jane"
from = "https://example.com/a"
+++
正文。
"""
JSON_POST = """{
  "title": "台海 \\"news\\" 1",
  "date": "2021-01-31 16:55:44 +08:00",
  "tags": ["台海", 2021],
  "categories": "world",
  "author": "Jane",
  "from": "https://example.com/a"
}
正文。
"""


def parse(text, path="_posts/2021-01-31-post.md", **kwargs):
    return parse_post(text, path, tz=SGT, **kwargs)


@pytest.mark.parametrize("text", [YAML_POST, TOML_POST, JSON_POST], ids=["yaml", "toml", "json"])
def test_the_three_formats_mean_the_same(text):
    post = parse(text)
    assert post.title == '台海 "news" 1'
    assert post.published_at == datetime(2021, 1, 31, 16, 55, 44, tzinfo=PLUS8)
    assert post.tags == ["台海", "2021"]
    assert post.categories == ["world"]
    assert post.author == "Jane"
    assert post.original_url == "https://example.com/a"
    assert post.body_html == "<p>正文。</p>"
    assert post.status == "published"


def test_toml_dates_are_kept_as_text():
    post = parse("+++\ntitle = 'x'\ndate = 2021-01-31T16:55:44+08:00\nday = 2021-02-01\nat = 07:30:00\n+++\nbody")
    assert post.front_matter == {
        "title": "x",
        "date": "2021-01-31T16:55:44+08:00",
        "day": "2021-02-01",
        "at": "07:30:00",
    }


def test_hugo_keys():
    post = parse(
        "+++\ntitle = 'Hugo post'\nlastmod = 2022-03-04T05:06:07Z\ndraft = true\nslug = 'my-own-slug'\n"
        "aliases = ['/posts/old-name/', 'https://old.example.com/2019/x.html', 'relative/path', '/posts/old-name/']\n"
        "+++\nbody",
        path="content/posts/hugo-post.md",
    )
    assert post.status == "draft"
    assert post.slug == "my-own-slug"
    assert post.legacy_slug == "my-own-slug"
    assert post.published_at == datetime(2022, 3, 4, 5, 6, 7, tzinfo=UTC)  # lastmod dates it
    assert post.aliases == ["/posts/old-name/", "/2019/x.html"]
    assert post.warnings == ["alias 'relative/path' ignored: not an absolute path"]


@pytest.mark.parametrize("value", ["true", "'yes'"])
def test_draft_spellings(value):
    assert parse(f"---\ntitle: x\ndraft: {value}\n---\nbody").status == "draft"


def test_draft_false_is_published():
    assert parse("---\ntitle: x\ndraft: false\n---\nbody").status == "published"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("+++\ntitle = 'x'\ndate = \n+++\nbody", r"^invalid TOML front matter: Invalid value \(line 3, column 8\)$"),
        ("+++\ntitle = 'x'\nbody", r"^front matter is not closed \(no second '\+\+\+' line\)$"),
        ('{\n  "title": "x",\n  "date": 2021-01-01\n}\nbody', r"^invalid JSON front matter: line 3, column 15: "),
        ('{\n  "title": "never closed"\n\nbody', r"^invalid JSON front matter: line 4, column 1: "),
        ('{"title": ["x"]}\nbody', "^title is not text$"),
        ("---\ntitle: x\nbody", r"^front matter is not closed \(no second '---' line\)$"),
    ],
)
def test_malformed_front_matter_says_where(text, message):
    with pytest.raises(PostError, match=message):
        parse(text)


@pytest.mark.parametrize("text", ["{% include note.html %}\n", "{{ page.title }}", "+++ not front matter\n"])
def test_liquid_and_other_bodies_are_not_front_matter(text):
    with pytest.raises(NoFrontMatter):
        parse(text)


@pytest.mark.parametrize(
    ("path", "slug"),
    [("_posts/2021-01-01-abc.md", "abc"), ("_posts/2021-01-01.md", "2021-01-01-"), ("abc.md", "abc")],
)
def test_a_title_of_symbols_imports_as_written(path, slug):
    post = parse("---\ntitle: 🄰🅱🅲\ndate: 2021-01-01\n---\nbody", path=path)
    assert post.title == "🄰🅱🅲"
    assert post.slug.startswith(slug)
    if slug.endswith("-"):  # no name either: the date and a short hash of the title
        assert len(post.slug) == len("2021-01-01-") + 8


def test_a_title_of_symbols_in_the_year_1_has_a_four_digit_year_in_its_slug():
    post = parse("---\ntitle: 🄰🅱🅲\ndate: 0001-01-01 12:00 +00:00\n---\nbody", path="_posts/0001-01-01.md")
    assert post.slug.startswith("0001-01-01-") and len(post.slug) == len("0001-01-01-") + 8


def test_an_empty_title_with_an_empty_name_is_still_refused():
    with pytest.raises(PostError, match="^no title$"):
        parse("---\ntitle: ''\ndate: 2021-01-01\n---\nbody", path="_posts/2021-01-01-.md")


def test_a_dateless_draft_takes_the_files_modification_time():
    mtime = datetime(2023, 5, 6, 7, 8, 9, 500_000, tzinfo=SGT).timestamp()
    post = parse("---\ntitle: Draft\n---\nbody", path="_drafts/draft.md", mtime=mtime)
    assert post.published_at == datetime(2023, 5, 6, 7, 8, 9, tzinfo=SGT)
    assert post.status == "draft"
    draft = parse("---\ntitle: Draft\npublished: false\n---\nbody", path="notes/draft.md", mtime=mtime)
    assert draft.published_at == post.published_at


def test_a_dateless_post_that_is_not_a_draft_still_fails():
    with pytest.raises(PostError, match="^no date$"):
        parse("---\ntitle: Post\n---\nbody", path="notes/post.md", mtime=1_700_000_000)


def test_archive_keys_of_an_export():
    post = parse(
        "---\ntitle: x\ndate: 2021-01-01\npublished: false\narchive:\n  import_key: news/a.md\n  status: hidden\n"
        "  hidden_reason: duplicate of another\n  featured: true\n  legacy_slug: old-name\n---\nbody"
    )
    assert (post.import_key, post.status, post.hidden_reason, post.featured) == (
        "news/a.md",
        "hidden",
        "duplicate of another",
        True,
    )
    assert post.legacy_slug == "old-name"
    assert post.exported


@pytest.mark.parametrize("value", ["true", "[a, b]", "{status: nonsense, featured: 'yes'}"])
def test_other_archive_values_are_ignored(value):
    post = parse(f"---\ntitle: x\ndate: 2021-01-01\narchive: {value}\n---\nbody")
    assert (post.import_key, post.status, post.featured, post.hidden_reason) == ("", "published", False, "")
