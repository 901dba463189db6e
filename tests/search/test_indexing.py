"""Keeping the index current: saves, tag and category changes, deletes, bulk writes, rebuilds."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.models import Article, SearchDocument
from articles.search import remove_from_index, search, update_index
from articles.search.indexing import build_documents
from articles.text.normalize import position_tokens
from tests.factories import make_article, make_category

pytestmark = pytest.mark.django_db


def found(query):
    return {article.title for article in search(Article.objects.all(), query).results}


def test_saving_an_article_reindexes_it():
    article = make_article("旧标题", body_text="")
    article.title = "新标题 台海"
    article.save()
    assert found("台海") == {"新标题 台海"}
    assert found("旧标题") == set()


def test_adding_and_removing_tags_reindexes():
    article = make_article("Tagged", body_text="")
    article.tags.add("台海局势")
    assert found("局势") == {"Tagged"}
    article.tags.remove("台海局势")
    assert found("局势") == set()


def test_tag_added_from_the_tag_side_and_cleared():
    article = make_article("Tagged", body_text="")
    tag = Tag.objects.create(name="军演", slug="junyan")
    article.tags.add(tag)
    assert found("军演") == {"Tagged"}
    category = make_category("两岸")
    category.articles.add(article)
    assert found("两岸") == {"Tagged"}
    category.articles.clear()
    assert found("两岸") == set()


def test_renaming_a_tag_or_category_reindexes_its_articles():
    make_article("Tagged", body_text="", tags=["旧名"], categories=["旧类"])
    tag = Tag.objects.get(name="旧名")
    tag.name = "新名"
    tag.save()
    category = make_category("旧类")
    category.name = "新类"
    category.save()
    assert found("新名") == {"Tagged"}
    assert found("新类") == {"Tagged"}
    assert found("旧名") == set()


def test_saving_a_tag_without_renaming_it_reads_no_articles(django_assert_num_queries):
    make_article("Tagged", body_text="", tags=["台海"])
    tag = Tag.objects.get(name="台海")
    with django_assert_num_queries(2):  # the old name, the update
        tag.save()


def test_deleting_a_tag_or_category_reindexes_its_articles():
    make_article("Tagged", body_text="", tags=["将删"], categories=["将删类"])
    Tag.objects.get(name="将删").delete()
    make_category("将删类").delete()
    assert found("将删") == set()


def test_deleting_articles_removes_them_from_the_index():
    article = make_article("台海", body_text="")
    make_article("台海 二", body_text="")
    Article.objects.filter(pk=article.pk).delete()
    assert found("台海") == {"台海 二"}
    assert not SearchDocument.objects.filter(article_id=article.pk).exists()


def test_bulk_writes_are_indexed_by_update_index():
    articles = Article.objects.bulk_create(
        [Article(title=f"批量 {n}", slug=f"bulk-{n}", status=Article.Status.PUBLISHED) for n in range(3)]
    )
    assert found("批量") == set()
    assert update_index([a.pk for a in articles]) == 3
    assert found("批量") == {"批量 0", "批量 1", "批量 2"}
    assert update_index([a.pk for a in articles]) == 0  # unchanged: nothing rewritten


def test_update_index_drops_ids_that_no_longer_exist():
    article = make_article("台海", body_text="")
    Article.objects.filter(pk=article.pk)._raw_delete(connection.alias)
    update_index([article.pk, None, 999_999])
    assert not SearchDocument.objects.filter(article_id=article.pk).exists()


def test_remove_from_index():
    article = make_article("台海", body_text="")
    remove_from_index([article.pk])
    assert found("台海") == set()
    update_index([article.pk])
    assert found("台海") == {"台海"}


def test_reindexing_many_times_keeps_results_exact():
    article = make_article("台海", body_text="正文")
    for n in range(5):
        article.body_text = f"第{n}版 台海"
        article.save()
    assert found("第4版") == {"台海"}
    assert found("第3版") == set()
    assert found("台海") == {"台海"}


def test_update_index_uses_a_constant_number_of_queries():
    """Read old documents, tags, categories and articles; replace the changed documents and their tokens."""
    counts = []
    for size, author in ((10, "新作者"), (40, "另一位作者")):
        articles = [make_article(f"文章 {n}", tags=["标签"], categories=["分类"]) for n in range(size)]
        Article.objects.filter(pk__in=[a.pk for a in articles]).update(author=author)
        with CaptureQueriesContext(connection) as queries:
            update_index([a.pk for a in articles])
        counts.append(len(queries))
        assert len(found(author)) == size
    assert counts[0] == counts[1] <= 10


def test_rebuild_command_rebuilds_everything():
    make_article("台海 一", body_text="")
    Article.objects.bulk_create([Article(title="台海 二", slug="bulk-rebuild", status=Article.Status.PUBLISHED)])
    SearchDocument.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Indexed 2 articles" in out.getvalue()
    assert found("台海") == {"台海 一", "台海 二"}
    call_command("rebuild_search_index", stdout=io.StringIO(), batch_size=1)
    assert found("台海") == {"台海 一", "台海 二"}


@pytest.mark.django_db(transaction=True)
def test_index_survives_a_flush_between_tests():
    """Transactional tests flush tables; the token index must follow (triggers, or columns)."""
    make_article("台海", body_text="")
    call_command("flush", interactive=False, verbosity=0)
    make_article("别的", body_text="")
    assert found("台海") == set()
    assert found("别的") == {"别的"}


def _indexed_instances():
    """Every (token, document, column, position) SQLite's FTS5 index holds."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, articles_search_index, instance)")
        cursor.execute("SELECT term, doc, col, offset FROM temp.search_vocab")
        indexed = sorted(cursor.fetchall())
        cursor.execute("DROP TABLE temp.search_vocab")
    return indexed


def _expected_instances():
    """The instances the articles' documents should have, as built from the articles now."""
    documents = build_documents(list(Article.objects.values_list("pk", flat=True)), "default")
    return sorted(
        (token, pk, column, position)
        for pk, fields in documents.items()
        for column, text in zip(("title", "text"), fields, strict=True)
        for position, token in enumerate(position_tokens(text))
    )


def test_sqlite_index_holds_exactly_the_documents_tokens():
    """Tokens written with their positions and removed (on update, delete and rebuild) leave nothing stale."""
    if connection.vendor != "sqlite":
        pytest.skip("reads SQLite's FTS5 index")
    make_article("台海 一", body_text="海峡两岸 NATO 台海 海峡", tags=["两岸"])
    changed = make_article("台海 二", body_text="两岸关系 Brexit")
    gone = make_article("三", body_text="只在这里出现的字词 unique")
    changed.body_text = "新的正文，台海"
    changed.save()
    gone.delete()
    indexed = _indexed_instances()
    assert indexed == _expected_instances()
    assert {"brexit", "字", "词"}.isdisjoint(token for token, *_ in indexed)
    assert ("文$", changed.pk, "text") in {(token, pk, column) for token, pk, column, _ in indexed}  # a run's end
    # Behind the index's back: Django's own update(), not the article queryset's.
    QuerySet.update(Article.objects.filter(pk=changed.pk), body_text="重建 rebuilt")
    assert _indexed_instances() != _expected_instances()
    call_command("rebuild_search_index", stdout=io.StringIO())
    rebuilt = _indexed_instances()
    assert rebuilt == _expected_instances()
    assert "rebuilt" in {token for token, *_ in rebuilt} and "正" not in {token for token, *_ in rebuilt}
