"""A reader's walk through the site in a real Chromium: home, the seed article, a tag, pages, search."""

import re

import pytest

pytestmark = pytest.mark.browser

SEED_TITLE = "李作成与美参谋长联席会主席通话：要求停止美台军事勾连"


def no_horizontal_scroll(page):
    return page.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_home_page_desktop(desktop, site):
    desktop.goto("/")
    page = desktop.page
    assert page.locator("h1").inner_text() == "Latest articles"
    assert page.locator(".cards .card").count() == 20
    assert page.locator("main [lang=zh]").first.is_visible()
    assert page.locator("nav.pagination a[rel=next]").is_visible()
    desktop.assert_clean()
    desktop.screenshot("home-desktop")


def test_home_page_phone_in_chinese(phone, site):
    phone.goto("/")
    page = phone.page
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "最新文章"
    assert no_horizontal_scroll(phone)
    phone.assert_clean()
    phone.screenshot("home-phone")


def test_open_the_seed_article(desktop, site):
    desktop.goto("/")
    desktop.page.get_by_role("link", name=SEED_TITLE).first.click()
    desktop.page.wait_for_load_state("networkidle")
    page = desktop.page
    assert page.url.endswith(site.get_absolute_url())
    assert page.locator("article h1").inner_text() == SEED_TITLE
    assert page.locator(".prose").get_attribute("lang") == "zh"
    assert "中方在事关国家核心利益问题上" in page.locator(".prose").inner_text()
    source = page.locator(".source a")
    assert source.get_attribute("href") == site.original_url
    # Remote pictures are requested without a Referer header.
    assert desktop.remote_requests and all(referer is None for _, referer in desktop.remote_requests)
    desktop.assert_clean()
    desktop.screenshot("article-desktop")


def test_article_on_a_phone_light_and_dark(phone, site, browser, live_server, photo):
    phone.goto(site.get_absolute_url())
    assert no_horizontal_scroll(phone)
    body_size = phone.page.evaluate("parseFloat(getComputedStyle(document.querySelector('.prose')).fontSize)")
    assert body_size >= 16
    phone.assert_clean()
    phone.screenshot("article-phone")
    phone.page.emulate_media(color_scheme="dark")
    background = phone.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(251, 250, 247)"
    phone.screenshot("article-phone-dark")


def test_follow_a_tag(desktop, site):
    desktop.goto(site.get_absolute_url())
    tag = desktop.page.locator(".article-footer a.tag").first
    name = tag.inner_text()
    tag.click()
    desktop.page.wait_for_load_state("networkidle")
    assert desktop.page.locator("h1").inner_text() == name
    assert "/tag/" in desktop.page.url
    assert desktop.page.locator(".card").count() >= 1
    desktop.assert_clean()


def test_page_through_the_list(desktop, site):
    desktop.goto("/")
    page = desktop.page
    page.locator("nav.pagination a[rel=next]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/?page=2")
    assert page.locator("nav.pagination [aria-current=page]").inner_text() == "2"
    page.locator("nav.pagination a[rel=last]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("nav.pagination [aria-current=page]").inner_text() == "3"
    assert page.locator(".cards .card").count() == 4  # 45 articles, one pinned on page 1
    page.locator("nav.pagination a[rel=first]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Latest articles"
    desktop.assert_clean()


def test_search_box(desktop, site):
    desktop.goto("/")
    page = desktop.page
    page.get_by_role("searchbox", name="Search the archive").fill("李作成")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search/?q=" in page.url
    assert re.match(r"1 article matches", page.locator(".search-summary .count").inner_text())
    assert page.get_by_role("link", name=SEED_TITLE).is_visible()
    desktop.assert_clean()
    desktop.screenshot("search-desktop")


def test_keyboard_focus_is_visible(desktop, site):
    desktop.goto("/")
    desktop.page.keyboard.press("Tab")
    focused = desktop.page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    outline = desktop.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def box(page, selector):
    return page.locator(selector).bounding_box()


def test_search_facets_beside_the_results_then_below_on_a_phone(desktop, phone, site):
    desktop.goto("/search/?q=联合早报")
    page = desktop.page
    hits, facets = box(page, ".hits"), box(page, "nav.facets")
    assert facets["x"] >= hits["x"] + hits["width"] and facets["y"] < hits["y"] + hits["height"]
    tag = page.get_by_role("navigation", name="Narrow the results").locator("a.facet-item").nth(5)
    count = int(tag.locator(".facet-count").inner_text().split()[0])
    tag.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.match(rf"{count} articles? match", page.locator(".search-summary .count").inner_text())
    assert page.locator(".facet-item.current").count() == 1
    desktop.assert_clean()
    phone.goto("/search/?q=联合早报")
    hits, facets = box(phone.page, ".hits"), box(phone.page, "nav.facets")
    assert facets["y"] >= hits["y"] + hits["height"]
    assert phone.page.get_by_role("navigation", name="筛选结果").is_visible()
    assert no_horizontal_scroll(phone)
    phone.assert_clean()
