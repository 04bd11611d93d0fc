"""Google field masks: ``sheets(properties,data.rowData.values(note)),spreadsheetId``.

A mask parses into a tree: ``{"sheets": {"properties": None, "data": {...}}}`` where None
means "this field and everything below it". Both ``.`` and ``/`` separate path parts, as
Google accepts both.
"""

from __future__ import annotations

from typing import Any

from .cells import clone

MaskTree = dict[str, Any]  # values: MaskTree | None


class MaskError(ValueError):
    """The mask text does not parse."""


def parse_mask(text: str) -> MaskTree:
    """Parse a field mask into a tree; raises MaskError on unbalanced parentheses."""
    parser = _Parser(text.replace(" ", ""))
    tree = parser.parse_list()
    if parser.pos != len(parser.text):
        raise MaskError(text)
    return tree


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def name(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in ".,/()":
            self.pos += 1
        if start == self.pos:
            raise MaskError(self.text)
        return self.text[start : self.pos]

    def parse_list(self) -> MaskTree:
        tree: MaskTree = {}
        while True:
            path = [self.name()]
            while self.peek() in (".", "/") and self.peek():
                self.pos += 1
                path.append(self.name())
            sub: MaskTree | None = None
            if self.peek() == "(":
                self.pos += 1
                sub = self.parse_list()
                if self.peek() != ")":
                    raise MaskError(self.text)
                self.pos += 1
            _merge(tree, path, sub)
            if self.peek() == ",":
                self.pos += 1
                continue
            return tree


def _merge(tree: MaskTree, path: list[str], sub: MaskTree | None) -> None:
    node = tree
    for name in path[:-1]:
        if name in node and node[name] is None:
            return
        node = node.setdefault(name, {})
    last = path[-1]
    if sub is None or (last in node and node[last] is None):
        node[last] = None
        return
    existing = node.setdefault(last, {})
    for key, value in sub.items():
        _merge(existing, [key], value)


def wants(tree: MaskTree | None, *path: str) -> bool:
    """Whether the mask selects anything at or below ``path``."""
    node: Any = tree
    for name in path:
        if node is None or "*" in node:
            return True
        if name not in node:
            return False
        node = node[name]
    return True


def apply_mask(value: Any, tree: MaskTree | None) -> Any:
    """Keep only the masked fields; absent fields are simply left out, as Google does."""
    if tree is None or "*" in tree:
        return value
    if isinstance(value, list):
        return [apply_mask(item, tree) for item in value]
    if isinstance(value, dict):
        return {key: apply_mask(value[key], sub) for key, sub in tree.items() if key in value}
    return value


def update_with_mask(target: dict[str, Any], source: dict[str, Any], tree: MaskTree | None) -> None:
    """Copy the masked fields from ``source`` into ``target``; masked fields absent from
    ``source`` are cleared (that is how a field mask resets something in Google's API)."""
    if tree is None or "*" in tree:
        target.clear()
        target.update(clone({k: v for k, v in source.items() if v is not None}))
        return
    for key, sub in tree.items():
        if sub is None:
            if source.get(key) is not None:
                target[key] = clone(source[key])
            else:
                target.pop(key, None)
            continue
        src = source.get(key)
        node = target.get(key)
        node = node if isinstance(node, dict) else {}
        update_with_mask(node, src if isinstance(src, dict) else {}, sub)
        if node:
            target[key] = node
        else:
            target.pop(key, None)
