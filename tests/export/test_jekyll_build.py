"""Debian's jekyll builds an export, offline, into one page per published article at its URL here.

Skipped without jekyll, except in CI (CI_REQUIRE_JEKYLL=1), whose .ci/run installs the package.
"""

import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone

import pytest
from django.core.management import call_command
from django.utils.encoding import uri_to_iri

from articles.models import Article
from tests.assets.images import picture
from tests.factories import make_article

from .test_export_assets import archived

pytestmark = pytest.mark.django_db

JEKYLL = shutil.which("jekyll")
SGT = timezone(timedelta(hours=8))


@pytest.fixture
def jekyll():
    if JEKYLL is None:
        if os.environ.get("CI_REQUIRE_JEKYLL") == "1":
            pytest.fail("jekyll is missing but CI_REQUIRE_JEKYLL=1: install the jekyll package")
        pytest.skip("jekyll is not installed (apt-get install jekyll)")
    return JEKYLL


def offline(command):
    """``command`` in a network namespace of its own (no network at all) when this user may make
    one; else as it is, with no proxy to reach anything through."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "--net", "true"], capture_output=True).returncode == 0:
        return [unshare, "--net", *command]
    return command


def test_jekyll_builds_one_page_per_published_article_at_its_url(tmp_path, jekyll, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = "https://img.zaobao.com/photo.jpg"
    published = [
        make_article(
            title="台海新闻",
            slug="台海新闻",
            published_at=datetime(2022, 7, 7, 23, 4, tzinfo=SGT),
            body_html=f'<p>台海新闻 的正文。</p><p><img src="{photo}" alt="照片"></p>',
        ),  # fmt: skip
        make_article(title="Under_score", slug="under_score_〇", published_at=datetime(2022, 7, 8, 0, 30, tzinfo=SGT)),
        make_article(title="{{ liquid }}", slug="liquid", body_html="<p>{% raw %} {{ site.title }}</p>"),
        make_article(title="1899", slug="old", published_at=datetime(1899, 9, 30, 10, 55, tzinfo=SGT)),
    ]
    image = archived(published[0], photo, picture(20, 10))
    make_article(title="Draft", slug="draft", status=Article.Status.DRAFT)
    make_article(title="Hidden", slug="hidden", status=Article.Status.HIDDEN, hidden_reason="spam")
    site = tmp_path / "site"
    call_command("export_posts", str(site), "--no-progress")
    assert not (site / "Gemfile").exists()
    config = (site / "_config.yml").read_text()
    for remote in ("theme", "plugins", "gems"):
        assert f"\n{remote}:" not in config

    env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
    result = subprocess.run(
        offline([jekyll, "build", "--source", str(site), "--destination", str(tmp_path / "_site")]),
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pages = sorted(p.relative_to(tmp_path / "_site").as_posix() for p in (tmp_path / "_site").rglob("index.html"))
    assert pages == sorted(uri_to_iri(a.get_absolute_url()).strip("/") + "/index.html" for a in published)
    page = (tmp_path / "_site" / "2022/07/07/台海新闻/index.html").read_text()
    assert "<h1>台海新闻</h1>" in page and "台海新闻 的正文。" in page
    assert f'<img src="/assets/{image.sha256}.jpg" alt="照片">' in page  # the archived copy, served by the site
    assert (tmp_path / "_site" / "assets" / f"{image.sha256}.jpg").read_bytes() == picture(20, 10)
    liquid = (tmp_path / "_site" / uri_to_iri(published[2].get_absolute_url()).strip("/") / "index.html").read_text()
    assert "{% raw %} {{ site.title }}" in liquid  # bodies are never run as templates
    assert "<h1>{{ liquid }}</h1>" in liquid
