"""Turning a post's bytes into text: UTF-8 (with or without BOM), else GB18030 or Big5.

GB18030 accepts almost any byte sequence, and Big5 accepts most GB2312 text, so when both legacy
decodings succeed we keep the one whose Chinese reads as ordinary text: the share of characters that
are common in that script (GB2312 level 1 for simplified, Big5 level 1 for traditional) is far
higher for the right decoding than for the mojibake of the wrong one.
"""

from functools import cache

from .post import PostError

SAMPLE_CHARS = 4000  # characters of non-ASCII text enough to tell the encodings apart
MIN_PLAUSIBLE = 0.6  # share of plausible characters below which a decoding is rejected


def _decode_rows(encoding, leads, trails):
    chars = set()
    for lead in leads:
        for trail in trails:
            try:
                chars.add(bytes((lead, trail)).decode(encoding))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


@cache
def _common_chars():
    """Characters ordinary Chinese (simplified or traditional) or Western text is mostly made of.

    Mojibake of the wrong decoding lands mostly on rare ideographs, symbols and private-use
    characters, never on accented Latin letters (those take four bytes in GB18030).
    """
    big5_trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    chars = set(_decode_rows("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)))  # level 1 simplified
    chars |= _decode_rows("big5", range(0xA4, 0xC7), big5_trails)  # level 1 traditional
    chars |= _decode_rows("gb2312", [0xA1, 0xA3], range(0xA1, 0xFF))  # punctuation, full-width forms
    chars |= _decode_rows("big5", [0xA1, 0xA2], big5_trails)
    for start, end in ((0xA0, 0x17F), (0x2000, 0x206F), (0x3000, 0x303F), (0xFF01, 0xFF5E)):
        chars.update(map(chr, range(start, end + 1)))
    return frozenset(chars)


def _plausibility(text, common):
    """The share of the non-ASCII characters of ``text`` that are common ones."""
    sample = [ch for ch in text if ord(ch) > 0x7F][:SAMPLE_CHARS]
    if not sample:
        return 1.0
    return sum(ch in common for ch in sample) / len(sample)


def decode_bytes(data: bytes) -> str:
    """The text of a post file; raises PostError when it is not UTF-8, GB18030 or Big5 text."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PostError("binary file (contains NUL bytes)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise PostError("cannot decode as UTF-16 despite its byte order mark") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    common = _common_chars()
    best, best_score = None, 0.0
    for encoding in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text, common)
        if score > best_score:
            best, best_score = text, score
    if best is None or best_score < MIN_PLAUSIBLE:
        raise PostError("cannot decode as UTF-8, GB18030 or Big5")
    return best
