"""gunicorn's settings for the archive: ``gunicorn -c deploy/gunicorn.conf.py archive.wsgi`` (what ``make serve`` runs).

Each value comes from the environment, documented in the settings table (docs/configuration.md), with a default
for one machine behind nginx on the same host; GUNICORN_CMD_ARGS sets anything else.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a page is CPU-bound Python (rendering a list costs a few milliseconds), so about
# two per core, plus one for a worker waiting on the database. Each holds its own connections
# (CONN_MAX_AGE) and, without CACHE_URL, its own cache.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
# A request running longer is killed and its worker replaced; stopping waits as long for requests in flight.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = timeout
# A worker is replaced after about this many requests (staggered), so memory stays bounded over weeks.
max_requests = 5000
max_requests_jitter = 500
# The proxy's X-Forwarded-Proto is trusted from these addresses only (nginx on this host by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One line per request on stdout (the journal under systemd): peer, client nginx saw, time, request, size, ms.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s %({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'
errorlog = "-"
# gunicorn's control socket defaults to one path per user, which every server on the host would share.
control_socket_disable = True
