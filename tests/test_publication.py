"""The article's rules, each with one owner: what the public may see, and the reason a hidden one keeps."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.curation import bulk
from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("status", "offset", "public", "scheduled"),
    [
        (Article.Status.PUBLISHED, -HOUR, True, False),
        (Article.Status.PUBLISHED, HOUR, False, True),
        (Article.Status.DRAFT, -HOUR, False, False),
        (Article.Status.HIDDEN, -HOUR, False, False),
    ],
)
def test_an_article_in_memory_and_the_database_agree_on_what_is_public(status, offset, public, scheduled):
    article = make_article("文章", status=status, published_at=timezone.now() + offset, hidden_reason="原因")
    assert Article.objects.published().filter(pk=article.pk).exists() is public
    assert (article.is_public, article.is_scheduled) == (public, scheduled)


def test_hiding_needs_a_reason_and_any_other_status_drops_it():
    article = make_article("文章")
    selected = Article.objects.filter(pk=article.pk)
    with pytest.raises(ValueError):
        bulk.set_status(selected, Article.Status.HIDDEN, reason="  ")
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert bulk.set_status(selected, Article.Status.HIDDEN, reason="版权问题") == 1
    assert Article.objects.get(pk=article.pk).hidden_reason == "版权问题"
    assert bulk.set_status(selected, Article.Status.DRAFT, reason="不该留下") == 1
    assert Article.objects.values_list("status", "hidden_reason").get(pk=article.pk) == (Article.Status.DRAFT, "")
