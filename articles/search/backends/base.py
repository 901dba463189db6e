"""What a token-index backend offers: every statement that differs between databases.

A backend is a module (``sqlite``, ``postgresql``) that satisfies ``SearchBackend``; modules
satisfy protocols as classes do (PEP 544). ``get_backend`` is the one place that looks at
``connection.vendor``, as Wagtail's database search backend picks its implementation once.
"""

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """An article's search document and tokens as its backend writes them (``prepare``), computed
    where the article was read or parsed (the importer's and the rebuild's workers)."""

    title: str  # the document's columns: the canonical text on PostgreSQL, a digest of it on SQLite
    text: str
    tokens: str  # tokens of title and text (SQLite: of the text), space-separated
    title_tokens: str
    deletion: bytes = b""  # SQLite: the document's distinct tokens, compressed, to delete them later


@runtime_checkable
class SearchBackend(Protocol):
    # How to test a row's id against many candidates: a ``Func`` template around "id IN (...)".
    PROBE_TEMPLATE: str

    def prepare_connection(self, dbapi_connection) -> None:
        """Set up a newly opened connection (SQLite: register the triggers' function)."""

    def exact(self, term) -> bool:
        """Whether the index alone decides if a text has ``term`` (else its pattern is confirmed in the text)."""

    def candidates(self, terms, field="all") -> tuple[str, list]:
        """SQL and params selecting the ids of articles whose ``field`` ("all" or "title") may have every
        term: exactly those for ``exact`` terms."""

    def stored(self, title, text) -> tuple[str, str]:
        """The search document's ``title`` and ``text`` columns for these canonical texts."""

    def prepare(self, title, text) -> PreparedDocument:
        """What ``insert_documents`` writes for an article's canonical ``title`` and ``text``."""

    def insert_documents(self, cursor, rows) -> None:
        """Write ``[(article id, PreparedDocument)]`` and their tokens, replacing the articles' old ones."""

    def prepare_bulk_write(self, cursor) -> None:
        """Set up the current transaction to write many documents (cheaper, deferred index upkeep)."""

    def flush(self, cursor) -> None:
        """Finish the index work ``prepare_bulk_write`` deferred."""

    def clear(self, cursor) -> None:
        """Delete every document and its tokens."""

    def optimize(self, cursor) -> None:
        """Compact the token index after a rebuild, and give the planner its statistics."""

    def size(self, cursor) -> tuple[int, int]:
        """Bytes on disk of the token index and of the document table."""

    def analyze(self, cursor, tables) -> None:
        """Fresh planner statistics for ``tables`` (names) and the token index, after a large import."""

    def in_subquery(self, field, subquery):
        """A condition for rows whose ``field`` is one of the values ``subquery`` selects, read first."""
