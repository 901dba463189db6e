"""Relevance order with bounded work: stop words and long texts do not make a search slow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from articles.search import ranking, search
from articles.text.normalize import canonical

pytestmark = pytest.mark.django_db


def titles(query):
    return [article.title for article in search(Article.objects.published(), query).results]


def days_ago(n):
    return timezone.now() - timedelta(days=n)


def test_stop_words_must_match_but_do_not_rank_by_count():
    from tests.factories import make_article

    make_article("Older", body_text="the the the the the nato", published_at=days_ago(3))
    make_article("Newer", body_text="the nato", published_at=days_ago(1))
    make_article("No stop word", body_text="nato", published_at=days_ago(0))
    # "the" is never counted, so the newer article comes first; it still has to be there.
    assert titles("the") == ["Newer", "Older"]
    assert titles("the nato") == ["Newer", "Older"]
    # A word that is not on the list is counted as before.
    make_article("Nato twice", body_text="nato nato", published_at=days_ago(5))
    assert titles("nato")[0] == "Nato twice"


def test_the_chinese_stop_characters_match_but_do_not_rank_by_count():
    from tests.factories import make_article

    make_article("很多", body_text="的的的的的的的", published_at=days_ago(2))
    make_article("一个", body_text="我的书", published_at=days_ago(1))
    make_article("没有", body_text="书", published_at=days_ago(0))
    assert titles("的") == ["一个", "很多"]


def test_occurrences_count_only_in_the_opening(monkeypatch):
    from tests.factories import make_article

    monkeypatch.setattr(ranking, "OPENING", 20)
    make_article("Late", body_text="x" * 40 + " 选举" * 9, published_at=days_ago(2))
    make_article("Early", body_text="选举 选举", published_at=days_ago(3))
    make_article("Once, newest", body_text="选举", published_at=days_ago(1))
    # Late's nine matches lie past the opening: it ranks as zero matches there, after "Once".
    assert titles("选举") == ["Early", "Once, newest", "Late"]


def test_counting_stops_over_the_budget(monkeypatch):
    from tests.factories import make_article

    make_article("Twice, older", body_text="选举 选举 香港", published_at=days_ago(2))
    make_article("Once, newer", body_text="选举 香港", published_at=days_ago(1))
    assert titles("选举 香港") == ["Twice, older", "Once, newer"]
    monkeypatch.setattr(ranking, "RANK_BUDGET", 3)  # two candidates x two counted terms
    assert titles("选举 香港") == ["Once, newer", "Twice, older"]


def test_a_phrase_search_reads_the_texts_once(django_assert_num_queries):
    from tests.factories import make_article

    for n in range(3):
        make_article(f"Phrase {n}", body_text="south africa hosted a summit")
    make_article("Apart", body_text="africa, then south")
    results = search(Article.objects.published(), '"south africa"')
    with django_assert_num_queries(2):  # the count and the page, both from the confirmed ids
        assert results.count() == 3
        assert len(list(results.results[:20])) == 3


@pytest.mark.parametrize(
    "body",
    [
        "台湾，" * 400,
        "NATO allies " * 300,
        "ﬁ…" * 900 + "台湾",
        "e\u0301" * 1500,
        "长" * 2500,
        "短文",
        "",
    ],
)
def test_the_opening_is_the_start_of_the_whole_bodys_canonical_form(body):
    assert ranking.opening(body) == canonical(body)[: ranking.OPENING]
