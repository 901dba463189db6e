"""Documents prepared outside the writing process (the importer's workers) are indexed as is."""

import pytest
from django.db import connection

from articles.models import Article, SearchDocument
from articles.search import search, update_index
from articles.search.backends import get_backend
from articles.search.indexing import build_documents, index_documents, prepare_document
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def found(query):
    return {article.title for article in search(Article.objects.all(), query).results}


def no_tokenizing(*texts):
    raise AssertionError("tokens were computed in the writing process")


def test_prepared_documents_are_indexed_without_tokenizing(monkeypatch):
    articles = [
        make_article(f"臺灣 {n}", body_text=f"第{n}段 NATO", author="編輯", tags=["標籤"], categories=["兩岸"])
        for n in range(3)
    ]
    SearchDocument.objects.all().delete()
    prepared = {a.pk: prepare_document(a.title, a.author, a.body_text, ["標籤"], ["兩岸"]) for a in articles}
    with monkeypatch.context() as patched:
        patched.setattr(get_backend(connection), "prepare", no_tokenizing)
        index_documents(prepared)
    titles = {a.title for a in articles}
    assert found("台湾") == found("nato") == found("标签") == found("两岸") == found("编辑") == titles
    assert found("第1段") == {"臺灣 1"}
    assert update_index([a.pk for a in articles]) == 0  # what update_index would have stored


def test_prepared_documents_equal_built_ones():
    article = make_article("Ｔｉｔｌｅ 標題", body_text="正文 Body", author="作者", tags=["b", "甲", "A"])
    [stored] = SearchDocument.objects.filter(article=article).values_list("title", "text")
    prepared = prepare_document(article.title, article.author, article.body_text, ["甲", "A", "b"], [])
    assert (prepared.title, prepared.text) == stored
    assert prepared == get_backend(connection).prepare(*build_documents([article.pk], "default")[article.pk])
    index_documents({article.pk: prepared})  # over an existing document: replaced, not duplicated
    assert update_index([article.pk]) == 0
    assert found("标题") == {article.title}
