"""What an import leaves besides the articles: search documents, duplicate keys, notes, statistics."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from taggit.models import Tag

from articles.importer import runner
from articles.importer.runner import import_paths
from articles.models import Article, Category, CategoryAlias, ImportRun, SearchDocument, TagAlias
from articles.search import search, update_index
from articles.search.backends.postgresql import token_id
from articles.search.indexing import build_documents
from articles.text.fingerprints import text_fingerprint, title_key
from articles.text.normalize import document_tokens

from .posts import front_matter_post

pytestmark = pytest.mark.django_db

LONG_BODY = "台湾海峡局势紧张，两岸关系备受关注。" * 30 + "\n\nNATO allies met in Brussels on Tuesday.\n"


def write_posts(folder, n):
    for i in range(n):
        front_matter_post(
            folder,
            f"{i:03d}.md",
            title=f"台灣新聞 No.{i}",
            author="聯合早報" if i % 2 else "",
            tags=["Taiwan", f"標籤{i % 3}", "Ｚｅｂｒａ"],
            categories=["RSS", "两岸"],
            body=LONG_BODY if i % 4 == 0 else f"第{i}篇正文。\n",
        )


def stored_documents():
    return {doc.article_id: (doc.title, doc.text) for doc in SearchDocument.objects.all()}


def found(query):
    return {a.title for a in search(Article.objects.all(), query).results}


@pytest.fixture
def aliases():
    TagAlias.objects.create(name="taiwan", tag=Tag.objects.create(name="台湾", slug="taiwan"))
    CategoryAlias.objects.create(name="rss", category=Category.objects.create(name="新闻", slug="news"))


@pytest.mark.parametrize("workers", [1, 2])
def test_imported_documents_equal_what_update_index_builds(tmp_path, aliases, workers):
    write_posts(tmp_path, runner.CHUNKSIZE + 6 if workers > 1 else 6)
    report = import_paths([tmp_path], workers=workers)
    assert report.created == Article.objects.count() == SearchDocument.objects.count()
    imported = stored_documents()
    assert update_index(list(imported)) == 0  # nothing to rewrite: the same title and text
    assert stored_documents() == imported
    # What both indexed, in canonical form (SQLite's search document keeps only a digest of it).
    pk = Article.objects.get(title="台灣新聞 No.0").pk
    title, text = build_documents([pk], "default")[pk]
    assert title == " 台湾新闻 no 0 "
    # Aliases applied (Taiwan -> 台湾, RSS -> 新闻); tags, then categories, in code-point order.
    assert text.splitlines()[:5] == [" 台湾 ", " 标签 0 ", " zebra ", " 两岸 ", " 新闻 "]


def test_imported_articles_are_found_as_after_a_rebuild(tmp_path, aliases):
    write_posts(tmp_path, 8)
    import_paths([tmp_path])
    queries = ["台湾", "臺灣新聞", "no 4", "标签1", "新闻", "zebra", "联合早报", "nato allies", "海峡局势", "rss"]
    before = {query: found(query) for query in queries}
    assert before["标签1"] == {"台灣新聞 No.1", "台灣新聞 No.4", "台灣新聞 No.7"}
    assert before["nato allies"] == {"台灣新聞 No.0", "台灣新聞 No.4"}
    assert before["rss"] == set()  # the alias was mapped to 新闻
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert {query: found(query) for query in queries} == before


def test_imported_tokens_are_the_documents_tokens(tmp_path, aliases):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's contentless FTS5 tables cannot be read back; the rebuild test covers them")
    write_posts(tmp_path, 4)
    import_paths([tmp_path])
    with connection.cursor() as cursor:
        cursor.execute("SELECT article_id, tokens, title_tokens FROM articles_search_tokens")
        stored = {pk: (sorted(tokens), sorted(title_tokens)) for pk, tokens, title_tokens in cursor.fetchall()}
    expected = {
        doc.article_id: (token_ids(document_tokens(doc.title, doc.text)), token_ids(document_tokens(doc.title)))
        for doc in SearchDocument.objects.all()
    }
    assert stored == expected


def token_ids(tokens):
    return sorted(map(token_id, tokens))


def test_deleting_an_imported_article_leaves_no_match(tmp_path):
    write_posts(tmp_path, 3)
    import_paths([tmp_path])
    Article.objects.filter(title="台灣新聞 No.0").delete()
    assert found("nato") == set()
    assert found("台湾新闻") == {"台灣新聞 No.1", "台灣新聞 No.2"}


def test_duplicate_keys_are_set_on_import_and_follow_changes(tmp_path):
    write_posts(tmp_path, 2)
    import_paths([tmp_path])
    for article in Article.objects.all():
        assert (article.title_key, article.text_fingerprint) == (
            title_key(article.title),
            text_fingerprint(article.body_text),
        )
    assert Article.objects.get(title="台灣新聞 No.0").text_fingerprint  # long enough to compare
    front_matter_post(tmp_path, "001.md", title="另一个标题", body=LONG_BODY)
    assert import_paths([tmp_path]).updated == 1
    changed = Article.objects.get(title="另一个标题")
    assert changed.title_key == title_key("另一个标题")
    assert changed.text_fingerprint == Article.objects.get(title="台灣新聞 No.0").text_fingerprint


def test_notes_are_stored_on_the_run(tmp_path):
    (tmp_path / "readme.md").write_text("no front matter here\n", encoding="utf-8")
    front_matter_post(tmp_path, "a.md", title="First", **{"from": "https://example.com/a"})
    front_matter_post(tmp_path, "b.md", title="Second", **{"from": "https://example.com/a"})
    report = import_paths([tmp_path])
    run = ImportRun.objects.get()
    assert len(run.notes) == 2
    assert run.notes == [list(note) for note in report.notes]
    assert any(path.endswith("b.md") and "a.md" in note for path, note in run.notes)


def planner_rows(table):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return 0
            cursor.execute("SELECT CAST(stat AS INTEGER) FROM sqlite_stat1 WHERE tbl = %s LIMIT 1", [table])
        row = cursor.fetchone()
    return max(row[0], 0) if row else 0


def test_a_large_import_gives_the_planner_statistics(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "ANALYZE_AFTER", 5)
    write_posts(tmp_path, 6)
    import_paths([tmp_path])
    assert planner_rows("articles_article") == 6
    assert planner_rows("articles_searchdocument") == 6


def test_big_posts_are_written_in_smaller_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "BATCH_CHARS", len(LONG_BODY) * 2)
    batches = []
    write = runner.BatchWriter.write
    monkeypatch.setattr(
        runner.BatchWriter, "write", lambda self, batch: batches.append(len(batch)) or write(self, batch)
    )
    write_posts(tmp_path, 12)  # three of them long
    assert import_paths([tmp_path], workers=1).created == 12
    assert len(batches) >= 2
    assert sum(batches) == 12
    assert found("nato") == {"台灣新聞 No.0", "台灣新聞 No.4", "台灣新聞 No.8"}


def test_history_rows_are_those_simple_history_writes(tmp_path, django_user_model):
    user = django_user_model.objects.create_user("curator")
    write_posts(tmp_path, 2)
    import_paths([tmp_path], user=user)
    assert not Article.history.exists()  # each article is its own first version
    tags, categories = ["Taiwan", "標籤1", "Ｚｅｂｒａ"], ["RSS", "两岸"]
    front_matter_post(
        tmp_path,
        "001.md",
        title="台灣新聞 No.1 改",
        author="聯合早報",
        tags=tags,
        categories=categories,
        body="第1篇正文。\n",
    )
    assert import_paths([tmp_path], user=user).updated == 1
    article = Article.objects.get(title="台灣新聞 No.1 改")
    changed, first = article.history.all()
    [reference] = Article.history.bulk_history_create(
        [article], update=True, default_user=user, default_change_reason="import"
    )
    reference.refresh_from_db()
    skip = {"history_id", "history_date"}
    fields = [f.attname for f in Article.history.model._meta.concrete_fields if f.attname not in skip]
    assert {f: getattr(changed, f) for f in fields} == {f: getattr(reference, f) for f in fields}
    assert changed.history_date >= article.imported_at
    # The first version, recorded just before the change, as the first import wrote it.
    assert (first.history_type, first.history_change_reason, first.title) == ("+", "import", "台灣新聞 No.1")
    assert first.history_date == article.first_imported_at
    assert first.body_html == article.body_html
    assert first.front_matter["tags"] == ["Taiwan", "標籤1", "Ｚｅｂｒａ"]


def test_with_debug_on_the_query_log_does_not_grow_with_the_run(tmp_path, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(runner, "BATCH_SIZE", 2)
    write_posts(tmp_path, 12)
    connection.queries_log.clear()
    assert import_paths([tmp_path], workers=1).created == 12
    assert len(connection.queries) < 40  # the last batch's and the run's, not six batches'
