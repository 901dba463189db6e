"""Splitting a post into its YAML front matter and body, and reading the front matter exactly.

PyYAML would turn ``date: 2020-02-26`` into a ``date`` object and lose the time zone of a timestamp;
our loader keeps timestamps as text (``dates.py`` parses every form itself) so that the stored
front matter is JSON-safe and says exactly what the file says.
"""

import base64
import math
import re
from datetime import date, datetime

import yaml

from .post import NoFrontMatter, PostError

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

OPENING_RE = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n")
CLOSING_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
MAX_NODES = 10_000  # values in the front matter, aliases expanded: stops "billion laughs" documents


class FrontMatterLoader(_BaseLoader):
    """A safe YAML loader that leaves timestamps as strings."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text):
    """``(yaml_text, body)``; raises NoFrontMatter when the text does not start with ``---``."""
    if not text.lstrip("\ufeff").strip():
        raise PostError("empty file")
    opening = OPENING_RE.match(text)
    if not opening:
        raise NoFrontMatter("no front matter")
    closing = CLOSING_RE.search(text, opening.end())
    if not closing:
        raise PostError("front matter is not closed (no second '---' line)")
    return text[opening.end() : closing.start()], text[closing.end() :]


def load_front_matter(yaml_text):
    """The front matter as a JSON-safe dict (empty front matter gives ``{}``)."""
    try:
        data = yaml.load(yaml_text, Loader=FrontMatterLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise PostError(f"invalid YAML front matter: {_describe(exc)}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PostError(f"front matter is not a mapping (it is a {_yaml_kind(data)})")
    return _json_safe(data, [0])


def _describe(exc):
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return problem
    return f"line {mark.line + 2}: {problem}"  # +1 for 1-based lines, +1 for the opening '---'


def _yaml_kind(value):
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(type(value), "scalar")


def _json_safe(value, count):
    """A copy of ``value`` made of JSON types only; keys become strings."""
    count[0] += 1
    if count[0] > MAX_NODES:
        raise PostError(f"front matter is too large (over {MAX_NODES} values)")
    if isinstance(value, dict):
        return {_key(key): _json_safe(item, count) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(item, count) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _key(key):
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return key if isinstance(key, str) else str(key)
