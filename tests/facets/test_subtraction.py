"""A search matching most of the archive counts its facets as the whole archive minus the rest: the same
counts as counting the matches, kept until an article changes."""

from collections import Counter

import pytest
from django.utils import timezone

from articles.facets import Narrowing, count_facets, search_facets, subtraction
from articles.models import Article
from articles.search import engine, search
from tests.factories import make_article

pytestmark = pytest.mark.django_db

NARROWINGS = [
    Narrowing(),
    Narrowing(year=2022),
    Narrowing(tag="军事"),
    Narrowing(author="早报", year=2021),
    Narrowing(category="中国"),
    Narrowing(author="作者03"),
    Narrowing(tag="单05"),
]


@pytest.fixture
def subtracted(monkeypatch):
    """Every search probes its candidates (``many``), and the calls of ``subtract`` are recorded."""
    monkeypatch.setattr(engine, "LIST_LIMIT", 2)
    calls = []
    real = subtraction.subtract
    monkeypatch.setattr(subtraction, "subtract", lambda *args, **kwargs: calls.append(args) or real(*args, **kwargs))
    return calls


def facets(query, narrowing=None):
    narrowing = narrowing or Narrowing()
    found = search(Article.objects.published(), query, narrow=narrowing.condition())
    return search_facets(found, narrowing), found


def as_counts(result):
    dimensions = ("year", "category", "author", "tag")
    return {name: [(item.name, item.count, item.current) for item in getattr(result, name)] for name in dimensions}


@pytest.mark.parametrize("narrowing", NARROWINGS)
@pytest.mark.parametrize("query", ["台海", "台海 -军事", "局势"])
def test_subtracted_counts_equal_the_matches_counts(archive, subtracted, query, narrowing):
    got, found = facets(query, narrowing)
    counted = count_facets(found.matches, narrowing, many=True)
    assert (got.total, as_counts(got)) == (counted.total, as_counts(counted))
    assert got.total == found.results.count()
    matching = found.matches.count() > Article.objects.published().count() / 2
    assert bool(subtracted) == matching  # "局势" matches 8 of 22: counted directly
    assert (query != "局势") == matching


def test_subtracted_counts_equal_brute_force(archive, subtracted):
    got, found = facets("台海")
    assert subtracted
    matches = list(found.matches.prefetch_related("tags", "categories"))
    assert got.total == len(matches) == 21
    years = Counter(timezone.localtime(article.published_at).year for article in matches)
    assert {int(item.name): item.count for item in got.year} == years
    authors = Counter(article.author for article in matches if article.author)
    tags = Counter(tag.name for article in matches for tag in article.tags.all())
    categories = Counter(c.name for article in matches for c in article.categories.all() if c.slug)
    assert {item.name: item.count for item in got.category} == categories
    # The top 10 of the complete counts: each listed one counted exactly, none left out that outnumbers one listed.
    for listed, counts in ((got.author, authors), (got.tag, tags)):
        assert len(listed) == 10 and all(item.count == counts[item.name] for item in listed)
        names = {item.name for item in listed}
        assert min(item.count for item in listed) >= max(n for name, n in counts.items() if name not in names)
    assert got.author[0].name == "早报" and got.author[0].count == authors["早报"] == 4


def test_the_narrowing_in_force_stays_listed_though_rare(archive, subtracted):
    got, _found = facets("台海", Narrowing(tag="单07"))
    assert subtracted and got.total == 1
    assert [item for item in got.tag if item.current][0].name == "单07"


def test_publishing_hiding_and_deleting_are_counted_at_once(archive, subtracted, django_assert_num_queries):
    before, _found = facets("台海")
    new = make_article("台海 新闻", author="作者03", tags=["军事"], categories=["中国"])
    after, _found = facets("台海")
    assert after.total == before.total + 1
    assert dict_of(after.tag)["军事"] == dict_of(before.tag)["军事"] + 1
    new.status = Article.Status.HIDDEN
    new.save()
    assert as_counts(facets("台海")[0]) == as_counts(before)
    new.status = Article.Status.PUBLISHED
    new.save()
    assert facets("台海")[0].total == before.total + 1
    Article.objects.filter(pk=new.pk).delete()
    assert as_counts(facets("台海")[0]) == as_counts(before)
    Article.objects.filter(title="台海 单篇 3").delete()
    assert "作者03" not in dict_of(facets("台海")[0].author)
    # Each change counted anew, the whole archive's counts with it: the content version never returns
    # to an earlier value, not even when the articles are the same again.
    assert len(subtracted) == 6


def test_a_scheduled_article_is_counted_once_its_time_comes(archive, subtracted, monkeypatch):
    before, _found = facets("台海")
    later = timezone.now() + timezone.timedelta(hours=1)
    make_article("台海 预告", published_at=later)
    assert facets("台海")[0].total == before.total
    monkeypatch.setattr(timezone, "now", lambda: later + timezone.timedelta(seconds=1))
    assert facets("台海")[0].total == before.total + 1


def test_a_repeated_search_reads_its_facets_from_the_cache(archive, subtracted, django_assert_num_queries):
    first, found = facets("台海 -军事")
    # the content version, then one cache read
    with django_assert_num_queries(1):
        again = search_facets(found, Narrowing())
    assert as_counts(again) == as_counts(first) and len(subtracted) == 1


def dict_of(items):
    return {item.name: item.count for item in items}
