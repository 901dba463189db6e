"""The git program, run safely: a source's bare clone, fetched and read without a checkout.

Why the program and not a library: it speaks every transport sources use (https with a token in
the location, ssh with the system's keys and known_hosts, local paths and file://) exactly as a
curator's own git does, finds renames as ``git log`` does, and streams blobs through one
``cat-file --batch`` process, so memory stays flat however large the repository.

Every command runs with a clean environment: no prompt ever waits for a password
(``GIT_TERMINAL_PROMPT=0``, ssh in batch mode), the system's and the user's git configuration are
not read, hooks never run, only the file, git, http(s) and ssh transports are allowed (``ext::``
would run a command), and each command has a time limit after which its process group is killed.
"""

import os
import signal
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

from articles.core.locations import redact

HEAD_REF = "refs/sources/head"  # where the branch's head is fetched into the clone
LOCAL_SECONDS = 120  # commands that only read the clone
ALLOWED_PROTOCOLS = "file:git:http:https:ssh"
SUBMODULE_MODE = "160000"
LINK_MODE = "120000"
# A deleted file and an added one this similar are a rename (git's default is 50%: two short posts
# written from one template can be that alike without being one article).
RENAME_SIMILARITY = "75%"
# Passed through to git: where it runs, the ssh agent, proxies. Nothing else of the caller's.
PASSED_ENV = ("PATH", "HOME", "TMPDIR", "SSH_AUTH_SOCK", "http_proxy", "https_proxy", "no_proxy", "HTTPS_PROXY")
CONFIG = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "protocol.ext.allow=never",
    "gc.autoDetach=false",  # an automatic gc runs in the sync's process, never left behind it
    # A transfer slower than 1 kB/s for a minute is stopped (the command's own time limit is longer).
    "http.lowSpeedLimit=1000",
    "http.lowSpeedTime=60",
    "credential.helper=",
)


class GitError(Exception):
    """A git command failed; the message is one line, with any credentials of the location hidden."""


def git_env():
    env = {name: os.environ[name] for name in PASSED_ENV if name in os.environ}
    connect = int(min(settings.SOURCES_GIT_TIMEOUT, 60))
    env.update(
        LC_ALL="C",
        GIT_TERMINAL_PROMPT="0",
        SSH_ASKPASS_REQUIRE="never",
        GIT_SSH_COMMAND=f"ssh -o BatchMode=yes -o ConnectTimeout={connect}",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_ALLOW_PROTOCOL=ALLOWED_PROTOCOLS,
        GIT_PROTOCOL_FROM_USER="0",
    )
    return env


def command(git_dir, *args):
    config = [part for item in CONFIG for part in ("-c", item)]
    return ["git", *config, f"--git-dir={git_dir}", *args]


def run(git_dir, *args, timeout=LOCAL_SECONDS, ok=(0,)):
    """Run a git command on ``git_dir``; its standard output, or ``GitError`` with git's reason."""
    process = subprocess.Popen(  # noqa: S603 (git, with arguments we build; never a shell)
        command(git_dir, *args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=git_env(),
        start_new_session=True,  # its own process group: a timeout kills ssh and helpers too
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise GitError(f"git {args[0]} took longer than {timeout:g} seconds and was stopped") from None
    if process.returncode not in ok:
        raise GitError(redact(_reason(err) or f"git {args[0]} failed (exit status {process.returncode})"))
    return out if process.returncode == 0 else None


def _reason(stderr):
    """git's first "fatal: …" or "error: …" line without the prefix (the cause; later ones are its
    consequences), else its last line."""
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    for line in lines:
        for prefix in ("fatal: ", "error: "):
            if line.startswith(prefix):
                return line.removeprefix(prefix)
    return lines[-1] if lines else ""


@dataclass(frozen=True)
class Commit:
    sha: str
    subject: str
    committed_at: datetime


@dataclass(frozen=True)
class Entry:
    """A file in a commit's tree."""

    path: str
    mode: str
    blob: str

    @property
    def link(self):
        return self.mode == LINK_MODE


@dataclass(frozen=True)
class Change:
    """One line of ``git diff-tree --raw``: A, M, T, D or R (with the old path)."""

    status: str
    path: str
    old_path: str
    mode: str
    old_mode: str
    blob: str


class Clone:
    """A source's bare clone (under ``SOURCES_DIR``): fetched from the location, read by commit."""

    def __init__(self, git_dir):
        self.git_dir = str(git_dir)

    def run(self, *args, **kwargs):
        return run(self.git_dir, *args, **kwargs)

    def fetch(self, location, branch):
        """Fetch ``branch`` (the remote's default branch when empty) into ``HEAD_REF``."""
        if not os.path.exists(os.path.join(self.git_dir, "HEAD")):
            os.makedirs(os.path.dirname(self.git_dir), exist_ok=True)
            run(self.git_dir, "init", "--quiet", "--bare", self.git_dir)
        ref = f"refs/heads/{branch}" if branch else "HEAD"
        self.run(
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            "--no-recurse-submodules",
            "--",
            location,
            f"+{ref}:{HEAD_REF}",
            timeout=settings.SOURCES_GIT_TIMEOUT,
        )

    def head(self):
        return self.run("rev-parse", "--verify", "--quiet", f"{HEAD_REF}^{{commit}}").decode().strip()

    def commit(self, sha):
        out = self.run("show", "-s", "--format=%H%x00%ct%x00%s", sha, "--").decode(errors="replace")
        full, stamp, subject = out.rstrip("\n").split("\0", 2)
        return Commit(full, subject, datetime.fromtimestamp(int(stamp), UTC))

    def has_commit(self, sha):
        return bool(sha) and self.run("cat-file", "-e", f"{sha}^{{commit}}", ok=(0, 1, 128)) is not None

    def is_ancestor(self, old, new):
        """Whether ``old`` is in ``new``'s history (False when the clone no longer has it)."""
        return self.has_commit(old) and self.run("merge-base", "--is-ancestor", old, new, ok=(0, 1)) is not None

    def files(self, commit, pathspecs):
        """Every file of ``commit``'s tree under ``pathspecs``, as ``Entry`` items."""
        out = self.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspecs)
        for record in out.split(b"\0"):
            if record:
                info, path = record.split(b"\t", 1)
                mode, _kind, blob = info.decode().split(" ")
                yield Entry(path.decode("utf-8", "surrogateescape"), mode, blob)

    def changes(self, old, new, pathspecs):
        """What changed from ``old`` to ``new`` under ``pathspecs``, renames found as ``git log`` finds them
        (but at ``RENAME_SIMILARITY``)."""
        out = self.run(
            "diff-tree", "-r", "-z", f"-M{RENAME_SIMILARITY}", "--raw", "--no-abbrev", old, new, "--", *pathspecs
        )
        fields = out.split(b"\0")
        i = 0
        while i < len(fields) - 1:
            old_mode, mode, _old_blob, blob, status = fields[i].decode().lstrip(":").split(" ")
            first = fields[i + 1].decode("utf-8", "surrogateescape")
            if status[0] in "RC":
                second = fields[i + 2].decode("utf-8", "surrogateescape")
                yield Change(status[0], second, first, mode, old_mode, blob)
                i += 3
            else:
                yield Change(status[0], first, first, mode, old_mode, blob)
                i += 2

    def deletions(self, old, new, pathspecs):
        """{path: the newest commit between ``old`` and ``new`` that deleted it}."""
        out = self.run(
            "log",
            "--no-renames",
            "--diff-filter=D",
            "--name-only",
            "-z",
            "--format=%x01%H",
            f"{old}..{new}",
            "--",
            *pathspecs,
        )
        found, sha = {}, None
        for field in out.split(b"\0"):
            field = field.strip(b"\n")
            if field.startswith(b"\x01"):
                sha = field[1:].decode()
            elif field and sha:
                found.setdefault(field.decode("utf-8", "surrogateescape"), sha)
        return found
