"""One deadline per file, covering connect, headers and body, and the run's budget over it: hosts that trickle.

The trickling routes keep going for STALL_SECONDS unless the client hangs up, so only a working
time limit ends them early; each test checks the outcome the limit produced and that the client
hung up (nothing left open), never how long it took.
"""

from time import monotonic

import pytest

from articles.assets.fetching import FAILED, OUT_OF_TIME, SKIPPED
from articles.assets.tasks import archive_in_background
from tests.helpers import make_fetcher

from .test_archive_command import article_with, asset

TRICKLING = ["/trickled-headers.jpg", "/processing.jpg"]  # a header line a tick; an HTTP 102 a tick
BUDGET = 2.0  # seconds for a run: time enough to start its request on a loaded machine, far short of the stall


@pytest.mark.parametrize("path", TRICKLING)
def test_headers_that_trickle_in_are_cut_at_the_files_deadline(server, short_fetcher, path):
    result = short_fetcher.fetch(server.url(path))
    assert (result.outcome, result.error, result.exchanges) == (FAILED, "timed out: 127.0.0.1", [])
    assert server.client_left(path)


@pytest.mark.parametrize("path", TRICKLING)
def test_the_runs_budget_cuts_a_file_in_flight(server, path):
    fetcher = make_fetcher(timeout=60)  # the file's own limit is far off: only the run's budget can end it
    fetcher.stop_at = monotonic() + BUDGET
    try:
        result = fetcher.fetch(server.url(path))
    finally:
        fetcher.close()
    assert (result.outcome, result.error) == (SKIPPED, OUT_OF_TIME)  # left for the next run, not failed
    assert server.client_left(path)


@pytest.mark.django_db
def test_an_admin_task_ends_with_its_budget(server, archive_settings):
    archive_settings.ARCHIVE_ASSET_TIMEOUT = 60
    archive_settings.ARCHIVE_ASSETS_ADMIN_SECONDS = BUDGET
    article = article_with(server, "/trickled-headers.jpg")
    summary = archive_in_background.call(article_ids=[article.pk])
    assert "1 left for the next run" in summary
    left = asset(server, "/trickled-headers.jpg")
    assert (left.status, left.tries) == ("pending", 0)
    assert server.client_left("/trickled-headers.jpg")
