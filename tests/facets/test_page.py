"""What readers see of facets: a labelled landmark beside the results, in their language, and errors that say why."""

import re

import pytest

pytestmark = pytest.mark.django_db


def landmark_labels(html):
    """The accessible names of the page's nav landmarks, by aria-label or the heading they point at."""
    labels = re.findall(r'<nav[^>]*aria-label="([^"]+)"', html)
    for heading in re.findall(r'<nav[^>]*aria-labelledby="([^"]+)"', html):
        labels.append(re.search(rf'id="{heading}"[^>]*>([^<]+)<', html).group(1))
    return labels


def test_search_facets_are_a_uniquely_labelled_nav_beside_the_results(client, archive):
    html = client.get("/search/", {"q": "台海"}).content.decode()
    labels = landmark_labels(html)
    assert "Narrow the results" in labels and len(labels) == len(set(labels))
    facets = html[html.index('<nav class="facets"') :]
    assert re.findall(r"<h3[^>]*>([^<]+)</h3>", facets) == ["Year", "Category", "Author", "Tag"]
    assert "<script" not in facets and "style=" not in facets
    assert html.index('class="hits"') < html.index('class="facets"')  # after the results in reading order


def test_the_narrowing_in_force_is_marked_and_can_be_taken_away(client, archive):
    html = client.get("/search/", {"q": "台海", "year": "2022", "tag": "军事"}).content.decode()
    assert re.search(r'<span class="facet-item current" aria-current="true"><span class="facet-name">2022<', html)
    assert 'href="?q=%E5%8F%B0%E6%B5%B7&amp;tag=%E5%86%9B%E4%BA%8B">Any year</a>' in html
    assert ">Any tag</a>" in html and ">Any author</a>" not in html


def test_facets_speak_chinese(client, archive):
    html = client.get("/search/", {"q": "台海", "year": "2022"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "筛选结果" in html and "年份" in html and "所有年份" in html
    listed = client.get("/tag/军事/", {"year": "2022"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "筛选列表" in listed and "2022 年" in listed


@pytest.mark.parametrize("year", ["abc", "0", "10000", "２０２２", "-1"])
def test_a_year_that_is_no_year_is_refused_with_its_reason(client, archive, year):
    api = client.get("/api/articles/", {"q": "台海", "year": year})
    assert api.status_code == 400 and "year" in api.json()["detail"]
    assert client.get("/api/articles/", {"year": year}).status_code == 400
    assert client.get("/search/", {"q": "台海", "year": year}).status_code == 404
    assert client.get("/tag/军事/", {"year": year}).status_code == 404


def test_a_year_without_matches_is_an_empty_search_but_a_missing_list(client, archive):
    page = client.get("/search/", {"q": "台海", "year": "1999"})
    assert page.status_code == 200 and page.context["paginator"].count == 0
    assert ">Any year</a>" in page.content.decode()  # the way back
    assert client.get("/api/articles/", {"q": "台海", "year": "9999"}).json()["count"] == 0
    assert client.get("/tag/军事/", {"year": "1999"}).status_code == 404


def test_lists_without_a_search_have_no_facets_in_the_api(client, archive):
    body = client.get("/api/articles/", {"year": "2022"}).json()
    assert "facets" not in body and body["count"] == 5  # four 台海 articles and one other
