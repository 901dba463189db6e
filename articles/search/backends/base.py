"""What a token-index backend offers: every statement that differs between databases.

A backend is a module (``sqlite``, ``postgresql``) that satisfies ``SearchBackend``; modules
satisfy protocols as classes do (PEP 544). ``get_backend`` is the one place that looks at
``connection.vendor``, as Wagtail's database search backend picks its implementation once.
"""

from typing import Protocol, runtime_checkable


@runtime_checkable
class SearchBackend(Protocol):
    # How to test a row's id against many candidates: a ``Func`` template around "id IN (...)".
    PROBE_TEMPLATE: str

    def prepare_connection(self, dbapi_connection) -> None:
        """Set up a newly opened connection (SQLite: register the triggers' function)."""

    def candidates(self, tokens, field="all") -> tuple[str, list]:
        """SQL and params selecting the ids of articles whose ``field`` ("all" or "title") has every token."""

    def token_string(self, *canonical_texts) -> str:
        """The tokens to index for these texts, in the form ``insert_documents`` takes."""

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
