"""Archived files by content: one copy per SHA-256, through Django's storage API (``STORAGES["default"]``).

Names are ``assets/<first two hex digits>/<sha256>.<ext>`` for an original and
``assets/<..>/<sha256>.w<width>.webp`` for its derivatives, so a name never changes meaning and
can be cached forever; the file system (``MEDIA_ROOT``) or an S3 bucket hold them alike.
"""

import os
import re
import tempfile
import threading
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from articles.models.assets import STORAGE_PREFIX

# The accepted kinds of image: (Pillow format, file extension, Content-Type).
KINDS = {
    "jpeg": ("JPEG", "jpg", "image/jpeg"),
    "png": ("PNG", "png", "image/png"),
    "gif": ("GIF", "gif", "image/gif"),
    "webp": ("WEBP", "webp", "image/webp"),
    "avif": ("AVIF", "avif", "image/avif"),
}
NAME_RE = re.compile(
    r"^assets/(?P<fan>[0-9a-f]{2})/(?P<sha>[0-9a-f]{64})(?:\.w(?P<width>[0-9]{2,5}))?\.(?P<ext>jpg|png|gif|webp|avif)$"
)
CONTENT_TYPES = {ext: content_type for _format, ext, content_type in KINDS.values()}

# Two threads storing the same content must write it once: a lock per name, from a fixed stripe.
_LOCKS = [threading.Lock() for _ in range(64)]


def original_name(sha256, kind):
    return f"{STORAGE_PREFIX}/{sha256[:2]}/{sha256}.{KINDS[kind][1]}"


def variant_name(sha256, width):
    return f"{STORAGE_PREFIX}/{sha256[:2]}/{sha256}.w{width}.webp"


def content_type(name):
    """The Content-Type of an archived file's name, or None for a name this module never makes."""
    match = NAME_RE.match(name)
    return CONTENT_TYPES[match["ext"]] if match else None


def url(name):
    return default_storage.url(name)


def is_stored(name, size):
    """Whether ``name`` is stored with ``size`` bytes (a killed run may have left a partial file)."""
    try:
        return default_storage.exists(name) and default_storage.size(name) == size
    except OSError:
        return False


def read(name):
    """The bytes stored as ``name``, or None when there are none."""
    try:
        with default_storage.open(name, "rb") as file:
            return file.read()
    except OSError:  # FileNotFoundError included
        return None


def store(name, data):
    """Store ``data`` as ``name`` unless an identical copy is there; True if bytes were written.

    The name is the content's SHA-256, so a stored file of the same size is the same file. One
    save is tried first (the usual case: a new file); a taken name is then checked.
    """
    with _LOCKS[hash(name) % len(_LOCKS)]:
        saved = default_storage.save(name, ContentFile(data))
        if saved == name:
            return True
        default_storage.delete(saved)  # the storage picked another name: ours was taken
        if is_stored(name, len(data)):
            return False
        default_storage.delete(name)  # the wrong size: cut short by a killed run
        default_storage.save(name, ContentFile(data))
        return True


def store_whole(name, data):
    """Store ``data`` as ``name`` so that a reader sees all of it or nothing: on this host's disk,
    written aside and renamed into place, since nginx may serve the name while it is written.
    Other storages write an object whole anyway (``store``)."""
    try:
        path = Path(default_storage.path(name))
    except NotImplementedError:
        return store(name, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", suffix=".part", delete=False) as file:
        file.write(data)
    os.chmod(file.name, default_storage.file_permissions_mode or 0o644)
    os.replace(file.name, path)
    return True
