"""Front matter read and written with python-frontmatter's handlers: YAML (Jekyll), TOML and JSON (Hugo).

Our YAML handler is the library's with a loader that keeps timestamps as text: PyYAML would turn
``date: 2020-02-26`` into a ``date`` object and lose a timestamp's zone, while ``dates.py`` parses
every form itself and the stored front matter stays JSON-safe, saying exactly what the file says.
Its dumper writes such text back unquoted, as Jekyll writes dates. TOML (``+++``, read by
``tomllib``) and JSON (an object at the top of the file) mean the same keys. Every handler refuses
an unclosed block and invalid syntax with a reason naming the line; the import report names the file.
YAML keys that are not text (``1: x``, ``true: y``) are kept apart and written back (see ``mappings``).
"""

import base64
import json
import math
import re
import tomllib
from datetime import date, datetime, time

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from . import nesting
from .mappings import KeyedLoaderMixin, Pairs, TypedKey, as_written, json_object, represent_pairs
from .post import NoFrontMatter, PostError

MAX_NODES = 10_000  # values in the front matter, aliases expanded: stops "billion laughs" documents
BOM = "\ufeff"


def _without_timestamps(resolvers):
    return {
        first: [(tag, regexp) for tag, regexp in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in resolvers.items()
    }


class TextTimestampLoader(KeyedLoaderMixin, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe YAML loader that leaves timestamps as strings and keeps keys that are not text apart."""


class TextTimestampDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """A safe YAML dumper that writes timestamp-like text unquoted (``date: 2022-07-07 23:04:00 +08:00``)."""


TextTimestampLoader.yaml_implicit_resolvers = _without_timestamps(TextTimestampLoader.yaml_implicit_resolvers)
TextTimestampDumper.yaml_implicit_resolvers = _without_timestamps(TextTimestampDumper.yaml_implicit_resolvers)
TextTimestampDumper.add_representer(Pairs, represent_pairs)


class _Delimited:
    """Splitting on an opening line and the next closing line, refusing a block never closed."""

    OPENING_RE = CLOSING_RE = None
    NAME = ""

    def detect(self, text):
        return self.OPENING_RE.match(text) is not None

    def split(self, text):
        opening = self.OPENING_RE.match(text)
        closing = self.CLOSING_RE.search(text, opening.end())
        if not closing:
            raise PostError(f"front matter is not closed (no second '{self.START_DELIMITER}' line)")
        return text[opening.end() : closing.start()], text[closing.end() :]


class YAMLFrontMatter(_Delimited, YAMLHandler):
    OPENING_RE = re.compile(r"\A---[ \t]*\r?\n")
    CLOSING_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)

    def load(self, fm, **kwargs):
        try:
            nesting.check_yaml(fm, TextTimestampLoader)
            return super().load(fm, Loader=TextTimestampLoader)
        except yaml.YAMLError as exc:
            raise PostError(f"invalid YAML front matter: {_yaml_problem(exc)}") from exc

    def export(self, metadata, **kwargs):
        kwargs.setdefault("Dumper", TextTimestampDumper)
        kwargs.setdefault("sort_keys", False)
        kwargs.setdefault("width", 1_000_000)  # one line per value: no folded titles
        return super().export(as_written(metadata), **kwargs)


class TOMLFrontMatter(_Delimited, BaseHandler):
    FM_BOUNDARY = re.compile(r"^\+{3}[ \t]*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"
    OPENING_RE = re.compile(r"\A\+\+\+[ \t]*\r?\n")
    CLOSING_RE = re.compile(r"^\+\+\+[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
    LINE_RE = re.compile(r"\(at line (\d+), column (\d+)\)")

    def load(self, fm, **kwargs):
        nesting.check_toml(fm)
        try:
            return tomllib.loads(fm)
        except tomllib.TOMLDecodeError as exc:
            # tomllib counts lines from the block; the file's line 1 is the opening "+++".
            reason = self.LINE_RE.sub(lambda m: f"(line {int(m.group(1)) + 1}, column {m.group(2)})", str(exc))
            raise PostError(f"invalid TOML front matter: {reason}") from exc


class JSONFrontMatter(JSONHandler):
    """A JSON object at the top of the file, as Hugo reads it (its closing brace ends the front matter)."""

    OPENING_RE = re.compile(r'\A\{\s*["}]')  # not "{% include %}" or "{{ liquid }}": those are bodies

    def detect(self, text):
        return self.OPENING_RE.match(text) is not None

    def split(self, text):
        nesting.check_json(text)
        try:
            _, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as exc:
            raise PostError(f"invalid JSON front matter: line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
        return text[:end], text[end:]

    def load(self, fm, **kwargs):
        return json.loads(fm)


YAML = YAMLFrontMatter()
HANDLERS = (YAML, TOMLFrontMatter(), JSONFrontMatter())


def read_front_matter(text):
    """``(front matter as a JSON-safe dict, body)``; NoFrontMatter for text that has none."""
    text = text.removeprefix(BOM)
    if not text.strip():
        raise PostError("empty file")
    handler = frontmatter.detect_format(text, HANDLERS)
    if handler is None:
        raise NoFrontMatter("no front matter")
    fm, body = handler.split(text)
    data = handler.load(fm)
    if data is None:
        return {}, body
    if not isinstance(data, dict):
        raise PostError(f"front matter is not a mapping (it is a {_kind(data)})")
    return _json_safe(data, [0], 0), body


def write_post(metadata, body):
    """A post's text: ``metadata`` as YAML front matter, then ``body``."""
    post = frontmatter.Post(body)
    post.metadata = metadata  # not Post(**metadata): keys such as "content" would clash
    return frontmatter.dumps(post, handler=YAML) + "\n"


def _yaml_problem(exc):
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return problem
    return f"line {mark.line + 2}: {problem}"  # +1 for 1-based lines, +1 for the opening '---'


def _kind(value):
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(type(value), "scalar")


def _json_safe(value, count, depth):
    """A copy of ``value`` made of JSON types only (see ``mappings`` for keys). ``depth``: the collections
    around it (TOML's dotted keys nest tables that no bracket shows, and YAML's aliases can nest a
    list in itself)."""
    count[0] += 1
    if count[0] > MAX_NODES:
        raise PostError(f"front matter is too large (over {MAX_NODES} values)")
    if isinstance(value, dict | list | tuple | set | frozenset) and depth >= nesting.MAX_DEPTH:
        raise nesting.too_deep()
    if isinstance(value, TypedKey):  # a set's member
        value = value.value
    if isinstance(value, dict):
        return json_object(value.items(), lambda item: _json_safe(item, count, depth + 1))
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(item, count, depth + 1) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
