"""WebP copies made on the first request for each (``articles/assets/copies.py``), or at archive time
when pages link another site; the same widths and options either way, and 404 for anything else.
Concurrent first requests, in gunicorn's worker processes behind nginx: ``tests/archive/test_nginx.py``."""

import io
import logging

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image, ImageChops, ImageStat

from articles.assets import copies, storage
from articles.models import Asset

from .test_archive_command import article_with, asset, run

pytestmark = pytest.mark.django_db
CDN = "https://cdn.example.org/media/"  # never contacted: only the links pages would carry


def copy_url(sha256, width):
    return f"/media/{storage.variant_name(sha256, width)}"


def decoded(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def difference(a, b):
    """The mean difference per channel (0-255) between two pictures of the same size."""
    return max(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean)


def test_archiving_stores_originals_and_the_first_request_makes_each_copy(client, server, archive_settings):
    article_with(server, "/photo.jpg", "/wide.webp")
    run()
    photo, wide = asset(server, "/photo.jpg"), asset(server, "/wide.webp")
    cases = [(photo, 360, 240), (photo, 720, 480), (wide, 1440, 720), (wide, 360, 180)]
    for picture, width, height in cases:
        name = storage.variant_name(picture.sha256, width)
        assert width in picture.variants and not default_storage.exists(name)
        response = client.get(copy_url(picture.sha256, width))
        assert response.status_code == 200 and response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        body = b"".join(response.streaming_content)
        assert decoded(body).size == (width, height)
        assert default_storage.open(name).read() == body  # stored: served from disk from now on
        again = client.get(copy_url(picture.sha256, width))
        assert b"".join(again.streaming_content) == body


def test_a_copy_made_on_request_matches_the_one_made_at_archive_time(client, server, archive_settings):
    article_with(server, "/photo.jpg", "/wide.webp")
    archive_settings.MEDIA_URL = CDN  # pages link another site: every copy is made as it is archived
    assert not copies.on_request()
    run()
    pictures = [asset(server, "/photo.jpg"), asset(server, "/wide.webp")]
    made_then = {}
    for picture in pictures:
        for width in picture.variants:
            name = storage.variant_name(picture.sha256, width)
            made_then[name] = default_storage.open(name).read()
            default_storage.delete(name)
    archive_settings.MEDIA_URL = "/media/"
    assert copies.on_request() and len(made_then) == 5
    for name, then in made_then.items():
        now = b"".join(client.get(f"/media/{name}").streaming_content)
        assert now[:4] == b"RIFF" and now[12:16] == b"VP8 "  # lossy WebP, as at archive time
        assert decoded(now).size == decoded(then).size
        assert difference(decoded(now), decoded(then)) < 2  # the same picture: JPEG scaling differs a little
        assert 0.85 < len(now) / len(then) < 1.15  # at the same quality


def test_only_planned_copies_of_fetched_pictures_are_made(client, server, archive_settings):
    article_with(server, "/photo.jpg", "/small.png", "/anim.gif")
    run()
    photo, small, gif = (asset(server, path) for path in ("/photo.jpg", "/small.png", "/anim.gif"))
    refused = [
        copy_url(photo.sha256, 1440),  # 1,200 px wide: no 1,440 px copy is planned
        copy_url(photo.sha256, 480),  # not a width the archive makes
        copy_url(small.sha256, 360),  # 300 px wide: no copies
        copy_url(gif.sha256, 360),  # animations keep only their original
        copy_url("cd" * 32, 360),  # no such picture
        copy_url(photo.sha256, 360).replace(".w360.", ".w0360."),  # not the copy's own name
        copy_url(photo.sha256, 360).replace(f"/{photo.sha256[:2]}/", "/00/"),
        copy_url(photo.sha256, 360).replace(".webp", ".jpg"),
    ]
    for url in refused:
        assert client.get(url).status_code == 404, url
    Asset.objects.filter(pk=photo.pk).update(status=Asset.Status.GONE)  # no longer a fetched picture
    assert client.get(copy_url(photo.sha256, 360)).status_code == 404
    assert sorted(p.name for p in (archive_settings.MEDIA_ROOT / "assets").rglob("*.webp")) == []


def test_a_damaged_or_missing_original_is_a_404_with_the_reason_logged(client, server, archive_settings, caplog):
    article_with(server, "/photo.jpg", "/wide.webp")
    run()
    photo, wide = asset(server, "/photo.jpg"), asset(server, "/wide.webp")
    original = archive_settings.MEDIA_ROOT / storage.original_name(photo.sha256, "jpeg")
    original.write_bytes(original.read_bytes()[:5000])  # cut short on disk since it was verified
    default_storage.delete(storage.original_name(wide.sha256, "webp"))
    with caplog.at_level(logging.WARNING, logger="articles.assets.copies"):
        assert client.get(copy_url(photo.sha256, 720)).status_code == 404
        assert client.get(copy_url(wide.sha256, 720)).status_code == 404
    damaged, missing = (r.getMessage() for r in caplog.records if r.name == "articles.assets.copies")
    assert damaged.startswith(f"no 720 px copy of {storage.original_name(photo.sha256, 'jpeg')}: truncated or corrupt")
    assert missing == f"no 720 px copy of {storage.original_name(wide.sha256, 'webp')}: the file is not stored"
    assert not default_storage.exists(storage.variant_name(photo.sha256, 720))


def photo_name(photo):
    return storage.original_name(photo.sha256, photo.kind)


def test_the_export_copies_originals_whether_or_not_copies_were_made(server, archive_settings, tmp_path):
    article = article_with(server, "/photo.jpg", status="published")
    run()
    photo = asset(server, "/photo.jpg")
    out = io.StringIO()
    call_command("export_posts", str(tmp_path / "site"), "--no-progress", stdout=out)
    copied = tmp_path / "site" / "assets" / f"{photo.sha256}.jpg"
    assert copied.read_bytes() == default_storage.open(photo_name(photo)).read()
    post = next((tmp_path / "site" / "_posts").glob("*.html")).read_text(encoding="utf-8")
    assert f"/assets/{photo.sha256}.jpg" in post and article.slug in post
