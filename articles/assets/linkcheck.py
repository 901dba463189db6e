"""Link rot: is each article's original page still there? (``archive_assets --check-sources``)

Each source is asked once with HEAD, the cheapest request for both sides, through the same polite,
guarded fetcher as the images (per-host limit, time limits, no private addresses). Many servers
answer HEAD badly, so a HEAD that fails with a 4xx is asked again with a GET, of which at most
``PAGE_BYTES`` are read. Verdicts:

- alive: the page answers at its address (an http -> https or trailing-slash redirect included);
- moved: it answers at another address after redirects (kept as ``final_url``);
- gone: 404 or 410, or a redirect to the site's home page (how many news sites retire articles);
- unreachable: no answer, a server error or a refused address; checked again next time.

Pages link a gone source's Wayback Machine copy (``display.wayback_url``).
"""

import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from urllib.parse import urlsplit

from django.utils import timezone
from tqdm import tqdm

from articles.models import SourceCheck, fit

from . import records
from .fetching import GONE, OK, REFUSED, SKIPPED

PAGE_BYTES = 256 * 1024
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"


def _page(url):
    """What identifies a page across harmless redirects: host, path without trailing slash, query."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return host, parts.path.rstrip("/"), parts.query


def classify(url, result):
    """``(status, final_url)`` for the fetch ``result`` of the source ``url``."""
    answered = result.outcome == OK or (result.outcome == REFUSED and 200 <= (result.http_status or 0) < 300)
    if answered:
        if _page(result.final_url) == _page(url):
            return SourceCheck.Status.ALIVE, ""
        final_host, final_path, _query = _page(result.final_url)
        if final_host == _page(url)[0] and not final_path and _page(url)[1]:
            return SourceCheck.Status.GONE, result.final_url  # sent to the home page
        return SourceCheck.Status.MOVED, result.final_url
    if result.outcome == GONE:
        return SourceCheck.Status.GONE, ""
    return SourceCheck.Status.UNREACHABLE, ""


def check(fetcher, url):
    """The ``SourceCheck`` fields for ``url`` now, or None when its host asked to be left alone."""
    result = fetcher.fetch(url, method="HEAD", accept=PAGE_ACCEPT)
    if result.outcome not in (OK, SKIPPED) and 400 <= (result.http_status or 0) < 500:
        result = fetcher.fetch(url, method="GET", accept=PAGE_ACCEPT, max_bytes=PAGE_BYTES)
    if result.outcome == SKIPPED:
        return None
    status, final_url = classify(url, result)
    error = "" if status in (SourceCheck.Status.ALIVE, SourceCheck.Status.MOVED) else result.error
    return {
        "status": status,
        "http_status": result.http_status,
        "final_url": final_url,
        "error": fit(SourceCheck, "error", error),
    }


def check_sources(articles, *, fetcher, workers, limit=None, progress=None, force=False):
    """Check the sources of ``articles`` that are due (all of them if ``force``); a Counter of verdicts.

    Each check is saved as it is made (a check takes a request; its row is cheap beside it), so a
    run that stops half-way has lost nothing it checked.
    """
    now = timezone.now()
    due = articles.exclude(original_url="").order_by("id") if force else records.sources_due(articles, now)
    rows = list(due.values_list("id", "original_url")[:limit])
    verdicts = Counter()
    show = sys.stderr.isatty() if progress is None else progress
    with ThreadPoolExecutor(workers, thread_name_prefix="linkcheck") as pool:
        checks = {pool.submit(check, fetcher, url): pk for pk, url in rows}
        for done in tqdm(as_completed(checks), total=len(rows), disable=not show, file=sys.stderr):
            fields = done.result()
            verdicts[fields["status"] if fields else "left for the next run"] += 1
            if fields:
                records.save_source_checks([SourceCheck(article_id=checks[done], checked_at=timezone.now(), **fields)])
    return verdicts
