import pytest

from tests.helpers import SHORT_TIMEOUT, TEST_MAX_BYTES, TEST_MAX_PIXELS, TEST_TIMEOUT, make_fetcher

from . import server as asset_server_module


@pytest.fixture(scope="session")
def asset_server():
    """The local image server (127.0.0.1 only); every request it gets is recorded."""
    server = asset_server_module.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def server(asset_server):
    asset_server.requests.clear()
    asset_server.left.clear()
    asset_server.most_in_flight = 0
    return asset_server


@pytest.fixture
def archive_settings(settings, tmp_path):
    """Files under a temporary MEDIA_ROOT, short time limits, loopback allowed (the test server)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ARCHIVE_ASSETS_ALLOW_PRIVATE = True
    settings.ARCHIVE_ASSET_TIMEOUT = TEST_TIMEOUT
    settings.ARCHIVE_ASSET_CONNECT_TIMEOUT = TEST_TIMEOUT
    settings.ARCHIVE_ASSET_MAX_BYTES = TEST_MAX_BYTES
    settings.ARCHIVE_ASSET_MAX_PIXELS = TEST_MAX_PIXELS
    return settings


@pytest.fixture
def fetcher():
    fetcher = make_fetcher()
    yield fetcher
    fetcher.close()


@pytest.fixture
def short_fetcher():
    """A fetcher whose time limit fires quickly: for routes that never finish in time."""
    fetcher = make_fetcher(timeout=SHORT_TIMEOUT, connect_timeout=SHORT_TIMEOUT)
    yield fetcher
    fetcher.close()
