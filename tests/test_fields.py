"""Article bodies are stored compressed, however they are written, and read back as the text written."""

import zlib

import pytest
from django.db import connection

from articles.importer.runner import import_paths
from articles.models import Article
from tests.factories import make_article
from tests.importer.posts import front_matter_post

pytestmark = pytest.mark.django_db

BODY = "<p>" + "台湾海峡局势紧张，各方呼吁克制。Both sides 𠀀 ＮＡＴＯ.\n" * 300 + "</p>"


def stored(article, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {Article._meta.db_table} WHERE id = %s", [article.pk])  # noqa: S608
        return bytes(cursor.fetchone()[0])


def test_a_saved_body_is_stored_compressed_and_reads_back_unchanged():
    article = make_article("长文", body_html=BODY)
    assert zlib.decompress(stored(article, "body_html")).decode() == BODY
    assert len(stored(article, "body_html")) * 20 < len(BODY.encode())
    assert zlib.decompress(stored(article, "body_text")).decode() == article.body_text
    article.refresh_from_db()
    assert article.body_html == BODY
    Article.objects.filter(pk=article.pk).update(body_html="<p>改</p>")
    assert Article.objects.values_list("body_html", "body_text").get(pk=article.pk) == ("<p>改</p>", "改")


def test_an_empty_body_is_stored_as_no_bytes():
    article = make_article("空", body_html="")
    assert stored(article, "body_html") == b""
    assert Article.objects.get(pk=article.pk).body_html == ""


def test_imported_bodies_are_stored_compressed(tmp_path):
    front_matter_post(tmp_path, "a.md", title="导入", body="第一段。\n\n第二段。\n")
    import_paths([tmp_path])
    article = Article.objects.get()
    assert zlib.decompress(stored(article, "body_html")).decode() == "<p>第一段。</p>\n<p>第二段。</p>"
    assert article.body_text == "第一段。\n\n第二段。"
