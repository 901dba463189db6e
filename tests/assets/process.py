"""``manage.py`` in its own process, on its own SQLite file: what a crash, a kill or a memory peak does is
seen from outside, as an operator would see it."""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

from django.conf import settings

from tests.helpers import TEST_TIMEOUT

PROCESS_SECONDS = 300  # a process still running after this long is killed (the test then fails)
# Runs the command after it and writes the command's peak memory (bytes) to the file named first. The
# command is this launcher's child, not pytest's: a process's peak counts the process it was forked
# from until its exec (vfork even shares it), so straight from pytest it would carry pytest's size.
MEASURE = (
    "import os, subprocess, sys; child = subprocess.Popen(sys.argv[2:]); "
    "_pid, status, usage = os.wait4(child.pid, 0); child.returncode = os.waitstatus_to_exitcode(status); "
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss * 1024)); sys.exit(child.returncode)"
)


def migrate(path):
    """A migrated SQLite database at ``path``, to copy for each process's site."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, cwd=settings.BASE_DIR, check=True)


class Site:
    """A database (a copy of ``template``) and media folder under ``folder``, for commands run in their own process.

    The fetcher may reach loopback addresses (the test server) and has the tests' short limits,
    unless ``settings`` say otherwise (environment variables, as in production).
    """

    def __init__(self, template, folder, **settings_):
        self.folder = folder
        self.database = folder / "db.sqlite3"
        shutil.copy(template, self.database)
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.database}",
            "MEDIA_ROOT": str(folder / "media"),
            "ARCHIVE_ASSETS_ALLOW_PRIVATE": "1",
            "ARCHIVE_ASSET_TIMEOUT": str(TEST_TIMEOUT),
            "ARCHIVE_ASSET_CONNECT_TIMEOUT": str(TEST_TIMEOUT),
            **{name: str(value) for name, value in settings_.items()},
        }

    def import_posts(self, posts):
        """Import ``posts`` ({file name: text}) with ``import_seeds``."""
        folder = self.folder / "posts"
        folder.mkdir(exist_ok=True)
        for name, text in posts.items():
            (folder / name).write_text(text, encoding="utf-8")
        self.manage("import_seeds", str(folder), "--no-progress", "--workers", "1", check=True)

    def manage(self, *args, check=False):
        """Run ``manage.py args``; the CompletedProcess (text), with ``peak_rss``: its peak memory in bytes."""
        peak = self.folder / "peak.txt"
        command = [sys.executable, "-c", MEASURE, str(peak), sys.executable, "manage.py", *args]
        options = {"env": self.env, "cwd": settings.BASE_DIR, "text": True, "start_new_session": True}
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options) as process:
            try:
                out, err = process.communicate(timeout=PROCESS_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the launcher and the command
                raise
        done = subprocess.CompletedProcess(args, process.returncode, out, err)
        if check and done.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} ended {done.returncode}: {done.stderr[-2000:]}")
        done.peak_rss = int(peak.read_text())
        return done

    def start(self, *args, **options):
        command = [sys.executable, "manage.py", *args]
        return subprocess.Popen(command, env=self.env, cwd=settings.BASE_DIR, text=True, **options)

    def rows(self, sql, *params):
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql, params).fetchall()

    def wait_for_rows(self, sql, *params, seconds=60):
        """The rows of ``sql`` once there are some (an AssertionError if none come in ``seconds``)."""
        stop = time.monotonic() + seconds
        while not (found := self.rows(sql, *params)):
            assert time.monotonic() < stop, f"no rows for {sql!r}"
            time.sleep(0.05)
        return found


def kill(process):
    """Kill -9 ``process`` (started with ``Site.start``) and reap it."""
    process.send_signal(signal.SIGKILL)
    process.wait()
