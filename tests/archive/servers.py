"""Real servers for the deployment tests, each on a free loopback port: redis-server, gunicorn, a Django shell.

Every wait is bounded; every process is stopped by the fixture that started it.
"""

import http.client
import os
import select
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = Path("/usr/bin/redis-server")
GUNICORN_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"
START_SECONDS = 30
# Settings a developer's shell may carry that would point a test server somewhere else.
DEPLOYMENT_VARIABLES = (
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "CACHE_URL",
    "DEBUG",
    "ALLOWED_HOSTS",
    "HTTPS",
    "SECURE_SSL_REDIRECT",
    "HSTS_INCLUDE_SUBDOMAINS",
    "HSTS_PRELOAD",
    "STATIC_MANIFEST",
    "GUNICORN_CMD_ARGS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_ACCESS_LOG",
)


def free_port():
    """A loopback TCP port nothing listens on (the OS picks it, so parallel runs do not collide)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, what):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode} before listening on {port}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port} within {START_SECONDS} s")


def http_get(port, path, host="archive.test"):
    """(status, body text) of a GET to a loopback port, as a reader behind the proxy for ``host`` would send it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", quote(path, safe="/?=&"), headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def project_env(**settings):
    """The environment for a project process: this one's, minus deployment settings, plus ``settings``."""
    env = {key: value for key, value in os.environ.items() if key not in DEPLOYMENT_VARIABLES}
    env.update({"DJANGO_SETTINGS_MODULE": "archive.settings", "PYTHONPATH": str(ROOT), **settings})
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120
    )


def migrated_sqlite(path):
    """A migrated SQLite database file at ``path``, checkpointed so it can be copied alone."""
    manage("migrate", "--no-input", env=project_env(DATABASE_URL=f"sqlite:///{path}"))
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


class RedisServer:
    """A private redis-server (no persistence) that a test can stop and start again on the same port."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--dir", str(self.folder), "--logfile", str(self.folder / "redis.log")]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port, self.process, "redis-server")
        return self

    def stop(self):
        if self.process is not None:
            stop(self.process)


class Gunicorn:
    """gunicorn as deployed (deploy/gunicorn.conf.py) on a free loopback port, with the given settings."""

    def __init__(self, env, workers=1):
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers)}
        self.process = None
        self.log = ""

    def start(self):
        command = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONFIG), "archive.wsgi"]
        # A file, not a pipe: a pipe nobody reads would block the server once 64 KB of log filled it.
        self.output = tempfile.TemporaryFile()  # noqa: SIM115 (read and closed by stop())
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.output, stderr=subprocess.STDOUT)
        wait_for_port(self.port, self.process, "gunicorn")
        return self

    def stop(self):
        """Stop the server (if it runs) and return what it printed."""
        if self.process is not None and not self.output.closed:
            stop(self.process)
            with self.output:
                self.output.seek(0)
                self.log = self.output.read().decode(errors="replace")
        return self.log

    def get(self, path, host="archive.test"):
        return http_get(self.port, path, host)


class DjangoShell:
    """A Django process that runs one line of Python per request, for edits made from another process."""

    PROGRAM = (
        "import sys, django\n"
        "django.setup()\n"
        "print('ready', flush=True)\n"
        "for line in sys.stdin:\n"
        "    exec(line)\n"
        "    print('ok', flush=True)\n"
    )

    def __init__(self, env):
        self.process = subprocess.Popen(
            [sys.executable, "-c", self.PROGRAM],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._expect("ready")

    def run(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        self._expect("ok")

    def _expect(self, word):
        ready, _, _ = select.select([self.process.stdout], [], [], START_SECONDS)
        answer = self.process.stdout.readline().strip() if ready else "nothing"
        if answer != word:
            stop(self.process)
            raise RuntimeError(f"the Django shell answered {answer!r}, not {word!r} (see its stderr above)")

    def stop(self):
        self.process.stdin.close()
        stop(self.process)
