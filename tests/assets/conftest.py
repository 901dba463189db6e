import pytest

from articles.assets.fetching import Fetcher
from articles.assets.guard import Guard
from tests.admin.conftest import editor, editor_client, editors_group, run_worker  # noqa: F401 (the admin tests' fixtures)

from . import server as asset_server_module

TEST_TIMEOUT = 0.5  # seconds; the slow routes take longer
TEST_MAX_BYTES = 1024 * 1024
TEST_MAX_PIXELS = 4_000_000


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


def make_fetcher(guard=None, **options):
    options = {
        "user_agent": "TestArchiver/1.0",
        "max_bytes": TEST_MAX_BYTES,
        "timeout": TEST_TIMEOUT,
        "connect_timeout": TEST_TIMEOUT,
        **options,
    }
    return Fetcher(guard or Guard(allow_private=True), **options)


@pytest.fixture
def fetcher():
    fetcher = make_fetcher()
    yield fetcher
    fetcher.close()
