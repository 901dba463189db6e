"""Checking and unpacking uploaded post files and .zip archives into a folder for the importer.

Uploads are untrusted: every limit is checked before anything is written, member names that would
escape the folder (absolute paths, ``..``, drive letters) and symlinks are refused, and a zip's
declared sizes are not trusted either: bytes are counted while extracting.
"""

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from articles.importer.files import POST_SUFFIXES

COPY_CHUNK = 64 * 1024


class UploadError(Exception):
    """An upload refused as a whole; the message names the file and the reason."""


@dataclass(frozen=True)
class UploadLimits:
    max_total_bytes: int = 200 * 1024 * 1024  # uncompressed, all files together
    max_files: int = 20_000
    max_file_bytes: int = 5 * 1024 * 1024
    max_ratio: int = 100  # uncompressed / compressed, per zip member

    @classmethod
    def from_settings(cls):
        return cls(
            max_total_bytes=settings.IMPORT_UPLOAD_MAX_BYTES,
            max_files=settings.IMPORT_UPLOAD_MAX_FILES,
            max_file_bytes=settings.IMPORT_MAX_FILE_BYTES,
        )


def safe_member_path(name):
    """The relative path a zip member or uploaded file may be written to, or UploadError."""
    if "\x00" in name:
        raise UploadError(f"{name!r}: the name contains a NUL character.")
    posix = name.replace("\\", "/")
    path = PurePosixPath(posix)
    if path.is_absolute() or (len(posix) > 1 and posix[1] == ":"):
        raise UploadError(f"{name}: absolute paths are not allowed.")
    if ".." in path.parts:
        raise UploadError(f"{name}: paths with '..' are not allowed.")
    parts = [part for part in path.parts if part not in ("", ".")]
    if not parts:
        raise UploadError(f"{name!r}: empty file name.")
    return PurePosixPath(*parts)


def _is_symlink(info):
    return stat.S_ISLNK(info.external_attr >> 16)


def _is_skipped(path):
    """macOS metadata and hidden files that are not posts."""
    return any(part == "__MACOSX" or part.startswith("._") for part in path.parts)


def check_zip(archive, limits, label):
    """Validate a zip's members before extracting; returns the (info, relative path) to extract."""
    members = []
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        try:
            path = safe_member_path(info.filename)
        except UploadError as exc:
            raise UploadError(f"{label}: {exc}") from exc
        if _is_symlink(info):
            raise UploadError(f"{label}: {info.filename} is a symbolic link; links are not allowed.")
        if info.flag_bits & 0x1:
            raise UploadError(f"{label}: {info.filename} is encrypted.")
        if _is_skipped(path):
            continue
        if info.file_size > limits.max_file_bytes:
            raise UploadError(
                f"{label}: {info.filename} is {filesizeformat(info.file_size)} uncompressed; "
                f"the limit per file is {filesizeformat(limits.max_file_bytes)}."
            )
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise UploadError(
                f"{label}: {info.filename} expands {info.file_size // max(info.compress_size, 1)} times "
                f"(over {limits.max_ratio}); this looks like a zip bomb."
            )
        total += info.file_size
        members.append((info, path))
    if len(members) > limits.max_files:
        raise UploadError(f"{label}: {len(members)} files; at most {limits.max_files} may be imported at once.")
    if total > limits.max_total_bytes:
        raise UploadError(
            f"{label}: {filesizeformat(total)} uncompressed; the limit is {filesizeformat(limits.max_total_bytes)}."
        )
    return members


class _Budget:
    """Counts bytes actually written, across all files of one upload."""

    def __init__(self, limits):
        self.limits = limits
        self.total = 0
        self.files = 0

    def add_file(self, label):
        self.files += 1
        if self.files > self.limits.max_files:
            raise UploadError(f"{label}: more than {self.limits.max_files} files; import fewer at once.")

    def copy(self, source, target, label, declared=None):
        written = 0
        with open(target, "xb") as out:
            while chunk := source.read(COPY_CHUNK):
                written += len(chunk)
                self.total += len(chunk)
                if written > self.limits.max_file_bytes or (declared is not None and written > declared):
                    raise UploadError(f"{label}: larger than declared or than the per-file limit; refused.")
                if self.total > self.limits.max_total_bytes:
                    raise UploadError(
                        f"{label}: the upload exceeds {filesizeformat(self.limits.max_total_bytes)} in total."
                    )
                out.write(chunk)


def _target(dest, path, label):
    target = Path(dest, *path.parts)
    if target.exists():
        raise UploadError(f"{label}: {path} appears twice in the upload.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.resolve().is_relative_to(Path(dest).resolve()):
        raise UploadError(f"{label}: {path} would be written outside the import folder.")
    return target


def extract_uploads(files, dest, limits=None):
    """Write uploaded files (Django UploadedFile-like: ``name``, ``size``, ``chunks()``) into ``dest``.

    Zips are checked, then extracted; other files must be posts. Returns the number of files written.
    """
    limits = limits or UploadLimits.from_settings()
    budget = _Budget(limits)
    declared = sum(f.size for f in files)
    if declared > limits.max_total_bytes:
        raise UploadError(
            f"The upload is {filesizeformat(declared)}; the limit is {filesizeformat(limits.max_total_bytes)}."
        )
    for upload in files:
        name = PurePosixPath(upload.name.replace("\\", "/")).name
        if name.lower().endswith(".zip"):
            _extract_zip(upload, dest, limits, budget, name)
            continue
        path = safe_member_path(name)
        if path.suffix.lower() not in POST_SUFFIXES:
            allowed = ", ".join(sorted(POST_SUFFIXES))
            raise UploadError(f"{name}: not a post file or .zip (allowed: {allowed}, .zip).")
        budget.add_file(name)
        upload.seek(0)
        budget.copy(upload, _target(dest, path, name), name)
    return budget.files


def _extract_zip(upload, dest, limits, budget, label):
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UploadError(f"{label}: not a readable .zip file ({exc}).") from exc
    with archive:
        for info, path in check_zip(archive, limits, label):
            budget.add_file(label)
            try:
                with archive.open(info) as source:
                    budget.copy(source, _target(dest, path, label), f"{label}: {info.filename}", info.file_size)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise UploadError(f"{label}: {info.filename} cannot be extracted ({exc}).") from exc
