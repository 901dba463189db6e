"""export_posts copies archived images beside the posts and points the posts at them; importing
the export puts the original addresses back."""

import hashlib

import pytest
import yaml
from django.core.management import call_command
from taggit.models import Tag

from articles.assets import storage
from articles.assets.records import url_key
from articles.importer.clean import clean_html
from articles.importer.runner import import_paths
from articles.models import Article, ArticleAsset, Asset
from tests.assets.images import picture
from tests.factories import make_article

from .test_round_trip import articles

pytestmark = pytest.mark.django_db

SOURCE = "https://www.zaobao.com/news/a"
PHOTO = "https://img.zaobao.com/photo.jpg"
LEAD = "https://img.zaobao.com/lead.png"
REMOTE = "https://img.zaobao.com/never-fetched.jpg"
LOST = "https://img.zaobao.com/lost.jpg"


def archived(article, url, data, kind="jpeg", *, stored=True):
    """``url`` archived (as ``archive_assets`` leaves it) and shown by ``article``."""
    sha256 = hashlib.sha256(data).hexdigest()
    if stored:
        storage.store(storage.original_name(sha256, kind), data)
    asset = Asset.objects.create(
        url=url, url_key=url_key(url), sha256=sha256, kind=kind, size=len(data), width=20, height=10,
        status=Asset.Status.FETCHED,
    )  # fmt: skip
    ArticleAsset.objects.create(article=article, asset=asset)
    return asset


def read(path):
    _, header, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(header), body


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def article(media):
    body = (
        f'<p>正文</p><figure><img src="{PHOTO}" alt="照片"><figcaption>说明</figcaption></figure>'
        '<p><img src="/photo.jpg" alt="same image, other address"></p>'
        f'<p><img src="{REMOTE}" alt=""><img src="{LOST}" alt=""></p>'
    )
    article = make_article(
        title="有图的文章", slug="有图的文章", original_url=SOURCE, body_html=clean_html(body), lead_image_url=LEAD,
        lead_image_caption="头图", import_key=SOURCE,
    )  # fmt: skip
    photo = archived(article, PHOTO, picture(20, 10))
    lead = archived(article, LEAD, picture(20, 10, "PNG"), "png")
    archived(article, LOST, picture(20, 10, seed=3), stored=False)  # its file was removed from storage
    Asset.objects.create(url=REMOTE, url_key=url_key(REMOTE), status=Asset.Status.FAILED)
    return article, photo, lead


def test_archived_images_are_copied_beside_the_posts(tmp_path, article, capsys):
    article, photo, lead = article
    call_command("export_posts", str(tmp_path / "site"), "--no-progress")
    output = capsys.readouterr()
    assert "exported 1 articles (1 published), 2 images copied, 1 archived images missing" in output.out
    assert f"the archived copy of {LOST} cannot be read" in output.err
    site = tmp_path / "site"
    photo_path, lead_path = f"/assets/{photo.sha256}.jpg", f"/assets/{lead.sha256}.png"
    assert sorted(p.name for p in (site / "assets").iterdir()) == sorted([f"{photo.sha256}.jpg", f"{lead.sha256}.png"])
    stored = tmp_path / "media" / storage.original_name(photo.sha256, "jpeg")
    assert (site / photo_path[1:]).read_bytes() == stored.read_bytes()
    fm, body = read(next((site / "_posts").iterdir()))
    assert fm["image"] == lead_path and fm["image_caption"] == "头图"
    assert fm["archive"]["images"] == {photo_path: PHOTO, lead_path: LEAD}  # the provenance
    assert f'<img src="{photo_path}" alt="照片" loading="lazy"' in body
    assert '<img src="/photo.jpg"' in body  # the same image by another address keeps its address
    assert f'src="{REMOTE}"' in body and f'src="{LOST}"' in body  # not archived, or lost: remote


def test_an_export_with_images_imports_back_unchanged(tmp_path, article):
    article, _photo, _lead = article
    before = articles()
    call_command("export_posts", str(tmp_path / "site"), "--no-progress")
    report = import_paths([tmp_path / "site"], workers=1)
    assert report.counts()["unchanged"] == 1 and report.counts()["updated"] == 0
    assert articles() == before
    Article.objects.all().delete()
    Tag.objects.all().delete()
    report = import_paths([tmp_path / "site"], workers=1)
    assert report.counts()["created"] == 1, report.error_lines()
    assert articles() == before  # the body and the lead image name the original addresses again
    assert Article.objects.get().front_matter["image"] == LEAD


def test_an_export_pointing_copies_at_unsafe_addresses_imports_them_as_copies(tmp_path, media):
    post = tmp_path / "site" / "_posts" / "2024-01-02-x.html"
    post.parent.mkdir(parents=True)
    post.write_text(
        "---\ntitle: X\nimage: /assets/a.png\narchive:\n  images:\n"
        "    /assets/a.png: 'javascript:alert(1)'\n    /assets/b.jpg: 'javascript:alert(2)'\n"
        "    /assets/c.jpg: ['not', 'text']\n---\n"
        '<p>正文</p><p><img src="/assets/b.jpg" alt=""><img src="/assets/c.jpg" alt=""></p>\n',
        encoding="utf-8",
    )
    report = import_paths([tmp_path / "site"], workers=1)
    assert report.counts()["created"] == 1, report.error_lines()
    imported = Article.objects.get()
    assert "javascript" not in imported.body_html and "javascript" not in imported.lead_image_url
    assert 'src="/assets/b.jpg"' in imported.body_html and 'src="/assets/c.jpg"' in imported.body_html
