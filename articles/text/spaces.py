"""Text on one line: the one rule for every value that must not span lines (titles, names, reasons,
report lines, excerpts, captions)."""


def one_line(text):
    """Runs of whitespace, newlines included, as one space; no space at either end ("" for None)."""
    return " ".join(str(text if text is not None else "").split())
