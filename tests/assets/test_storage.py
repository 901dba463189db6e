"""Storage through Django's storage API only: another backend works unchanged; S3 is set up from the environment."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.test import Client

from articles.assets import storage

from .test_archive_command import article_with, asset

NAME = "assets/ab/" + "a" * 64 + ".jpg"
S3_ENV = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "news-archive",
    "AWS_S3_REGION_NAME": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "test-key-id",  # made up: nothing is sent anywhere
    "AWS_SECRET_ACCESS_KEY": "test-secret",
}


def storage_in_a_fresh_process(env):
    """The default storage's class and the URL of an archived name, with ``env`` (settings read it at start)."""
    code = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        f"print(type(storages['default']).__name__, storages['default'].url({NAME!r}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MEDIA_"))}
    return subprocess.run(  # noqa: S603 (this interpreter, fixed code)
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "archive.settings", **env},
        cwd=settings.BASE_DIR,
        timeout=60,
    )


@pytest.mark.django_db
def test_any_storage_backend_holds_the_archive(server, archive_settings):
    archive_settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    article_with(server, "/photo.jpg")
    call_command("archive_assets", "--no-progress", stdout=io.StringIO())
    photo = asset(server, "/photo.jpg")
    name = storage.original_name(photo.sha256, "jpeg")
    assert type(storages["default"]).__name__ == "InMemoryStorage"
    assert default_storage.exists(name) and not (archive_settings.MEDIA_ROOT / name).exists()
    response = Client().get(f"/media/{name}")
    assert b"".join(response.streaming_content) == default_storage.open(name).read()


def test_s3_is_configured_from_the_environment():
    result = storage_in_a_fresh_process({**S3_ENV, "AWS_S3_CUSTOM_DOMAIN": "img.news.example"})
    assert result.returncode == 0, result.stderr
    backend, url = result.stdout.split()
    assert backend == "S3Storage"
    assert url == f"https://img.news.example/{NAME}"
    result = storage_in_a_fresh_process({**S3_ENV, "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"})
    assert result.stdout.split()[1] == f"http://127.0.0.1:9000/news-archive/{NAME}"
    assert "?" not in result.stdout  # public, unsigned URLs


def test_the_file_system_is_the_default():
    result = storage_in_a_fresh_process({})
    assert result.stdout.split() == ["FileSystemStorage", f"/media/{NAME}"]


def test_an_unknown_storage_is_a_clear_error():
    result = storage_in_a_fresh_process({"MEDIA_STORAGE": "ftp"})
    assert result.returncode != 0 and "MEDIA_STORAGE must be 'filesystem' or 's3', not 'ftp'" in result.stderr
