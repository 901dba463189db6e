"""A local HTTP server (127.0.0.1, a free port) serving good images and every kind of failure."""

import gzip
import select
import socket
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import encoded, images

# How long the misbehaving routes keep it up if the client does not give up: far longer than any
# time limit the tests set, so only a working limit ends them early (a broken one fails the test).
STALL_SECONDS = 20
TICK = 0.1  # between the trickling routes' header lines (or 102 answers): each read waits less than that
BOMB_SIZE = 1024 * encoded.MB  # what the bombs decode to


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.record(self)
        route = self.server.routes.get(self.path.split("?")[0])
        if route is None:
            return self.send(404, b"no such file", "text/plain")
        route(self)

    def do_HEAD(self):
        self.do_GET()

    def send(self, status, body=b"", content_type="image/jpeg", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, location, status=302):
        self.send(status, b"", "text/plain", [("Location", location)])

    def chunked(self, chunks, content_type="image/jpeg"):
        """A body of unknown length (no Content-Length), sent chunk by chunk."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for chunk in chunks:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            self.close_connection = True  # the client stopped reading, as it should
            self.server.saw_client_leave(self)

    def trickle(self, pieces, then):
        """Send ``pieces`` a tick apart, then call ``then``; stop when the client hangs up."""
        try:
            for piece in pieces:
                self.wfile.write(piece)
                time.sleep(TICK)
        except OSError:
            self.close_connection = True
            self.server.saw_client_leave(self)
            return
        then()


class AssetServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests = []  # (method, path, headers)
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self.routes = {}
        self.left = {}  # path -> an Event set when a client hung up on that path before its answer ended

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], OSError):  # clients hang up on purpose (size and time limits)
            super().handle_error(request, client_address)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def url(self, path):
        return self.base + path

    def record(self, handler):
        with self._lock:
            self.requests.append((handler.command, handler.path, dict(handler.headers)))

    def paths(self):
        return [path for _method, path, _headers in self.requests]

    def _left(self, path):
        with self._lock:
            return self.left.setdefault(path, threading.Event())

    def saw_client_leave(self, handler):
        self._left(handler.path.split("?")[0]).set()

    def client_left(self, path, wait=STALL_SECONDS):
        """Whether a client hung up on ``path`` mid-answer (waiting up to ``wait`` s for the server to notice)."""
        return self._left(path).wait(wait)

    def busy(self, handler, body):
        """Answer after a short wait, counting how many requests are served at the same time."""
        with self._lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        time.sleep(0.15)
        with self._lock:
            self.in_flight -= 1
        handler.send(200, body)


def silent(handler):
    """Never answers: waits (up to STALL_SECONDS) for the client to give up, and notes that it did."""
    connection, stop = handler.connection, time.monotonic() + STALL_SECONDS
    handler.close_connection = True
    while time.monotonic() < stop:
        if select.select([connection], [], [], TICK)[0]:
            try:
                hung_up = not connection.recv(1, socket.MSG_PEEK)
            except OSError:
                hung_up = True
            if hung_up:
                handler.server.saw_client_leave(handler)
                return
            time.sleep(TICK)  # more from the client: not expected, not a hang-up either


def trickled_headers(handler):
    """The status line, then one header line a tick: no read waits long, the headers take STALL_SECONDS."""
    body = images.picture(100, 100)
    lines = [b"HTTP/1.1 200 OK\r\n", *(b"X-Wait-%d: still here\r\n" % n for n in range(int(STALL_SECONDS / TICK)))]
    end = b"Content-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n" % len(body)
    handler.trickle(lines, lambda: handler.wfile.write(end + body))


def processing(handler):
    """An interim HTTP 102 a tick for STALL_SECONDS, then the file."""
    interim = [b"HTTP/1.1 102 Processing\r\n\r\n"] * int(STALL_SECONDS / TICK)
    handler.trickle(interim, lambda: handler.send(200, images.picture(100, 100)))


def drip(handler):
    """Headers at once, then 64 bytes a tick: each read is quick, the whole file never ends in time."""
    body = images.picture(300, 200)

    def chunks():
        for n in range(0, len(body), 64):
            time.sleep(TICK)
            yield body[n : n + 64]

    handler.chunked(chunks())


def build_routes(server):
    photo = images.picture(1200, 800)
    small, wide = images.picture(300, 200, "PNG", seed=2, alpha=True), images.picture(2000, 1000, "WEBP", seed=3)
    gif, rotated, untyped = images.animated_gif(), images.exif_rotated_jpeg(), images.picture(400, 300, seed=4)
    bomb, giant_bomb = images.png_bomb(3000, 3000), images.png_bomb(20000, 20000)
    routes = {
        "/photo.jpg": lambda h: h.send(200, photo),
        "/copy-of-photo.jpg": lambda h: h.send(200, photo),
        "/small.png": lambda h: h.send(200, small, "image/png"),
        "/wide.webp": lambda h: h.send(200, wide, "image/webp"),
        "/anim.gif": lambda h: h.send(200, gif, "image/gif"),
        "/rotated.jpg": lambda h: h.send(200, rotated),
        "/no-type.jpg": lambda h: h.send(200, untyped, "application/octet-stream"),
        "/missing.jpg": lambda h: h.send(404, b"<h1>Not Found</h1>", "text/html"),
        "/gone.jpg": lambda h: h.send(410, b"", "text/html"),
        "/error.jpg": lambda h: h.send(500, b"<h1>Internal Server Error</h1>", "text/html"),
        "/slow-down.jpg": lambda h: h.send(429, b"", "text/plain", [("Retry-After", "7200")]),
        "/slow.jpg": silent,
        "/drip.jpg": drip,
        "/trickled-headers.jpg": trickled_headers,
        "/processing.jpg": processing,
        "/huge.jpg": lambda h: h.chunked(photo[:2] + b"\0" * 65536 for _ in range(40)),  # 2.6 MB, no length
        "/says-huge.jpg": _says_huge,
        "/page.jpg": lambda h: h.send(200, images.HTML_PAGE, "image/jpeg"),
        "/script.svg": lambda h: h.send(200, images.SVG_WITH_SCRIPT, "image/svg+xml"),
        "/svg-as.png": lambda h: h.send(200, images.SVG_WITH_SCRIPT, "image/png"),
        "/bomb.png": lambda h: h.send(200, bomb, "image/png"),
        "/giant-bomb.png": lambda h: h.send(200, giant_bomb, "image/png"),
        "/truncated.jpg": lambda h: h.send(200, photo[: len(photo) // 2]),
        "/moved.jpg": lambda h: h.redirect("/photo.jpg", 301),
        "/loop-a.jpg": lambda h: h.redirect("/loop-b.jpg"),
        "/loop-b.jpg": lambda h: h.redirect("/loop-a.jpg"),
        "/to-loopback.jpg": lambda h: h.redirect(f"http://[::1]:{server.server_address[1]}/photo.jpg"),
        "/to-ftp.jpg": lambda h: h.redirect("ftp://127.0.0.1/photo.jpg"),
        "/to-octal.jpg": lambda h: h.redirect("http://0177.0.0.1/photo.jpg"),
        "/to-short-ip.jpg": lambda h: h.redirect("http://127.1/photo.jpg"),
    }
    routes.update(encoded_routes(photo, small))
    for n in range(8):
        routes[f"/hop-{n}.jpg"] = lambda h, n=n: h.redirect(f"/hop-{n + 1}.jpg")
    routes["/hop-8.jpg"] = lambda h: h.send(200, photo)
    for n in range(6):
        routes[f"/busy-{n}.jpg"] = lambda h, n=n: server.busy(h, images.picture(200, 150, seed=10 + n))
    # Source pages for the link checker.
    routes.update(
        {
            "/news/alive": lambda h: h.send(200, images.HTML_PAGE, "text/html"),
            "/news/gone": lambda h: h.send(404, images.HTML_PAGE, "text/html"),
            "/news/old-address": lambda h: h.redirect("/news/new-address", 301),
            "/news/new-address": lambda h: h.send(200, images.HTML_PAGE, "text/html"),
            "/news/retired": lambda h: h.redirect("/", 301),
            "/": lambda h: h.send(200, images.HTML_PAGE, "text/html"),
            "/news/no-head": lambda h: (
                h.send(405, b"", "text/plain") if h.command == "HEAD" else h.send(200, images.HTML_PAGE, "text/html")
            ),
            "/news/broken": lambda h: h.send(500, b"", "text/plain"),
        }
    )
    return routes


def encoded_routes(photo, small):
    """Files sent with a Content-Encoding, though the fetcher asks for none: some decode, some are refused."""
    bomb = encoded.gzip_of_zeros(BOMB_SIZE)

    def encoded_as(coding, body, content_type="image/jpeg", status=200):
        return lambda h: h.send(status, body, content_type, [("Content-Encoding", coding)])

    stacked_page_bomb = encoded_as("gzip, gzip", gzip.compress(bomb), "text/html")

    return {
        "/gzip.jpg": encoded_as("gzip", gzip.compress(photo)),
        "/deflate.png": encoded_as("deflate", zlib.compress(small), "image/png"),
        "/raw-deflate.png": encoded_as("deflate", encoded.raw_deflate(small), "image/png"),
        "/gzip-gzip.jpg": encoded_as("gzip, gzip", encoded.gzip_twice(photo)),
        "/br.jpg": encoded_as("br", b"\x1b\x03\x00\xf8\x8d\x94n\xde\xb4\xd7\x96\xbc\x1b\xa2"),
        "/compress.jpg": encoded_as("compress", b"\x1f\x9d\x90photo"),
        "/corrupt-gzip.jpg": encoded_as("gzip", b"\x1f\x8b\x08\x00" + photo[:2000]),
        "/gzip-bomb.jpg": encoded_as("gzip", bomb),  # 1 GB of zeros in 1 MB
        "/gzip-gzip-bomb.jpg": encoded_as("gzip, gzip", gzip.compress(bomb)),  # the same in a few hundred bytes
        "/missing-gzip-gzip.jpg": encoded_as("gzip, gzip", encoded.gzip_twice(b"<h1>Not Found</h1>"), "text/html", 404),
        # A source page for the link checker: HEAD refused, so it asks with GET and gets the bomb.
        "/news/bomb": lambda h: h.send(405, b"", "text/plain") if h.command == "HEAD" else stacked_page_bomb(h),
    }


def _says_huge(handler):
    """A Content-Length over the limit: refused from the headers, before the body."""
    handler.send_response(200)
    handler.send_header("Content-Type", "image/jpeg")
    handler.send_header("Content-Length", str(50 * 1024 * 1024))
    handler.end_headers()
    handler.close_connection = True


def start():
    server = AssetServer()
    server.routes = build_routes(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
