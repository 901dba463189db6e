import os

import pytest

from archive import outages

from .servers import REDIS_SERVER, RedisServer


@pytest.fixture(autouse=True)
def _fresh_outages(monkeypatch):
    """Each test starts with every service reachable and nothing logged yet."""
    monkeypatch.setattr(outages, "_outages", {})


@pytest.fixture
def clock(monkeypatch):
    """The outages' clock, frozen; ``clock.advance(seconds)`` moves it."""

    class Clock:
        now = 1000.0

        def advance(self, seconds):
            self.now += seconds

    frozen = Clock()
    monkeypatch.setattr(outages.Outage, "clock", staticmethod(lambda: frozen.now))
    return frozen


@pytest.fixture
def redis_server(tmp_path):
    """A private redis-server from Debian's package; skipped without it, except in CI (CI_REQUIRE_REDIS=1)."""
    if not REDIS_SERVER.exists():
        if os.environ.get("CI_REQUIRE_REDIS") == "1":
            pytest.fail(f"{REDIS_SERVER} is missing but CI_REQUIRE_REDIS=1: install the redis-server package")
        pytest.skip(f"{REDIS_SERVER} not installed")
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()
