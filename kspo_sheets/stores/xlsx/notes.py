"""The tool's notes on staff cells: a sheet's comments part and its legacy (VML) drawing.

Excel keeps a sheet's notes in two parts: the comments part (authors and text) and a VML
drawing with one shape per note (where the box sits, whether it shows, its size and
colour). The tool's notes are the comments whose author is kspo-sheets and the note
shapes anchored on their cells. An edit removes those, adds the new ones, and leaves
every other comment and shape as it was: staff notes pinned visible, resized, coloured
or threaded, form buttons and checkboxes drawn in the same VML part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kspo_sheets.stores.base import MARKER
from kspo_sheets.stores.xlsx.outline import Node, NotUnderstood, Splice, attr_text, outline, text
from kspo_sheets.stores.xlsx.owned import cell_text, column_letters
from kspo_sheets.stores.xlsx.package import MAIN_NS
from kspo_sheets.stores.xlsx.read import cell_ref

V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
X_NS = "urn:schemas-microsoft-com:office:excel"
_SHAPE_ID = re.compile(r"_x0000_s(\d+)$")
BLOCK = 1024  # VML shape ids come in blocks of 1024, named by the drawing's o:idmap

Cell = tuple[int, int]  # 1-based row, 0-based column


@dataclass
class NotesResult:
    comments: bytes | None  # the new comments part (None: unchanged)
    vml: bytes | None  # the new drawing part (None: unchanged)
    written: set[Cell] = field(default_factory=set)  # cells that carry the tool's note now
    removed: int = 0  # the tool's earlier notes taken away
    staff: set[Cell] = field(default_factory=set)  # cells whose note is staff's (left alone)


def new_comments() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<comments xmlns="{MAIN_NS}"><authors/><commentList/></comments>'
    ).encode()


def new_vml(blocks: list[int]) -> bytes:
    data = ",".join(str(b) for b in blocks)
    return (
        f'<xml xmlns:v="{V_NS}" xmlns:o="{O_NS}" xmlns:x="{X_NS}">'
        f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{data}"/></o:shapelayout>'
        f"{_shapetype('v', 'o')}</xml>"
    ).encode()


def _shapetype(v: str, o: str) -> str:
    return (
        f'<{v}:shapetype id="_x0000_t202" coordsize="21600,21600" {o}:spt="202" '
        'path="m,l,21600r21600,l21600,xe">'
        f'<{v}:stroke joinstyle="miter"/><{v}:path gradientshapeok="t" {o}:connecttype="rect"/>'
        f"</{v}:shapetype>"
    )


def blocks_of(vml: bytes) -> set[int]:
    """The shape-id blocks a VML drawing claims (o:idmap data="1,2"), read leniently."""
    out: set[int] = set()
    for m in re.finditer(rb"""idmap[^>]*?\sdata\s*=\s*["']([^"']*)["']""", vml):
        for bit in m.group(1).split(b","):
            if bit.strip().isdigit():
                out.add(int(bit))
    return out


class Notes:
    """Edits one sheet's comments and VML parts for the tool's notes."""

    def __init__(
        self,
        comments: bytes,
        comments_part: str,
        vml: bytes,
        vml_part: str,
        taken_blocks: set[int],
    ) -> None:
        self.c_part, self.v_part = comments_part, vml_part
        self.c_root = outline(comments, comments_part, deep={"authors", "commentList"})
        if self.c_root.ns != MAIN_NS or self.c_root.name != "comments":
            raise NotUnderstood(comments_part, "it is not a SpreadsheetML comments part")
        odd = [
            c.name
            for c in self.c_root.children
            if c.name not in ("authors", "commentList", "extLst")
        ]
        if odd:
            raise NotUnderstood(comments_part, f"it holds a <{odd[0]}> element")
        self.v_root = outline(vml, vml_part, deep={"*"})
        self.c_splice = Splice(comments, comments_part)
        self.v_splice = Splice(vml, vml_part)
        self.taken_blocks = taken_blocks

    def apply(self, notes: dict[Cell, str]) -> NotesResult:
        """Put `notes` (cell -> text) on the sheet, replacing the tool's earlier ones."""
        authors = self.c_root.first("authors")
        clist = self.c_root.first("commentList")
        if authors is None or clist is None:
            raise NotUnderstood(self.c_part, "it has no authors or comment list")
        names = [a.deep_text() for a in authors.children if a.name == "author"]
        ours = {i for i, n in enumerate(names) if n == MARKER}
        result = NotesResult(None, None)
        removed: set[Cell] = set()
        staff: list[tuple[Cell, Node]] = []
        for node in clist.children:
            if node.name != "comment":
                raise NotUnderstood(self.c_part, f"its comment list holds a <{node.name}> element")
            try:
                cell = cell_ref(node.get("ref"))
                author = int(node.get("authorId", "-1") or -1)
            except ValueError:
                raise NotUnderstood(self.c_part, f"a comment sits on {node.get('ref')!r}") from None
            if author in ours:
                self.c_splice.remove(node)
                removed.add(cell)
            else:
                staff.append((cell, node))
        result.staff = {c for c, _ in staff}
        result.removed = len(removed)
        wanted = {c: t for c, t in notes.items() if c not in result.staff}
        if wanted:
            if ours:
                author = min(ours)
            else:
                author = len(names)
                self.c_splice.append(
                    authors, f"<{authors.qname('author')}>{MARKER}</{authors.qname('author')}>"
                )
            self._add_comments(clist, staff, wanted, author)
        self._edit_vml(removed, wanted)
        result.written = set(wanted)
        if self.c_splice:
            result.comments = self.c_splice.result()
        if self.v_splice:
            result.vml = self.v_splice.result()
        return result

    def _add_comments(
        self, clist: Node, staff: list[tuple[Cell, Node]], wanted: dict[Cell, str], author: int
    ) -> None:
        """Each new comment goes where Excel would keep it: in row, then column, order."""
        q = clist.qname
        at_end: list[str] = []
        order = sorted(staff, key=lambda s: (s[0][0], s[0][1]))
        for cell in sorted(wanted, key=lambda c: (c[0], c[1])):
            body = cell_text(wanted[cell])
            xml = (
                f'<{q("comment")} ref="{column_letters(cell[1])}{cell[0]}" authorId="{author}">'
                f'<{q("text")}><{q("t")} xml:space="preserve">{text(body)}</{q("t")}></{q("text")}>'
                f"</{q('comment')}>"
            )
            after = next((n for c, n in order if (c[0], c[1]) > (cell[0], cell[1])), None)
            if after is None:
                at_end.append(xml)
            else:
                self.c_splice.insert(after.start, xml)
        if at_end:
            self.c_splice.append(clist, "".join(at_end))

    def _edit_vml(self, removed: set[Cell], wanted: dict[Cell, str]) -> None:
        root = self.v_root
        used: set[int] = set()
        layout: Node | None = None
        has_type = False
        shapes = 0
        for node in root.children:
            if node.ns == O_NS and node.name == "shapelayout":
                layout = node
            if node.ns == V_NS and node.name == "shapetype":
                has_type |= node.get("id") == "_x0000_t202" or node.get(f"{{{O_NS}}}spt") == "202"
            if node.ns == V_NS and node.name == "shape":
                cell = _note_cell(node)
                if cell is not None and cell in removed:
                    self.v_splice.remove(node)
                    continue  # its id is free again: the same notes get the same ids next run
                shapes += 1
            for inner in node.iter():
                for key in ("id", f"{{{O_NS}}}spid"):
                    m = _SHAPE_ID.match(inner.get(key))
                    if m:
                        used.add(int(m.group(1)))
        if not wanted:
            return
        prefixes = {uri: p for p, uri in root.nsmap.items() if p}
        local = not all(ns in prefixes for ns in (V_NS, O_NS, X_NS))
        v, o, x = ("v", "o", "x") if local else (prefixes[V_NS], prefixes[O_NS], prefixes[X_NS])
        decl = f' xmlns:v="{V_NS}" xmlns:o="{O_NS}" xmlns:x="{X_NS}"' if local else ""
        idmap = next((c for c in layout.children if c.name == "idmap"), None) if layout else None
        blocks = sorted(blocks_of(self.v_splice.data[idmap.start : idmap.end])) if idmap else []
        free = [n for b in blocks for n in range(b * BLOCK + 1, (b + 1) * BLOCK) if n not in used]
        grown = list(blocks)
        while len(free) < len(wanted):
            b = max([0, *self.taken_blocks, *grown]) + 1
            grown.append(b)
            free.extend(range(b * BLOCK + 1, (b + 1) * BLOCK))
        if grown != blocks:
            data = ",".join(str(b) for b in grown)
            if idmap is not None:
                self.v_splice.set_attr(idmap, "data", data)
            else:
                first = root.children[0].start if root.children else root.close
                self.v_splice.insert(
                    first,
                    f'<{o}:shapelayout{decl} {v}:ext="edit"><{o}:idmap {v}:ext="edit" data="{data}"/>'
                    f"</{o}:shapelayout>",
                )
        self.taken_blocks.update(grown)
        out = (
            []
            if has_type
            else [_shapetype(v, o).replace(f"<{v}:shapetype", f"<{v}:shapetype{decl}", 1)]
        )
        for k, cell in enumerate(sorted(wanted, key=lambda c: (c[0], c[1]))):
            out.append(_shape(free[k], cell, shapes + k + 1, v, o, x, decl))
        if root.empty:
            self.v_splice.append(root, "".join(out))
        else:
            self.v_splice.insert(root.close, "".join(out))


def _note_cell(shape: Node) -> Cell | None:
    """The cell a note shape belongs to (None for buttons, checkboxes and other shapes)."""
    for node in shape.iter():
        if node.ns == X_NS and node.name == "ClientData":
            if node.get("ObjectType") != "Note":
                return None
            row = next((c.deep_text() for c in node.children if c.name == "Row"), "")
            col = next((c.deep_text() for c in node.children if c.name == "Column"), "")
            try:
                return int(row.strip()) + 1, int(col.strip())
            except ValueError:
                return None
    return None


def _shape(n: int, cell: Cell, z: int, v: str, o: str, x: str, decl: str) -> str:
    """A hidden note box, about 240 x 90 points, beside its cell (shown when pointed at)."""
    row0, col = cell[0] - 1, cell[1]
    top = max(row0 - 1, 0)
    anchor = f"{col + 1}, 15, {top}, 2, {col + 4}, 15, {top + 5}, 16"
    return (
        f'<{v}:shape{decl} id="_x0000_s{n}" type="#_x0000_t202" '
        f"style={attr_text(f'position:absolute;margin-left:{60 + 48 * col}pt;margin-top:{2 + 15 * top}pt;width:240pt;height:90pt;z-index:{z};visibility:hidden')} "
        f'fillcolor="#ffffe1" {o}:insetmode="auto">'
        f'<{v}:fill color2="#ffffe1"/><{v}:shadow on="t" color="black" obscured="t"/>'
        f'<{v}:path {o}:connecttype="none"/>'
        f'<{v}:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></{v}:textbox>'
        f'<{x}:ClientData ObjectType="Note"><{x}:MoveWithCells/><{x}:SizeWithCells/>'
        f"<{x}:Anchor>{anchor}</{x}:Anchor><{x}:AutoFill>False</{x}:AutoFill>"
        f"<{x}:Row>{row0}</{x}:Row><{x}:Column>{col}</{x}:Column></{x}:ClientData>"
        f"</{v}:shape>"
    )
