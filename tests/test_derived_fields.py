"""The article derives its text, duplicate keys and search document itself, however it is edited."""

import pytest
from django.db.models import F

from articles.importer.runner import import_paths
from articles.models import Article
from articles.models import article as article_module
from articles.search import search
from articles.text.fingerprints import text_fingerprint, title_key
from tests.factories import make_article
from tests.importer.posts import front_matter_post

pytestmark = pytest.mark.django_db

LONG = "两岸关系在二零二二年夏天再度紧张，军演与外交表态接连不断，各方都在观察下一步的走向。" * 3


def found(query):
    return {article.pk for article in search(Article.objects.all(), query).results}


def stored(article):
    return Article.objects.values("body_text", "title_key", "text_fingerprint").get(pk=article.pk)


def test_an_orm_edit_of_body_title_and_tags_is_searchable_and_the_stale_text_is_not():
    article = make_article("旧标题", body_html="<p>旧的正文 Brexit</p>")
    article = Article.objects.get(pk=article.pk)  # as a shell or a script loads it
    article.body_html = f"<p>新的正文 NATO</p><p>{LONG}</p>"
    article.title = "新标题"
    article.save()
    article.tags.add("台海局势")
    assert found("NATO") == found("新标题") == found("局势") == {article.pk}
    assert found("Brexit") == found("旧标题") == found("旧的正文") == set()
    assert stored(article) == {
        "body_text": f"新的正文 NATO\n\n{LONG}",
        "title_key": title_key("新标题"),
        "text_fingerprint": text_fingerprint(f"新的正文 NATO\n\n{LONG}"),
    }


def test_a_new_article_given_only_its_body_gets_its_text():
    article = Article.objects.create(title="新文章", slug="new", body_html="<p>只有 HTML 的正文</p>")
    assert stored(article)["body_text"] == "只有 HTML 的正文"
    assert found("HTML") == {article.pk}


def test_a_save_of_some_fields_writes_what_derives_from_them():
    article = Article.objects.get(pk=make_article("标题", body_html="<p>旧正文</p>").pk)
    article.body_html = f"<p>{LONG}</p>"
    article.title = "没有保存的标题"
    article.save(update_fields=["body_html"])
    assert stored(article) == {
        "body_text": LONG,
        "title_key": title_key("标题"),
        "text_fingerprint": text_fingerprint(LONG),
    }
    assert found("军演") == {article.pk}
    assert found("没有保存") == set()


def parsed_bodies(monkeypatch):
    """The bodies the article parses from now on: its HTML-to-text derivation, recorded."""
    calls = []
    derivations = [
        (
            target,
            source,
            (lambda html, derive=derive: calls.append(html) or derive(html)) if target == "body_text" else derive,
        )
        for target, source, derive in article_module.DERIVATIONS
    ]
    monkeypatch.setattr(article_module, "DERIVATIONS", tuple(derivations))
    return calls


def test_a_save_that_leaves_the_body_alone_parses_no_html(monkeypatch):
    article = Article.objects.get(pk=make_article("标题", body_html="<p>正文</p>").pk)
    calls = parsed_bodies(monkeypatch)
    article.status = Article.Status.HIDDEN
    article.hidden_reason = "重复"
    article.save()
    assert calls == []
    assert stored(article)["body_text"] == "正文"
    article.body_html = "<p>新正文</p>"
    article.save()
    assert calls == ["<p>新正文</p>"]


def test_saving_an_article_loaded_without_its_body_derives_nothing(monkeypatch):
    make_article("标题", body_html=f"<p>{LONG}</p>")
    article = Article.objects.only("title", "status").get()
    calls = parsed_bodies(monkeypatch)
    article.status = Article.Status.HIDDEN
    article.save()
    assert calls == []
    assert stored(article)["body_text"] == LONG


def test_queryset_update_derives_and_reindexes():
    article = make_article("标题", body_html="<p>旧正文 Brexit</p>")
    other = make_article("别的", body_html="<p>别的正文</p>")
    assert Article.objects.filter(pk=article.pk).update(body_html="<p>新正文 NATO</p>", title="新标题") == 1
    assert stored(article)["body_text"] == "新正文 NATO"
    assert stored(article)["title_key"] == title_key("新标题")
    assert found("NATO") == found("新标题") == {article.pk}
    assert found("Brexit") == set()
    assert found("别的正文") == {other.pk}


def test_queryset_update_refuses_a_body_or_title_computed_in_sql():
    make_article("标题")
    with pytest.raises(ValueError, match="title"):
        Article.objects.update(title=F("author"))


def test_bulk_update_derives_and_reindexes():
    articles = [make_article(f"标题{n}", body_html="<p>旧正文 Brexit</p>") for n in range(3)]
    articles = list(Article.objects.filter(pk__in=[a.pk for a in articles]))
    for n, article in enumerate(articles):
        article.body_html = f"<p>新正文{n} NATO</p>"
    Article.objects.bulk_update(articles, ["body_html"])
    assert [stored(a)["body_text"] for a in articles] == ["新正文0 NATO", "新正文1 NATO", "新正文2 NATO"]
    assert found("NATO") == {a.pk for a in articles}
    assert found("Brexit") == set()


def test_an_imported_article_holds_what_a_save_would_derive(tmp_path):
    front_matter_post(tmp_path, "post.md", title="导入的标题", body=f"{LONG}\n\n第二段 <b>粗体</b>。\n")
    import_paths([tmp_path])
    article = Article.objects.get()
    imported = stored(article)
    article._derived_from = {}  # forget what it was derived from: derive everything again
    article.refresh_derived()
    assert imported == {name: getattr(article, name) for name in imported}
