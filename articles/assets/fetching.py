"""Fetching remote files politely and safely (httpx).

- Time limits: ``connect_timeout`` to connect, and one deadline, ``timeout`` after the first
  request starts, for the whole file: connect, headers (1xx answers included), body and redirects
  (``deadlines.py``: every socket operation waits only for what is left of it). With ``stop_at``
  (the admin's budget) no request starts or runs past that time; what it cuts short is left for the
  next run, not counted as failed.
- A size limit counted while the body streams in, after decoding (``decoding.py``: stacked or
  unknown Content-Encodings are refused): a missing or false Content-Length changes nothing.
- A URL that cannot be read the same way by every part of the stack is refused before any
  request or lookup (``urls.py``); ``fetch`` never raises.
- Redirects are followed by hand, at most five, each to http(s) only, each connection checked by the
  SSRF guard (``guard.py``); a loop stops at once.
- At most ``PER_HOST`` requests at a time to one host. A host that answers 429 or 503, or fails to
  answer ``PAUSE_AFTER`` times in a row, is left alone for the rest of the run: its other files wait
  for the next run. Retries happen across runs, with backoff (``records.next_try``), never in a loop.
- Every exchange is kept for the run's WARC file.
"""

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import parsedate_to_datetime
from time import monotonic
from urllib.parse import urljoin, urlsplit

import httpx
from django.utils import timezone

from . import deadlines, decoding
from .guard import BlockedAddress, GuardedTransport
from .urls import url_problem

logger = logging.getLogger(__name__)

PER_HOST = 2
PAUSE_AFTER = 3  # failures in a row (timeouts, refused connections) before a host is paused
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
GONE_STATUSES = {404, 410}
SLOW_DOWN_STATUSES = {429, 503}
ERROR_BODY_MAX = 64 * 1024  # bytes of a redirect or an error page kept for the WARC
IMAGE_ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1"
# Requests ask for Accept-Encoding: identity, so the body on the wire is the file itself. A server
# that encodes anyway has its body decoded (one layer of gzip or deflate), and the WARC record then
# drops these headers.
ENCODING_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}

BAD_LOCATION = "Invalid URL in location header: "  # how httpx (0.28) words a redirect it cannot read

OK, FAILED, GONE, REFUSED, SKIPPED = "ok", "failed", "gone", "refused", "skipped"
OUT_OF_TIME = "out of time: left for the next run"


@dataclass
class Exchange:
    """One HTTP request and its response, as the WARC records them."""

    url: str
    method: str
    version: str
    request_headers: list
    status: int
    reason: str
    response_headers: list
    body: bytes
    truncated: str = ""  # "length" or "time" when the body was cut short, "unspecified" when not read
    address: str = ""
    problem: str = ""  # why the body could not be taken (its encoding)


@dataclass
class Result:
    """What became of one URL: ``outcome`` is OK (``body`` holds the file) or why not."""

    url: str
    outcome: str = OK
    body: bytes = b""
    final_url: str = ""
    http_status: int | None = None
    error: str = ""
    retry_after: object = None  # an aware datetime the server asked us to wait for
    exchanges: list = field(default_factory=list)


class Hosts:
    """Per-host request slots and the run's record of hosts that asked to be left alone."""

    def __init__(self, per_host=PER_HOST):
        self._per_host = per_host
        self._lock = threading.Lock()
        self._slots = {}
        self._failures = {}
        self._paused = set()

    @contextmanager
    def slot(self, host):
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self._per_host))
        with slot:
            yield

    def paused(self, host):
        return host in self._paused

    def failed(self, host, *, pause=False):
        with self._lock:
            self._failures[host] = self._failures.get(host, 0) + 1
            if pause or self._failures[host] >= PAUSE_AFTER:
                self._paused.add(host)

    def answered(self, host):
        with self._lock:
            self._failures[host] = 0


class Fetcher:
    """A shared HTTP client for a run's worker threads; ``fetch(url)`` never raises."""

    def __init__(self, guard, *, user_agent, max_bytes, timeout, connect_timeout, connections=16):
        self.max_bytes = max_bytes
        self.timeout, self.connect_timeout = timeout, connect_timeout
        self.stop_at = None  # a monotonic() time no request may run past (the admin's budget)
        self.hosts = Hosts()
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self.client = httpx.Client(
            transport=GuardedTransport(guard, limits=limits),
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            headers={"User-Agent": user_agent, "Accept-Encoding": "identity"},
        )

    def close(self):
        self.client.close()

    def fetch(self, url, *, method="GET", accept=IMAGE_ACCEPT, max_bytes=None):
        """Follow ``url`` to its file (or its failure) within the run's limits."""
        result = Result(url)
        try:
            return self._follow(result, method, accept, max_bytes or self.max_bytes)
        except Exception as error:  # a bug or a library's surprise: this URL fails, the run goes on
            logger.exception("fetching %s failed", url)
            return _end(result, FAILED, f"internal error: {error}"[:300])

    def _follow(self, result, method, accept, max_bytes):
        url = result.url
        deadline = None  # the time limit runs from the first request, not from the wait for a slot
        current, seen = url, {url}
        for _hop in range(MAX_REDIRECTS + 1):
            problem = url_problem(current)
            if problem:
                return _end(result, REFUSED, problem)
            host = urlsplit(current).hostname
            if deadline is not None and monotonic() > deadline:
                return self._late(result, host, f"took longer than {self.timeout:g} s")
            if self.hosts.paused(host):
                return _end(result, SKIPPED, f"host paused for this run: {host}")
            try:
                with self.hosts.slot(host):
                    if self._out_of_time():
                        return _end(result, SKIPPED, OUT_OF_TIME)
                    deadline = deadline or self._deadline()
                    exchange = self._exchange(current, method, accept, max_bytes, deadline)
            except BlockedAddress as error:
                return _end(result, REFUSED, f"address not allowed: {error}")
            except httpx.TimeoutException:  # before the body: connecting, or waiting for the headers
                return self._late(result, host, f"timed out: {host}")
            except (httpx.HTTPError, OSError) as error:
                return self._unanswered(result, host, error)
            self.hosts.answered(host)
            result.exchanges.append(exchange)
            result.final_url, result.http_status = current, exchange.status
            location = _header(exchange.response_headers, "location")
            if exchange.status not in REDIRECT_STATUSES or not location:
                return self._judge(result, exchange, host)
            current = _join(current, location.strip())
            if current in seen:
                return _end(result, FAILED, f"redirect loop: {current}"[:300])
            seen.add(current)
        return _end(result, FAILED, f"more than {MAX_REDIRECTS} redirects")

    def _deadline(self):
        end = monotonic() + self.timeout
        return min(end, self.stop_at) if self.stop_at is not None else end

    def _out_of_time(self):
        return self.stop_at is not None and monotonic() >= self.stop_at

    def _exchange(self, url, method, accept, max_bytes, deadline):
        headers = {"Accept": accept}
        left = max(deadline - monotonic(), 0.001)
        timeout = httpx.Timeout(left, connect=min(self.connect_timeout, left))
        with deadlines.until(deadline), self.client.stream(method, url, headers=headers, timeout=timeout) as response:
            address = _peer(response)
            ok = 200 <= response.status_code < 300
            body, truncated, problem = _body(response, max_bytes if ok else ERROR_BODY_MAX, ok)
            sent = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.request.headers.raw]
            received = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw]
            if _header(received, "content-encoding") not in ("", "identity"):
                received = [(k, v) for k, v in received if k.lower() not in ENCODING_HEADERS]  # body is decoded
            return Exchange(
                url=url,
                method=method,
                version=response.http_version,
                request_headers=sent,
                status=response.status_code,
                reason=response.reason_phrase,
                response_headers=received,
                body=body,
                truncated=truncated,
                address=address,
                problem=problem,
            )

    def _judge(self, result, exchange, host):
        status = exchange.status
        if status in GONE_STATUSES:
            return _end(result, GONE, f"HTTP {status} {exchange.reason}".strip())
        if status in SLOW_DOWN_STATUSES:
            self.hosts.failed(host, pause=True)
            result.retry_after = _retry_after(_header(exchange.response_headers, "retry-after"))
            return _end(result, FAILED, f"HTTP {status} {exchange.reason}: the host asked us to slow down")
        if not 200 <= status < 300:
            return _end(result, FAILED, f"HTTP {status} {exchange.reason}".strip())
        if exchange.problem:
            return _end(result, REFUSED, exchange.problem)
        if exchange.truncated == "length":
            return _end(result, REFUSED, f"larger than {self.max_bytes:,} bytes")
        if exchange.truncated == "time":
            return self._late(result, host, f"took longer than {self.timeout:g} s")
        result.body = exchange.body
        return result

    def _unanswered(self, result, host, error):
        """No usable answer: a connection refused or reset, bad TLS, DNS, or a Location httpx cannot read."""
        message = str(error)
        if message.startswith(BAD_LOCATION):  # httpx reads Location even when it follows no redirects
            reason = message.removeprefix(BAD_LOCATION).rstrip(".")
            return _end(result, REFUSED, f"not a valid URL: redirect: {reason}"[:300])
        self.hosts.failed(host)
        return _end(result, FAILED, f"could not fetch: {message}"[:300])

    def _late(self, result, host, error):
        """The deadline passed: left for the next run when the run's budget ran out, else the host failed."""
        if self._out_of_time():
            return _end(result, SKIPPED, OUT_OF_TIME)
        self.hosts.failed(host)
        return _end(result, FAILED, error)


def _body(response, limit, ok):
    """``(body, truncated, problem)``: the body decoded, up to ``limit`` bytes, and why not all of it."""
    declared = response.headers.get("content-length", "")
    if ok and declared.isdigit() and int(declared) > limit:
        return b"", "length", ""  # too big by its own account: not worth a byte
    try:
        decoder = decoding.decoder_for(response.headers.get("content-encoding", ""))
        return (*_read(response, limit, decoder), "")
    except decoding.Undecodable as error:
        return b"", "unspecified", str(error)


def _read(response, limit, decoder):
    """The body, up to ``limit`` decoded bytes and until the deadline; with "length" or "time" if cut short.

    The raw bytes are decoded here, not by httpx, so that no chunk decodes to more than the limit
    allows (plus one byte, to tell a file at the limit from one over it).
    """
    chunks, size = [], 0
    try:
        for raw in response.iter_raw():
            chunk = decoder.decode(raw, limit - size + 1)
            size += len(chunk)
            if size > limit:
                return b"".join(chunks), "length"
            chunks.append(chunk)
    except httpx.TimeoutException:  # the deadline passed while the body streamed in
        return b"".join(chunks), "time"
    return b"".join(chunks), ""


def _peer(response):
    """The IP address the response came from (for the WARC), or "" if the stream cannot say."""
    stream = response.extensions.get("network_stream")
    try:
        return stream.get_extra_info("server_addr")[0]
    except (AttributeError, OSError, TypeError):
        return ""


def _join(base, location):
    """``location`` read against ``base``; as it is when urllib cannot read it (``url_problem`` says why)."""
    try:
        return urljoin(base, location)
    except ValueError:
        return location


def _header(headers, name):
    return next((value for key, value in headers if key.lower() == name), "")


def _retry_after(value, *, longest=30 * 24 * 3600):
    """The time a Retry-After header (seconds or an HTTP date) names, at most 30 days away."""
    now = timezone.now()
    value = value.strip()
    if value.isdigit():
        return now + timedelta(seconds=min(int(value), longest))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(when, now + timedelta(seconds=longest)) if when.tzinfo else None


def _end(result, outcome, error):
    result.outcome, result.error, result.body = outcome, error, b""
    return result
