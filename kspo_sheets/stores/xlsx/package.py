"""An .xlsx file as an Open Packaging Conventions package: parts, content types, relationships.

Reading resolves each relationship to the part it points at. Writing copies every part the
run did not change in its original order, with its original name, time, attributes and
compression method, and puts the changed and new parts in: a part nobody edited comes out
byte for byte what it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote, unquote

from kspo_sheets.stores.xlsx.outline import Node, outline
from kspo_sheets.stores.xlsx.zipwrite import ZipWriter

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"

RT_OFFICE = REL_NS + "/officeDocument"
STRICT_OFFICE = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
RT_WORKSHEET = REL_NS + "/worksheet"
RT_STYLES = REL_NS + "/styles"
RT_STRINGS = REL_NS + "/sharedStrings"
RT_COMMENTS = REL_NS + "/comments"
RT_VML = REL_NS + "/vmlDrawing"
RT_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
RT_SIGNATURE = (
    "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin"
)
RT_REVISIONS = REL_NS + "/revisionHeaders"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"

CONTENT_TYPES = "[Content_Types].xml"


class StrictPackage(Exception):
    """The workbook is saved as Strict Open XML (other namespaces throughout)."""


@dataclass(slots=True)
class Rel:
    """One relationship: its id, type, and the part it points at ('' when external)."""

    id: str
    type: str
    target: str
    part: str
    node: Node


def resolve(source: str, target: str) -> str:
    """The zip name of the part `target` points at, relative to part `source` ('' = the root)."""
    target = unquote(target)
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    joined = posixpath.join(posixpath.dirname(source), target)
    return posixpath.normpath(joined).lstrip("/")


def relative(source: str, part: str) -> str:
    """How a relationship from `source` names `part`."""
    return quote(posixpath.relpath(part, posixpath.dirname(source) or "."), safe="/._-~")


def rels_name(source: str) -> str:
    folder, name = posixpath.split(source)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class Package:
    """A workbook's zip, read-only: its parts by name and the relationships between them."""

    def __init__(self, path: Path | IO[bytes]) -> None:
        self.source = path
        self.zip = zipfile.ZipFile(path)
        self.infos = self.zip.infolist()
        self._names: dict[str, str] = {}
        self.duplicates: list[str] = []
        for info in self.infos:
            key = info.filename.lower()
            if key in self._names:
                self.duplicates.append(info.filename)
            self._names[key] = info.filename
        self._rels: dict[str, list[Rel]] = {}

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def name(self, part: str) -> str | None:
        """The part's name as stored (part names are case-insensitive), or None."""
        return self._names.get(part.lower())

    def has(self, part: str) -> bool:
        return part.lower() in self._names

    def read(self, part: str) -> bytes:
        name = self.name(part)
        if name is None:
            raise KeyError(part)
        return self.zip.read(name)

    def open(self, part: str) -> IO[bytes]:
        name = self.name(part)
        if name is None:
            raise KeyError(part)
        return self.zip.open(name)

    def rels(self, source: str) -> list[Rel]:
        """The relationships of part `source` ('' for the package's own)."""
        if source in self._rels:
            return self._rels[source]
        name = rels_name(source)
        out: list[Rel] = []
        if self.has(name):
            root = outline(self.read(name), name)
            for node in root.children:
                if node.name != "Relationship":
                    continue
                target = node.get("Target")
                external = node.get("TargetMode") == "External"
                part = "" if external else resolve(source, target)
                out.append(Rel(node.get("Id"), node.get("Type"), target, part, node))
        self._rels[source] = out
        return out

    def workbook_part(self) -> str:
        """The workbook part, found as the package's officeDocument relationship."""
        for rel in self.rels(""):
            if rel.type == RT_OFFICE and rel.part:
                return rel.part
        if any(rel.type == STRICT_OFFICE for rel in self.rels("")):
            raise StrictPackage
        raise KeyError("officeDocument")

    def part_names(self) -> set[str]:
        return set(self._names)

    def free_name(self, pattern: str, taken: set[str]) -> str:
        """The first `pattern % n` (n = 1, 2, ...) that names no part yet."""
        n = 1
        while (pattern % n).lower() in self._names or (pattern % n).lower() in taken:
            n += 1
        return pattern % n

    def write(
        self,
        out: IO[bytes] | Path,
        *,
        changed: dict[str, bytes],
        added: list[tuple[str, bytes]],
        removed: set[str],
    ) -> None:
        """Write the package with `changed` parts replaced, `added` ones appended, `removed`
        left out. Every other entry is copied as stored: the same compressed bytes."""
        changed_lower = {k.lower(): v for k, v in changed.items()}
        removed_lower = {k.lower() for k in removed}
        with contextlib.ExitStack() as stack:
            raw = (
                stack.enter_context(open(self.source, "rb"))
                if isinstance(self.source, Path)
                else self.source
            )
            sink = stack.enter_context(open(out, "wb")) if isinstance(out, Path) else out
            writer = ZipWriter(sink)
            for info in self.infos:
                key = info.filename.lower()
                if key in removed_lower:
                    continue
                if key in changed_lower:
                    writer.add(
                        info.filename,
                        changed_lower[key],
                        info.date_time,
                        attr=info.external_attr,
                        stored=info.compress_type == zipfile.ZIP_STORED,
                        comment=info.comment,
                    )
                else:
                    writer.copy(raw, info)
            t = dt.datetime.now()
            now = (t.year, t.month, t.day, t.hour, t.minute, t.second)
            for name, data in added:
                writer.add(name, data, now)
            writer.comment = self.zip.comment
            writer.close()


def empty_package(styles: bytes | None = None) -> bytes:
    """A package with a workbook part, no tab, and `styles` as its styles part if given (a
    sidecar, and a workbook `kspo init` makes, start from this)."""
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    style_type = style_rel = ""
    if styles is not None:
        style_type = f'<Override PartName="/xl/styles.xml" ContentType="{CT_STYLES}"/>'
        style_rel = f'<Relationship Id="rId1" Type="{RT_STYLES}" Target="styles.xml"/>'
    parts: dict[str, str | bytes] = {
        CONTENT_TYPES: f'{head}<Types xmlns="{CT_NS}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>{style_type}</Types>',
        "_rels/.rels": f'{head}<Relationships xmlns="{PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'{head}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews><sheets/></workbook>',
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="{PKG_REL_NS}">{style_rel}</Relationships>',
    }
    if styles is not None:
        parts["xl/styles.xml"] = styles
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(zipfile.ZipInfo(name, (2019, 1, 1, 0, 0, 0)), xml)
    return buf.getvalue()
