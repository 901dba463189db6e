"""Small builders for test data: real model instances, no mocks."""

import itertools
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from taggit.models import Tag

from articles.models import Article, Category, ImportRun, TaggedArticle, unicode_slug

_counter = itertools.count(1)


def make_category(name):
    category, _ = Category.objects.get_or_create(name=name, defaults={"slug": unicode_slug(name)})
    return category


def html_paragraphs(text):
    """HTML whose readable text is ``text``: a paragraph per blank-line-separated block, ``<br>`` per line."""
    blocks = (block for block in text.split("\n\n") if block.strip())
    return "".join("<p>{}</p>".format(escape(block).replace("\n", "<br>")) for block in blocks)


def make_article(title=None, *, tags=(), categories=(), **fields):
    """Create a published article (unless told otherwise) with tags and categories."""
    n = next(_counter)
    title = title or f"测试文章 {n}"
    fields.setdefault("slug", f"{unicode_slug(title)}-{n}")
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=n))
    if "body_text" in fields:  # the text given: a body that has it (the article derives its text from the body)
        fields.setdefault("body_html", html_paragraphs(fields.pop("body_text")))
    fields.setdefault("body_html", f"<p>{title} 的正文。</p>")
    fields.setdefault("excerpt", f"{title} 的摘要。")
    article = Article.objects.create(title=title, **fields)
    if tags:
        article.tags.add(*tags)
    if categories:
        article.categories.add(*(make_category(name) for name in categories))
    return article


def make_many(count, *, tags=("台海", "国际")):
    """``count`` published articles with tags, in a few bulk queries."""
    noon = datetime(2024, 6, 1, 12, tzinfo=UTC)  # all in one year, whatever today is
    articles = Article.objects.bulk_create(
        Article(
            title=f"批量文章 {i}",
            slug=f"bulk-{i}",
            status=Article.Status.PUBLISHED,
            published_at=noon - timedelta(minutes=i),
            author=f"作者{i % 7}",
            body_html=f"<p>正文 {i}</p>",
            body_text=f"正文 {i}",
        )
        for i in range(count)
    )
    tag_objects = [Tag.objects.get_or_create(name=name)[0] for name in tags]
    TaggedArticle.objects.bulk_create(
        TaggedArticle(content_object=article, tag=tag) for article in articles for tag in tag_objects
    )
    return articles


def dead_pid():
    """The id of a process that has just exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def make_unfinished_run(**fields):
    """An import run started by this process (by default), heartbeat now, not finished."""
    defaults = {"heartbeat_at": timezone.now(), "host": socket.gethostname(), "pid": os.getpid()}
    return ImportRun.objects.create(**{**defaults, **fields})


def viewer_client(username="editor"):
    """A Client signed in as staff who may view articles, as real editors are: they see previews of drafts
    and hidden articles (bare staff get 404 there)."""
    user = User.objects.create_user(username, password="pw-for-tests", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article", content_type__app_label="articles"))
    client = Client()
    client.force_login(user)
    return client
