"""axe-core finds no WCAG 2.1 A/AA or best-practice violation on readers' pages: light, dark, desktop, phone."""

import pytest

from tests.factories import make_article

from .axe import violations
from .conftest import DESKTOP, PHONE, open_page

pytestmark = pytest.mark.browser

# Each mode in another interface language too, so every script's pages are checked.
MODES = {
    "desktop-light": {**DESKTOP, "locale": "en-US", "color_scheme": "light"},
    "desktop-dark": {**DESKTOP, "locale": "zh-TW", "color_scheme": "dark"},
    "phone-light": {**PHONE, "locale": "zh-CN", "color_scheme": "light"},
    "phone-dark": {**PHONE, "locale": "zh-HK", "color_scheme": "dark"},
}


# As imported posts often are: headings from ### on, a link inside a paragraph, a list.
SECTIONED_BODY = (
    "<p>据<a href='https://example.com/'>路透社</a>报道，台海局势升温。</p><h3>背景</h3><p>两岸学者呼吁恢复对话。</p>"
    "<h4>各方反应</h4><ul><li>美方表示关注。</li></ul><h3>展望</h3><p>分析人士认为，局势仍将紧张。</p>"
)


def pages(seed):
    sectioned = make_article("台海局势的背景与展望", body_html=SECTIONED_BODY, tags=["台海"], author="联合早报")
    return {
        "home": "/",
        "list": "/tag/台海/",
        "article": seed.get_absolute_url(),
        "sectioned article": sectioned.get_absolute_url(),
        "search": "/search/?q=台海",
        "tags": "/tags/",
        "archive": "/archive/",
        "archive year": f"/archive/{seed.local_published_at.year}/",
        "author": "/author/联合早报/",
    }


@pytest.mark.parametrize("mode", MODES)
def test_no_axe_violations(browser, live_server, photo, site, mode):
    context, page = open_page(browser, live_server, photo, **MODES[mode])
    try:
        found = {}
        for name, path in pages(site).items():
            page.goto(path)
            found[name] = violations(page.page)
            page.assert_clean()
        report = "\n".join(f"{name}: {line}" for name, lines in found.items() for line in lines)
        assert not report, f"{mode}:\n{report}"
    finally:
        context.close()
