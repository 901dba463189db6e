"""The cleaner's last step: whitespace runs collapsed (outside ``pre``) and each block on its own line.

Works on a smoothed BeautifulSoup tree (no two text nodes side by side), in lxml's terms: an
element's "text" is the text before its first child element, its "tail" the text after it.
"""

import re

from bs4 import NavigableString

from articles.text.soup import children, elements, is_tag
from articles.text.tags import BLOCK_TAGS, CONTAINER_BLOCKS

SPACE_RE = re.compile(r"\s+")


def _text(el):
    first = el.contents[0] if el.contents else None
    return first if first is not None and not is_tag(first) else None


def _set_text(el, value):
    current = _text(el)
    if current is not None:
        _replace(current, value)
    elif value:
        el.insert(0, value)


def _tail(el):
    after = el.next_sibling
    return after if after is not None and not is_tag(after) else None


def _set_tail(el, value):
    current = _tail(el)
    if current is not None:
        _replace(current, value)
    elif value:
        el.insert_after(value)


def _replace(node, value):
    if not value:
        node.extract()
    elif value != node:
        node.replace_with(value)


def _laid_out(node, root):
    """Whether blank ``node`` opens a block or follows one: then the layout decides what it becomes."""
    previous = node.previous_sibling
    if previous is None:
        return node.parent is root or node.parent.name in BLOCK_TAGS
    return is_tag(previous) and previous.name in BLOCK_TAGS


def _collapse(root, in_pre):
    for node in list(root.strings):
        if type(node) is not NavigableString or id(node.parent) in in_pre:
            continue
        if node.strip() or not _laid_out(node, root):  # saves two replacements per "\n" between blocks
            _replace(node, SPACE_RE.sub(" ", node))


def _lay_out_block(el, container):
    """Trim the text at the edges of block ``el`` and put its block children on lines of their own."""
    elements = children(el)
    text = _text(el)
    if text is not None:
        _set_text(el, text.lstrip())
    if elements and elements[0].name in BLOCK_TAGS and container and _text(el) is None:
        _set_text(el, "\n")
    if elements:
        last_tail = _tail(elements[-1])
        if last_tail is not None:
            _set_tail(elements[-1], last_tail.rstrip())
    elif _text(el) is not None:
        _set_text(el, _text(el).rstrip())
    for child in elements:
        if child.name not in BLOCK_TAGS:
            continue
        tail = _tail(child)
        if tail is None or not tail.strip():
            _set_tail(child, "\n" if container else None)
        else:
            _set_tail(child, tail.lstrip())


def tidy_whitespace(root):
    """Collapse whitespace runs (outside ``pre``) and put each block on its own line."""
    root.smooth()
    pres = elements(root, "pre")
    for pre in pres:
        if _text(pre):
            _set_text(pre, _text(pre).lstrip("\n"))  # parsers drop a newline right after <pre>
    in_pre = {id(el) for pre in pres for el in (pre, *elements(pre))}
    _collapse(root, in_pre)
    _lay_out_block(root, True)
    for el in elements(root, *BLOCK_TAGS):
        if id(el) not in in_pre:
            _lay_out_block(el, el.name in CONTAINER_BLOCKS)
