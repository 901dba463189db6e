"""In a real Chromium: a page whose images are all archived makes no request to another host."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.assets import conftest as archiver
from tests.assets.test_archive_command import article_with

# The archiver's fixtures (its local image server, settings), used here by name.
asset_server, server, archive_settings = archiver.asset_server, archiver.server, archiver.archive_settings

pytestmark = pytest.mark.browser


def loaded_images(page):
    """(src, natural width) of every image on the page, once each has loaded."""
    page.page.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
    return page.page.evaluate("[...document.images].map(i => [i.currentSrc, i.naturalWidth])")


def test_an_archived_page_loads_everything_from_its_own_host(
    desktop, phone, live_server, server, archive_settings, transactional_db
):
    article = article_with(server, "/photo.jpg", "/anim.gif", "/small.png", lead="/wide.webp", tags=["台海"])
    desktop.goto(article.get_absolute_url())
    assert {url.split("/")[2] for url, _referer in desktop.remote_requests} == {server.base.split("/")[2]}

    call_command("archive_assets", "--no-progress", stdout=io.StringIO())
    cache.clear()  # the page cache would show the remote images for up to ARCHIVE_PAGE_CACHE_SECONDS
    desktop.remote_requests.clear()
    for page in (desktop, phone):
        page.goto(article.get_absolute_url())
        images = loaded_images(page)
        assert len(images) == 4
        assert all(src.startswith(live_server.url + "/media/assets/") and width > 0 for src, width in images), images
        page.goto("/")
        assert all(src.startswith(live_server.url + "/media/assets/") for src, _width in loaded_images(page))
        assert page.remote_requests == []
        page.assert_clean()
    # The phone (360 px at 2x) picks the 720 copy for the article's figures, not the 1,200 px original.
    phone.goto(article.get_absolute_url())
    assert any(src.endswith(".w720.webp") for src, _width in loaded_images(phone))
