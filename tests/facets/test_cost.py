"""Facets cost a fixed number of queries whatever the matches, and following one is a search like any other."""

import pytest
from django.test import Client

from articles.search import engine
from tests.factories import make_article

pytestmark = pytest.mark.django_db

NARROWED = {"tag": "共同", "author": "a1", "category": "中国"}


@pytest.fixture
def matches(request):
    for n in range(request.param):
        make_article(f"台海 {n}", author=f"a{n % 5}", tags=[f"t{n % 7}", "共同"], categories=["中国", f"c{n % 3}"])


@pytest.mark.parametrize("matches", [3, 30], indirect=True)
def test_search_page_and_api_queries_are_constant(client, django_assert_num_queries, matches):
    # candidates + their titles and bodies (relevance's occurrences) + the content version + facets
    # with the total + the page
    with django_assert_num_queries(5):
        page = client.get("/search/", {"q": "台海"})
    assert page.context["facets"].author
    # candidates + the narrowed candidates + titles and bodies + the content version + facets + the page
    with django_assert_num_queries(6):
        assert client.get("/search/", {"q": "台海", **NARROWED}).context["paginator"].count > 0
    # candidates (+ narrowed) + titles and bodies + the content version + ids + rows + categories + tags:
    # the page's facets, cached
    for narrowed, queries in (({}, 7), (NARROWED, 8)):
        with django_assert_num_queries(queries):
            assert client.get("/api/articles/", {"q": "台海", **narrowed}).json()["facets"]["tag"]
    # with dates, not shared with the page's: + facets
    with django_assert_num_queries(8):
        assert client.get("/api/articles/", {"q": "台海", "from": "2000-01-01"}).json()["count"] > 0
    # again: the facets come from the cache
    with django_assert_num_queries(4):
        assert client.get("/search/", {"q": "台海"}).context["facets"].author


@pytest.mark.parametrize("matches", [3, 30], indirect=True)
def test_many_candidates_cost_the_same(client, django_assert_num_queries, matches, monkeypatch):
    monkeypatch.setattr(engine, "LIST_LIMIT", 2)  # candidates probed in the index as a subquery
    # Every article matches: the candidate check + the content version + the whole archive's
    # counts (once per narrowing and version) + the rest's + the page, narrowed or not.
    for params in ({"q": "台海"}, {"q": "台海", **NARROWED}):
        with django_assert_num_queries(5):
            assert client.get("/search/", params).context["paginator"].count > 0
    # another search matching most: the whole archive's counts come from the cache
    with django_assert_num_queries(4):
        assert client.get("/search/", {"q": "台"}).context["paginator"].count > 0
    # one matching no more than half: the rest is too many, so the matches are counted (and no page to read)
    with django_assert_num_queries(4):
        assert client.get("/search/", {"q": "台海 -共同"}).context["paginator"].count == 0


@pytest.mark.parametrize("matches", [3], indirect=True)
def test_a_search_without_matches_counts_nothing_more(client, django_assert_num_queries, matches):
    with django_assert_num_queries(1):  # the candidates, none
        response = client.get("/search/", {"q": "量子纠缠"})
    assert response.context["paginator"].count == 0 and not response.context["facets"].groups()


@pytest.mark.parametrize("matches", [3], indirect=True)
def test_following_facets_counts_against_the_search_limit(settings, matches):
    settings.SEARCH_RATE_LIMIT = "3/m"
    reader = Client(REMOTE_ADDR="192.0.2.10")  # a documentation address (RFC 5737)
    statuses = [reader.get("/search/", {"q": "台海", "tag": tag}).status_code for tag in ("共同", "t1", "t2", "t3")]
    assert statuses == [200, 200, 200, 429]
    assert reader.get("/api/articles/", {"q": "台海", "year": "2022"}).status_code == 429
    assert reader.get("/tag/共同/").status_code == 200  # a list, with its year facet, is no search
