"""Pages use the archived copies (one query per page for them) and the app serves /media/ itself."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles.assets import storage
from articles.models import SourceCheck
from tests.factories import make_article, viewer_client

from .test_archive_command import article_with, asset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0


def archive():
    call_command("archive_assets", "--no-progress", stdout=io.StringIO())


def images_of(html):
    return re.findall(r"<img [^>]*>", html)


def test_an_article_page_uses_the_archived_copies(client, server, archive_settings):
    article = article_with(server, "/photo.jpg", "/missing.jpg", "/anim.gif", lead="/wide.webp")
    before = client.get(article.get_absolute_url()).content.decode()
    assert server.url("/photo.jpg") in before
    archive()
    html = client.get(article.get_absolute_url()).content.decode()
    photo, wide, gif = (asset(server, path) for path in ("/photo.jpg", "/wide.webp", "/anim.gif"))
    lead, body_photo, body_missing, body_gif = images_of(html)
    assert f'src="/media/assets/{photo.sha256[:2]}/{photo.sha256}.w720.webp"' in body_photo
    w360, w720 = (storage.variant_name(photo.sha256, w) for w in (360, 720))
    original = storage.original_name(photo.sha256, "jpeg")
    assert f'srcset="/media/{w360} 360w, /media/{w720} 720w, /media/{original} 1200w"' in body_photo
    assert 'sizes="(max-width: 42rem) calc(100vw - 2rem), 40rem"' in body_photo
    assert 'width="1200" height="800"' in body_photo
    assert server.url("/missing.jpg") in body_missing  # not archived: still the remote URL
    assert f'src="/media/{storage.original_name(gif.sha256, "gif")}"' in body_gif and "srcset" not in body_gif
    assert f"/media/{storage.variant_name(wide.sha256, 720)}" in lead and 'width="2000" height="1000"' in lead
    assert (
        f'<meta property="og:image" content="http://testserver/media/{storage.original_name(wide.sha256, "webp")}">'
        in html
    )
    article.refresh_from_db()
    assert server.url("/photo.jpg") in article.body_html  # the stored body keeps the original URLs


def test_a_declared_width_is_kept_with_the_copys_shape(client, server, archive_settings):
    article = make_article(body_html=f'<p><img src="{server.url("/photo.jpg")}" alt="" width="300"></p>')
    archive()
    (img,) = images_of(client.get(article.get_absolute_url()).content.decode())
    assert 'width="300"' in img and 'height="200"' in img


def test_the_article_page_query_count_does_not_grow_with_images(
    client, server, archive_settings, django_assert_num_queries
):
    one = article_with(server, "/photo.jpg", tags=["台海"])
    many = article_with(server, "/photo.jpg", "/small.png", "/anim.gif", "/wide.webp", "/rotated.jpg", tags=["台海"])
    archive()
    with django_assert_num_queries(7):  # the page's six, and one for all its archived images
        client.get(one.get_absolute_url())
    with django_assert_num_queries(7):
        client.get(many.get_absolute_url())


def test_cards_use_archived_thumbnails_once_fetched(client, server, archive_settings, django_assert_num_queries):
    for n in range(5):
        article_with(server, lead="/photo.jpg" if n % 2 else "/small.png")
    assert server.url("/photo.jpg") in client.get("/").content.decode()  # cached card, remote image
    archive()
    html = client.get("/").content.decode()  # same article versions: the card key follows the copy
    assert server.url("/photo.jpg") not in html
    photo = asset(server, "/photo.jpg")
    assert f'src="/media/{storage.variant_name(photo.sha256, 360)}"' in html
    assert 'sizes="(max-width: 40rem) 5.5rem, (min-width: 75rem) 12rem, 9.5rem"' in html
    for _ in range(15):
        article_with(server, lead="/photo.jpg")
    # featured, the kept year counts, ids, rows, tags, and one for the archived thumbnails
    with django_assert_num_queries(6):
        client.get("/")


def test_media_is_served_with_immutable_caching_and_its_type(client, server, archive_settings):
    article_with(server, "/photo.jpg", "/small.png")
    archive()
    photo, png = asset(server, "/photo.jpg"), asset(server, "/small.png")
    cases = [
        (storage.original_name(photo.sha256, "jpeg"), "image/jpeg"),
        (storage.variant_name(photo.sha256, 360), "image/webp"),
        (storage.original_name(png.sha256, "png"), "image/png"),
    ]
    for name, content_type in cases:
        response = client.get(f"/media/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert b"".join(response.streaming_content) == default_storage.open(name).read()
        assert client.get(f"/media/{name}", headers={"if-none-match": response["ETag"]}).status_code == 304
    assert client.head(f"/media/{cases[0][0]}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/warc/assets.warc.gz",
        "/media/assets/00/" + "0" * 64 + ".jpg",  # the right shape, not stored
        "/media/assets/../../archive/settings.py",
        "/media/assets/ab/" + "a" * 64 + ".svg",
        "/media/assets/ab/" + "a" * 64 + ".html",
        "/media/assets/ab/%2e%2e/" + "a" * 64 + ".jpg",
    ],
)
def test_media_serves_only_archived_names(client, path, archive_settings):
    assert client.get(path).status_code == 404


def test_a_gone_source_links_to_the_wayback_machine(client, archive_settings):
    article = make_article(original_url="https://news.example/2020/story.html")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "web.archive.org" not in html
    SourceCheck.objects.create(article=article, status="gone", http_status=404, checked_at=article.updated_at)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="https://web.archive.org/web/https://news.example/2020/story.html"' in html
    SourceCheck.objects.filter(article=article).update(status="alive")
    assert "web.archive.org" not in client.get(article.get_absolute_url()).content.decode()


def test_staff_pages_use_the_copies_too(server, archive_settings):
    staff = viewer_client()
    article = article_with(server, "/photo.jpg", status="draft")
    archive()
    (img,) = images_of(staff.get(article.get_absolute_url()).content.decode())
    assert "/media/assets/" in img and server.base not in img
