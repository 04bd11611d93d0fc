"""Parse a JSON answer as it arrives, handing over the items of one deep array one by one.

A spreadsheet near Google's 10-million-cell limit comes back from ``spreadsheets.get``
as gigabytes of JSON. ``json.loads`` needs the whole text (twice over: bytes, then a str
that is two bytes a character once any Thai is in it) and then builds a dict for every
cell, all at once: three to four times the answer's size. Here only the skeleton is
walked in Python (the keys down to ``rowData``); each row is parsed by the C scanner of
the standard ``json`` module, passed to a callback, and dropped. Memory stays at a window
of the text plus whatever the callback keeps; speed stays at ``json.loads``'s.

No third-party parser is needed for this: ``json.JSONDecoder.raw_decode`` parses one value
at a time from a position in a string, which is all the walker asks of it.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

WINDOW = 1 << 20  # characters asked of the stream at a time
LONGEST = 1 << 28  # characters one value may take before the text is called malformed
_WS = " \t\n\r"
_NUMBER_CHARS = "0123456789.eE+-"
_DECODER = json.JSONDecoder()
_scan = _DECODER.raw_decode

# ("sheets", "*", "data", "*", "rowData", "*"): keys, or "*" for every item of an array
Path = tuple[str, ...]
OnItem = Callable[[tuple[int, ...], Any, tuple[dict[str, Any], ...]], None]


class Truncated(ValueError):
    """The answer ended in the middle of a value."""


class _Text:
    """A window on the decoded text of a stream of byte chunks."""

    __slots__ = ("buf", "chunks", "decoder", "done", "pos")

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self.chunks: Iterator[bytes] = iter(chunks)
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.buf = ""
        self.pos = 0
        self.done = False

    def more(self) -> bool:
        """Append the next piece of text; False when the stream has ended."""
        if self.done:
            return False
        parts: list[str] = []
        size = 0
        while size < WINDOW:
            chunk = next(self.chunks, None)
            if chunk is None:
                parts.append(self.decoder.decode(b"", final=True))
                self.done = True
                break
            text = self.decoder.decode(chunk)
            parts.append(text)
            size += len(text)
        rest = self.buf[self.pos :] if self.pos < len(self.buf) else ""
        self.buf = rest + "".join(parts)
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next non-blank character ('' at the end of the text)."""
        while True:
            buf, pos = self.buf, self.pos
            n = len(buf)
            while pos < n and buf[pos] in _WS:
                pos += 1
            self.pos = pos
            if pos < n:
                return buf[pos]
            if not self.more():
                return ""

    def expect(self, char: str) -> None:
        got = self.peek()
        if got != char:
            self._fail(f"expected {char!r}")
        self.pos += 1

    def value(self) -> Any:
        """One whole JSON value from here (the C scanner does the work)."""
        if not self.peek():
            raise Truncated("the answer ended where a value was due")
        while True:
            try:
                value, end = _scan(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos < LONGEST and self.more():
                    continue  # the value runs past the window: widen it and try again
                if self.done:
                    raise Truncated("the answer ended in the middle of a value") from None
                raise ValueError(f"malformed JSON: {exc.msg}") from None
            # A number may go on in the next piece ("1" of "12", "0" of "0.5", "1e" of
            # "1e-3"): when nothing but number characters follow it to the window's end,
            # widen the window and parse it again.
            if (
                not self.done
                and type(value) in (int, float)
                and end + 32 >= len(self.buf)
                and not self.buf[end:].lstrip(_NUMBER_CHARS)
                and self.more()
            ):
                continue
            self.pos = end
            return value

    def _fail(self, what: str) -> None:
        if not self.peek() and self.done:
            raise Truncated("the answer ended early")
        near = self.buf[self.pos : self.pos + 40]
        raise ValueError(f"malformed JSON: {what} near {near!r}")


def _open(text: _Text, opening: str, closing: str) -> bool:
    """Step into an object or array; False when it is empty (and already stepped over)."""
    text.expect(opening)
    if text.peek() == closing:
        text.pos += 1
        return False
    return True


def _closed(text: _Text, closing: str) -> bool:
    """After a member or item: True at the end of its object or array, False at a comma."""
    sep = text.peek()
    if sep == closing:
        text.pos += 1
        return True
    if sep != ",":
        text._fail(f"expected ',' or {closing!r}")
    text.pos += 1
    return False


def _members(text: _Text) -> Iterator[str]:
    """The keys of the object that starts here; the caller consumes each value."""
    if not _open(text, "{", "}"):
        return
    while True:
        key = text.value()
        if not isinstance(key, str):
            text._fail("expected a key")
        text.expect(":")
        yield key
        if _closed(text, "}"):
            return


def _items(text: _Text) -> Iterator[int]:
    """The indexes of the array that starts here; the caller consumes each item."""
    if not _open(text, "[", "]"):
        return
    i = 0
    while True:
        yield i
        i += 1
        if _closed(text, "]"):
            return


def _walk(
    text: _Text,
    path: Path,
    at: tuple[int, ...],
    on_item: OnItem,
    parents: tuple[dict[str, Any], ...],
) -> Any:
    """The value here; along `path`, items of the last array go to `on_item` instead."""
    step = path[0]
    rest = path[1:]
    char = text.peek()
    if step == "*":
        if char != "[":
            return text.value()
        out: list[Any] = []
        for i in _items(text):
            if rest:
                out.append(_walk(text, rest, (*at, i), on_item, parents))
            else:
                on_item((*at, i), text.value(), parents)
        return out if rest else None
    if char != "{":
        return text.value()
    obj: dict[str, Any] = {}
    for key in _members(text):
        if key == step:
            value = _walk(text, rest, at, on_item, (*parents, obj))
            if value is not None:
                obj[key] = value
        else:
            obj[key] = text.value()
    return obj


def parse_stream(chunks: Iterable[bytes], path: Path, on_item: OnItem) -> Any:
    """The JSON document in `chunks`, with the items at `path` passed to `on_item`.

    `on_item` gets the array indexes along the path (one per "*"), the item, and the
    objects along the path as far as they have been read (keys that came before the
    streamed array are in them; keys after it are not yet). The returned document has the arrays along the path (their non-streamed items kept) and
    no entry for the streamed array itself. Raises ValueError (`Truncated` when the text
    ended early) on malformed input.
    """
    text = _Text(chunks)
    doc = _walk(text, path, (), on_item, ())
    if text.peek():
        text._fail("unexpected text after the answer")
    return doc
