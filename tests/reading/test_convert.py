"""Conversion changes text only: markup, attributes and character references come out as they went in."""

import time

import pytest
from django.utils.safestring import SafeString, mark_safe

from articles.reading.choice import HONG_KONG, ORIGINAL, SIMPLIFIED_SCRIPT, TAIWAN
from articles.reading.convert import convert_html, convert_text


@pytest.mark.parametrize(
    ("script", "text", "converted"),
    [
        (SIMPLIFIED_SCRIPT, "臺灣的軟體與頭髮", "台湾的软体与头发"),
        (TAIWAN, "台湾的软件与头发", "臺灣的軟件與頭髮"),
        (HONG_KONG, "台湾的软件，里面", "台灣的軟件，裏面"),
        (TAIWAN, "里面", "裡面"),
        (ORIGINAL, "台湾 臺灣", "台湾 臺灣"),
        (TAIWAN, "", ""),
        (TAIWAN, "Plain English & <b>", "Plain English & <b>"),
    ],
)
def test_plain_text_in_each_script(script, text, converted):
    assert convert_text(text, script) == converted


def test_markup_and_attributes_never_change():
    html = mark_safe(
        '<p class="lead" title="台湾">台湾<a href="/tag/台湾/" data-x="a>b 台湾">台湾新闻</a></p>'
        '<figure><img src="/media/台湾.jpg" alt="台湾海峡"><figcaption>台湾海峡</figcaption></figure>'
        "<!-- 台湾 --><p>1 &lt; 2 &amp; 台湾&#x53F0;&nbsp;湾</p>"
    )
    converted = convert_html(html, TAIWAN)
    assert isinstance(converted, SafeString)
    assert converted == (
        '<p class="lead" title="台湾">臺灣<a href="/tag/台湾/" data-x="a>b 台湾">臺灣新聞</a></p>'
        '<figure><img src="/media/台湾.jpg" alt="台湾海峡"><figcaption>臺灣海峽</figcaption></figure>'
        "<!-- 台湾 --><p>1 &lt; 2 &amp; 臺灣&#x53F0;&nbsp;灣</p>"
    )


def test_highlight_marks_survive_conversion():
    snippet = mark_safe("…关于<mark>台湾</mark>问题的<mark>软件</mark>…")
    assert convert_html(snippet, TAIWAN) == "…關於<mark>臺灣</mark>問題的<mark>軟件</mark>…"
    assert convert_html(mark_safe("<mark>臺灣</mark>"), SIMPLIFIED_SCRIPT) == "<mark>台湾</mark>"


def test_text_not_marked_safe_is_escaped_first():
    assert convert_html("<script>台湾</script>", TAIWAN) == "&lt;script&gt;臺灣&lt;/script&gt;"


def test_as_written_returns_the_same_object():
    html = mark_safe("<p>台湾</p>")
    assert convert_html(html, ORIGINAL) is html


def test_a_huge_body_converts_in_bounded_time():
    """Not a benchmark (bench/script_bench.py is): a guard against a quadratic tokenizer."""
    body = SafeString('<p class="x">台湾的软件<a href="/a">链接</a></p>' * 20_000)  # 600,000 characters
    started = time.perf_counter()
    converted = convert_html(body, TAIWAN)
    assert time.perf_counter() - started < 10
    assert converted.count('<a href="/a">') == 20_000 and "臺灣的軟件" in converted
