"""The token index, one module per database: the same operations, vendor-specific SQL.

The tables are made by migration 0002. Each backend offers ``candidates(tokens, field)``
(SQL selecting ids of articles that have every token, in all fields or in the title),
``PROBE_TEMPLATE`` (how to test a row against many candidates),
``token_string(*canonical_texts)`` (the tokens to index, in the form ``insert_documents`` takes),
``insert_documents(cursor, rows)`` (write documents and their tokens, see ``indexing.PreparedDocument``),
``clear``, ``optimize`` and ``size``.
"""

from importlib import import_module

VENDORS = {"sqlite": "sqlite", "postgresql": "postgresql"}


def get_backend(connection):
    """The token-index module for a database connection."""
    try:
        name = VENDORS[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"search has no index for the {connection.vendor} database") from None
    return import_module(f"{__name__}.{name}")
