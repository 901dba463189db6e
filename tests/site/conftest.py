import pytest
from django.core.cache import cache

from tests.factories import editor_client


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Counts and related articles are cached per process; each test starts cold.

    Whole-page caching is off here so every request exercises the view; test_caching turns it on.
    """
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_client(db):
    """A signed-in editor (staff who may view articles), separate from the anonymous `client`."""
    return editor_client()
