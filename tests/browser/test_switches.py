"""The language and reading-script switches in a real Chromium: labelled, reachable and used by keyboard alone."""

import pytest

from .conftest import PHONE, open_page

pytestmark = pytest.mark.browser

SEED_TITLE = "李作成与美参谋长联席会主席通话：要求停止美台军事勾连"
SEED_TITLE_TAIWAN = "李作成與美參謀長聯席會主席通話：要求停止美臺軍事勾連"


def tab_to(page, name, limit=60):
    """Press Tab until the button called ``name`` has the focus; fail if it is not reachable."""
    button = page.get_by_role("button", name=name, exact=True)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            return button
    pytest.fail(f"{name!r} cannot be reached with Tab")


def press_enter(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def test_switch_script_and_language_by_keyboard(desktop, site):
    desktop.goto(site.get_absolute_url())
    page = desktop.page
    assert page.get_by_role("group", name="Language").get_by_role("button").count() == 3
    assert page.get_by_role("group", name="Articles in").get_by_role("button").count() == 3
    assert page.locator("article h1").inner_text() == SEED_TITLE

    button = tab_to(page, "繁 (traditional Chinese)")
    assert button.evaluate("element => getComputedStyle(element).outlineStyle") == "solid"
    press_enter(page)
    assert page.url.endswith(site.get_absolute_url())
    assert page.locator("article h1").inner_text() == SEED_TITLE_TAIWAN
    assert page.locator("article h1").get_attribute("lang") == "zh-Hant-TW"
    assert page.locator("html").get_attribute("lang") == "en"  # the interface is another switch
    current = page.get_by_role("button", name="繁 (traditional Chinese)", exact=True)
    assert current.get_attribute("aria-current") == "true"
    desktop.screenshot("article-traditional-desktop")

    tab_to(page, "繁體中文")
    press_enter(page)
    assert page.locator("html").get_attribute("lang") == "zh-hant"
    assert page.get_by_role("group", name="文章用字").is_visible()

    tab_to(page, "原文 (不轉換)")
    press_enter(page)
    assert page.locator("article h1").inner_text() == SEED_TITLE
    assert page.locator("article h1").get_attribute("lang") == "zh"
    desktop.assert_clean()


def test_a_hong_kong_phone_reads_traditional_by_default(browser, live_server, photo, site):
    context, phone = open_page(browser, live_server, photo, **PHONE, locale="zh-HK")
    try:
        phone.goto("/")
        page = phone.page
        assert page.locator("html").get_attribute("lang") == "zh-hant"
        assert page.locator(".card-title").first.get_attribute("lang") == "zh-Hant-HK"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        phone.assert_clean()
        phone.screenshot("home-phone-traditional")
    finally:
        context.close()
