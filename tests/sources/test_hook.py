"""``POST /hooks/sources/NAME/``: signed pushes queue one sync for the worker, and nothing else."""

import json

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from articles.models import Article, Source
from articles.sources.signatures import sign

from .repos import post

pytestmark = pytest.mark.django_db
SECRET = "It's a Secret to Everybody"
PAYLOAD = json.dumps({"ref": "refs/heads/main", "after": "0" * 40}).encode()


@pytest.fixture
def hooked(source):
    source.secret = SECRET
    source.save()
    return source


def push(body=PAYLOAD, *, name="blog", signature=None, event="push", client=None, **headers):
    client = client or Client(enforce_csrf_checks=True)
    extra = {"HTTP_X_GITHUB_EVENT": event, **headers}
    if signature is not None:
        extra["HTTP_X_HUB_SIGNATURE_256"] = signature
    return client.post(f"/hooks/sources/{name}/", body, content_type="application/json", **extra)


def test_the_signature_is_githubs():
    # GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!".
    assert sign(SECRET, b"Hello, World!") == ("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")


# The worker closes the connection between tasks: a test transaction would not survive it.
@pytest.mark.django_db(transaction=True)
def test_a_signed_push_is_accepted_and_queues_one_sync_however_many_arrive(hooked, sources_dir, run_worker, repo):
    for _ in range(3):
        response = push(signature=sign(SECRET, PAYLOAD))
        assert response.status_code == 202
    assert response.json() == {"detail": "a sync is queued already"}
    assert DBTaskResult.objects.count() == 1
    assert not sources_dir.exists()  # nothing ran in the request: not even a clone
    assert not Article.objects.exists()
    run_worker()
    hooked.refresh_from_db()
    assert (hooked.last_commit, hooked.queued_at) == (repo.head(), None)
    assert Article.objects.count() == 2
    # Once that sync started, the next push queues another one.
    repo.write("_posts/2024-06-01-new.md", post("新的"))
    repo.commit("new")
    assert push(signature=sign(SECRET, PAYLOAD)).json() == {"detail": "sync queued"}
    run_worker()
    assert Article.objects.count() == 3


@pytest.mark.parametrize("signature", [None, "", "sha256=" + "0" * 64, sign("another secret", PAYLOAD), "md5=x"])
def test_a_missing_or_wrong_signature_is_refused(hooked, signature):
    response = push(signature=signature)
    assert response.status_code == 403
    assert response.json() == {"detail": "missing or wrong signature (X-Hub-Signature-256)"}
    assert not DBTaskResult.objects.exists()


def test_a_body_changed_after_signing_is_refused(hooked):
    assert push(PAYLOAD + b" ", signature=sign(SECRET, PAYLOAD)).status_code == 403


def test_a_source_without_a_secret_takes_no_push(source):
    assert push(signature=sign("", PAYLOAD)).status_code == 403


def test_an_unknown_source_is_404(hooked):
    response = push(name="nope", signature=sign(SECRET, PAYLOAD))
    assert response.status_code == 404 and response.json() == {"detail": "no source of that name"}


def test_only_post_is_answered(hooked):
    assert Client().get("/hooks/sources/blog/").status_code == 405


def test_githubs_ping_and_pushes_to_other_branches_queue_nothing(hooked):
    assert push(signature=sign(SECRET, PAYLOAD), event="ping").json() == {"detail": "pong"}
    hooked.branch = "live"
    hooked.save()
    response = push(signature=sign(SECRET, PAYLOAD))
    assert response.status_code == 200
    assert response.json() == {"detail": "a push to main: the source follows live, nothing queued"}
    assert not DBTaskResult.objects.exists()


def test_notifications_are_rate_limited_per_client_and_source(hooked, settings):
    settings.SOURCES_HOOK_RATE_LIMIT = "2/m"
    codes = [push(signature="sha256=wrong").status_code for _ in range(3)]
    assert codes == [403, 403, 429]
    limited = push(signature=sign(SECRET, PAYLOAD))
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
    Source.objects.create(name="other", location="/srv/other", secret=SECRET)
    assert push(name="other", signature=sign(SECRET, PAYLOAD)).status_code == 202


def test_a_notification_over_the_upload_limit_is_413(hooked, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = b"x" * 200
    assert push(body, signature=sign(SECRET, body)).status_code == 413
