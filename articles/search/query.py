"""Parsing what a reader typed into terms: words, "quoted phrases" and -exclusions.

Pure functions, no database. A term is a sequence of segments (see ``normalize``); it
matches a field when its *pattern* is a substring of the field's canonical form.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from articles.text.normalize import MAX_TOKEN_LENGTH, is_cjk, normalize, phrase_tokens, segment_tokens, segments

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

# Straight quotes after NFKC, plus the CJK quotation marks readers type.
_QUOTES = '"“”「」『』'
_TERM_RE = re.compile(rf"(-?)(?:[{_QUOTES}]([^{_QUOTES}]*)[{_QUOTES}]?|([^\s{_QUOTES}]+))")


@dataclass(frozen=True)
class Term:
    text: str  # as typed, for messages
    segments: tuple  # normalized CJK runs and words
    phrase: bool = False

    def __str__(self):
        return self.text

    @property
    def pattern(self):
        """The substring to find in canonical text; a space marks a whole-word edge."""
        body = " ".join(self.segments)
        start = "" if is_cjk(self.segments[0]) else " "
        end = "" if is_cjk(self.segments[-1]) else " "
        return f"{start}{body}{end}"

    @property
    def tokens(self):
        """Index tokens every matching article has: a word, or a CJK run's character pairs."""
        tokens = set()
        for segment in self.segments:
            if is_cjk(segment) and len(segment) > 1:
                tokens.update(segment[i : i + 2] for i in range(len(segment) - 1))
            else:
                tokens.update(segment_tokens(segment))
        return sorted(tokens)

    @property
    def phrase_tokens(self):
        """The tokens a positional index holds at consecutive positions where the term occurs."""
        return phrase_tokens(self.segments)

    @property
    def exact(self):
        """True when these tokens, as a set, decide the match (no positions or substring check needed)."""
        if len(self.segments) != 1:
            return False
        segment = self.segments[0]
        return len(segment) <= 2 if is_cjk(segment) else len(segment) <= MAX_TOKEN_LENGTH


@dataclass
class ParsedQuery:
    text: str
    terms: list = field(default_factory=list)
    excluded: list = field(default_factory=list)
    messages: list = field(default_factory=list)

    @property
    def message(self):
        return " ".join(self.messages)


def _make_term(text, phrase):
    parts = segments(normalize(text))
    if not parts:
        return None
    return Term(text=text, segments=tuple(parts), phrase=phrase)


def parse_query(text):
    """Split a query into terms, never raising: odd input becomes a message, not an error."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    parsed = ParsedQuery(text=text)
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        parsed.text = text
        parsed.messages.append(
            _("Your search was longer than %(limit)d characters, so only the start of it was used.")
            % {"limit": MAX_QUERY_LENGTH}
        )
    seen = set()
    for match in _TERM_RE.finditer(text):
        negated, quoted, bare = match.groups()
        term = _make_term(quoted if quoted is not None else bare, phrase=quoted is not None)
        if term is None or (bool(negated), term.segments) in seen:
            continue
        seen.add((bool(negated), term.segments))
        (parsed.excluded if negated else parsed.terms).append(term)
    if len(parsed.terms) + len(parsed.excluded) > MAX_TERMS:
        parsed.terms = parsed.terms[:MAX_TERMS]
        parsed.excluded = parsed.excluded[: max(0, MAX_TERMS - len(parsed.terms))]
        parsed.messages.append(_("Only the first %(limit)d words of your search were used.") % {"limit": MAX_TERMS})
    if not parsed.terms:
        if parsed.excluded:
            parsed.messages.append(_("Add a word to search for: a search cannot only exclude words."))
        elif text:
            parsed.messages.append(_("Your search has no letters or characters to look for."))
        else:
            parsed.messages.append(_("Enter a word to search for."))
    return parsed
