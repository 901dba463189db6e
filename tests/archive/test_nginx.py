"""deploy/nginx.conf as written, in a real nginx in front of gunicorn: TLS, static files, media, proxy headers."""

import getpass
import hashlib
import http.client
import io
import os
import re
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from articles.assets import copies
from tests.assets.images import picture

from .servers import ROOT, Gunicorn, free_port, manage, migrated_sqlite, project_env, stop, wait_for_port

NGINX = Path("/usr/sbin/nginx")
EXAMPLE = ROOT / "deploy" / "nginx.conf"
HOST = "news.example.org"
ARCHIVED = "assets/ab/" + "ab" * 32 + ".jpg"  # a name archive_assets makes
PHOTO = picture(1200, 800)
PHOTO_SHA = hashlib.sha256(PHOTO).hexdigest()
COPY = f"assets/{PHOTO_SHA[:2]}/{PHOTO_SHA}.w720.webp"  # planned for PHOTO, made on the first request
# An archived picture as archive_assets records it (a shell in the app's environment writes it).
RECORD = f"""
from articles.models import Asset
Asset.objects.create(url="http://127.0.0.1:9/photo.jpg", url_key="{PHOTO_SHA}", sha256="{PHOTO_SHA}", kind="jpeg",
    size={len(PHOTO)}, width=1200, height=800, variants=[360, 720], status=Asset.Status.FETCHED)
"""
# What the test changes in the example: free ports, its own certificate and folders, no IPv6.
MAIN = """
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
user {user};
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""


@pytest.fixture
def nginx_available():
    if not NGINX.exists():
        if os.environ.get("CI_REQUIRE_NGINX") == "1":
            pytest.fail(f"{NGINX} is missing but CI_REQUIRE_NGINX=1: install the nginx package")
        pytest.skip(f"{NGINX} not installed")


def site_config(folder, app_port, http_port, https_port):
    text = EXAMPLE.read_text()
    text = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", text)
    text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl")
    text = re.sub(r"ssl_certificate (\S+);", f"ssl_certificate {folder}/cert.pem;", text)
    text = re.sub(r"ssl_certificate_key (\S+);", f"ssl_certificate_key {folder}/key.pem;", text)
    text = text.replace("/srv/archive/staticfiles/", f"{folder}/static/").replace(
        "root /srv/archive;", f"root {folder};"
    )
    assert text.count(str(folder)) == 4, "the example changed: update this test's substitutions"
    return text


@pytest.fixture
def stack(tmp_path, nginx_available):
    """nginx (the example) in front of one gunicorn, with collected static files and a media file."""
    env = project_env(
        DATABASE_URL=f"sqlite:///{migrated_sqlite(tmp_path / 'db.sqlite3')}",
        ALLOWED_HOSTS=HOST,
        STATIC_MANIFEST="1",
        STATIC_ROOT=str(tmp_path / "static"),
        HTTPS="1",
        SECURE_SSL_REDIRECT="1",  # no redirect loop: gunicorn trusts nginx's X-Forwarded-Proto
        HSTS_INCLUDE_SUBDOMAINS="1",
        HSTS_PRELOAD="1",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    manage("collectstatic", "--no-input", env=env)
    manage("shell", "-c", RECORD, env=env)
    (tmp_path / "media" / "assets" / "ab").mkdir(parents=True)
    (tmp_path / "media" / ARCHIVED).write_bytes(b"\xff\xd8\xff an archived picture")
    (tmp_path / "media" / COPY).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "media" / COPY).with_name(f"{PHOTO_SHA}.jpg").write_bytes(PHOTO)
    (tmp_path / "media" / "warc").mkdir()
    (tmp_path / "media" / "warc" / "assets.warc.gz").write_bytes(b"a run's exchanges")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={HOST}"]
        + ["-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    app = Gunicorn(env, workers=3).start()
    ports = free_port(), free_port()
    (tmp_path / "site.conf").write_text(site_config(tmp_path, app.port, *ports))
    (tmp_path / "nginx.conf").write_text(MAIN.format(folder=tmp_path, user=getpass.getuser()))
    nginx = subprocess.Popen([str(NGINX), "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"])
    try:
        wait_for_port(ports[1], nginx, "nginx")
        yield Stack(app, *ports, tmp_path / "cert.pem", tmp_path / "media")
    finally:
        stop(nginx)
        app.stop()


class Stack:
    """The running gunicorn and nginx's two ports."""

    def __init__(self, app, http_port, https_port, certificate, media):
        self.app, self.http_port, self.https_port, self.media = app, http_port, https_port, media
        self.context = ssl.create_default_context(cafile=certificate)
        self.context.check_hostname = False  # the certificate names HOST; the connection goes to 127.0.0.1

    def fetch(self, path, *, tls=True, headers=()):
        """(status, response, body bytes) of a GET for HOST, over TLS checked against the test's certificate."""
        if tls:
            connection = http.client.HTTPSConnection("127.0.0.1", self.https_port, timeout=20, context=self.context)
        else:
            connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=20)
        try:
            connection.request("GET", path, headers={"Host": HOST, **dict(headers)})
            response = connection.getresponse()
            return response.status, response, response.read()
        finally:
            connection.close()


def test_nginx_serves_static_and_media_files_and_proxies_pages_with_host_and_scheme(stack):
    status, response, _ = stack.fetch("/tags/?page=1", tls=False)
    assert status == 301 and response.getheader("Location") == f"https://{HOST}/tags/?page=1"

    status, response, body = stack.fetch("/")  # over TLS, SECURE_SSL_REDIRECT does not redirect again
    assert status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body.decode()).group(1)
    status, response, body = stack.fetch(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert stack.fetch("/static/css/site.css")[1].getheader("Cache-Control") == "public, max-age=3600"

    status, response, body = stack.fetch(f"/media/{ARCHIVED}")
    assert (status, body) == (200, b"\xff\xd8\xff an archived picture")
    assert response.getheader("Content-Type") == "image/jpeg"
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert stack.fetch("/media/warc/assets.warc.gz")[0] == 404  # the WARC files are not public

    # Django saw the reader's host and HTTPS (the feed's links are absolute).
    status, _, feed = stack.fetch("/feed/atom/")
    assert status == 200 and f'href="https://{HOST}/"' in feed.decode()
    log = stack.app.stop()
    assert "/static/" not in log and "/media/" not in log, "static and media files must not reach gunicorn"
    assert '"GET /feed/atom/ HTTP/1.0" 200' in log


def test_a_copy_is_made_by_the_app_on_its_first_request_and_served_from_disk_after(stack):
    assert not (stack.media / COPY).exists()  # archive_assets stores the original only
    status, response, first = stack.fetch(f"/media/{COPY}")
    assert status == 200 and response.getheader("Content-Type") == "image/webp"
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert Image.open(io.BytesIO(first)).size == (720, 480)
    assert (stack.media / COPY).read_bytes() == first

    status, response, again = stack.fetch(f"/media/{COPY}")
    assert (status, again) == (200, first) and response.getheader("Content-Type") == "image/webp"
    unplanned = COPY.replace(".w720.", ".w1440.")  # 1,200 px wide: no 1,440 px copy is planned
    assert stack.fetch(f"/media/{unplanned}")[0] == 404
    assert not (stack.media / unplanned).exists()
    assert stack.fetch(f"/media/{COPY.replace(PHOTO_SHA, 'cd' * 32)}")[0] == 404  # no such picture
    log = stack.app.stop()
    assert log.count(f"GET /media/{COPY} ") == 1, "only the first request for a copy reaches the app"
    assert f"GET /media/{unplanned} " in log


def test_concurrent_first_requests_for_a_copy_make_it_once(stack, settings):
    # What the request holding the copy's lock stores: unlike what the others would make (quality 50).
    theirs = io.BytesIO()
    Image.open(io.BytesIO(PHOTO)).resize((720, 480)).save(theirs, "WEBP", quality=50)
    settings.MEDIA_ROOT = stack.media  # this test holds the lock, as a request making the copy would
    answers = []
    with copies.lock(COPY) as held:
        threads = [threading.Thread(target=lambda: answers.append(stack.fetch(f"/media/{COPY}")[::2])) for _ in "abc"]
        for thread in threads:
            thread.start()
        wait_for_waiters(held, len(threads))  # each request, in its own gunicorn worker, waits for the lock
        (stack.media / "copy.part").write_bytes(theirs.getvalue())
        (stack.media / "copy.part").rename(stack.media / COPY)
    for thread in threads:
        thread.join(timeout=60)
    assert answers == [(200, theirs.getvalue())] * 3  # what the lock's holder stored: none made its own


def wait_for_waiters(path, count, timeout=60):
    """Until ``count`` processes wait for the flock on ``path`` (the kernel lists them in /proc/locks)."""
    inode = f":{os.stat(path).st_ino} "
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = Path("/proc/locks").read_text().splitlines()
        if sum("->" in line and inode in line for line in lines) >= count:
            return
        time.sleep(0.01)
    raise AssertionError(f"{count} requests never waited for the lock")
