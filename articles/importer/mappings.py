"""Front matter mappings whose keys are not all text, kept whole in JSON and written back as they were.

YAML keys may be numbers, booleans or null: ``'1': one``, ``1: int one`` and ``true: booly`` are
three keys. A Python dict holds only two of them (``1 == True``) and a JSON object only text keys,
so the import once kept ``'1': booly``. Now the loader keeps each key that is not text apart
(``TypedKey``), and the stored JSON keeps the text keys as they always were, the others as
``[key, value]`` pairs under one entry, ``OTHER_KEYS``, in their order:

    {"1": "one", "(keys that are not text)": [[1, "int one"], [true, "booly"]]}

A text key that happens to be ``OTHER_KEYS`` itself goes into the pairs too, so nothing a file says
is lost. Writing a post turns such a mapping back into the YAML mapping it came from.
"""

from collections.abc import Hashable
from dataclasses import dataclass, field

import yaml

OTHER_KEYS = "(keys that are not text)"


@dataclass(frozen=True)
class TypedKey:
    """A key that is not text, equal only to a key of the same type and value (1 is not True)."""

    value: object
    kind: type = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "kind", type(self.value))


class KeyedLoaderMixin:
    """A YAML loader's mapping constructor that keeps keys that are not text apart (``TypedKey``)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                if not isinstance(key, Hashable):
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", node.start_mark, "found unhashable key", key_node.start_mark
                    )
                key = TypedKey(key)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def json_object(items, convert):
    """A JSON object for mapping ``items`` (key, value pairs), values made JSON-safe by ``convert``."""
    plain, others = {}, []
    for key, value in items:
        if isinstance(key, str) and key != OTHER_KEYS:
            plain[key] = convert(value)
        else:
            others.append([convert(key.value if isinstance(key, TypedKey) else key), convert(value)])
    if others:
        plain[OTHER_KEYS] = others
    return plain


class Pairs(list):
    """A mapping written as YAML from (key, value) pairs: its keys may be 1 and True together."""


def as_written(value):
    """``value`` (stored front matter) with each mapping holding ``OTHER_KEYS`` made a ``Pairs``
    whose keys are back in place of that entry, ready for the YAML dumper."""
    if isinstance(value, list):
        return [as_written(item) for item in value]
    if not isinstance(value, dict):
        return value
    if OTHER_KEYS not in value or not _are_pairs(value[OTHER_KEYS]):
        return {key: as_written(item) for key, item in value.items()}
    pairs = Pairs()
    for key, item in value.items():
        if key == OTHER_KEYS:
            pairs.extend((other_key, as_written(other_value)) for other_key, other_value in item)
        else:
            pairs.append((key, as_written(item)))
    return pairs


def _are_pairs(value):
    return isinstance(value, list) and all(
        isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], Hashable) for pair in value
    )


def represent_pairs(dumper, pairs):
    return dumper.represent_mapping("tag:yaml.org,2002:map", list(pairs))
