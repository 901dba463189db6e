"""Reading a source's post files straight from its clone's object database: no checkout, so a sync
writes no post file, and one ``git cat-file --batch`` process per parsing process streams them.

``GitFile`` reads like the importer's ``SourceFile`` (``read``, ``modified``), so the importer's parse
workers read the blobs themselves. Symbolic links are followed by git inside the commit's tree only:
a link that leads out of the repository, to a folder, nowhere or in a loop fails with the reason.
"""

import os
import subprocess
from dataclasses import dataclass

from articles.importer.files import format_size
from articles.importer.post import PostError

from .git import command, git_env

CHUNK = 1 << 16
# One reader per (process, clone): a forked parse worker must not share its parent's pipes.
_readers = {}


class BlobReader:
    """A running ``git cat-file --batch --follow-symlinks`` on one clone."""

    def __init__(self, git_dir):
        self.process = subprocess.Popen(  # noqa: S603 (git, with arguments we build)
            command(git_dir, "cat-file", "--batch", "--follow-symlinks"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=git_env(),
        )

    def read(self, name, max_bytes):
        """The bytes of object ``name`` (a blob id, or ``commit:path`` to follow links), or ``PostError``."""
        stdin, stdout = self.process.stdin, self.process.stdout
        stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
        stdin.flush()
        header = stdout.readline()
        if not header:
            raise PostError("cannot read the file from the repository (git stopped)")
        parts = header.split()
        if parts[-1] == b"missing":
            raise PostError("not found in the repository")
        if len(parts) == 2:  # "symlink SIZE", "dangling SIZE", "loop SIZE" or "notdir SIZE", then a name
            target = stdout.read(int(parts[1]) + 1)[:-1].decode(errors="replace")
            raise PostError(_link_reason(parts[0].decode(), target))
        kind, size = parts[1].decode(), int(parts[2])
        if kind != "blob" or size > max_bytes:
            self._skip(size + 1)
            if kind != "blob":
                raise PostError("a symbolic link to a folder: not followed")
            raise PostError(f"file too large (over {format_size(max_bytes)})")
        data = stdout.read(size + 1)
        return data[:-1]

    def _skip(self, count):
        while count > 0:
            count -= len(self.process.stdout.read(min(count, CHUNK)))

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait()
        self.process.stdout.close()


def _link_reason(state, target):
    if state == "symlink":
        return f"symbolic link leads outside the repository ({target}): not followed"
    if state == "loop":
        return "symbolic link loop"
    return "broken symbolic link (its target does not exist)"


def reader(git_dir):
    key = (os.getpid(), git_dir)
    if key not in _readers:
        _readers[key] = BlobReader(git_dir)
    return _readers[key]


def close_readers():
    """Stop this process's readers (the parse workers' stop with their processes)."""
    pid = os.getpid()
    for key in [key for key in _readers if key[0] == pid]:
        _readers.pop(key).close()


@dataclass(frozen=True)
class GitFile:
    """A post file of a source at one commit, as the importer reads files."""

    git_dir: str
    name: str  # the object to read: its blob id, or commit:path for a symbolic link
    relative: str  # its path in the repository: the fallback import key
    mtime: float  # the commit's time: dates a draft without a date

    @property
    def display(self):
        return self.relative

    def read(self, max_bytes):
        return reader(self.git_dir).read(self.name, max_bytes)

    def modified(self):
        return self.mtime
