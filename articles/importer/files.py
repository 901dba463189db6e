"""Finding post files under the paths given to an import, and reading them safely.

Folders are walked recursively in sorted order, following symbolic links but never into a loop.
Problems with single files (too large, unreadable, not a regular file, broken links, loops) come
back as ``FileError`` items so the run can report them and go on.
"""

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .post import PostError

POST_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".txt"})
SKIPPED_FOLDERS = frozenset({"_site", "_layouts", "_includes", "_sass", "_data", "_plugins", "node_modules"})


@dataclass(frozen=True)
class SourceFile:
    """A post file on disk. The parse reads it through ``read`` and ``modified``: other kinds of item
    with the same three fields and two methods (a git source's blobs) import the same way."""

    path: str  # where to read it
    relative: str  # POSIX path relative to the import root: the fallback import key
    display: str  # how to name it to a person

    def read(self, max_bytes):
        return read_bytes(self.path, max_bytes)

    def modified(self):
        """The modification time (a timestamp), which dates a draft without a date."""
        return os.stat(self.path).st_mtime


@dataclass(frozen=True)
class FileError:
    display: str
    reason: str


@dataclass(frozen=True)
class FileNote:
    display: str
    note: str


def is_post_file(name):
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in POST_SUFFIXES


def is_skipped_folder(name):
    return name.startswith(".") or name in SKIPPED_FOLDERS


def default_root(path):
    """The folder keys are relative to: the folder itself (a file's parent), or its parent for a
    Jekyll folder like ``_posts`` or ``_drafts``, so its name stays part of every key."""
    folder = path if path.is_dir() else path.parent
    if folder.name.startswith("_") and folder.parent != folder:
        return folder.parent
    return folder


def format_size(size):
    return f"{size / (1024 * 1024):.1f} MB"


def too_large(size, max_bytes):
    return f"file too large ({format_size(size)}; the limit is {format_size(max_bytes)})"


def _stat_error(exc):
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link (its target does not exist)"
    if exc.errno == errno.EACCES:
        return "cannot read: permission denied"
    return f"cannot read: {exc.strerror or exc}"


def _relative(path, root, fallback):
    """``path`` relative to ``root`` as POSIX, or ``fallback`` when it lies outside ``root``."""
    try:
        relative = Path(os.path.relpath(path, root)).as_posix()
    except ValueError:
        return fallback
    return fallback if relative.startswith("../") else relative


def discover(paths, *, root=None, max_bytes):
    """Yield a ``SourceFile``, ``FileError`` or ``FileNote`` for every post file under ``paths``.

    ``root`` is what relative paths (and so path-based import keys) are relative to; by default
    each given folder (see ``default_root``). Files are named as found under the path given, or,
    when ``root`` is given (a temporary folder of uploads, say), by their path relative to it.
    The same file reached twice (through a link, or given twice) is read once.
    """
    seen_files = {}
    seen_folders = {}
    for given in paths:
        given = Path(given)
        display_base = str(given) if root is None else _relative(given, root, given.name)
        try:
            info = os.stat(given)
        except OSError as exc:
            reason = "no such file or folder" if exc.errno == errno.ENOENT and not given.is_symlink() else None
            yield FileError(display_base, reason or _stat_error(exc))
            continue
        base_root = Path(root) if root is not None else default_root(given)
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(given, display_base, base_root, (), seen_files, seen_folders, max_bytes)
        elif stat.S_ISREG(info.st_mode) and not is_post_file(given.name):
            yield FileError(display_base, f"not a post file (expected one of {', '.join(sorted(POST_SUFFIXES))})")
        else:
            yield _check_file(given, display_base, base_root, info, seen_files, max_bytes)


def _walk(folder, display, root, ancestors, seen_files, seen_folders, max_bytes):
    info = os.stat(folder)
    identity = (info.st_dev, info.st_ino)
    if identity in ancestors:
        yield FileError(display, f"symbolic link loop (leads back to {seen_folders[identity]})")
        return
    if identity in seen_folders:
        yield FileNote(display, f"skipped: same folder as {seen_folders[identity]}")
        return
    seen_folders[identity] = display
    ancestors = (*ancestors, identity)
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield FileError(display, f"cannot read folder: {exc.strerror or exc}")
        return
    for entry in entries:
        entry_display = entry.name if display == "." else os.path.join(display, entry.name)
        try:
            entry_info = os.stat(entry.path)
        except OSError as exc:
            if is_post_file(entry.name) or exc.errno == errno.ELOOP:
                yield FileError(entry_display, _stat_error(exc))
            continue
        if stat.S_ISDIR(entry_info.st_mode):
            if not is_skipped_folder(entry.name):
                yield from _walk(Path(entry.path), entry_display, root, ancestors, seen_files, seen_folders, max_bytes)
        elif is_post_file(entry.name):
            yield _check_file(Path(entry.path), entry_display, root, entry_info, seen_files, max_bytes)


def _check_file(path, display, root, info, seen_files, max_bytes):
    if not stat.S_ISREG(info.st_mode):
        return FileError(display, "not a regular file")
    if info.st_size > max_bytes:
        return FileError(display, too_large(info.st_size, max_bytes))
    identity = (info.st_dev, info.st_ino)
    if identity in seen_files:
        return FileNote(display, f"skipped: same file as {seen_files[identity]}")
    seen_files[identity] = display
    return SourceFile(str(path), _relative(path, root, path.name), display)


def read_bytes(path, max_bytes):
    """The file's bytes, or ``PostError`` with a reason a person understands."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise PostError("cannot read: it is a folder") from None
    except PermissionError:
        raise PostError("cannot read: permission denied") from None
    except OSError as exc:
        raise PostError(_stat_error(exc)) from None
    if len(data) > max_bytes:
        raise PostError(f"file too large (over {format_size(max_bytes)})")
    return data
