"""Which of a repository's files are a source's posts (what a source may be given is
``core.locations``'). Pure functions."""

from articles.core.locations import WHOLE
from articles.importer.files import is_post_file, is_skipped_folder


def pathspecs(folders):
    """The folders as git pathspecs (taken literally: a folder named ``*`` is that folder); none
    for the whole repository or the default folders, which are told apart by ``is_source_post``."""
    if not folders or WHOLE in folders:
        return []
    return [f":(literal){folder}" for folder in folders]


def is_source_post(path, folders):
    """Whether the repository file ``path`` is one of the source's posts: a post file under one of
    ``folders`` (by default any folder starting with ``_`` that the importer reads: ``_posts``,
    ``_drafts``, collections), in no folder the importer skips (``_site``, ``.git``, hidden ones…)."""
    parts = path.split("/")
    name, folders_in = parts[-1], parts[:-1]
    if not is_post_file(name):
        return False
    if folders:
        below = _below(folders_in, folders)
        return below is not None and not any(is_skipped_folder(part) for part in below)
    if any(is_skipped_folder(part) for part in folders_in):
        return False
    return any(part.startswith("_") for part in folders_in)


def _below(parts, folders):
    """The folders of ``parts`` below the first of ``folders`` that holds them, else None."""
    for folder in folders:
        prefix = [] if folder == WHOLE else folder.split("/")
        if parts[: len(prefix)] == prefix:
            return parts[len(prefix) :]
    return None
