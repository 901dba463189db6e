"""axe-core in the test browser: the npm package installed at build time (``npm ci``), never fetched here.

The script is handed to the page through Playwright's ``evaluate`` (the DevTools protocol), not
a ``<script>`` element, so the site's Content-Security-Policy still holds while axe runs.
"""

import os
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, everything earlier they include, and Deque's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@cache
def axe_source(path=AXE):
    if not Path(path).is_file():
        if os.environ.get("CI_REQUIRE_AXE") == "1":
            pytest.fail(f"{path} is missing but CI_REQUIRE_AXE=1: run `npm ci` (package.json)")
        pytest.skip(f"axe-core not installed ({path}): run `npm ci`")
    return Path(path).read_text(encoding="utf-8")


def violations(page):
    """axe's violations on the page as it is now: "rule (impact, count): first selectors" lines, empty when none."""
    page.evaluate(axe_source())
    return page.evaluate(
        "async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))"
        ".violations.map(v => `${v.id} (${v.impact}, ${v.nodes.length}): `"
        " + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))",
        TAGS,
    )
