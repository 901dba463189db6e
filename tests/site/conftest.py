import pytest
from django.core.cache import cache
from django.test import Client


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
def staff_client(django_user_model):
    """A signed-in editor, separate from the anonymous `client`."""
    user = django_user_model.objects.create_user("editor", password="pw-for-tests", is_staff=True)
    staff = Client()
    staff.force_login(user)
    return staff
