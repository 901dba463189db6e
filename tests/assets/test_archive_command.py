"""``manage.py archive_assets`` end to end: the local server, real storage, the database, the WARC."""

import gzip
import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator

from articles.assets import storage
from articles.models import Article, ArticleAsset, Asset
from tests.factories import make_article

pytestmark = pytest.mark.django_db

FAILURES = {
    "/missing.jpg": ("gone", "HTTP 404 Not Found"),
    "/gone.jpg": ("gone", "HTTP 410 Gone"),
    "/error.jpg": ("failed", "HTTP 500 Internal Server Error"),
    "/slow.jpg": ("failed", "timed out"),
    "/huge.jpg": ("refused", "larger than 1,048,576 bytes"),
    "/page.jpg": ("refused", "HTML, not an image"),
    "/script.svg": ("refused", "SVG is not accepted: it can carry script"),
    "/bomb.png": ("refused", "too many pixels: 3000 x 3000, over the limit of 4,000,000"),
    "/truncated.jpg": ("refused", "truncated or corrupt JPEG"),
    "/loop-a.jpg": ("failed", "redirect loop"),
}


def body_with(server, *paths):
    return "\n".join(
        f'<figure><img src="{server.url(path)}" alt=""><figcaption>图 {path}</figcaption></figure>' for path in paths
    )


def article_with(server, *paths, lead=None, **fields):
    return make_article(body_html=body_with(server, *paths), lead_image_url=server.url(lead) if lead else "", **fields)


def run(*args):
    out = io.StringIO()
    call_command("archive_assets", "--no-progress", *args, stdout=out)
    return out.getvalue()


def asset(server, path):
    return Asset.objects.get(url=server.url(path))


def test_every_image_is_archived_or_has_a_reason(server, archive_settings):
    article = article_with(server, "/photo.jpg", "/small.png", *FAILURES, lead="/wide.webp")
    output = run()
    photo = asset(server, "/photo.jpg")
    assert (photo.status, photo.kind, photo.width, photo.height, photo.http_status) == (
        "fetched",
        "jpeg",
        1200,
        800,
        200,
    )
    assert photo.variants == [360, 720] and photo.fetched_at and photo.tries == 1
    assert default_storage.exists(storage.original_name(photo.sha256, "jpeg"))
    assert not any(default_storage.exists(storage.variant_name(photo.sha256, w)) for w in (360, 720))  # test_copies
    assert asset(server, "/wide.webp").variants == [360, 720, 1440]
    assert asset(server, "/small.png").variants == []
    for path, (status, reason) in FAILURES.items():
        found = asset(server, path)
        assert (found.status, found.error.startswith(reason)) == (status, True), (path, found.error)
        assert found.tries == 1
    assert set(article.assets.values_list("url", flat=True)) == {
        server.url(p) for p in ("/photo.jpg", "/small.png", "/wide.webp", *FAILURES)
    }
    assert "3 fetched (0 already stored), 10 not archived, 0 archived before, 13 new images found" in output
    assert "  refused: HTML, not an image: 1" in output and "  gone: HTTP 404 Not Found: 1" in output


def test_the_same_content_at_two_urls_is_stored_once(server, archive_settings):
    article_with(server, "/photo.jpg", "/copy-of-photo.jpg")
    output = run()
    first, second = asset(server, "/photo.jpg"), asset(server, "/copy-of-photo.jpg")
    assert first.sha256 == second.sha256 and first.status == second.status == "fetched"
    files = sorted(p.name for p in (archive_settings.MEDIA_ROOT / "assets").rglob("*") if p.is_file())
    assert files == [f"{first.sha256}.jpg"]  # the WebP copies are made on first request (test_copies.py)
    assert "2 fetched (1 already stored)" in output


def test_an_image_shared_by_articles_is_one_asset(server, archive_settings):
    one, two = article_with(server, "/photo.jpg"), article_with(server, "/photo.jpg", lead="/photo.jpg")
    run()
    assert Asset.objects.count() == 1
    assert set(asset(server, "/photo.jpg").articles.all()) == {one, two}
    assert server.paths().count("/photo.jpg") == 1


def test_a_second_run_touches_the_network_only_for_retries_that_are_due(server, archive_settings):
    article_with(server, "/photo.jpg", "/error.jpg", "/missing.jpg", "/page.jpg")
    run()
    server.requests.clear()
    output = run()
    assert server.requests == []
    assert "0 fetched" in output and "1 archived before" in output
    failed, gone = asset(server, "/error.jpg"), asset(server, "/missing.jpg")
    hour = timedelta(hours=1)
    assert timezone.now() + hour * 0.9 < failed.next_try_at < timezone.now() + hour * 1.1
    assert gone.next_try_at > timezone.now() + timedelta(days=29)
    assert asset(server, "/page.jpg").next_try_at is None  # refused: only --retry-failed
    Asset.objects.filter(pk=failed.pk).update(next_try_at=timezone.now() - hour)
    run()
    assert server.paths() == ["/error.jpg"]
    failed.refresh_from_db()
    assert failed.tries == 2 and failed.next_try_at > timezone.now() + 3.5 * hour  # backoff: 1 h, then 4 h


def test_retry_failed_tries_every_failure_now(server, archive_settings):
    article_with(server, "/photo.jpg", "/error.jpg", "/missing.jpg", "/page.jpg")
    run()
    server.requests.clear()
    run("--retry-failed")
    assert sorted(server.paths()) == ["/error.jpg", "/missing.jpg", "/page.jpg"]


def test_a_host_asking_to_slow_down_gets_its_retry_after(server, archive_settings):
    article_with(server, "/slow-down.jpg", "/photo.jpg")
    output = run("--workers", "1")
    slowed, left = asset(server, "/slow-down.jpg"), asset(server, "/photo.jpg")
    assert slowed.status == "failed" and slowed.next_try_at > timezone.now() + timedelta(hours=1.9)
    assert (left.status, left.tries) == ("pending", 0)  # left alone this run, fetched next time
    assert "1 left for the next run" in output


def test_limit_then_resume(server, archive_settings):
    article_with(server, "/photo.jpg", "/small.png", "/wide.webp", "/anim.gif")
    output = run("--limit", "2")
    assert Asset.objects.filter(status="fetched").count() == 2
    assert "2 left for the next run" in output
    run()
    assert Asset.objects.filter(status="fetched").count() == 4


def test_a_killed_run_loses_nothing(server, archive_settings):
    # A run killed after storing a file but before saving its row, and another killed mid-write.
    article_with(server, "/photo.jpg", "/small.png")
    run()
    photo, png = asset(server, "/photo.jpg"), asset(server, "/small.png")
    partial = storage.original_name(png.sha256, "png")
    size = default_storage.size(partial)
    default_storage.delete(partial)
    default_storage.save(partial, io.BytesIO(b"\x89PNG cut short"))
    Asset.objects.update(status="pending", sha256="", fetched_at=None)
    output = run()
    assert "2 fetched (1 already stored)" in output
    assert default_storage.size(partial) == size
    assert {a.status for a in Asset.objects.all()} == {"fetched"}
    assert photo.sha256 == asset(server, "/photo.jpg").sha256


def test_scope_by_article_and_by_date(server, archive_settings):
    old = article_with(server, "/photo.jpg", published_at=timezone.now() - timedelta(days=400))
    new = article_with(server, "/small.png", published_at=timezone.now() - timedelta(days=2))
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    run("--since", since)
    assert server.paths() == ["/small.png"]
    assert not old.asset_links.exists() and new.asset_links.exists()
    run("--article", str(old.pk))
    assert server.paths() == ["/small.png", "/photo.jpg"]


def test_bad_options_are_refused():
    with pytest.raises(CommandError, match="--since: '2024-13-01' is not a date"):
        call_command("archive_assets", "--since", "2024-13-01")
    with pytest.raises(CommandError, match="--workers must be at least 1"):
        call_command("archive_assets", "--workers", "0")


def test_links_follow_the_body(server, archive_settings):
    article = article_with(server, "/photo.jpg", "/small.png")
    run()
    article.body_html = body_with(server, "/small.png")
    article.save()
    run()
    assert list(article.assets.values_list("url", flat=True)) == [server.url("/small.png")]
    assert Asset.objects.count() == 2  # the photo's asset stays (other articles may show it)


def test_relative_and_protocol_relative_images_resolve_against_the_source(server, archive_settings):
    article = make_article(
        original_url=server.url("/news/alive"),
        body_html='<p><img src="/photo.jpg" alt=""></p><p><img src="data:image/png;base64,iVBORw0KGgo=" alt=""></p>',
    )
    run()
    assert list(article.assets.values_list("url", "status")) == [(server.url("/photo.jpg"), "fetched")]


def test_the_run_writes_a_gzipped_warc_of_its_exchanges(server, archive_settings):
    article_with(server, "/photo.jpg", "/moved.jpg", "/missing.jpg")
    output = run()
    warcs = list((archive_settings.MEDIA_ROOT / "warc").glob("assets-*.warc.gz"))
    assert len(warcs) == 1 and f"WARC: {warcs[0]}" in output
    with gzip.open(warcs[0]) as raw:
        raw.read()  # a valid gzip stream to the end
    with open(warcs[0], "rb") as stream:
        records = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(stream)
        ]
    assert records[0][0] == "warcinfo"
    responses = {uri: (headers.get_statuscode(), body) for kind, uri, headers, body in records if kind == "response"}
    photo = asset(server, "/photo.jpg")
    assert responses[server.url("/photo.jpg")][0] == "200"
    assert (
        default_storage.open(storage.original_name(photo.sha256, "jpeg")).read()
        == responses[server.url("/photo.jpg")][1]
    )
    assert responses[server.url("/moved.jpg")][0] == "301"
    assert responses[server.url("/missing.jpg")] == ("404", b"<h1>Not Found</h1>")
    requests = [headers for kind, _uri, headers, _body in records if kind == "request"]
    assert len(requests) == sum(kind == "response" for kind, *_rest in records) == 4  # the photo twice
    assert requests[0].get_header("User-Agent") == archive_settings.ARCHIVE_ASSETS_USER_AGENT


def test_no_warc_when_nothing_was_due(server, archive_settings):
    run()
    assert not (archive_settings.MEDIA_ROOT / "warc").exists()


def test_import_seeds_can_archive_the_imported_articles(server, archive_settings, tmp_path):
    post = tmp_path / "posts" / "2024-05-01-with-a-photo.md"
    post.parent.mkdir()
    post.write_text(
        f"---\ntitle: 有图的文章\ndate: 2024-05-01\nimage: {server.url('/wide.webp')}\n---\n\n"
        f"![图]({server.url('/photo.jpg')})\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_seeds", str(post.parent), "--no-progress", "--workers", "1", "--archive-assets", stdout=out)
    article = Article.objects.get()
    assert set(article.assets.values_list("status", flat=True)) == {"fetched"}
    assert "2 fetched" in out.getvalue()
    assert ArticleAsset.objects.count() == 2
