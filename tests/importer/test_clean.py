import random

import pytest

from articles.importer.clean import clean_html
from tests.helpers import FIXTURES_DIR

XSS = [
    '<p onclick="alert(1)">x</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt&colon;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "<script>alert(1)</script>x",
    '<img src="x" onerror="alert(1)">',
    '<img src="javascript:alert(1)">',
    '<img data-src="javascript:alert(1)" src="ok.jpg">',
    '<iframe src="https://evil.example.com"></iframe>x',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>x',
    "<math><mtext><script>alert(1)</script></mtext></math>x",
    "<style>body{display:none}</style>x",
    '<object data="evil.swf"></object><embed src="evil.swf">x',
    '<form action="https://evil.example.com"><input name="q"><button>Go</button></form>x',
    '<meta http-equiv="refresh" content="0;url=https://evil.example.com">x',
    '<base href="https://evil.example.com/">x',
    '<link rel="stylesheet" href="https://evil.example.com/x.css">x',
    '<div style="position:fixed;top:0">x</div>',
    '<p><a href="https://ok.example.com" target="_blank" onmouseover="alert(1)">ok</a></p>',
    "<<script>alert(1);//<</script>x",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">x</noscript>',
    "<template><img src=x onerror=alert(1)></template>x",
    "<p>x</p><!-- <script>alert(1)</script> -->",
]
FORBIDDEN = ["<script", "javascript:", "vbscript:", "onerror", "onclick", "onload", "onmouseover", "<iframe",
             "<svg", "<math", "<style", "style=", "<object", "<embed", "<form", "<input", "<button", "<meta",
             "<base", "<link", "data:text", "<!--", "<template", "<noscript"]  # fmt: skip


@pytest.mark.parametrize("html", XSS)
def test_xss_attempts_are_neutralized(html):
    cleaned = clean_html(html).lower()
    for marker in FORBIDDEN:
        assert marker not in cleaned, marker


def test_xss_fixture_keeps_the_safe_text():
    cleaned = clean_html((FIXTURES_DIR / "posts" / "news" / "xss.html").read_text().split("---\n", 2)[2])
    assert "Safe text survives." in cleaned
    assert "Click here or there." in cleaned
    assert "<script" not in cleaned and "alert" not in cleaned


def test_links_get_rel_and_keep_safe_hrefs():
    cleaned = clean_html('<p><a href="https://example.com/a?b=1&amp;c=2" title="t">x</a> <a href="#note">n</a></p>')
    assert '<a href="https://example.com/a?b=1&amp;c=2" title="t" rel="noopener noreferrer nofollow">x</a>' in cleaned
    assert '<a href="#note" rel="noopener noreferrer nofollow">n</a>' in cleaned


def test_a_link_whose_href_is_unsafe_becomes_plain_text():
    assert clean_html('<p>go <a href="javascript:alert(1)">here</a></p>') == "<p>go here</p>"


def test_lazy_images_become_real():
    cleaned = clean_html(
        '<img class="lazyload" data-src="https://cdn.example.com/a.jpg?x=1&amp;y=2"'
        ' src="data:image/gif;base64,R0lGOD=">'
    )
    assert cleaned == (
        '<img src="https://cdn.example.com/a.jpg?x=1&amp;y=2" alt="" loading="lazy" referrerpolicy="no-referrer">'
    )


@pytest.mark.parametrize("attr", ["data-original", "data-lazy-src"])
def test_other_lazy_attributes(attr):
    cleaned = clean_html(f'<p><img {attr}="//cdn.example.com/b.jpg" alt="b"></p>')
    assert 'src="https://cdn.example.com/b.jpg"' in cleaned
    assert attr not in cleaned


def test_srcset_gives_the_largest_image_when_there_is_no_src():
    cleaned = clean_html('<img data-srcset="https://x.example/s.jpg 320w, https://x.example/l.jpg 1024w">')
    assert 'src="https://x.example/l.jpg"' in cleaned
    assert "srcset" not in cleaned


def test_image_alt_falls_back_to_title():
    cleaned = clean_html('<img src="https://x.example/a.jpg" title="A caption">')
    assert 'alt="A caption"' in cleaned
    assert "title=" not in cleaned


def test_images_without_a_usable_source_are_dropped():
    assert clean_html('<p>x<img src="javascript:alert(1)"><img></p>') == "<p>x</p>"


def test_small_data_images_are_kept_but_not_svg():
    png = "data:image/png;base64,iVBORw0KGgo="
    assert f'src="{png}"' in clean_html(f'<img src="{png}">')
    assert clean_html('<p>x<img src="data:image/svg+xml;base64,PHN2Zz4="></p>') == "<p>x</p>"


def test_ad_and_paywall_placeholders_are_removed():
    cleaned = clean_html(
        '<p>a</p><section id="imu"><div id="dfp-ad-imu1">   </div></section><div id="innity-in-post"></div>'
        '<div class="advert-box">Advertisement</div><div id="ad-slot-3">廣告</div>'
        '<div class="cx_paywall_placeholder" id="sph_cdp_40"></div><p>b</p>'
    )
    assert cleaned == "<p>a</p>\n<p>b</p>"


def test_content_in_a_paywall_wrapper_is_kept():
    cleaned = clean_html('<div class="paywall"><p>Subscriber paragraph.</p></div>')
    assert cleaned == "<p>Subscriber paragraph.</p>"


def test_long_text_with_an_ad_like_class_is_kept():
    text = "This is a real paragraph of the article that happens to carry an unlucky class name."
    assert text in clean_html(f'<div class="ad-hoc-notes">{text}</div>')


def test_figure_media_and_sibling_caption_make_a_figure():
    cleaned = clean_html(
        '<div><div class="figure-media"><img data-src="https://x.example/a.jpg" alt="A"></div>'
        "      <figcaption>The caption</figcaption>   <p>Text</p></div>"
    )
    assert cleaned == (
        '<figure><img src="https://x.example/a.jpg" alt="A" loading="lazy" referrerpolicy="no-referrer">'
        "<figcaption>The caption</figcaption>\n</figure>\n<p>Text</p>"
    )


def test_stray_figcaption_becomes_a_paragraph():
    assert clean_html("<figcaption>Alone</figcaption>") == "<p>Alone</p>"


def test_markdown_image_with_triangle_caption_becomes_a_figure():
    cleaned = clean_html('<p><img src="https://x.example/a.jpg" alt="a.jpg">\n▲ 内卷？内卷化。</p>')
    assert cleaned.startswith("<figure><img ")
    assert "<figcaption>内卷？内卷化。</figcaption>" in cleaned
    assert "▲" not in cleaned


def test_h1_becomes_h2_and_wrappers_go():
    cleaned = clean_html("<article><h1>Title</h1><div><div><p>x</p></div></div><span>y</span></article>")
    assert cleaned == "<h2>Title</h2>\n<p>x</p>y"


def test_div_holding_only_text_becomes_a_paragraph():
    assert clean_html("<div>line one<br>line two</div><div><p>p</p></div>") == "<p>line one<br>line two</p>\n<p>p</p>"


def test_empty_elements_are_removed_but_not_images_rules_or_cells():
    cleaned = clean_html(
        "<p></p><p> <br> </p><p><strong> </strong></p><hr><table><tr><td></td><td>x</td></tr></table><ul><li></li></ul>"
    )
    assert cleaned == "<hr>\n<table>\n<tbody>\n<tr>\n<td></td>\n<td>x</td>\n</tr>\n</tbody>\n</table>"


def test_whitespace_between_blocks_collapses_and_pre_is_kept():
    cleaned = clean_html("<p>  a \n\n  b  </p>\n\n\n   <pre>  x\n    y</pre>")
    assert cleaned == "<p>a b</p>\n<pre>  x\n    y</pre>"


def test_tables_lists_quotes_and_code_survive():
    html = (
        '<table><thead><tr><th>h</th></tr></thead><tbody><tr><td colspan="2">c</td></tr></tbody></table>'
        '<ol start="3"><li>one</li></ol><blockquote><p>q</p></blockquote><p><code>c</code> <sub>1</sub><sup>2</sup>'
        "<s>s</s> <u>u</u></p>"
    )
    cleaned = clean_html(html)
    for fragment in ['<td colspan="2">c</td>', '<ol start="3">', "<blockquote>", "<code>c</code>", "<sub>1</sub>",
                     "<sup>2</sup>", "<s>s</s>", "<u>u</u>", "<th>h</th>"]:  # fmt: skip
        assert fragment in cleaned


@pytest.mark.parametrize("html", ["", "   ", "\n\n", "<p></p>", "<!-- only a comment -->"])
def test_empty_input_gives_empty_output(html):
    assert clean_html(html) == ""


def _random_html(rng):
    tags = ["p", "div", "span", "a", "img", "figure", "figcaption", "h1", "ul", "li", "table", "tr", "td", "pre",
            "script", "section", "br", "em", "blockquote", "iframe", "b"]  # fmt: skip
    attrs = ['id="imu"', 'class="dfp-ad-1"', 'href="https://x.example/?a=1&b=2"', 'href="javascript:x"',
             'data-src="https://x.example/i.jpg"', 'src="https://x.example/j.png"', 'onclick="x()"',
             'style="color:red"', 'title="t"', 'class="cx_paywall"', ""]  # fmt: skip
    texts = ["", " ", "\n\n", "文字", "word ", " ▲ 說明", "&amp;", "<", "a & b", "\u3000"]
    parts = []
    for _ in range(rng.randint(1, 40)):
        choice = rng.random()
        tag = rng.choice(tags)
        if choice < 0.4:
            parts.append(f"<{tag} {rng.choice(attrs)}>")
        elif choice < 0.7:
            parts.append(f"</{tag}>")
        else:
            parts.append(rng.choice(texts))
    return "".join(parts)


def test_cleaning_is_idempotent_on_random_markup():
    rng = random.Random(20220707)
    for _ in range(500):
        html = _random_html(rng)
        once = clean_html(html)
        assert clean_html(once) == once, html


def test_cleaning_is_idempotent_on_the_real_samples(corpus_dir):
    from articles.importer.render import render_body

    for path in sorted(corpus_dir.rglob("*.*")):
        if path.name == "README.md":
            continue
        body = path.read_text("utf-8").split("---\n", 2)[2]
        once = clean_html(render_body(body, path.name))
        assert clean_html(once) == once, path.name
