"""Keys that let possible duplicates be found with an indexed GROUP BY instead of a table scan.

Pure functions: the importer's parse workers, the model's save() and the duplicate finder share them.
"""

import hashlib
import re

from .normalize import normalize as fold

FINGERPRINT_CHARS = 300  # of normalized text compared
MIN_FINGERPRINT_CHARS = 60  # shorter texts (stubs, empty bodies) are not compared
NON_WORD = re.compile(r"[\W_]+")  # punctuation, symbols and spaces of every script


def normalize(text):
    """Fold case, width and traditional characters as search does, and drop punctuation and spaces."""
    return NON_WORD.sub("", fold(text))


def _digest(text):
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def title_key(title):
    """A hash of the normalized title, or "" for a title with no letters at all."""
    key = normalize(title)
    return _digest(key) if key else ""


def text_fingerprint(text):
    """A hash of the normalized start of the text, or "" when there is too little text to judge."""
    start = normalize((text or "")[: FINGERPRINT_CHARS * 2])[:FINGERPRINT_CHARS]
    if len(start) < MIN_FINGERPRINT_CHARS:
        return ""
    return _digest(start)
