"""Drive v3's search language (the ``q`` of files.list), the part tools use: comparisons
on name, mimeType, trashed and times, ``'ID' in parents``, ``appProperties has { key='k'
and value='v' }`` (and ``properties``), joined with and / or / not and parentheses.
Strings take single or double quotes with backslash escapes. Anything else is Google's
400 "Invalid Value" on the q parameter."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<op>!=|<=|>=|=|<|>|\{|\}|\(|\))
      | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE,
)

Match = Callable[[dict[str, Any]], bool]


class QueryError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise QueryError(text[pos:])
        pos = m.end()
        if m.group("str") is not None:
            raw = m.group("str")[1:-1]
            out.append(("str", re.sub(r"\\(.)", r"\1", raw)))
        elif m.group("op") is not None:
            out.append(("op", m.group("op")))
        else:
            out.append(("word", m.group("word")))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, kind: str | None = None, value: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (kind and tok[0] != kind) or (value and tok[1].lower() != value):
            raise QueryError(f"expected {value or kind}")
        self.i += 1
        return tok[1]

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok is not None and tok[0] == "word" and tok[1].lower() == word:
            self.i += 1
            return True
        return False

    def expr(self) -> Match:
        parts = [self.term()]
        while self.keyword("or"):
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else (lambda f: any(p(f) for p in parts))

    def term(self) -> Match:
        parts = [self.factor()]
        while self.keyword("and"):
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else (lambda f: all(p(f) for p in parts))

    def factor(self) -> Match:
        if self.keyword("not"):
            inner = self.factor()
            return lambda f: not inner(f)
        tok = self.peek()
        if tok == ("op", "("):
            self.take()
            inner = self.expr()
            self.take("op", ")")
            return inner
        if tok is not None and tok[0] == "str":
            value = self.take()
            self.take("word", "in")
            field = self.take("word")
            if field not in ("parents", "owners", "writers", "readers"):
                raise QueryError(field)
            return lambda f: value in (f.get(field) or [])
        field = self.take("word")
        if self.keyword("has"):
            if field not in ("appProperties", "properties"):
                raise QueryError(field)
            self.take("op", "{")
            self.take("word", "key")
            self.take("op", "=")
            key = self.take("str")
            self.take("word", "and")
            self.take("word", "value")
            self.take("op", "=")
            value = self.take("str")
            self.take("op", "}")
            return lambda f: (f.get(field) or {}).get(key) == value
        if self.keyword("contains"):
            text = self.take("str")
            return lambda f: text.lower() in str(f.get(field, "")).lower()
        op = self.take("op")
        tok = self.peek()
        if tok is not None and tok[0] == "word" and tok[1] in ("true", "false"):
            self.take()
            wanted: Any = tok[1] == "true"
        else:
            wanted = self.take("str")
        if field not in ("name", "mimeType", "trashed", "createdTime", "modifiedTime", "starred"):
            raise QueryError(field)
        compare = {
            "=": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
        }.get(op)
        if compare is None:
            raise QueryError(op)
        return lambda f: bool(compare(f.get(field), wanted))


def parse_query(text: str) -> Match:
    """A predicate over a file's fields (as a dict of the resource); QueryError if invalid."""
    if not text.strip():
        return lambda f: True
    parser = _Parser(text)
    match = parser.expr()
    if parser.peek() is not None:
        raise QueryError("trailing text")
    return match
