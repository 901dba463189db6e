"""``POST /hooks/sources/NAME/``: a source's push notification queues one sync for the worker.

Signed as GitHub signs them (``X-Hub-Signature-256``, see ``sources.signatures``); the request does
no git work: one lookup, the signature, and at most one conditional UPDATE and one queued task.
Answers are JSON: 202 queued (or queued already), 200 for GitHub's ``ping`` and for pushes to another
branch, 403 without a valid signature (a source without a secret takes no pushes), 404 for an
unknown source, 413 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, 429 past the rate limit.
The only view exempt from CSRF checks: its callers are other servers, and the signature is its proof.
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.core import get_usage

from articles.models import Source
from articles.sources import signatures
from articles.sources.tasks import request_sync
from articles.web.client_ip import client_ip

GROUP = "archive.source-hook"


def _answer(status, detail, **headers):
    response = JsonResponse({"detail": detail}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _limited(request, name):
    """Seconds until this client may push to ``name`` again, or None (counts this request)."""
    if not settings.SOURCES_HOOK_RATE_LIMIT:
        return None
    usage = get_usage(
        request,
        group=GROUP,
        key=lambda group, request: f"{client_ip(request)} {name}",
        rate=settings.SOURCES_HOOK_RATE_LIMIT,
        increment=True,
    )
    return max(1, usage["time_left"]) if usage and usage["should_limit"] else None


def _other_branch(request, source):
    """The pushed branch when the payload names one other than the source's (set) branch."""
    if not source.branch or request.content_type != "application/json":
        return None
    try:
        ref = json.loads(request.body).get("ref", "")
    except (ValueError, AttributeError):
        return None
    branch = ref.removeprefix("refs/heads/") if isinstance(ref, str) and ref.startswith("refs/heads/") else None
    return branch if branch and branch != source.branch else None


@csrf_exempt
@require_POST
def source_push(request, name):
    wait = _limited(request, name)
    if wait is not None:
        return _answer(429, "too many notifications: try again later", Retry_After=str(wait))
    source = Source.objects.filter(name=name).only("pk", "name", "secret", "branch").first()
    if source is None:
        return _answer(404, "no source of that name")
    try:
        body = request.body
    except RequestDataTooBig:
        return _answer(413, "the notification is too large")
    if not signatures.valid(source.secret, body, request.headers.get("X-Hub-Signature-256")):
        return _answer(403, "missing or wrong signature (X-Hub-Signature-256)")
    if request.headers.get("X-GitHub-Event") == "ping":
        return _answer(200, "pong")
    branch = _other_branch(request, source)
    if branch is not None:
        return _answer(200, f"a push to {branch}: the source follows {source.branch}, nothing queued")
    queued = request_sync(source.pk)
    return _answer(202, "sync queued" if queued else "a sync is queued already")
