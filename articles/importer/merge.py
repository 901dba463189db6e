"""Field-by-field three-way merge of a re-imported post into a curated article.

Pure functions over plain dicts of comparable values (strings, numbers, lists), so the rules can
be read and tested without a database. Three versions of each field meet:

- ``snapshot``: what the last import wrote (the source as it was then; long texts only as their
  digests, see ``comparable``: the merge needs to know whether they changed, not what they said),
- ``current``: what the article holds now (the curator may have changed it),
- ``source``: what the file says today.

A field the curator never touched (current == snapshot) follows the source. A field the curator
changed keeps the curator's value; if the source changed it too, that is a conflict to report.
Tags and categories merge as sets: what the curator added or removed stays added or removed,
and what the source added or removed since the last import follows.
"""

import hashlib
from dataclasses import dataclass, field

from .report import Outcome

SCALAR_FIELDS = (
    "title",
    "body_html",
    "excerpt",
    "author",
    "original_url",
    "published_at",
    "lead_image_url",
    "lead_image_caption",
    "status",
    "legacy_slug",
)
SET_FIELDS = ("tags", "categories")
MERGED_FIELDS = SCALAR_FIELDS + SET_FIELDS
# Compared, and kept in the snapshot, as SHA-256 digests: 64 characters instead of the text.
DIGESTED_FIELDS = frozenset({"title", "body_html", "excerpt", "lead_image_caption"})

_MISSING = object()


def digest(text):
    return hashlib.sha256((text or "").encode()).hexdigest()


def comparable(values):
    """``values`` as the merge compares them and the snapshot keeps them: long texts as digests."""
    return {name: digest(value) if name in DIGESTED_FIELDS else value for name, value in values.items()}


@dataclass
class MergeResult:
    take: list = field(default_factory=list)  # scalar fields to set from the source
    sets: dict = field(default_factory=dict)  # "tags"/"categories" -> the new set, when it changes
    conflicts: list = field(default_factory=list)  # fields both the curator and the source changed

    @property
    def changed(self):
        return bool(self.take or self.sets)

    @property
    def outcome(self):
        """Updated when anything is written, skipped when every change is held by the curator."""
        if self.changed:
            return Outcome.UPDATED
        return Outcome.SKIPPED if self.conflicts else Outcome.UNCHANGED


def merge(current, snapshot, source, *, overwrite=False):
    """Decide, field by field, what a re-import writes into an existing article.

    With ``overwrite`` every field takes the source's value. An article without a snapshot
    (not written by an import) counts as curated in every field: nothing of it is replaced, the
    source's tags and categories are only added.
    """
    result = MergeResult()
    for name in SCALAR_FIELDS:
        new, cur = source.get(name), current.get(name)
        if new == cur:
            continue
        base = snapshot.get(name, _MISSING)
        if overwrite or cur == base:
            result.take.append(name)
        elif new != base:
            result.conflicts.append(name)
    for name in SET_FIELDS:
        new, cur = set(source.get(name, ())), set(current.get(name, ()))
        base = snapshot.get(name, _MISSING)
        if overwrite:
            merged = new
        elif base is _MISSING:
            merged = cur | new
        else:
            base = set(base)
            merged = (cur | (new - base)) - (base - new)
        if merged != cur:
            result.sets[name] = merged
    return result
