import pytest

from articles.text.plain import html_to_text, make_excerpt, reading_time


def test_paragraphs_are_separated_by_blank_lines():
    html = "<h2>Heading</h2>\n<p>One <em>two</em>\n three.</p><p>Line<br>break</p><ul><li>a</li><li>b</li></ul>"
    assert html_to_text(html) == "Heading\n\nOne two three.\n\nLine\nbreak\n\na\nb"


def test_entities_are_decoded_and_figures_keep_their_caption():
    html = '<figure><img src="x.jpg" alt="alt text"><figcaption>A &amp; B</figcaption></figure><p>x&nbsp;y</p>'
    assert html_to_text(html) == "A & B\n\nx y"


def test_table_cells_are_spaced():
    assert html_to_text("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>") == "a b\nc"


@pytest.mark.parametrize("html", ["", "   ", "<p></p>", "<img src='x.jpg'>"])
def test_no_text(html):
    assert html_to_text(html) == ""


def test_short_text_is_kept_whole():
    assert make_excerpt("  A short\n\nparagraph.  ") == "A short paragraph."


def test_cjk_excerpt_ends_at_a_sentence_end():
    text = "第一句话说了一些事情。" * 10 + "最后一句" + "很长" * 22 + "的话"
    excerpt = make_excerpt(text)
    assert excerpt.endswith("。")
    assert 90 <= len(excerpt) <= 150


def test_sentence_end_keeps_its_closing_quote():
    text = "甲" * 100 + "他说：“好。”" + "乙" * 100
    assert make_excerpt(text).endswith("好。”")


def test_cjk_without_sentence_end_is_cut_with_an_ellipsis():
    excerpt = make_excerpt("字" * 400)
    assert excerpt == "字" * 149 + "…"


def test_latin_words_are_never_cut_in_half():
    text = " ".join(["internationalization"] * 20)
    excerpt = make_excerpt(text)
    assert excerpt.endswith("internationalization…")
    assert len(excerpt) <= 150


def test_decimal_point_is_not_a_sentence_end():
    text = "上升" * 50 + "14.3%" + "的升幅" * 40
    assert not make_excerpt(text).endswith("14.")


def test_custom_limit():
    assert len(make_excerpt("word " * 100, limit=40)) <= 40


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("", 1),
        ("短", 1),
        ("字" * 400 * 5, 5),
        ("word " * 220 * 3, 3),
        ("字" * 800 + " word" * 440, 4),
    ],
)
def test_reading_time(text, minutes):
    assert reading_time(text) == minutes
