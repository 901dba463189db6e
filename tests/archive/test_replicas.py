"""DATABASE_REPLICA_URL: readers' pages read from the replica; staff, the admin, the importer, the primary."""

import json
import logging

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.replicas import REPLICA
from articles.models import Article
from tests.factories import make_article

from .servers import free_port, manage, project_env

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])

PUBLIC_URLS = ("/", "/tag/台海/", "/archive/", "/search/?q=台海", "/api/articles/", "/feed/atom/", "/sitemap.xml")


@pytest.fixture(scope="module", autouse=True)
def replica():
    """A second connection to the test database standing in for a replica (Django's test mirror).

    Added for this module only, before pytest-django checks the test's databases.
    """
    default = connections["default"].settings_dict
    connections.settings[REPLICA] = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.ARCHIVE_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def down_replica():
    """The replica, for one test, is a PostgreSQL server on a loopback port where nothing listens."""
    mirror = connections.settings[REPLICA]
    connections[REPLICA].close()
    del connections[REPLICA]
    connections.settings[REPLICA] = {
        **mirror,
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        "NAME": "archive",
        "USER": "postgres",
        "PASSWORD": "",
        "OPTIONS": {"connect_timeout": 2},
    }
    yield
    del connections[REPLICA]
    connections.settings[REPLICA] = mirror


def reads(url, client):
    """(status, queries on the primary, queries on the replica) of one request."""
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections[REPLICA]) as copy:
        status = client.get(url).status_code
    return status, len(primary), len(copy)


@pytest.fixture
def staff_client(django_user_model):
    user = django_user_model.objects.create_superuser("editor", password="pw-for-tests")
    staff = Client()
    staff.force_login(user)
    return staff


def test_readers_pages_read_only_from_the_replica_raw_search_sql_included(client):
    article = make_article("台海局势", tags=["台海"])
    for url in (*PUBLIC_URLS, article.get_absolute_url(), f"/api/articles/{article.pk}/"):
        status, primary, copy = reads(url, client)
        assert status == 200, url
        assert primary == 0 and copy > 0, (url, primary, copy)
    assert "台海局势" in client.get("/search/?q=台海").content.decode()


@pytest.mark.parametrize("cookie", ["made-up", "abcdefgh12345678abcdefgh12345678"])
def test_a_stale_or_made_up_session_cookie_reads_from_the_replica(cookie):
    """Such a cookie signs nobody in: an anonymous reader, for the replica as for the page cache
    (``articles.web.privacy.signed_in``); only its session lookup reads the primary."""
    article = make_article("台海局势", tags=["台海"])
    stranger = Client()
    stranger.cookies[settings.SESSION_COOKIE_NAME] = cookie
    for url in (*PUBLIC_URLS, article.get_absolute_url()):
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections[REPLICA]) as copy,
        ):
            assert stranger.get(url).status_code == 200, url
        assert len(copy) > 0, url
        assert [query["sql"] for query in primary if "django_session" not in query["sql"]] == [], url


def test_staff_read_their_own_writes_from_the_primary(staff_client):
    article = make_article("旧标题", tags=["台海"])
    for url in (*PUBLIC_URLS, article.get_absolute_url(), "/admin/articles/article/"):
        status, primary, copy = reads(url, staff_client)
        assert status == 200, url
        assert primary > 0 and copy == 0, (url, primary, copy)


def test_signing_in_and_posting_use_the_primary(client, django_user_model):
    django_user_model.objects.create_superuser("editor", password="pw-for-tests")
    with CaptureQueriesContext(connections[REPLICA]) as copy:
        assert client.get("/admin/login/").status_code == 200
        response = client.post("/admin/login/?next=/admin/", {"username": "editor", "password": "pw-for-tests"})
        assert response.status_code == 302 and response["Location"] == "/admin/"
        assert client.get("/admin/").status_code == 200
        assert client.post("/search/", {"q": "台海"}).status_code == 405
    assert len(copy) == 0


def test_the_importer_and_commands_use_the_primary(seeds_dir):
    with CaptureQueriesContext(connections[REPLICA]) as copy:
        call_command("import_seeds", str(seeds_dir), "--no-progress", verbosity=0)
        call_command("rebuild_search_index", verbosity=0)
    assert Article.objects.count() == 1
    assert len(copy) == 0


def test_a_replica_that_is_down_falls_back_to_the_primary_and_is_logged_once_a_minute(
    client, down_replica, clock, caplog
):
    make_article("台海局势", tags=["台海"])
    with caplog.at_level(logging.ERROR, logger="archive.outages"):
        for url in PUBLIC_URLS:
            clock.advance(6)  # past the retry time: each request tries the replica again
            with CaptureQueriesContext(connections["default"]) as primary:
                assert client.get(url).status_code == 200, url
            assert len(primary) > 0, url
        assert "台海局势" in client.get("/search/?q=台海").content.decode()
        clock.advance(60)
        assert client.get("/").status_code == 200
    lines = [record.getMessage() for record in caplog.records if record.name == "archive.outages"]
    assert len(lines) == 2
    assert lines[0].startswith("The read replica cannot be reached (OperationalError")
    assert "public pages read from the primary" in lines[0]


def test_database_replica_url_adds_the_replica_and_leaves_it_out_of_migrations(tmp_path):
    url = f"postgres://reader:secret@127.0.0.1:{free_port()}/archive"
    script = (
        "import json; from django.db import connections, router; "
        "print(json.dumps([connections['replica'].settings_dict[key] for key in ('HOST', 'USER', 'TEST')] "
        "+ [router.allow_migrate('replica', 'articles'), router.allow_migrate('default', 'articles')]))"
    )
    env = project_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DATABASE_REPLICA_URL=url)
    host, user, test, replica_migrates, primary_migrates = json.loads(
        manage("shell", "--no-imports", "-c", script, env=env).stdout
    )
    assert (host, user, test["MIRROR"]) == ("127.0.0.1", "reader", "default")
    assert replica_migrates is False and primary_migrates is True
