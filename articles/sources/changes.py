"""What a sync must do to bring the archive to a commit: the files to import, the renames whose
article follows its file, and the files deleted.

From the last synced commit, when the new head descends from it, the answer is git's diff (renames
found as ``git log`` finds them); otherwise (the first sync, or history rewritten by a force-push)
every file of the head is compared with what the archive holds from the source, and files whose
bytes left one path for another count as renamed.
"""

from dataclasses import dataclass, field

from articles.models import SyncedFile

from .git import LINK_MODE, SUBMODULE_MODE, Entry
from .locations import is_source_post, pathspecs


@dataclass
class Plan:
    head: object  # git.Commit
    base: str  # the commit the changes start from ("" for a full comparison)
    full: bool
    imports: dict = field(default_factory=dict)  # path -> Entry to import at the head
    renames: list = field(default_factory=list)  # (old path, new path): the article follows its file
    deletions: dict = field(default_factory=dict)  # path -> the commit that deleted it
    notes: list = field(default_factory=list)


def plan_sync(clone, source, head):
    """The ``Plan`` from ``source.last_commit`` (or from nothing) to commit ``head``."""
    last = source.last_commit
    if last and clone.is_ancestor(last, head.sha):
        return _incremental(clone, source, head)
    plan = _full(clone, source, head)
    if last:
        plan.notes.append(
            f"history rewritten: the last synced commit {last[:12]} is no longer in the branch's history, "
            f"so every file of {head.sha[:12]} was compared with the archive"
        )
    return plan


def _incremental(clone, source, head):
    plan = Plan(head, source.last_commit, full=False)
    folders = source.folders

    def post(path, mode):
        return mode != SUBMODULE_MODE and is_source_post(path, folders)

    deleted = []
    for change in clone.changes(plan.base, head.sha, pathspecs(folders)):
        new = change.status != "D" and post(change.path, change.mode)
        old = change.status in "DR" and post(change.old_path, change.old_mode)
        if change.status == "R" and new and old:
            plan.renames.append((change.old_path, change.path))
        elif old:
            deleted.append(change.old_path)
        elif change.status == "T" and not new and post(change.path, change.old_mode):
            deleted.append(change.path)  # a post file turned into a submodule
        if new:
            plan.imports[change.path] = Entry(change.path, change.mode, change.blob)
    # A link's bytes are its target's: read again whatever changed (unchanged ones stay unchanged).
    links = SyncedFile.objects.filter(source=source, link=True, removed_at=None).values_list("path", "blob")
    for path, blob in links:
        if path not in plan.imports and path not in deleted and path not in dict(plan.renames):
            plan.imports[path] = Entry(path, LINK_MODE, blob)
    if deleted:
        commits = clone.deletions(plan.base, head.sha, pathspecs(folders))
        plan.deletions = {path: commits.get(path, head.sha) for path in deleted}
    return plan


def _full(clone, source, head):
    plan = Plan(head, "", full=True)
    rows = {}  # path -> (blob, live, failed): what the archive holds from the source
    known = SyncedFile.objects.filter(source=source).values_list("path", "blob", "removed_at", "failed")
    for path, blob, removed_at, failed in known.iterator(chunk_size=5000):
        rows[path] = (blob, removed_at is None, failed)
    fresh = {}  # blob -> paths new to the source
    for entry in clone.files(head.sha, pathspecs(source.folders)):
        if entry.mode == SUBMODULE_MODE or not is_source_post(entry.path, source.folders):
            continue
        row = rows.pop(entry.path, None)
        if row is None:
            fresh.setdefault(entry.blob, []).append(entry.path)
        if row is None or row[0] != entry.blob or not row[1] or row[2] or entry.link:
            plan.imports[entry.path] = entry
    for path, (blob, live, _failed) in sorted(rows.items()):  # what is left is gone from the head
        if not live:
            continue
        if fresh.get(blob):
            plan.renames.append((path, fresh[blob].pop(0)))
        else:
            plan.deletions[path] = head.sha
    return plan
