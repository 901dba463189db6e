"""search(): what readers find, on SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from articles.models import Article
from articles.search import engine, ranking, search, update_index
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def titles(results):
    return [article.title for article in results.results]


def found(query, queryset=None, order="relevance"):
    return set(titles(search(queryset or Article.objects.published(), query, order)))


def test_two_characters_inside_a_sentence_are_found():
    make_article("美台军事勾连升级", body_text="中共国防部回应美台军事勾连。")
    make_article("无关", body_text="今天天气很好。")
    assert found("台海") == set()
    assert found("军事") == {"美台军事勾连升级"}
    assert found("美台军事勾连") == {"美台军事勾连升级"}
    assert found("事勾") == {"美台军事勾连升级"}


def test_one_character_finds_articles_containing_it():
    make_article("台湾", body_text="")
    make_article("香港", body_text="")
    assert found("湾") == {"台湾"}
    assert found("灣") == {"台湾"}


def test_three_or_more_characters_must_be_contiguous():
    make_article("李作成访问", body_text="李作成说")
    make_article("分开", body_text="李作 成功")
    make_article("乱序", body_text="作成李作")
    assert found("李作成") == {"李作成访问"}


def test_simplified_finds_traditional_and_the_reverse():
    make_article("臺灣海峽局勢", body_text="兩岸關係緊張。")
    make_article("台湾海峡局势", body_text="两岸关系紧张。")
    both = {"臺灣海峽局勢", "台湾海峡局势"}
    assert found("台湾") == both
    assert found("臺灣") == both
    assert found("两岸關係") == both


def test_full_width_and_case_fold():
    make_article("ＮＡＴＯ峰會", body_text="")
    make_article("Nato summit", body_text="")
    assert found("nato") == {"ＮＡＴＯ峰會", "Nato summit"}
    assert found("ＮＡＴＯ") == {"ＮＡＴＯ峰會", "Nato summit"}


def test_latin_words_match_whole_words_only():
    make_article("Nato expands", body_text="")
    make_article("A senator speaks", body_text="The senators agreed.")
    assert found("NATO") == {"Nato expands"}
    assert found("senator") == {"A senator speaks"}
    assert found("sena") == set()


def test_all_terms_must_match():
    make_article("美国 关税", body_text="")
    make_article("美国 选举", body_text="")
    assert found("美国 关税") == {"美国 关税"}
    assert found("美國　選舉") == {"美国 选举"}  # full-width space separates terms too


def test_quoted_phrase_matches_exactly():
    make_article("Hong Kong protest", body_text="")
    make_article("Kong and Hong", body_text="")
    assert found('"hong kong"') == {"Hong Kong protest"}
    assert found("hong kong") == {"Hong Kong protest", "Kong and Hong"}
    assert found("“Hong Kong”") == {"Hong Kong protest"}


def test_phrase_across_punctuation_and_script_change():
    make_article("中国，美国", body_text="")
    make_article("iPhone手机", body_text="")
    assert found('"中国 美国"') == {"中国，美国"}
    assert found("国美") == set()
    assert found("iphone手机") == {"iPhone手机"}
    assert found("phone手机") == set()


def test_minus_excludes_a_term():
    make_article("香港 选举", body_text="")
    make_article("香港 经济", body_text="")
    assert found("香港 -选举") == {"香港 经济"}
    assert found('香港 -"经济"') == {"香港 选举"}
    assert found("香港 -经济政策") == {"香港 选举", "香港 经济"}


@pytest.mark.parametrize("field", ["tags", "categories", "author"])
def test_tags_categories_and_author_are_searched(field):
    values = {
        "tags": {"tags": ["台海局势"]},
        "categories": {"categories": ["台海局势"]},
        "author": {"author": "台海局势"},
    }
    make_article("Something", body_text="", **values[field])
    assert found("台海") == {"Something"}


def test_no_match_across_tags():
    make_article("Tagged", body_text="", tags=["台湾", "海峡"])
    assert found("湾海") == set()


def test_ranking_title_then_count_then_newer():
    now = timezone.now()
    make_article("Body once, newest", body_text="选举", published_at=now - timedelta(days=1))
    make_article("Body twice", body_text="选举 选举", published_at=now - timedelta(days=3))
    make_article("选举 in title, oldest", body_text="", published_at=now - timedelta(days=9))
    make_article("Body once, older", body_text="选举", published_at=now - timedelta(days=2))
    assert titles(search(Article.objects.published(), "选举")) == [
        "选举 in title, oldest",
        "Body twice",
        "Body once, newest",
        "Body once, older",
    ]
    assert titles(search(Article.objects.published(), "选举", "newest"))[0] == "Body once, newest"
    assert titles(search(Article.objects.published(), "选举", "oldest"))[0] == "选举 in title, oldest"


def test_unknown_order_falls_back_to_relevance():
    make_article("选举", body_text="")
    assert search(Article.objects.published(), "选举", "bogus").order == "relevance"


def test_public_search_never_shows_drafts_hidden_future_or_deleted():
    make_article("公开文章 台海", body_text="")
    make_article("草稿 台海", body_text="", status=Article.Status.DRAFT)
    make_article("隐藏 台海", body_text="", status=Article.Status.HIDDEN)
    make_article("未来 台海", body_text="", published_at=timezone.now() + timedelta(days=1))
    make_article("删除 台海", body_text="").delete()
    assert found("台海") == {"公开文章 台海"}
    assert found("台海", Article.objects.all()) == {"公开文章 台海", "草稿 台海", "隐藏 台海", "未来 台海"}


def test_filters_from_the_queryset_combine_with_the_query():
    make_article("台海 一", body_text="", tags=["军事"])
    make_article("台海 二", body_text="")
    assert found("台海", Article.objects.published().filter(tags__name="军事")) == {"台海 一"}


ODD = "100% 台海_test"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Nothing to search for: nothing found (SQL wildcards such as % and _ match nothing either).
        *((query, set()) for query in ["", "   ", "-", "--", '"', '""', "- - -", "***", "(", "%", "_", "\\", "'"]),
        # Operators of SQL or FTS5 are words like any other, here found in no article.
        ("AND OR NOT", set()),
        ("NEAR(a b)", set()),
        ('"unclosed', set()),
        # Punctuation around words is ignored, the words are searched.
        ("100%", {ODD}),
        ("台海_test", {ODD}),
        ('"100% 台海', {ODD}),
        ("(台海)", {ODD}),
        ("台海*", {ODD}),
        ("-test", set()),
    ],
)
def test_odd_queries_find_what_their_words_say(query, expected):
    make_article(ODD, body_text="")
    make_article("50_50 的香港", body_text="")
    results = search(Article.objects.published(), query)
    assert (results.count(), set(titles(results))) == (len(expected), expected)
    list(results.results[:10])
    if not results.terms:
        assert results.message


def test_empty_query_asks_for_a_word():
    results = search(Article.objects.published(), "  ")
    assert results.count() == 0
    assert results.message == "Enter a word to search for."


def test_only_exclusions_explains_itself():
    make_article("台海", body_text="")
    results = search(Article.objects.published(), "-台海")
    assert results.count() == 0
    assert "only exclude" in results.message


def test_like_wildcards_are_literal():
    make_article("100% sure", body_text="")
    make_article("1000 things", body_text="")
    assert found("100%") == {"100% sure"}


def test_very_long_query_is_cut_with_a_message():
    make_article("台海", body_text="")
    results = search(Article.objects.published(), "台海 " + "很长的查询" * 60)
    assert "200" in results.message
    assert results.count() == 0


def test_results_paginate_with_constant_queries(django_assert_num_queries):
    for n in range(25):
        make_article(f"台海 {n}", body_text="台海" * (n % 3 + 1))
    with django_assert_num_queries(4):  # candidates, their titles and bodies (occurrences), count, page
        results = search(Article.objects.published(), "台海")
        paginator = Paginator(results.results, 10)
        page = paginator.page(2)
        assert len(page.object_list) == 10
        assert [results.snippet(article) for article in page.object_list]
    assert paginator.count == 25


def test_many_matches_rank_title_matches_then_newest(monkeypatch):
    """Over the ranking budget occurrences are not counted, so common words stay fast."""
    monkeypatch.setattr(ranking, "RANK_BUDGET", 2)
    now = timezone.now()
    make_article("Body many times", body_text="选举 " * 9, published_at=now - timedelta(days=5))
    make_article("Body once, newest", body_text="选举", published_at=now - timedelta(days=1))
    make_article("选举 in title, oldest", body_text="", published_at=now - timedelta(days=9))
    assert titles(search(Article.objects.published(), "选举")) == [
        "选举 in title, oldest",
        "Body once, newest",
        "Body many times",
    ]


def test_title_rank_for_long_terms_confirms_the_substring():
    make_article("美台 台军 (not the phrase)", body_text="美台军事", published_at=timezone.now() - timedelta(days=1))
    make_article("Body only", body_text="美台军事 美台军事", published_at=timezone.now() - timedelta(days=2))
    make_article("美台军事 in title", body_text="", published_at=timezone.now() - timedelta(days=3))
    assert titles(search(Article.objects.published(), "美台军"))[0] == "美台军事 in title"


def test_control_characters_and_lone_surrogates_are_ignored():
    make_article("台海", body_text="")
    assert found("\x00台海\ud800") == {"台海"}


def test_very_long_words_are_still_exact():
    word = "a" * 60
    make_article(f"{word} long", body_text="")
    make_article(f"{word}b longer", body_text="")
    assert found(word) == {f"{word} long"}


@pytest.mark.parametrize("rank_limit", [3000, 1000])
def test_thousands_of_matches_count_and_page(monkeypatch, rank_limit):
    """A long list of candidate ids (under the limit) and a probe (over it) give the same pages."""
    monkeypatch.setattr(engine, "LIST_LIMIT", rank_limit)
    monkeypatch.setattr(ranking, "RANK_BUDGET", rank_limit)
    start = timezone.now() - timedelta(days=1)
    articles = Article.objects.bulk_create(
        [
            Article(
                title=f"第{n}篇",
                slug=f"many-{n}",
                body_text="台海" * (n % 4 + 1),
                status=Article.Status.PUBLISHED,
                published_at=start - timedelta(minutes=n),
            )
            for n in range(1500)
        ]
    )
    update_index([a.pk for a in articles])
    results = search(Article.objects.published(), "台海")
    assert results.count() == 1500
    # Counted: the newest of those with the most matches; over the limit: simply the newest.
    assert results.results[0].title == ("第3篇" if rank_limit > 1500 else "第0篇")
    page = Paginator(results.results, 20).page(3)
    assert len(page.object_list) == 20
    newest = [a.title for a in search(Article.objects.published(), "台海", "newest").results[:3]]
    assert newest == ["第0篇", "第1篇", "第2篇"]
