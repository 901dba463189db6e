import pytest

from articles.importer.render import has_tags, render_body, render_markdown, render_plain_text


def test_markdown_is_commonmark_with_raw_html():
    html = render_markdown("# Title\n\nSome *emphasis* and <span class='x'>raw HTML</span>.\n")
    assert "<h1>Title</h1>" in html
    assert "<em>emphasis</em>" in html
    assert "<span class='x'>raw HTML</span>" in html


def test_markdown_tables_and_strikethrough():
    html = render_markdown("| a | b |\n| - | - |\n| 1 | 2 |\n\n~~gone~~\n")
    assert "<table>" in html and "<td>1</td>" in html
    assert "<s>gone</s>" in html


def test_markdown_setext_heading_with_link():
    html = render_markdown("[标题](https://example.com/a)\n------\n\n正文")
    assert html.startswith('<h2><a href="https://example.com/a">标题</a></h2>')


def test_plain_text_blank_lines_make_paragraphs_and_newlines_breaks():
    html = render_plain_text("第一段。\n\n第二段第一行，\n第二段第二行。\n\n\n\n第三段。")
    assert html == "<p>第一段。</p>\n<p>第二段第一行，<br>第二段第二行。</p>\n<p>第三段。</p>"


def test_plain_text_is_escaped():
    html = render_plain_text('A & B < C, "quoted" &amp; done')
    assert html == '<p>A &amp; B &lt; C, "quoted" &amp; done</p>'


def test_plain_text_with_crlf_and_ideographic_space_lines():
    assert render_plain_text("一\r\n\u3000\r\n二") == "<p>一</p>\n<p>二</p>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>x</p>", True),
        ("a <br/> b", True),
        ("<!-- note --> text", True),
        ("1 < 2 and 3 > 2", False),
        ("plain text only", False),
        ("x<y, 1<2", False),
    ],
)
def test_has_tags(text, expected):
    assert has_tags(text) is expected


def test_html_bodies_stay_html_but_tagless_ones_are_plain_text():
    assert render_body("<p>x</p>\n\n<p>y</p>", "news/a.html") == "<p>x</p>\n\n<p>y</p>"
    assert render_body("x\n\ny", "news/a.HTM") == "<p>x</p>\n<p>y</p>"


@pytest.mark.parametrize("path", ["a.md", "a.markdown", "000_5d55ed8ea138fb0a.txt", "no-extension"])
def test_everything_else_is_markdown(path):
    assert render_body("*x*", path) == "<p><em>x</em></p>\n"
