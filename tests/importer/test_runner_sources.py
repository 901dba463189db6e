"""import_paths on what real archives hold: identical files, dateless drafts, Hugo posts, odd titles."""

import os
import shutil
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from articles.importer.runner import import_paths
from articles.models import Article, ArticleRedirect

from .posts import front_matter_post

pytestmark = pytest.mark.django_db


def summary(report):
    return {name: n for name, n in report.counts().items() if n}


def test_identical_files_under_two_paths_are_two_articles_on_every_run(tmp_path):
    original = front_matter_post(tmp_path / "_posts", "2022-07-07-same.md", title="Same")
    shutil.copyfile(original, tmp_path / "_posts" / "2022-07-07-same.html")
    for _ in range(3):
        report = import_paths([tmp_path])
        assert report.notes == []
        assert Article.objects.count() == 2
    assert summary(report) == {"unchanged": 2}


def test_identical_files_with_one_original_url_are_one_article_on_every_run(tmp_path):
    original = front_matter_post(
        tmp_path / "_posts", "2022-07-07-same.md", title="Same", **{"from": "https://x.example/a"}
    )
    shutil.copyfile(original, tmp_path / "_posts" / "2022-07-07-same.html")
    first = import_paths([tmp_path])
    again = import_paths([tmp_path])
    assert summary(first) == {"created": 1, "skipped": 1}
    assert summary(again) == {"unchanged": 1, "skipped": 1}
    assert first.notes == again.notes
    [(path, note)] = again.notes
    assert path.endswith("2022-07-07-same.md")
    assert note.startswith(f"same article as {tmp_path / '_posts' / '2022-07-07-same.html'}")


def test_a_copy_added_later_is_its_own_article_and_a_moved_file_is_not(tmp_path):
    original = front_matter_post(tmp_path / "blog" / "_posts", "2022-07-07-a.md", title="A")
    import_paths([tmp_path / "blog"])
    shutil.copyfile(original, tmp_path / "blog" / "_posts" / "2022-07-07-b.md")
    assert summary(import_paths([tmp_path / "blog"])) == {"created": 1, "unchanged": 1}
    # The same files from another root: their keys would differ, their bytes say they are known.
    assert summary(import_paths([tmp_path])) == {"unchanged": 2}
    assert Article.objects.count() == 2


def test_a_dateless_draft_is_dated_by_its_modification_time(tmp_path):
    path = tmp_path / "_drafts" / "idea.md"
    path.parent.mkdir()
    path.write_text("---\ntitle: An idea\n---\nNot finished.\n", encoding="utf-8")
    when = datetime(2023, 3, 1, 9, 30, 15, tzinfo=ZoneInfo("Asia/Singapore"))
    os.utime(path, (when.timestamp(), when.timestamp()))
    report = import_paths([tmp_path])
    assert summary(report) == {"created": 1}
    article = Article.objects.get()
    assert (article.status, article.published_at) == ("draft", when)


def test_a_title_of_symbols_is_imported_with_a_slug_from_the_file_name(tmp_path):
    front_matter_post(tmp_path / "_posts", "2021-01-01-abc.md", title="🄰🅱🅲")
    assert summary(import_paths([tmp_path])) == {"created": 1}
    article = Article.objects.get()
    assert (article.title, article.slug) == ("🄰🅱🅲", "abc")


def test_malformed_toml_and_json_get_one_line_each(tmp_path):
    (tmp_path / "bad.md").write_text("+++\ntitle = x\n+++\nbody\n", encoding="utf-8")
    (tmp_path / "bad.html").write_text('{\n  "title": "x",,\n}\nbody\n', encoding="utf-8")
    front_matter_post(tmp_path, "good.md", title="Good")
    report = import_paths([tmp_path])
    assert summary(report) == {"created": 1, "failed": 2}
    assert [line.split(": ", 1)[0] for line in report.error_lines()] == [
        str(tmp_path / "bad.html"),
        str(tmp_path / "bad.md"),
    ]
    assert report.errors[0][1].startswith("invalid JSON front matter: line 2, column 16: Expecting property name")
    assert report.errors[1][1].startswith("invalid TOML front matter: ")
    assert "(line 2, column " in report.errors[1][1]


def test_hugo_aliases_redirect_to_the_article(client, tmp_path):
    post = tmp_path / "content" / "posts" / "moved.md"
    post.parent.mkdir(parents=True)
    post.write_text(
        "+++\ntitle = 'Moved'\ndate = 2022-07-07T12:00:00+08:00\n"
        "aliases = ['/posts/old-name/', '/2019/01/02/older.html']\n+++\nBody.\n",
        encoding="utf-8",
    )
    import_paths([tmp_path])
    article = Article.objects.get()
    assert sorted(ArticleRedirect.objects.values_list("old_path", flat=True)) == [
        "/2019/01/02/older.html",
        "/posts/old-name/",
    ]
    for old in ("/posts/old-name/", "/posts/old-name", "/2019/01/02/older.html"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == article.get_absolute_url()
    assert client.get("/posts/unknown/").status_code == 404
    # Re-imports keep the redirects and add none twice; a path taken by another article stays its.
    post.write_text(post.read_text().replace("Body.", "Body, edited."), encoding="utf-8")
    import_paths([tmp_path])
    assert ArticleRedirect.objects.count() == 2
