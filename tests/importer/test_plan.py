"""Planning a post: what it does to its article, decided without the database."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from articles.importer.plan import PendingPost, Planner, Write
from articles.importer.post import ParsedPost
from articles.importer.report import Outcome
from articles.models import Article

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 6, 1, 12, tzinfo=UTC)


def pending(content_hash="a" * 64, **fields):
    fields.setdefault("title", "台海局势")
    fields.setdefault("body_html", "<p>正文 NATO</p>")
    fields.setdefault("body_text", "正文 NATO")
    post = ParsedPost(slug="taihai", published_at=NOW, tags=["台海"], aliases=["/old/"], **fields)
    return PendingPost(post, "https://example.com/a", "a.md", "a.md", content_hash)


def imported(planner, item):
    """The article as the plan for a new post would store it, read back as the writer would find it."""
    plan = planner.plan(item, None, set(), set(), NOW)
    plan.article.save()
    return Article.objects.get(pk=plan.article.pk)


def test_a_new_post_is_inserted_with_its_tags_and_old_paths_and_nothing_is_read(django_assert_num_queries):
    planner = Planner()
    with django_assert_num_queries(0):
        plan = planner.plan(pending(), None, set(), set(), NOW)
    assert (plan.outcome, plan.write) == (Outcome.CREATED, Write.INSERT)
    assert plan.article.pk is None and plan.article.body_text == "正文 NATO" and plan.article.title_key
    assert (plan.tags, plan.categories, plan.aliases) == ({"台海"}, set(), ["/old/"])


def test_the_same_bytes_write_nothing():
    planner = Planner()
    article = imported(planner, pending())
    plan = planner.plan(pending(), article, {"台海"}, set(), timezone.now())
    assert (plan.outcome, plan.write, plan.tags) == (Outcome.UNCHANGED, Write.NOTHING, None)


def test_a_changed_body_updates_the_body_and_what_derives_from_it(django_assert_num_queries):
    planner = Planner()
    article = imported(planner, pending())
    item = pending("b" * 64, body_html="<p>新正文 Brexit</p>", body_text="新正文 Brexit")
    with django_assert_num_queries(0):
        plan = planner.plan(item, article, {"台海"}, set(), timezone.now())
    assert (plan.outcome, plan.write) == (Outcome.UPDATED, Write.UPDATE)
    assert plan.fields == {"body_html", "body_text", "text_fingerprint", "reading_time"}
    assert article.body_text == "新正文 Brexit"


def test_a_curators_field_is_kept_and_only_the_provenance_is_written():
    planner = Planner()
    article = imported(planner, pending())
    article.title = "编辑改过的标题"
    article.save()
    plan = planner.plan(pending("c" * 64, title="来源改过的标题"), article, {"台海"}, set(), timezone.now())
    assert (plan.outcome, plan.write, plan.conflicts) == (Outcome.SKIPPED, Write.PROVENANCE, ("title",))
    assert article.title == "编辑改过的标题" and article.content_hash == "c" * 64
