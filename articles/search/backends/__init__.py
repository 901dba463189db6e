"""The token index, one module per database: the same operations (``base.SearchBackend``), vendor SQL.

The tables are made by migration 0002 (and 0005); the document table's name comes from
``SearchDocument``, the token tables' from each backend. Nothing outside this package looks at
the database's vendor.
"""

from importlib import import_module

from .base import SearchBackend

VENDORS = {"sqlite": "sqlite", "postgresql": "postgresql"}


def get_backend(connection) -> SearchBackend:
    """The token-index backend for a database connection."""
    try:
        name = VENDORS[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"search has no index for the {connection.vendor} database") from None
    return import_module(f"{__name__}.{name}")


def prepare_connection(connection):
    """Set up a newly opened connection for its backend; databases search has no index for are left alone."""
    if connection.vendor in VENDORS:
        get_backend(connection).prepare_connection(connection.connection)
