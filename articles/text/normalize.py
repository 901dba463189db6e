"""Text normalization shared by the index, the query parser and the highlighter.

Every character is normalized on its own (NFKC, then case folding, then OpenCC's
traditional-to-simplified table), so the index and the query agree exactly and the
highlighter can map each normalized character back to its source position.

Normalized text is then read as *segments*: runs of CJK characters (matched as
substrings) and words of any other script (matched as whole words). Everything else
(spaces, punctuation, symbols) only separates segments.
"""

import re
import sys
import unicodedata
from array import array

import opencc

# Han (with extensions and compatibility ideographs), kana, bopomofo and Hangul: scripts
# written without spaces, so any substring of a run can be a word.
CJK_RANGES = (
    "\u2e80-\u2fdf"
    "\u3005-\u3007"
    "\u3021-\u3029"
    "\u3040-\u30ff"
    "\u3100-\u312f"
    "\u31a0-\u31ff"
    "\u3400-\u4dbf"
    "\u4e00-\u9fff"
    "\uac00-\ud7af"
    "\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
CJK_CHARS = f"[{CJK_RANGES}]"
# Letters and digits of every other script: \w without the underscore and without CJK.
WORD_CHARS = rf"[^\W_{CJK_RANGES}]"
SEGMENT_RE = re.compile(rf"{CJK_CHARS}+|{WORD_CHARS}+")
CJK_RE = re.compile(CJK_CHARS)
CJK_RUN_RE = re.compile(f"{CJK_CHARS}+")
WORD_RE = re.compile(f"{WORD_CHARS}+")

# Index tokens longer than this are cut; terms with such words are confirmed by substring.
MAX_TOKEN_LENGTH = 48
# Code points as machine integers, for ``token_stream``.
_CODE_POINT = next(code for code in "IL" if array(code).itemsize == 4)
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
_SPACE = ord(" ")

_converter = opencc.OpenCC("t2s")


def _normalize_char(char):
    text = unicodedata.normalize("NFKC", char).casefold()
    if CJK_RE.search(text):
        text = _converter.convert(text)
    return text


class _CharTable(dict):
    """A str.translate table that fills itself: ordinal -> normalized string."""

    def __missing__(self, code):
        value = _normalize_char(chr(code))
        self[code] = value
        return value


_TABLE = _CharTable()


def normalize(text):
    """NFKC, case-folded, simplified-Chinese text; the same for index, query and snippet."""
    return unicodedata.normalize("NFC", text or "").translate(_TABLE)


def normalize_with_offsets(text):
    """(normalized, offsets): offsets[i] is the index in ``text`` that normalized char i came from.

    ``text`` should be NFC already (``prepare_display`` does that) so positions line up. Only the
    characters whose normalized form is not one character long ("…", "ﬁ") are handled one by
    one: a long English article has hundreds of them, and a loop over all its characters cost
    about 70 ms per 100,000.
    """
    odd = [char for char in set(text) if len(_TABLE[ord(char)]) != 1]
    if not odd:
        return text.translate(_TABLE), list(range(len(text)))  # one for one: the common case
    pieces, offsets = [], []
    position = 0
    for match in re.finditer("|".join(map(re.escape, odd)), text):
        index = match.start()
        value = _TABLE[ord(text[index])]
        pieces += (text[position:index].translate(_TABLE), value)
        offsets += range(position, index)
        offsets += [index] * len(value)
        position = index + 1
    pieces.append(text[position:].translate(_TABLE))
    offsets += range(position, len(text))
    return "".join(pieces), offsets


def prepare_display(text):
    """The form of a text that highlighting works on: NFC, so it composes like the index."""
    return unicodedata.normalize("NFC", text or "")


def is_cjk(segment):
    return bool(CJK_RE.match(segment))


def segments(normalized):
    """The CJK runs and words of normalized text, in order."""
    return SEGMENT_RE.findall(normalized)


def canonical(text):
    """The stored, searchable form of a field: its segments between single spaces.

    Leading and trailing spaces let a whole-word pattern (" nato ") match at either end.
    """
    parts = segments(normalize(text))
    return f" {' '.join(parts)} " if parts else ""


def segment_tokens(segment):
    """Index tokens of one segment: a word is itself; a CJK run gives its characters and pairs."""
    if not is_cjk(segment):
        return {segment[:MAX_TOKEN_LENGTH]}
    tokens = set(segment)
    tokens.update(segment[i : i + 2] for i in range(len(segment) - 1))
    return tokens


def token_stream(text):
    """The index tokens of normalized text, space-separated, with repeats: for an index to keep once each.

    The same tokens as ``segment_tokens`` gives for each segment (every CJK character, every pair of
    adjacent CJK characters, every other word cut to ``MAX_TOKEN_LENGTH``), built without a Python
    object per token: the CJK runs, joined by spaces, are copied as 32-bit code points into one
    array, once with a space after each character and once as overlapping pairs. A pair that spans
    two runs holds the space between them, so it splits into two characters that are tokens anyway.
    """
    words = " ".join([word[:MAX_TOKEN_LENGTH] for word in WORD_RE.findall(text)])
    runs = " ".join(CJK_RUN_RE.findall(text))
    n = len(runs)
    if n < 2:
        return f"{runs} {words}"
    points = memoryview(runs.encode(_UTF32)).cast(_CODE_POINT)
    out = array(_CODE_POINT, [_SPACE]) * (2 * n + 3 * (n - 1))
    view = memoryview(out)
    view[0 : 2 * n : 2] = points  # "a b c "
    pairs = view[2 * n :]
    pairs[0::3] = points[:-1]  # "ab bc "
    pairs[1::3] = points[1:]
    return f"{out.tobytes().decode(_UTF32)} {words}"


def text_tokens(text):
    """The distinct index tokens of normalized text, as a set."""
    return set(token_stream(text).split())


def document_tokens(*canonical_texts):
    """The sorted, distinct index tokens of some canonical texts (deterministic, for deletes)."""
    return sorted(set().union(*map(text_tokens, canonical_texts)))


# Positional tokens (SQLite's index keeps each token's positions, so a phrase is found by the index
# alone). The marker ends a CJK run followed by another run on the same line; alone, it separates
# lines, so no phrase matches across two.
BOUNDARY = "$"
# Words are indexed whole up to this length: longer than any query (``query.MAX_QUERY_LENGTH``), so
# a word cut here never equals a word searched for.
INDEXED_WORD_LENGTH = 256


def _line_positions(line):
    """The positional tokens of one canonical line (see ``position_tokens``)."""
    parts = segments(line)
    tokens = []
    for index, segment in enumerate(parts):
        if not is_cjk(segment):
            tokens.append(segment[:INDEXED_WORD_LENGTH])
            continue
        tokens.extend(segment)
        if index + 1 < len(parts) and is_cjk(parts[index + 1]):
            tokens.append(segment[-1] + BOUNDARY)
    return tokens


def position_tokens(canonical_text):
    """The tokens of canonical text, one per position: each CJK character, each word, a run's end
    before another run (its last character and ``BOUNDARY``), and ``BOUNDARY`` between lines.

    A term's ``phrase_tokens`` occur at consecutive positions exactly where its pattern occurs in
    the text: a CJK segment matches within a run, words only whole, a run's end only there.
    """
    tokens = []
    for number, line in enumerate(canonical_text.split("\n")):
        if number:
            tokens.append(BOUNDARY)
        tokens.extend(_line_positions(line))
    return tokens


def phrase_tokens(term_segments):
    """The tokens a term's segments occupy at consecutive positions (see ``position_tokens``)."""
    return _line_positions(" ".join(term_segments))
