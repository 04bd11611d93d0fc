"""Writing answers as Google does (two-space indented JSON), in pieces.

``json.dumps(indent=2)`` runs the pure-Python encoder and needs the whole answer as one
object and one string; a spreadsheet near Google's 10-million-cell limit makes a
gigabytes-long answer. :func:`write_json` gives the same bytes, several times faster, and
hands them over in chunks; a :class:`LazyList` in the tree is made item by item while it
is written, so a whole grid never exists in memory at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from json.encoder import encode_basestring
from typing import Any

_INF = float("inf")
CHUNK_PARTS = 65536  # pieces gathered before they are joined, encoded and handed on


class Chunked(dict[str, Any]):
    """An answer to send in chunks as it is written: it holds LazyLists, made on the way."""


class LazyList:
    """A JSON array whose items are made only when it is iterated (while being written)."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError

    def empty(self) -> bool:
        return next(iter(self), None) is None


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INF:
        return "Infinity"
    if value == -_INF:
        return "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return f'"{int.__repr__(key)}"'
    if isinstance(key, float):
        return f'"{_float(key)}"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _scalar(value: Any) -> str | None:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return _float(value)
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    return None


class _Out:
    def __init__(self, write: Callable[[bytes], None], *, pretty: bool = True) -> None:
        self.parts: list[str] = []
        self.write = write
        # prettyPrint=false: no line breaks or indentation, no space after the colon
        self.step = "  " if pretty else ""
        self.colon = ": " if pretty else ":"

    def flush(self) -> None:
        if self.parts:
            self.write("".join(self.parts).encode("utf-8"))
            self.parts.clear()

    def value(self, value: Any, nl: str) -> None:
        parts = self.parts
        kind = type(value)
        if kind is dict:
            if not value:
                parts.append("{}")
                return
            inner = nl + self.step
            sep = "{" + inner
            for key, item in value.items():
                text = _scalar(item)
                if text is None:
                    parts.append(f"{sep}{_key(key)}{self.colon}")
                    self.value(item, inner)
                else:
                    parts.append(f"{sep}{_key(key)}{self.colon}{text}")
                sep = "," + inner
            parts.append(nl + "}")
            return
        if kind is list or kind is tuple:
            if not value:
                parts.append("[]")
                return
            inner = nl + self.step
            sep = "[" + inner
            for item in value:
                text = _scalar(item)
                if text is None:
                    parts.append(sep)
                    self.value(item, inner)
                else:
                    parts.append(sep + text)
                sep = "," + inner
            parts.append(nl + "]")
            return
        if isinstance(value, LazyList):
            inner = nl + self.step
            sep = "[" + inner
            for item in value:
                parts.append(sep)
                self.value(item, inner)
                sep = "," + inner
                if len(parts) > CHUNK_PARTS:
                    self.flush()
            parts.append("[]" if sep[0] == "[" else nl + "]")
            return
        text = _scalar(value)
        if text is None:
            if isinstance(value, dict):
                self.value(dict(value), nl)
                return
            if isinstance(value, list | tuple):
                self.value(list(value), nl)
                return
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
        parts.append(text)


def write_json(value: Any, write: Callable[[bytes], None], *, pretty: bool = True) -> None:
    """Write ``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` would, in chunks
    (with ``pretty=False``, as ``separators=(",", ":")`` would: Google's prettyPrint=false)."""
    out = _Out(write, pretty=pretty)
    out.value(value, "\n" if pretty else "")
    out.flush()


def dumps(value: Any, *, pretty: bool = True) -> bytes:
    """The whole answer as UTF-8 bytes."""
    chunks: list[bytes] = []
    write_json(value, chunks.append, pretty=pretty)
    return b"".join(chunks)


def materialise(value: Any) -> Any:
    """``value`` with every LazyList made into a plain list."""
    if isinstance(value, LazyList):
        return [materialise(v) for v in value]
    if isinstance(value, dict):
        return {k: materialise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [materialise(v) for v in value]
    return value
