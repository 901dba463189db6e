import pytest

from tests.factories import viewer_client


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Whole-page caching is off here so every request exercises the view; test_caching turns it on.
    (The cache itself starts empty in every test: ``fresh_cache`` in tests/conftest.py.)"""
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def staff_client(db):
    """A signed-in editor (staff who may view articles), separate from the anonymous `client`."""
    return viewer_client()
