"""Helpers that tests import: where the samples are, posting admin actions, the image fetcher's test setup."""

import os
from pathlib import Path

from django.conf import settings

from articles.assets.fetching import Fetcher
from articles.assets.guard import Guard

CORPUS_DIR = Path(os.environ.get("CORPUS_SAMPLE_DIR", settings.BASE_DIR.parent / "shared" / "corpus-sample"))
SEEDS_DIR = settings.BASE_DIR / "seeds"
FIXTURES_DIR = Path(__file__).parent / "fixtures"

# The image fetcher in tests. Its time limit covers a whole exchange, headers included, so it is
# generous: a loaded machine (or a garbage collection) never fails a good request. Tests that need
# a limit to fire use SHORT_TIMEOUT, against routes that stall far longer (tests/assets/server.py).
TEST_TIMEOUT = 5.0  # seconds
SHORT_TIMEOUT = 0.5
TEST_MAX_BYTES = 1024 * 1024
TEST_MAX_PIXELS = 4_000_000


def post_action(client, url, action, ids, follow=False, **data):
    """Post a change list's action for the rows ``ids`` (``apply="1"`` and the form's fields in ``data``)."""
    data = {"action": action, "_selected_action": [str(pk) for pk in ids], **data}
    return client.post(url, data, follow=follow)


def make_fetcher(guard=None, **options):
    options = {
        "user_agent": "TestArchiver/1.0",
        "max_bytes": TEST_MAX_BYTES,
        "timeout": TEST_TIMEOUT,
        "connect_timeout": TEST_TIMEOUT,
        **options,
    }
    return Fetcher(guard or Guard(allow_private=True), **options)
