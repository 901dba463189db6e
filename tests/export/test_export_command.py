"""manage.py export_posts: the files it writes, its options, and what it refuses."""

import os
from datetime import UTC, datetime, timedelta, timezone

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.export.jekyll import post_path
from articles.models import Article, ArticleRedirect
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SGT = timezone(timedelta(hours=8))


def export(folder, *args):
    call_command("export_posts", str(folder), "--no-progress", *args)


def read(path):
    text = path.read_text(encoding="utf-8")
    _, header, body = text.split("---\n", 2)
    return yaml.safe_load(header), body


@pytest.fixture
def archive():
    published = make_article(
        title="台海新闻", slug="台海新闻", published_at=datetime(2022, 7, 7, 23, 4, tzinfo=SGT), tags=["台海", "新闻"],
        author="联合早报", original_url="https://www.zaobao.com/a", body_html="<p>正文 {{ not liquid }}</p>",
        front_matter={"layout": "post", "title": "旧标题", "source": "https://old.example/a", "comments": True},
    )  # fmt: skip
    draft = make_article(title="Draft", slug="draft", status=Article.Status.DRAFT)
    hidden = make_article(
        title="Hidden", slug="hidden", status=Article.Status.HIDDEN, hidden_reason="duplicate of 台海新闻",
        published_at=datetime(2021, 1, 2, 3, 4, 5, 600, tzinfo=SGT),
    )  # fmt: skip
    ArticleRedirect.objects.create(old_path="/old/台海/", article=published)
    return published, draft, hidden


def test_published_drafts_and_hidden_articles_go_where_jekyll_expects(tmp_path, archive, capsys):
    published, draft, hidden = archive
    export(tmp_path)
    assert "exported 3 articles (1 draft, 1 hidden, 1 published)" in capsys.readouterr().out
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "_config.yml",
        "_drafts/draft.html",
        "_layouts/post.html",
        "_posts/2021-01-02-hidden.html",
        "_posts/2022-07-07-台海新闻.html",
    ]
    fm, body = read(tmp_path / "_posts" / "2022-07-07-台海新闻.html")
    assert body == "\n<p>正文 {{ not liquid }}</p>\n"
    assert fm["title"] == "台海新闻"  # the curated title over the source's
    assert fm["layout"] == "post" and fm["comments"] is True  # every original key stays
    assert fm["date"] == datetime(2022, 7, 7, 23, 4, tzinfo=SGT)  # written unquoted: YAML reads a timestamp
    assert fm["from"] == fm["source"] == "https://www.zaobao.com/a"
    assert fm["tags"] == ["台海", "新闻"] and fm["author"] == "联合早报"
    assert fm["permalink"] == "/2022/07/07/台海新闻/"
    assert fm["aliases"] == ["/old/台海/"]
    assert fm["archive"]["status"] == "published"
    hidden_fm, _ = read(tmp_path / "_posts" / "2021-01-02-hidden.html")
    assert hidden_fm["published"] is False
    assert hidden_fm["archive"]["status"] == "hidden"
    assert hidden_fm["archive"]["hidden_reason"] == "duplicate of 台海新闻"
    assert "2021-01-02 03:04:05.000600 +08:00" in (tmp_path / "_posts" / "2021-01-02-hidden.html").read_text()


def test_options_choose_the_articles(tmp_path, archive):
    export(tmp_path / "a", "--status", "hidden", "--status", "draft")
    assert {p.name for p in (tmp_path / "a").rglob("*.html") if "_layouts" not in p.parts} == {
        "draft.html",
        "2021-01-02-hidden.html",
    }
    export(tmp_path / "b", "--since", "2022-07-07", "--status", "published")
    assert [p.name for p in (tmp_path / "b" / "_posts").iterdir()] == ["2022-07-07-台海新闻.html"]
    export(tmp_path / "c", "--tag", "新闻")
    assert [p.name for p in (tmp_path / "c" / "_posts").iterdir()] == ["2022-07-07-台海新闻.html"]
    with pytest.raises(CommandError, match="no tag named 'nope'"):
        export(tmp_path / "d", "--tag", "nope")
    with pytest.raises(CommandError, match="--since: '2022-13-01' is not a date"):
        export(tmp_path / "e", "--since", "2022-13-01")


def test_a_folder_that_is_not_empty_needs_force(tmp_path, archive):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match=f"{tmp_path}: not empty"):
        export(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    export(tmp_path, "--force")
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert (tmp_path / "_drafts" / "draft.html").exists()


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path, archive):
    (tmp_path / "file").write_text("x")
    with pytest.raises(CommandError, match=f"{tmp_path / 'file' / 'site'}: "):
        export(tmp_path / "file" / "site")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes whatever the folder's mode")
def test_an_unwritable_folder_gets_nothing_half_written(tmp_path, archive):
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(CommandError, match=r"cannot write there \(Permission denied\)"):
            export(tmp_path / "site")
    finally:
        tmp_path.chmod(0o700)
    assert list(tmp_path.iterdir()) == []


def test_an_article_that_cannot_be_written_fails_alone(tmp_path, archive, capsys):
    published, draft, hidden = archive
    # A folder where its file should go:
    (tmp_path / post_path(published, published.local_published_at)).mkdir(parents=True)
    with pytest.raises(CommandError, match=r"1 article\(s\) could not be written"):
        export(tmp_path, "--force")
    output = capsys.readouterr()
    assert f"/2022/07/07/台海新闻/ (id {published.pk}): Is a directory" in output.err
    assert "exported 2 articles (1 draft, 1 hidden), failed 1" in output.out
    assert (tmp_path / "_drafts" / "draft.html").exists()
    assert not list(tmp_path.rglob(".*.tmp"))  # no temporary file left behind


def test_long_slugs_fit_a_file_name(tmp_path):
    article = make_article(title="长" * 200, slug="长" * 200)
    export(tmp_path)
    [path] = (tmp_path / "_posts").iterdir()
    assert len(path.name.encode()) < 255
    assert read(path)[0]["slug"] == article.slug


def test_articles_of_the_years_1_and_9999_are_written_with_four_digit_years_and_import_back(tmp_path):
    first = make_article(title="元年", slug="first", published_at=datetime(1, 1, 1, 12, tzinfo=UTC))
    last = make_article(title="末年", slug="last", published_at=datetime(9999, 12, 31, 23, 59, 59, 5, tzinfo=SGT))
    export(tmp_path)
    assert sorted(path.name for path in (tmp_path / "_posts").iterdir()) == [
        "0001-01-01-first.html",  # 18:55:25 in Singapore, which was then at +6:55:25
        "9999-12-31-last.html",
    ]
    fm, _ = read(tmp_path / "_posts" / "0001-01-01-first.html")
    assert fm["permalink"] == "/0001/01/01/first/"
    text = (tmp_path / "_posts" / "0001-01-01-first.html").read_text()
    assert "date: 0001-01-01 12:00:00 +00:00" in text  # an offset with seconds is no format's: in UTC
    assert "date: 9999-12-31 23:59:59.000005 +08:00" in (tmp_path / "_posts" / "9999-12-31-last.html").read_text()
    Article.objects.all().delete()
    call_command("import_seeds", str(tmp_path), "--no-progress")
    assert dict(Article.objects.values_list("slug", "published_at")) == {
        "first": first.published_at,
        "last": last.published_at,
    }


def test_workers_write_the_same_files(tmp_path, archive, monkeypatch, capsys):
    from articles.export import runner

    for n in range(30):
        make_article(title=f"文章 {n}", tags=[f"标签{n % 3}"])
    export(tmp_path / "inline", "--workers", "1")
    monkeypatch.setattr(runner, "POOL_CHUNK", 10)  # chunks for two workers
    published = Article.objects.get(slug="台海新闻")
    (tmp_path / "pool" / post_path(published, published.local_published_at)).mkdir(parents=True)
    with pytest.raises(CommandError, match=r"1 article\(s\) could not be written"):
        export(tmp_path / "pool", "--workers", "2", "--force")
    assert "/2022/07/07/台海新闻/ (id " in capsys.readouterr().err
    files = sorted(p.relative_to(tmp_path / "inline") for p in (tmp_path / "inline").rglob("*.html"))
    assert len(files) == 34  # 33 articles and the layout
    for relative in files:
        if relative.as_posix() != post_path(published, published.local_published_at):
            assert (tmp_path / "pool" / relative).read_bytes() == (tmp_path / "inline" / relative).read_bytes()


def test_a_write_stopped_midway_leaves_the_old_file_whole(tmp_path, monkeypatch):
    from articles.export import files

    path = tmp_path / "post.html"
    path.write_text("the old post")

    def killed(source, target):
        raise KeyboardInterrupt  # Ctrl-C after the new text was written, before it replaced the old

    monkeypatch.setattr(files.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(str(path), "the new post " * 10_000)
    assert path.read_text() == "the old post"
    assert [p.name for p in tmp_path.iterdir()] == ["post.html"]  # no temporary file left
