"""Every facet's count is the count its narrowing then gives: in the API and on the search page."""

import re
from html import unescape

import pytest

from articles.facets import narrowing as narrowing_module
from articles.search import engine

pytestmark = pytest.mark.django_db

QUERIES = ["台海", "台海局势", "台海 -军事", "局势 tag"]
# Narrowings already in force when the facets are read: a facet then replaces its own dimension.
NARROWINGS = [{}, {"year": "2022"}, {"tag": "军事"}, {"author": "早报", "year": "2021"}, {"category": "中国"}]


def api(client, params):
    response = client.get("/api/articles/", params)
    assert response.status_code == 200, response.content
    return response.json()


def all_results(client, params):
    """Every result of an API search, page by page."""
    results, page = [], 1
    while True:
        body = api(client, {**params, "page": page})
        results += body["results"]
        if not body["next"]:
            return body["count"], results
        page += 1


@pytest.mark.parametrize("narrowed", NARROWINGS)
@pytest.mark.parametrize("query", QUERIES)
def test_api_facet_counts_equal_the_narrowed_counts(client, archive, query, narrowed):
    params = {"q": query, **narrowed}
    body = api(client, params)
    assert set(body["facets"]) == {"year", "category", "author", "tag"}
    count, results = all_results(client, params)
    assert body["count"] == count == len(results)  # the total comes from the facets' query
    followed = 0
    for dimension, items in body["facets"].items():
        for item in items:
            assert set(item) == {"name", "param", "count"} and item["count"] > 0
            assert list(item["param"]) == [dimension]
            narrowed_body = api(client, {**params, **item["param"]})
            assert narrowed_body["count"] == item["count"], (dimension, item)
            followed += 1
    assert followed > 5


def test_facets_list_years_categories_top_authors_and_tags(client, archive):
    facets = api(client, {"q": "台海"})["facets"]
    years = {item["name"]: item["count"] for item in facets["year"]}
    # 2022-01-01 00:10 in Singapore is 2022 here, though 2021 in UTC; 1950 and year 1 are extracted.
    assert years == {"2024": 1, "2023": 1, "2022": 4, "2021": 1, "2020": 12, "1950": 1, "1": 1}
    assert [item["name"] for item in facets["year"]] == ["2024", "2023", "2022", "2021", "2020", "1950", "1"]
    assert facets["year"][0]["param"] == {"year": "2024"}
    categories = {item["name"]: item["count"] for item in facets["category"]}
    assert categories == {"中国": 6, "国际": 3}  # not the unlinkable one (no slug)
    assert len(facets["author"]) == 10 and len(facets["tag"]) == 10
    assert facets["author"][0] == {"name": "早报", "param": {"author": "早报"}, "count": 4}
    assert "" not in {item["name"] for item in facets["author"]}
    assert {"name": "Reuters ", "param": {"author": "Reuters "}, "count": 1} in facets["author"]
    counts = [item["count"] for item in facets["tag"]]
    assert counts == sorted(counts, reverse=True)
    assert facets["tag"][0] == {"name": "军事", "param": {"tag": "军事"}, "count": 5}


def test_the_author_and_tag_in_force_are_listed_even_outside_the_top(client, archive):
    # Each facet counts without its own narrowing, so the other 9 are the top of every match.
    tags = api(client, {"q": "台海", "tag": "单11"})["facets"]["tag"]
    assert {"name": "单11", "param": {"tag": "单11"}, "count": 1} in tags and len(tags) == 10
    authors = api(client, {"q": "台海", "author": "作者11"})["facets"]["author"]
    assert {"name": "作者11", "param": {"author": "作者11"}, "count": 1} in authors and len(authors) == 10


def test_the_large_candidate_path_gives_the_same_facets(client, archive, monkeypatch):
    expected = [api(client, {"q": query, **narrowed}) for query in QUERIES for narrowed in NARROWINGS]
    monkeypatch.setattr(engine, "LIST_LIMIT", 2)  # candidates probed as a set, not listed
    assert [api(client, {"q": query, **narrowed}) for query in QUERIES for narrowed in NARROWINGS] == expected


def test_years_before_the_compared_ones_are_extracted_alike(client, archive, monkeypatch):
    expected = api(client, {"q": "台海"})["facets"]["year"]
    monkeypatch.setattr(narrowing_module, "RECENT_YEARS", 1)  # every year but this one extracted
    assert api(client, {"q": "台海"})["facets"]["year"] == expected


def test_the_api_year_agrees_with_from_and_to(client, archive):
    by_year = api(client, {"q": "台海", "year": "2022"})
    by_dates = api(client, {"q": "台海", "from": "2022-01-01", "to": "2022-12-31"})
    assert by_year["count"] == by_dates["count"] == 4
    # from/to narrow the facets' base; the year facet inside them counts alike.
    inside = api(client, {"q": "台海", "from": "2022-01-01", "to": "2022-06-30"})
    assert {item["name"]: item["count"] for item in inside["facets"]["year"]} == {"2022": 1}


FACET_LINK = re.compile(r'<a class="facet-item" href="([^"]+)">.*?<span class="facet-count">([\d,]+)<', re.S)


@pytest.mark.parametrize("narrowed", NARROWINGS[:3])
def test_search_page_facet_links_lead_to_their_counts(client, archive, narrowed):
    response = client.get("/search/", {"q": "台海", **narrowed})
    html = response.content.decode()
    links = FACET_LINK.findall(html)
    assert len(links) > 10
    for href, count in links:
        followed = client.get("/search/" + unescape(href))
        assert followed.status_code == 200
        assert followed.context["paginator"].count == int(count.replace(",", "")), href
        assert "page=" not in href


def test_list_year_facet_counts_equal_the_narrowed_lists(client, archive):
    for url in ("/tag/军事/", "/category/中国/", "/author/早报/"):
        response = client.get(url)
        years = response.context["facets"].year
        assert years and sum(item.count for item in years) == response.context["paginator"].count
        for item in years:
            narrowed = client.get(url, item.param)
            assert narrowed.status_code == 200
            assert narrowed.context["paginator"].count == item.count, (url, item)
