"""Git repositories the tests make on the local disk: init, commit, rename, delete, force-push."""

import os
import socket
import subprocess
from pathlib import Path

from tests.factories import dead_pid

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Archivist",
    "GIT_AUTHOR_EMAIL": "archivist@example.org",
    "GIT_COMMITTER_NAME": "Archivist",
    "GIT_COMMITTER_EMAIL": "archivist@example.org",
    "GIT_TERMINAL_PROMPT": "0",
}


def post(title, *, url="", date="2024-05-01 10:00:00 +08:00", body=None, **extra):
    """A post whose body (unless given) is its own, so no two of them look like a renamed file."""
    body = (
        body
        if body is not None
        else f"{title}的正文：" + "".join(chr(0x4E00 + (ord(c) * 7 + i) % 2000) for i, c in enumerate(title * 40))
    )
    lines = ["---", f"title: {title}", f"date: {date}"]
    if url:
        lines.append(f"from: {url}")
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join([*lines, "---", "", body, ""])


class Repo:
    """A working repository (non-bare) with a branch ``main``."""

    def __init__(self, path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.git("init", "--quiet", "--initial-branch=main")
        self.tick = 1_700_000_000

    def git(self, *args, check=True):
        env = {**os.environ, **GIT_ENV}
        result = subprocess.run(["git", *args], cwd=self.path, env=env, capture_output=True, text=True)  # noqa: S607
        if check and result.returncode:
            raise AssertionError(f"git {' '.join(args)}: {result.stderr}")
        return result.stdout.strip()

    def write(self, relative, text):
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def commit(self, message="change"):
        self.tick += 60  # commit times one minute apart, whatever the clock says
        stamp = f"{self.tick} +0800"
        self.git("add", "--all")
        env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        for key, value in env.items():
            os.environ[key] = value
        try:
            self.git("commit", "--quiet", "--allow-empty", "-m", message)
        finally:
            for key in env:
                os.environ.pop(key, None)
        return self.head()

    def head(self):
        return self.git("rev-parse", "HEAD")

    def move(self, old, new):
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)

    @staticmethod
    def bare(path):
        command = ["git", "init", "--quiet", "--bare", "--initial-branch=main", str(path)]
        subprocess.run(command, check=True, env={**os.environ, **GIT_ENV})  # noqa: S607

    def remove(self, relative):
        self.git("rm", "--quiet", relative)


def dead_owner():
    """A source lock's owner whose process has ended (as a killed sync's has)."""
    return f"{socket.gethostname()} {dead_pid()} killed"
