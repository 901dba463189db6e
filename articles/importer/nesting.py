"""How deeply front matter nests, measured before a parser builds it.

PyYAML's C loader builds nested collections by recursion in C: 25,000 levels of ``[[[…]]]`` in a
50 kB post overflow the stack and kill the process (a segmentation fault, nothing to catch), and
Python's own parsers stop at the recursion limit with an error that says nothing to a person. So
each front matter handler measures the nesting first and refuses more than ``MAX_DEPTH`` levels
with a reason; ``frontmatter`` checks the values it stores against the same limit.
"""

import re

import yaml

from .post import PostError

MAX_DEPTH = 100  # far beyond any real post's (the sample archive's deepest: 2)
# A YAML collection starts at one of these: a flow bracket, a block sequence's first "-", or a
# mapping's first ":" or "?". A text with fewer of them than the limit cannot nest deeper.
YAML_OPENERS = "[{-?:"
# Strings (whose brackets do not count), comments (TOML) and brackets.
JSON_TOKEN_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
TOML_TOKEN_RE = re.compile(
    r'"""[^\\]*?(?:\\.[^\\]*?)*?"""|\'\'\'.*?\'\'\'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]',
    re.DOTALL,
)


def too_deep():
    return PostError(f"front matter nested too deeply (over {MAX_DEPTH} levels)")


def check_yaml(text, loader):
    """Refuse YAML nesting deeper than ``MAX_DEPTH``: a count of opening marks when it is too
    small to matter (every real post), else the parser's events, which it makes without recursion."""
    if sum(map(text.count, YAML_OPENERS)) <= MAX_DEPTH:
        return
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise too_deep()
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def check_json(text):
    """Refuse a JSON object at the top of ``text`` nesting deeper than ``MAX_DEPTH`` (the body after
    the object's closing brace is not looked at)."""
    _check_brackets(JSON_TOKEN_RE, text, stop_at_zero=True)


def check_toml(text):
    """Refuse TOML arrays and inline tables nested deeper than ``MAX_DEPTH`` (tables made by dotted
    keys are counted once built: see ``frontmatter``)."""
    _check_brackets(TOML_TOKEN_RE, text, stop_at_zero=False)


def _check_brackets(token_re, text, *, stop_at_zero):
    depth = 0
    for match in token_re.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                raise too_deep()
        elif token in ("]", "}"):
            depth -= 1
            if depth <= 0 and stop_at_zero:
                return
