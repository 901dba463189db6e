"""Each run's raw HTTP exchanges in a gzipped WARC file under ``MEDIA_ROOT/warc/`` (warcio).

Standard replay tools (pywb, ReplayWeb.page) read these files. Every exchange that got an answer
is recorded as a request record and a response record; a body cut short (over the size limit, or
past the time limit) is marked ``WARC-Truncated``. Each record is its own gzip member, so a file
from a killed run is still readable up to its last complete record.

The members are stored, not deflated (gzip level 0): the payloads are pictures, compressed
already. Deflate would save 5% of them at 1.7 ms of CPU per picture (measured on the benchmark's
JPEGs), a tenth of what archiving a picture may cost to reach 100 images/s on two cores.
"""

import os
import threading
import zlib
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

WARC_DIR = "warc"
SOFTWARE = "news-archive archive_assets (warcio)"
GZIP_LEVEL = 0


def request_target(url):
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def gzip_member(data):
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return compressor.compress(data) + compressor.flush()


def record_bytes(writer, record):
    """One record as its own gzip member."""
    out = BytesIO()
    writer.out = out
    writer.write_record(record)
    return gzip_member(out.getvalue())


def encode(exchanges):
    """The gzipped WARC records of ``exchanges`` (see ``fetching.Exchange``), as bytes."""
    writer = WARCWriter(None, gzip=False)
    members = []
    for exchange in exchanges:
        response_headers = {"WARC-IP-Address": exchange.address} if exchange.address else {}
        if exchange.truncated:
            response_headers["WARC-Truncated"] = exchange.truncated
        response = writer.create_warc_record(
            exchange.url,
            "response",
            payload=BytesIO(exchange.body),
            length=len(exchange.body),
            warc_headers_dict=response_headers,
            http_headers=StatusAndHeaders(
                f"{exchange.status} {exchange.reason}".strip(), exchange.response_headers, protocol=exchange.version
            ),
        )
        request = writer.create_warc_record(
            exchange.url,
            "request",
            warc_headers_dict={"WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
            http_headers=StatusAndHeaders(
                f"{exchange.method} {request_target(exchange.url)} {exchange.version}",
                exchange.request_headers,
                is_http_request=True,
            ),
        )
        members += [record_bytes(writer, response), record_bytes(writer, request)]
    return b"".join(members)


class WarcFile:
    """One run's WARC file: created on the first exchange, appended to from any thread."""

    def __init__(self, directory, prefix="assets"):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.path = Path(directory) / f"{prefix}-{stamp}-{os.getpid()}.warc.gz"
        self.records = 0
        self._file = None
        self._lock = threading.Lock()

    def write(self, exchanges):
        if not exchanges:
            return
        data = encode(exchanges)  # compressed outside the lock, in the worker's thread
        with self._lock:
            if self._file is None:
                self._open()
            self._file.write(data)
            self._file.flush()
            self.records += 2 * len(exchanges)

    def _open(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "ab")  # noqa: SIM115 (kept open for the run, closed by close())
        writer = WARCWriter(None, gzip=False)
        self._file.write(record_bytes(writer, writer.create_warcinfo_record(self.path.name, {"software": SOFTWARE})))

    def close(self):
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
