"""The export's folder and files: checked before any post is written, each file written whole."""

import contextlib
import os
from pathlib import Path

from .site import FOLDERS, site_files


class ExportError(Exception):
    """The export cannot start (its folder is not usable); the message names the folder and why."""


def prepare(folder, *, force):
    """Make ``folder`` ready (created if missing) and write the site's own files into it.

    Refuses a folder that holds anything unless ``force``. Raises ExportError naming the folder
    when it cannot be created or written, before any post is written.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not force and any(folder.iterdir()):
            raise ExportError(f"{folder}: not empty (--force writes into it, replacing files of the same name)")
        for name in FOLDERS:
            (folder / name).mkdir(exist_ok=True)
        for name, text in site_files().items():
            write_atomic(f"{folder}/{name}", text)
    except (FileExistsError, NotADirectoryError):
        raise ExportError(f"{folder}: not a folder") from None
    except OSError as exc:
        raise ExportError(f"{folder}: cannot write there ({exc.strerror or exc})") from exc
    return folder


def write_atomic(path, data):
    """Write ``data`` (text or bytes) to ``path`` (a str; its folder exists) through a temporary file
    beside it, renamed into place: a killed export leaves the old file or the new one, never half of one."""
    folder, _, name = path.rpartition("/")
    temporary = f"{folder}/.{name}.{os.getpid()}.tmp"  # a dot file: Jekyll and the importer skip it
    try:
        with open(temporary, "wb") as handle:
            handle.write(data.encode() if isinstance(data, str) else data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
