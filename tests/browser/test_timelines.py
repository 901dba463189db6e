"""Timelines in a real Chromium: bars that lead to their month, the numbers behind a <details>, phones
and dark mode, no CSP violation; the admin's dashboard; axe-core on both. Screenshots for the README."""

from datetime import UTC, datetime

import pytest

from tests.factories import make_article

from .axe import violations
from .conftest import DESKTOP, PHONE, open_page

pytestmark = pytest.mark.browser

# Six years of a news archive with its ups and downs: (year, month) -> articles.
SHAPE = {(2019 + n // 12, 1 + n % 12): (n * 7) % 11 + (n // 9) for n in range(0, 70, 2)}


@pytest.fixture
def years(site):
    for (year, month), count in SHAPE.items():
        for day in range(count):
            make_article(
                f"{year} 年 {month} 月第 {day + 1} 篇",
                published_at=datetime(year, month, 1 + day, 4, tzinfo=UTC),
                tags=["联合早报", "台海"] if day % 2 else ["联合早报"],
                author="联合早报",
            )
    return site


def no_horizontal_scroll(page):
    return page.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_bar_leads_to_its_month(desktop, years):
    desktop.goto("/archive/")
    page = desktop.page
    figure = page.get_by_role("figure", name="Articles per month")
    assert figure.locator("svg.timeline-row").count() >= 6  # 2019 to 2024, and the seed's year
    bar = figure.locator("svg a").filter(has=page.locator("title", has_text="March 2020")).first
    count = int(bar.locator("title").text_content().split(": ")[1].split()[0])
    with page.expect_navigation():
        bar.click()
    assert page.url.endswith("/archive/2020/03/")
    assert page.locator(".page-header .count").inner_text().startswith(f"{count} article")
    desktop.assert_clean()


def test_the_numbers_are_a_table_behind_a_details_by_keyboard(desktop, years):
    desktop.goto("/archive/")
    page = desktop.page
    table = page.locator("figure.timeline table")
    assert not table.is_visible()
    desktop.screenshot("archive-desktop")
    page.locator("figure.timeline summary").focus()
    page.keyboard.press("Enter")
    assert table.is_visible()
    assert table.locator("tfoot td").inner_text() == page.locator("figure.timeline tbody td").evaluate_all(
        "cells => cells.reduce((sum, cell) => sum + Number(cell.textContent.replace(/,/g, '')), 0).toLocaleString('en')"
    )
    desktop.assert_clean()


def test_charts_on_a_phone_light_and_dark(years, browser, live_server, photo):
    for scheme in ("light", "dark"):
        context, phone = open_page(browser, live_server, photo, **PHONE, locale="zh-CN", color_scheme=scheme)
        try:
            phone.goto("/tag/台海/")
            chart = phone.page.locator("figure.timeline")
            assert chart.locator("svg.timeline-row").first.is_visible()
            assert no_horizontal_scroll(phone)
            fill = chart.locator("rect.timeline-bar").first.evaluate("bar => getComputedStyle(bar).fill")
            background = phone.page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert fill != background
            phone.assert_clean()
            chart.scroll_into_view_if_needed()
            phone.screenshot(f"tag-timeline-phone-{scheme}")
            phone.goto("/archive/")
            assert no_horizontal_scroll(phone)
            if scheme == "dark":
                phone.screenshot("archive-phone-dark")
        finally:
            context.close()


@pytest.fixture
def chief(transactional_db, django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-test-password")


def sign_in(page):
    page.goto("/admin/login/")
    page.page.fill("#id_username", "chief")
    page.page.fill("#id_password", "a-long-test-password")
    with page.page.expect_navigation():
        page.page.click("input[type=submit]")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_dashboard(years, chief, browser, live_server, photo, scheme):
    context, desktop = open_page(browser, live_server, photo, **DESKTOP, locale="en-US", color_scheme=scheme)
    try:
        sign_in(desktop)
        desktop.goto("/admin/")
        page = desktop.page
        assert page.locator("#site-name").inner_text() == "News archive"
        published = page.locator(".dashboard-numbers a", has_text="Published")
        count = int(published.locator(".dashboard-n").inner_text().replace(",", ""))
        assert page.locator(".dashboard-panel figure svg.timeline-row").count() >= 6
        desktop.assert_clean()
        assert violations(page) == []
        desktop.screenshot("dashboard-desktop" + ("-dark" if scheme == "dark" else ""), full_page=True)
        with page.expect_navigation():
            published.click()
        assert f"{count} " in page.locator("#changelist-form .paginator, .paginator").first.inner_text()
    finally:
        context.close()


@pytest.mark.parametrize(
    "mode",
    [
        {**DESKTOP, "locale": "en-US", "color_scheme": "light"},
        {**PHONE, "locale": "zh-TW", "color_scheme": "dark"},
    ],
    ids=["desktop-light", "phone-dark"],
)
def test_no_axe_violations_with_the_numbers_open(years, browser, live_server, photo, mode):
    context, page = open_page(browser, live_server, photo, **mode)
    try:
        for path in ("/archive/", "/archive/2020/", "/author/联合早报/", "/search/?q=联合早报"):
            page.goto(path)
            page.page.locator("figure.timeline summary").first.click()
            assert violations(page.page) == [], path
            page.assert_clean()
    finally:
        context.close()
