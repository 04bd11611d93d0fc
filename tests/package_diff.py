"""How a workbook's package changed: which parts, and whether only by the tool's own elements.

Written apart from the store's patcher (ElementTree, not its byte-offset outline), so a
test that uses it checks the patcher rather than agreeing with it. `tool_only_changes`
returns what it finds wrong: parts gone, order changed, a staff part altered, or a
touched XML part that differs from the original by more than kspo-sheets' elements.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import unquote

MARKER = "kspo-sheets"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
V = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
X = "urn:schemas-microsoft-com:office:excel"
STYLE_LISTS = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "dxfs")


def parts(path: Path) -> tuple[list[str], dict[str, bytes]]:
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        return names, {n: z.read(n) for n in names}


def _resolve(source: str, target: str) -> str:
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def _source_of(rels: str) -> str:
    folder, name = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def _drop(root: ET.Element, keep) -> None:  # type: ignore[no-untyped-def]
    for parent in root.iter():
        for child in list(parent):
            if not keep(child):
                parent.remove(child)


def _canon(root: ET.Element) -> bytes:
    return ET.canonicalize(ET.tostring(root), strip_text=False).encode()


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def tool_only_changes(before: Path, after: Path) -> list[str]:
    """What changed between the two packages other than kspo-sheets' own additions."""
    old_names, old = parts(before)
    new_names, new = parts(after)
    problems: list[str] = []
    if len(new_names) != len(set(new_names)):
        problems.append("two zip entries have the same name")
    if [n for n in new_names if n in old] != old_names:
        problems.append("the original parts are missing or out of order")
    added = {n.lower() for n in new_names if n not in old}
    for name in old_names:
        if name not in new or new[name] == old[name]:
            continue
        try:
            a, b = ET.fromstring(old[name]), ET.fromstring(new[name])
        except ET.ParseError as exc:
            problems.append(f"{name}: not XML after the write ({exc})")
            continue
        if a.tag == _q(MAIN, "styleSheet"):
            trim_styles_to(a, b)
        else:
            a = _strip(name, a, old, added, _tool_note_cells(old))
            b = _strip(name, b, new, added, _tool_note_cells(new))
        if _canon(a) != _canon(b):
            problems.append(f"{name}: differs by more than the tool's elements")
    return problems


def _get(pkg: dict[str, bytes], name: str) -> bytes | None:
    """A part by name; part names are case-insensitive (Sheet1.xml, _rels/sheet1.xml.rels)."""
    if name in pkg:
        return pkg[name]
    return next((v for k, v in pkg.items() if k.lower() == name.lower()), None)


def _rels_of(pkg: dict[str, bytes], part: str) -> list[ET.Element]:
    rels = _get(
        pkg, posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    )
    return list(ET.fromstring(rels)) if rels is not None else []


def _tool_note_cells(pkg: dict[str, bytes]) -> dict[str, set[tuple[int, int]]]:
    """VML part -> the (0-based row, column) of each note kspo-sheets wrote on that sheet."""
    out: dict[str, set[tuple[int, int]]] = {}
    for name in pkg:
        if not name.endswith(".xml") or b"<worksheet" not in pkg[name][:600]:
            continue
        rels = _rels_of(pkg, name)
        comments = [
            _resolve(name, r.get("Target", ""))
            for r in rels
            if r.get("Type", "").endswith("/comments")
        ]
        vmls = [
            _resolve(name, r.get("Target", ""))
            for r in rels
            if r.get("Type", "").endswith("/vmlDrawing")
        ]
        data = _get(pkg, comments[0]) if comments and vmls else None
        if data is None:
            continue
        root = ET.fromstring(data)
        authors = root.find(_q(MAIN, "authors"))
        ours = {
            str(i)
            for i, a in enumerate(authors if authors is not None else [])
            if (a.text or "") == MARKER
        }
        cells = set()
        for c in root.iter(_q(MAIN, "comment")):
            if c.get("authorId") in ours:
                m = re.match(r"([A-Z]+)(\d+)$", c.get("ref", ""))
                assert m
                col = 0
                for ch in m.group(1):
                    col = col * 26 + ord(ch) - 64
                cells.add((int(m.group(2)) - 1, col - 1))
        for v in vmls:
            out.setdefault(v.lower(), set()).update(cells)
    return out


def _note_at(shape: ET.Element) -> tuple[int, int] | None:
    data = shape.find(_q(X, "ClientData"))
    if data is None or data.get("ObjectType") != "Note":
        return None
    return int(data.findtext(_q(X, "Row"), "-1")), int(data.findtext(_q(X, "Column"), "-1"))


def _strip(
    name: str,
    root: ET.Element,
    pkg: dict[str, bytes],
    added: set[str],
    notes: dict[str, set[tuple[int, int]]],
) -> ET.Element:
    """`root` without what the tool adds to a part of this kind."""
    if root.tag == _q(CT, "Types"):
        _drop(root, lambda c: (c.get("PartName") or "").lstrip("/").lower() not in added)
    elif root.tag == _q(PKG, "Relationships"):
        source = _source_of(name)
        _drop(
            root,
            lambda c: (
                c.get("TargetMode") == "External"
                or _resolve(source, c.get("Target", "")).lower() not in added
            ),
        )
    elif root.tag == _q(MAIN, "workbook"):
        _strip_workbook(name, root, pkg, added)
    elif root.tag == _q(MAIN, "worksheet"):
        _drop(
            root,
            lambda c: (
                not (
                    c.tag == _q(MAIN, "conditionalFormatting")
                    and all(MARKER in (f.text or "") for f in c.iter(_q(MAIN, "formula")))
                )
            ),
        )
        _drop(
            root,
            lambda c: not (c.tag == _q(MAIN, "legacyDrawing") and _points_at(name, c, pkg, added)),
        )
    elif root.tag == _q(MAIN, "comments"):
        authors = root.find(_q(MAIN, "authors"))
        ours = {
            str(i)
            for i, a in enumerate(authors if authors is not None else [])
            if (a.text or "") == MARKER
        }
        _drop(root, lambda c: not (c.tag == _q(MAIN, "comment") and c.get("authorId") in ours))
        _drop(root, lambda c: not (c.tag == _q(MAIN, "author") and (c.text or "") == MARKER))
    elif root.tag == "xml":  # a VML drawing
        cells = notes.get(name.lower(), set())
        _drop(root, lambda c: not (c.tag == _q(V, "shape") and _note_at(c) in cells))
        # The note box's shape type: a definition the tool adds where a drawing lacks it.
        _drop(root, lambda c: not (c.tag == _q(V, "shapetype") and c.get("id") == "_x0000_t202"))
        for idmap in root.iter(_q(O_NS, "idmap")):
            idmap.attrib.pop("data", None)
    return root


def _points_at(name: str, node: ET.Element, pkg: dict[str, bytes], added: set[str]) -> bool:
    rid = node.get(_q(REL, "id"))
    for rel in _rels_of(pkg, name):
        if rel.get("Id") == rid:
            return _resolve(name, rel.get("Target", "")).lower() in added
    return False


def _strip_workbook(name: str, root: ET.Element, pkg: dict[str, bytes], added: set[str]) -> None:
    targets = {
        r.get("Id"): _resolve(name, r.get("Target", "")).lower() for r in _rels_of(pkg, name)
    }
    sheets = root.find(_q(MAIN, "sheets"))
    titles = []
    if sheets is not None:
        for sheet in list(sheets):
            if targets.get(sheet.get(_q(REL, "id"))) in added:
                titles.append(sheet.get("name"))
                sheets.remove(sheet)
    names = root.find(_q(MAIN, "definedNames"))
    if names is not None:
        for dn in list(names):
            if dn.get("name", "").startswith("_xlnm.") and any(
                f"'{t}'!" in (dn.text or "") for t in titles
            ):
                names.remove(dn)
        if not len(names):  # an empty list and none at all mean the same
            root.remove(names)


def trim_styles_to(before: ET.Element, after: ET.Element) -> None:
    """The tool appends to the style lists: cut `after` back to what `before` held."""
    for key in STYLE_LISTS:
        a, b = before.find(_q(MAIN, key)), after.find(_q(MAIN, key))
        for node in (a, b):
            if node is not None:
                node.attrib.pop("count", None)
        if b is None:
            continue
        if a is None:
            after.remove(b)
            continue
        for extra in list(b)[len(a) :]:
            b.remove(extra)


def stored(path: Path) -> dict[str, bytes]:
    """Each entry as the zip stores it: its compressed bytes."""
    data = path.read_bytes()
    out = {}
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            head = data[info.header_offset : info.header_offset + 30]
            start = info.header_offset + 30 + int.from_bytes(head[26:28], "little")
            start += int.from_bytes(head[28:30], "little")
            out[info.filename] = data[start : start + info.compress_size]
    return out
