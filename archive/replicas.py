"""Read replicas: anonymous readers' pages read from DATABASE_REPLICA_URL, everything else from the primary.

Only a safe request of a reader who is not signed in (``articles.web.privacy.signed_in``: a stale
or made-up session cookie signs nobody in, as for the page cache), outside the admin, reads from
the replica. So staff read their own writes at once, and logins, the admin, the importer,
management commands and every write use the primary. Inside such a request every
read goes to the replica, raw SQL included (the search engine runs on ``queryset.db``).

A replica that cannot be reached is skipped: the request reads from the primary, and the
outage is logged at most once a minute (see ``outages``). The replica is only asked when a
request first reads, so pages served from the page cache never touch it.
"""

from contextvars import ContextVar
from functools import cache

from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.urls import reverse

from articles.web.privacy import signed_in

from .outages import outage

REPLICA = "replica"
# Sessions, logins and permissions must see their own writes at once: always the primary.
PRIMARY_APPS = frozenset({"admin", "auth", "contenttypes", "sessions"})
SAFE_METHODS = frozenset({"GET", "HEAD"})

_reads = ContextVar("replica_reads", default=None)


def replica_answers():
    """True when the replica takes a connection now (reusing a healthy one costs nothing more)."""
    state = outage("The read replica")
    if not state.available():
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DatabaseError as error:
        state.failed(error, "public pages read from the primary")
        return False
    return True


class RequestReads:
    """Where one request's reads go, decided at its first read."""

    def __init__(self):
        self._alias = None

    @property
    def alias(self):
        if self._alias is None:
            self._alias = REPLICA if replica_answers() else DEFAULT_DB_ALIAS
        return self._alias


class ReplicaRouter:
    """Reads inside a reader's request go to the replica; all else (writes, migrations) to the primary."""

    def db_for_read(self, model, **hints):
        reads = _reads.get()
        if reads is None or model._meta.app_label in PRIMARY_APPS:
            return None
        return reads.alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        """The replica holds the primary's rows: an object read from either may point at one from the other."""
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} or None

    def allow_migrate(self, db, app_label, **hints):
        return False if db == REPLICA else None


@cache
def _admin_prefix():
    return reverse("admin:index")


def is_public_read(request):
    """A reader's page: GET or HEAD, not the admin, not signed in (the session is looked up, on the
    primary, only when the request carries a session cookie)."""
    return request.method in SAFE_METHODS and not request.path.startswith(_admin_prefix()) and not signed_in(request)


class ReplicaReadsMiddleware:
    """Sends a reader's request's reads to the replica, when DATABASE_REPLICA_URL configured one."""

    def __init__(self, get_response):
        if REPLICA not in connections.settings:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_read(request):
            return self.get_response(request)
        token = _reads.set(RequestReads())
        try:
            return self.get_response(request)
        finally:
            _reads.reset(token)
