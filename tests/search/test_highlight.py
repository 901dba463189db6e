"""Snippets and highlighted titles: escaped HTML with <mark> around what matched."""

from articles.search.highlight import highlight, snippet
from articles.search.query import parse_query


def terms(query):
    return parse_query(query).terms


def test_html_in_content_is_escaped():
    html = snippet('<script>alert("台海")</script> 台海局势', terms("台海"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.count("<mark>台海</mark>") == 2


def test_traditional_text_is_marked_for_a_simplified_query():
    assert highlight("臺灣海峽", terms("台湾")) == "<mark>臺灣</mark>海峽"


def test_full_width_and_case_are_marked_in_their_original_form():
    assert highlight("ＮＡＴＯ and Nato, not senator", terms("nato")) == (
        "<mark>ＮＡＴＯ</mark> and <mark>Nato</mark>, not senator"
    )


def test_phrase_is_marked_across_punctuation():
    assert highlight("Hong-Kong today", terms('"hong kong"')) == "<mark>Hong-Kong</mark> today"


def test_snippet_is_a_window_around_the_first_match():
    text = "开头" * 200 + "美台军事勾连" + "结尾" * 200
    html = snippet(text, terms("军事"), length=40)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>军事</mark>" in html
    assert len(html) < 80


def test_snippet_without_a_match_shows_the_start():
    assert snippet("第一句。第二句。", terms("台海"), length=4) == "第一句。…"


def test_ampersands_and_quotes_are_escaped_inside_marks():
    assert highlight("AT&T's", terms("AT&T")) == "<mark>AT&amp;T</mark>&#x27;s"


def test_a_match_far_into_a_long_text_is_found_and_marked():
    text = "开头。" * 3000 + "美台军事勾连" + "结尾。" * 3000
    html = snippet(text, terms("军事"), length=40)
    assert "<mark>军事</mark>" in html
    assert html.startswith("…") and html.endswith("…")


def test_only_the_window_is_marked_in_a_long_text():
    text = "the summit … " + "of the people, " * 5000
    html = snippet(text, terms("the"), length=40)
    assert html == "<mark>the</mark> summit … of <mark>the</mark> people, of <mark>the</mark> peopl…"
    assert html.endswith("…")


def test_characters_that_expand_when_normalized_keep_their_place():
    # "…" becomes "...", "ﬁ" becomes "fi": the marks still land on the original characters.
    html = snippet("one… two ﬁnance… three ﬁnance", terms("finance"), length=200)
    assert html == "one… two <mark>ﬁnance</mark>… three <mark>ﬁnance</mark>"
