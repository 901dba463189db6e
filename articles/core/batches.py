"""Bulk work in batches: one size for every bulk statement and import transaction, and the cutter."""

# Rows per bulk statement, ids per ``IN (...)`` list and posts per import transaction: large enough
# that per-statement overhead vanishes, small enough for SQLite's 32,766 bound parameters even
# with 30 columns a row, and for the importer's memory bound (see ``runner.BATCH_CHARS``).
BATCH_SIZE = 500


def chunked(items, size=BATCH_SIZE):
    """``items`` (any iterable) as consecutive lists of at most ``size``."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
