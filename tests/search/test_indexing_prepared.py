"""Documents prepared outside the writing process (the importer's workers) are indexed as is."""

import pytest
from django.db import connection

from articles.models import Article, SearchDocument
from articles.search import indexing, search, update_index
from articles.search.backends import sqlite
from articles.search.backends.postgresql import token_id
from articles.search.indexing import index_documents, prepare_document
from articles.text.normalize import document_tokens
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def found(query):
    return {article.title for article in search(Article.objects.all(), query).results}


def stored_form(tokens):
    """Tokens as the database's index stores them: PostgreSQL's as numbers (see ``token_id``)."""
    return {str(token_id(token)) for token in tokens} if connection.vendor == "postgresql" else set(tokens)


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
        patched.setattr(sqlite, "document_tokens", no_tokenizing)
        patched.setattr(indexing, "_prepared", no_tokenizing)
        index_documents(prepared)
    titles = {a.title for a in articles}
    assert found("台湾") == found("nato") == found("标签") == found("两岸") == found("编辑") == titles
    assert found("第1段") == {"臺灣 1"}
    assert update_index([a.pk for a in articles]) == 0  # what update_index would have stored


def test_prepared_documents_equal_built_ones():
    article = make_article("Ｔｉｔｌｅ 標題", body_text="正文 Body", author="作者", tags=["b", "甲", "A"])
    [built] = SearchDocument.objects.filter(article=article).values_list("title", "text")
    prepared = prepare_document(article.title, article.author, article.body_text, ["甲", "A", "b"], [])
    assert (prepared.title, prepared.text) == built
    assert set(prepared.tokens.split()) == stored_form(document_tokens(*built))
    assert set(prepared.title_tokens.split()) == stored_form(document_tokens(built[0]))
    index_documents({article.pk: prepared})  # over an existing document: replaced, not duplicated
    assert update_index([article.pk]) == 0
    assert found("标题") == {article.title}
