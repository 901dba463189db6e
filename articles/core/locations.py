"""What a source may be given: its location, branch and folders, checked before git sees them.
Pure functions (which of a repository's files are its posts is ``sources.locations``').

A location is an absolute local path, or a URL git clones: https, http, ssh, git or file, or
ssh's short form ``user@host:path``. A password or token in it (``https://TOKEN@host/repo.git``)
is never shown: ``redact`` hides it wherever a location or git's message is displayed or stored.
"""

import re
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

URL_SCHEMES = ("https", "http", "ssh", "git", "file")
SCP_LIKE = re.compile(r"^(?:[\w.+-]+@)?[\w.-]+:(?!//)[^\s]+$")
CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<userinfo>[^/@\s]+)@", re.IGNORECASE)
BRANCH_FORBIDDEN = re.compile(r"[\x00-\x20~^:?*\[\\\x7f]|\.\.|@\{|//|^[/.-]|[/.]$|\.lock$|\.lock/")
FOLDER_MAX = 500
WHOLE = "."  # the folder that means every post file of the repository
DEFAULT_FOLDERS_TEXT = "_posts, _drafts and collections (top-level folders starting with _)"


def redact(text):
    """``text`` with every URL's user name and password replaced by ``***``."""
    return CREDENTIALS.sub(lambda m: f"{m['scheme']}***@", text or "")


def clean_location(value):
    """The location as git is given it, or ``ValidationError`` saying why it cannot be one."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("Give a local path or a URL git can clone."))
    if value.startswith("-") or any(ord(c) < 32 for c in value):
        raise ValidationError(_("A location cannot start with “-” or hold control characters."))
    if "://" in value:
        parts = urlsplit(value)
        if parts.scheme.lower() not in URL_SCHEMES:
            allowed = ", ".join(URL_SCHEMES)
            raise ValidationError(
                _("Unsupported URL scheme “%(scheme)s”: use %(allowed)s.")
                % {"scheme": parts.scheme, "allowed": allowed}
            )
        if parts.scheme.lower() != "file" and not parts.hostname:
            raise ValidationError(_("The URL names no host."))
        if parts.scheme.lower() == "file" and not parts.path.startswith("/"):
            raise ValidationError(_("A file:// URL needs an absolute path."))
        return value
    if value.startswith("/"):
        return value
    if SCP_LIKE.match(value) and "::" not in value:
        return value  # user@host:path, as ssh and git write it
    raise ValidationError(_("Give an absolute path (starting with /) or a URL (https://, ssh://, file://…)."))


def clean_branch(value):
    value = (value or "").strip()
    if value and BRANCH_FORBIDDEN.search(value):
        raise ValidationError(_("“%(branch)s” is not a valid branch name.") % {"branch": value})
    return value


def clean_folders(values):
    """The folders as stored: relative POSIX paths inside the repository, without duplicates;
    "." alone is the whole repository, and an empty list the default folders. ``values``: a list,
    or text with one folder a line (or comma-separated)."""
    if isinstance(values, str):
        values = values.replace(",", "\n").splitlines()
    if not isinstance(values, list | tuple):
        raise ValidationError(_("Give the folders as a list."))
    folders = []
    for value in values:
        value = str(value).strip().replace("\\", "/").strip("/")
        if not value:
            continue
        parts = PurePosixPath(value).parts
        if value.startswith("/") or ".." in parts or ".git" in parts or any(ord(c) < 32 for c in value):
            raise ValidationError(
                _("“%(folder)s”: give a folder inside the repository, such as _posts or news/_posts.")
                % {"folder": value}
            )
        if len(value) > FOLDER_MAX:
            raise ValidationError(_("A folder's path is at most %(n)d characters.") % {"n": FOLDER_MAX})
        value = "/".join(part for part in parts if part != ".") or WHOLE
        if value not in folders:
            folders.append(value)
    return [WHOLE] if WHOLE in folders else folders
