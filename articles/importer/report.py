"""The outcome of one import run: counts, per-file errors, notes and conflicts."""

from dataclasses import dataclass, field
from enum import StrEnum

from articles.text.spaces import one_line


class Outcome(StrEnum):
    """What an import did with one file: each is a count of the report (and of its ``ImportRun``)."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"  # the same bytes, or a merge that changes nothing
    SKIPPED = "skipped"  # every change held by a curator, a file that is not a post, a key seen already
    FAILED = "failed"  # with the reason


def unexpected(exc):
    """The reason given for a file that failed on an error nobody foresaw (a bug, say)."""
    return f"unexpected error: {type(exc).__name__}: {exc}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list = field(default_factory=list)  # [(path, reason)]
    notes: list = field(default_factory=list)  # [(path, note)]
    conflicts: list = field(default_factory=list)  # [(path, field)]
    dry_run: bool = False
    run: object = None  # the saved ImportRun

    def count(self, outcome, n=1):
        name = Outcome(outcome).value
        setattr(self, name, getattr(self, name) + n)

    def error(self, path, reason):
        self.failed += 1
        self.errors.append((str(path), one_line(reason)))  # a YAML parser's message may span lines

    def note(self, path, note):
        self.notes.append((str(path), one_line(note)))

    def conflict(self, path, field_name):
        self.conflicts.append((str(path), field_name))

    @property
    def total(self):
        return sum(self.counts().values())

    @property
    def ok(self):
        return self.failed == 0

    def counts(self):
        return {outcome.value: getattr(self, outcome) for outcome in Outcome}

    def summary(self):
        """One line, e.g. "created 3, updated 1, unchanged 10, skipped 0, failed 2, conflicts 1"."""
        parts = [f"{outcome} {n}" for outcome, n in self.counts().items()]
        if self.conflicts:
            parts.append(f"conflicts {len(self.conflicts)}")
        prefix = "Dry run (nothing written): " if self.dry_run else ""
        return prefix + ", ".join(parts)

    def error_lines(self):
        return [f"{path}: {reason}" for path, reason in self.errors]

    def note_lines(self):
        return [f"{path}: {note}" for path, note in self.notes]

    def conflict_lines(self):
        return [f"{path}: {field_name} (edited by a curator; kept)" for path, field_name in self.conflicts]
