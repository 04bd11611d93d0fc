"""An XML part's elements with their byte offsets, and edits that leave every other byte alone.

``outline`` parses a part with expat (the standard library) and returns its root with the
elements a caller asks about, each knowing where its tags start and end in the part's
bytes. ``Splice`` then makes the new part from the old bytes and a few edits (insert here,
remove that element, set this attribute), so whatever the tool did not edit stays exactly
as staff's program wrote it: no re-serialising, no namespace prefixes renamed, no
attribute reordered.

A part that is not well-formed XML, is not UTF-8, or declares a DOCTYPE raises
``NotUnderstood``: the tool never edits what it cannot read whole.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

__all__ = ["Node", "NotUnderstood", "Splice", "attr_text", "outline", "text"]

# The end of a start tag: '>' outside quoted attribute values.
_TAG_END = re.compile(rb"""(?:[^>"']|"[^"]*"|'[^']*')*>""")


class NotUnderstood(Exception):
    """A part the tool would have to edit holds something it does not understand."""

    def __init__(self, part: str, why: str) -> None:
        super().__init__(f"{part}: {why}")
        self.part = part
        self.why = why


@dataclass(eq=False, slots=True)
class Node:
    """One element: name, attributes, and where its tags sit in the part's bytes."""

    ns: str
    name: str  # local name
    prefix: str  # the prefix the document uses ('' for the default namespace)
    attrs: dict[str, str]  # 'local' for plain attributes, '{ns}local' for namespaced ones
    start: int  # offset of the start tag's '<'
    head_end: int = 0  # offset just after the start tag
    close: int = 0  # offset of the end tag's '<' (== head_end for an empty element)
    end: int = 0  # offset just after the whole element
    children: list[Node] = field(default_factory=list)
    text: str = ""  # character data directly inside (recorded for deep elements only)
    nsmap: dict[str, str] = field(default_factory=dict)  # declarations on this element

    @property
    def empty(self) -> bool:
        return self.close == self.head_end and self.end == self.head_end

    def qname(self, local: str) -> str:
        """A child element's name in this element's namespace, as the document spells it."""
        return f"{self.prefix}:{local}" if self.prefix else local

    def first(self, name: str) -> Node | None:
        return next((c for c in self.children if c.name == name), None)

    def all(self, name: str) -> list[Node]:
        return [c for c in self.children if c.name == name]

    def iter(self) -> Iterator[Node]:
        yield self
        for c in self.children:
            yield from c.iter()

    def get(self, key: str, default: str = "") -> str:
        return self.attrs.get(key, default)

    def deep_text(self) -> str:
        return self.text + "".join(c.deep_text() for c in self.children)


def text(value: str) -> str:
    """Character data, escaped for an element's content."""
    return escape(value)


def attr_text(value: str) -> str:
    """An attribute value in double quotes, escaped (newlines and tabs kept as written)."""
    return '"' + escape(value, _ATTR_ESCAPES) + '"'


_ATTR_ESCAPES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def outline(
    data: bytes,
    part: str,
    *,
    depth: int = 1,
    deep: Collection[str] = (),
    skip: str | None = None,
) -> Node:
    """The root element of `data`, with every element down to `depth` (the root is 0).

    Elements at depth 1 named in `deep` ("*": all of them) are recorded with all their
    descendants and text.
    `skip` names one element at depth 1 (a worksheet's sheetData) whose content is checked
    for well-formedness only, without a Python call per element: big sheets stay cheap.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise NotUnderstood(part, "it is not UTF-8 text")
    if skip is not None:
        span = _skip_span(data, skip)
        if span is not None:
            try:
                return _Outliner(data, part, depth, deep).run(span, skip)
            except _Misaligned:
                pass
    return _Outliner(data, part, depth, deep).run(None, None)


class _Misaligned(Exception):
    pass


def _skip_span(data: bytes, name: str) -> tuple[int, int] | None:
    """Where the content of the first <name> element starts and its end tag begins."""
    m = re.search(rb"<(?:([A-Za-z_][\w.\-]*):)?" + name.encode() + rb"[\s/>]", data)
    if m is None:
        return None
    head = _TAG_END.match(data, m.start())
    if head is None or data[head.end() - 2 : head.end()] == b"/>":
        return None
    prefix = m.group(1)
    closing = b"</" + (prefix + b":" if prefix else b"") + name.encode()
    close = data.find(closing, head.end())
    if close < 0:
        return None
    return head.end(), close


class _Outliner:
    def __init__(self, data: bytes, part: str, depth: int, deep: Collection[str]) -> None:
        self.data = data
        self.part = part
        self.depth = depth
        self.deep = frozenset(deep)
        self.stack: list[Node | None] = []  # None: an element below what is recorded
        self.deep_level = 0  # > 0 inside a deep element
        self.root: Node | None = None
        self.pending_ns: dict[str, str] = {}
        self.parser = self._parser()

    def _parser(self) -> xml.parsers.expat.XMLParserType:
        p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        p.namespace_prefixes = True
        p.buffer_text = True
        p.XmlDeclHandler = self._decl
        p.StartDoctypeDeclHandler = self._doctype
        p.StartNamespaceDeclHandler = self._ns
        self._handlers(p, True)
        return p

    def _handlers(self, p: xml.parsers.expat.XMLParserType, on: bool) -> None:
        p.StartElementHandler = self._start if on else None
        p.EndElementHandler = self._end if on else None
        p.CharacterDataHandler = self._chars if on else None

    def run(self, span: tuple[int, int] | None, skip: str | None) -> Node:
        p = self.parser
        try:
            if span is None:
                p.Parse(self.data, True)
            else:
                # Three feeds: up to the skipped element's content, its content with no
                # handlers (expat still checks it), then the rest. Any surprise at either
                # seam (a comment or CDATA in the way) means the plain parse instead.
                inner, close = span
                p.Parse(self.data[:inner], False)
                top = self.stack[-1] if len(self.stack) == 2 else None
                if top is None or top.name != skip or top.head_end != inner:
                    raise _Misaligned
                self._handlers(p, False)
                p.StartNamespaceDeclHandler = None
                p.CommentHandler = self._misaligned
                p.StartCdataSectionHandler = self._misaligned
                p.ProcessingInstructionHandler = self._misaligned
                p.Parse(self.data[inner:close], False)
                p.CommentHandler = p.StartCdataSectionHandler = None
                p.ProcessingInstructionHandler = None
                p.StartNamespaceDeclHandler = self._ns
                self._handlers(p, True)
                self.expect_close = close
                p.Parse(self.data[close:], True)
        except xml.parsers.expat.ExpatError as exc:
            raise NotUnderstood(self.part, f"it is not well-formed XML ({exc})") from None
        if self.root is None:
            raise NotUnderstood(self.part, "it holds no XML element")
        return self.root

    expect_close: int | None = None

    def _misaligned(self, *_: object) -> None:
        raise _Misaligned

    def _decl(self, version: str, encoding: str | None, standalone: int) -> None:
        if encoding is not None and encoding.lower().replace("_", "-") not in ("utf-8", "utf8"):
            raise NotUnderstood(self.part, f"it is encoded as {encoding}, not UTF-8")

    def _doctype(self, *_: object) -> None:
        raise NotUnderstood(self.part, "it declares a DOCTYPE")

    def _ns(self, prefix: str | None, uri: str) -> None:
        self.pending_ns[prefix or ""] = uri

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        if self.expect_close is not None:
            raise _Misaligned
        level = len(self.stack)
        parent = self.stack[-1] if self.stack else None
        record = level == 0 or (parent is not None and (level <= self.depth or self.deep_level > 0))
        if not record:
            self.stack.append(None)
            self.pending_ns = {}
            return
        node = _make_node(name, attrs, self.parser.CurrentByteIndex)
        node.nsmap, self.pending_ns = self.pending_ns, {}
        head = _TAG_END.match(self.data, node.start)
        assert head is not None  # expat has just read this tag
        node.head_end = head.end()
        if parent is None:
            self.root = node
        else:
            parent.children.append(node)
        if self.deep_level > 0 or (level == 1 and (node.name in self.deep or "*" in self.deep)):
            self.deep_level += 1
        self.stack.append(node)

    def _end(self, name: str) -> None:
        node = self.stack.pop()
        if self.expect_close is not None:
            if (
                node is None
                or len(self.stack) != 1
                or self.parser.CurrentByteIndex != self.expect_close
            ):
                raise _Misaligned
            self.expect_close = None
        if node is None:
            return
        if self.deep_level > 0:
            self.deep_level -= 1
        if self.data[node.head_end - 2 : node.head_end] == b"/>":
            node.close = node.end = node.head_end
        else:
            node.close = self.parser.CurrentByteIndex
            node.end = self.data.index(b">", node.close) + 1

    def _chars(self, data: str) -> None:
        if self.deep_level > 0 and self.stack and self.stack[-1] is not None:
            self.stack[-1].text += data


def _make_node(name: str, attrs: dict[str, str], start: int) -> Node:
    parts = name.split(" ")
    ns, local, prefix = [*parts, "", ""][:3] if len(parts) > 1 else ("", parts[0], "")
    plain: dict[str, str] = {}
    for key, value in attrs.items():
        bits = key.split(" ")
        plain[bits[0] if len(bits) == 1 else f"{{{bits[0]}}}{bits[1]}"] = value
    return Node(ns, local, prefix, plain, start)


class Splice:
    """A new part made of the old bytes and a few edits; nothing else changes."""

    def __init__(self, data: bytes, part: str) -> None:
        self.data = data
        self.part = part
        self._edits: list[tuple[int, int, int, bytes]] = []  # start, end, order, new bytes
        self._opened: dict[int, int] = {}  # id of an empty element opened up -> its edit
        self._closes: dict[int, bytes] = {}  # that edit -> the end tag it added

    def __bool__(self) -> bool:
        return bool(self._edits)

    def replace(self, start: int, end: int, new: str | bytes) -> None:
        raw = new.encode("utf-8") if isinstance(new, str) else new
        self._edits.append((start, end, len(self._edits), raw))

    def insert(self, at: int, new: str | bytes) -> None:
        self.replace(at, at, new)

    def add_child(self, parent: Node, at: int, new: str) -> None:
        """Insert `new` at offset `at` inside `parent` (which may be an empty element)."""
        if parent.empty:
            self.append(parent, new)
        else:
            self.insert(at, new)

    def remove(self, node: Node) -> None:
        self.replace(node.start, node.end, b"")

    def append(self, node: Node, new: str) -> None:
        """Add content at the end of `node` (opening it up if it is an empty element)."""
        if node.empty:
            # An empty element is opened once; later additions go before its new end tag.
            opened = self._opened.get(id(node))
            if opened is not None:
                start, end, order, body, close = self._edits[opened] + (self._closes[opened],)
                self._edits[opened] = (
                    start,
                    end,
                    order,
                    body[: -len(close)] + new.encode() + close,
                )
                return
            close = ("</" + (f"{node.prefix}:" if node.prefix else "") + node.name + ">").encode()
            self._opened[id(node)] = len(self._edits)
            self._closes[len(self._edits)] = close
            self.replace(node.head_end - 2, node.head_end, b">" + new.encode() + close)
        else:
            self.insert(node.close, new)

    def set_attr(self, node: Node, name: str, value: str) -> None:
        """Set a plain attribute in `node`'s start tag, leaving the rest of the tag as it was."""
        head = self.data[node.start : node.head_end]
        m = re.search(rb"\s" + re.escape(name.encode()) + rb"""\s*=\s*("[^"]*"|'[^']*')""", head)
        new = attr_text(value).encode("utf-8")
        if m is not None:
            self.replace(node.start + m.start(1), node.start + m.end(1), new)
        else:
            cut = len(head) - (2 if head.endswith(b"/>") else 1)
            self.insert(node.start + cut, b" " + name.encode() + b"=" + new)

    def result(self) -> bytes:
        edits = sorted(self._edits, key=lambda e: (e[0], e[1], e[2]))
        out: list[bytes] = []
        pos = 0
        for start, end, _, new in edits:
            if start < pos:
                raise NotUnderstood(self.part, "two edits overlap (a bug in kspo-sheets)")
            out.append(self.data[pos:start])
            out.append(new)
            pos = end
        out.append(self.data[pos:])
        return b"".join(out)


MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _rank(child: Node, order: tuple[str, ...]) -> int | None:
    if child.name in order:
        return order.index(child.name)
    if child.ns == MC_NS and child.name == "AlternateContent":
        # Excel wraps newer forms of an element (controls, OLE objects) in mc:AlternateContent:
        # it stands where the element it wraps would.
        for alternative in child.children:
            for inner in alternative.children:
                if inner.name in order:
                    return order.index(inner.name)
    return None


def slot(parent: Node, name: str, order: tuple[str, ...], part: str) -> int:
    """Where a new child `name` goes among `parent`'s children, by the schema's `order`:
    after every child that comes before it or with it, before the first that comes after.

    An element `order` does not name, in the stretch where the new one would go, raises
    NotUnderstood: the tool cannot tell which side of it the new element belongs.
    """
    rank = order.index(name)
    unknown: Node | None = None
    for child in parent.children:
        r = _rank(child, order)
        if r is None:
            unknown = unknown or child
            continue
        if r > rank:
            break
        unknown = None
    else:
        child = None
    if unknown is not None:
        raise NotUnderstood(part, f"a <{unknown.name}> element stands where <{name}> would go")
    return child.start if child is not None else parent.close
