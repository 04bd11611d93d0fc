"""The tool's own cell formats, merged into a workbook's styles part without disturbing staff's.

Owned tabs need a few fonts, fills and number formats; highlights need differential
formats (dxf). Each is looked for among the workbook's own (compared as XML, the order
of attributes and children aside) and reused, or else appended at the end of its list
with the list's count updated. Indices that staff cells use never move, and a second run
finds everything it needs already there and leaves the part byte for byte as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.styles.numbers import BUILTIN_FORMATS

from kspo_sheets.stores.xlsx.outline import Node, NotUnderstood, Splice, attr_text, outline
from kspo_sheets.stores.xlsx.package import MAIN_NS

# CT_Stylesheet's children, in the order the schema requires.
ORDER = (
    "numFmts",
    "fonts",
    "fills",
    "borders",
    "cellStyleXfs",
    "cellXfs",
    "cellStyles",
    "dxfs",
    "tableStyles",
    "colors",
    "extLst",
)
LISTS = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border"}
LISTS |= {"cellStyleXfs": "xf", "cellXfs": "xf", "dxfs": "dxf"}
_BUILTIN_IDS = {code: i for i, code in BUILTIN_FORMATS.items()}
_PLAIN_XF = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
DEFAULTS = {
    "fonts": ('<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',),
    "fills": (
        '<fill><patternFill patternType="none"/></fill>',
        '<fill><patternFill patternType="gray125"/></fill>',
    ),
    "borders": ("<border><left/><right/><top/><bottom/><diagonal/></border>",),
    "cellStyleXfs": (_PLAIN_XF,),
    "cellXfs": (_PLAIN_XF,),
}


def empty_styles(family: str, size: float) -> bytes:
    """A new workbook's styles part whose default font (every cell's, and the unit of column
    widths) is `family` at `size` points: a workbook `kspo init` makes."""
    font = f'<font><sz val="{size:g}"/><name val={attr_text(family)}/><family val="2"/></font>'
    return EMPTY.replace(EMPTY_FONT, font.encode())


EMPTY_FONT = (
    b'<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/>'
    b'<scheme val="minor"/></font>'
)
# What Excel itself writes in a new workbook's styles part (used where a package has none).
EMPTY = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN_NS}">'
    '<fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/>'
    '<family val="2"/><scheme val="minor"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
).encode()


@dataclass(frozen=True, slots=True)
class Look:
    """How one cell of an owned tab looks."""

    font: str = "TH Sarabun New"
    size: float = 14
    bold: bool = False
    italic: bool = False
    underline: bool = False
    color: str | None = None  # RGB hex, e.g. "808080"
    fill: str | None = None  # RGB hex of a solid fill
    numfmt: str | None = None  # number format code
    wrap: bool = False
    valign: str | None = None  # "top", "center"


def _canon(node: Node) -> tuple[Any, ...]:
    """An element as a comparable value: order of attributes and children does not count."""
    return (
        node.ns,
        node.name,
        tuple(sorted(node.attrs.items())),
        node.text.strip(),
        tuple(sorted((_canon(c) for c in node.children), key=repr)),
    )


def _fragment(xml: str) -> tuple[Any, ...]:
    data = f'<r xmlns="{MAIN_NS}">{xml}</r>'.encode()
    root = outline(data, "kspo-sheets", deep={_first_name(xml)})
    return _canon(root.children[0])


def _first_name(xml: str) -> str:
    return xml[1:].split(" ", 1)[0].split(">", 1)[0].split("/", 1)[0]


class StyleMerge:
    """Finds or adds the tool's formats in one styles part; `result()` is the new part."""

    def __init__(self, data: bytes, part: str) -> None:
        self.part = part
        self.root = outline(data, part, deep={*LISTS, "cellStyles"})
        if self.root.ns != MAIN_NS or self.root.name != "styleSheet":
            raise NotUnderstood(part, "it is not a SpreadsheetML styles part")
        self.splice = Splice(data, part)
        self.lists: dict[str, Node | None] = {}
        self.known: dict[str, list[tuple[Any, ...]]] = {}
        self.new: dict[str, list[str]] = {}
        for name, item in LISTS.items():
            node = self.root.first(name)
            self.lists[name] = node
            items = node.children if node is not None else []
            if any(c.name != item for c in items):
                odd = next(c.name for c in items if c.name != item)
                raise NotUnderstood(part, f"its {name} list holds a <{odd}> element")
            self.known[name] = [_canon(c) for c in items]
            self.new[name] = []
            if node is None:
                # A list made now starts with what Excel assumes at index 0 (staff cells
                # without a format use it): the tool's own formats come after.
                for xml in DEFAULTS.get(name, ()):
                    self.known[name].append(_fragment(xml))
                    self.new[name].append(xml)
        self._xf_cache: dict[Look, int] = {}
        self._numfmt_ids = [int(c.get("numFmtId", "0") or 0) for c in self._items("numFmts")]

    def default_font(self) -> tuple[str, float]:
        """The workbook's default font, family and size (the Normal style's, else the first):
        the font whose digit its column widths count in."""
        fonts = self._items("fonts")
        xfs = self._items("cellStyleXfs")
        named = self.root.first("cellStyles")
        normal = next(
            (c for c in (named.children if named else []) if c.get("builtinId") == "0"), None
        )
        fid = 0
        xf_id = normal.get("xfId", "0") if normal is not None else "0"
        if xf_id.isdigit() and int(xf_id) < len(xfs):
            font_id = xfs[int(xf_id)].get("fontId", "0")
            fid = int(font_id) if font_id.isdigit() else 0
        font = fonts[fid] if fid < len(fonts) else (fonts[0] if fonts else None)
        if font is None:
            return "Calibri", 11.0
        name = font.first("name")
        size = font.first("sz")
        try:
            sz = float(size.get("val")) if size is not None else 11.0
        except ValueError:
            sz = 11.0
        return (name.get("val") if name is not None else "Calibri"), sz

    def _items(self, name: str) -> list[Node]:
        node = self.lists[name]
        return node.children if node is not None else []

    def _index(self, name: str, xml: str) -> int:
        """The index of an item equal to `xml` in list `name`, appending it where missing."""
        canon = _fragment(xml)
        known = self.known[name]
        for i, c in enumerate(known):
            if c == canon:
                return i
        known.append(canon)
        self.new[name].append(xml)
        return len(known) - 1

    def numfmt(self, code: str) -> int:
        if code in _BUILTIN_IDS:
            return _BUILTIN_IDS[code]
        for node in self._items("numFmts"):
            if node.get("formatCode") == code:
                return int(node.get("numFmtId", "0") or 0)
        for xml in self.new["numFmts"]:
            if f"formatCode={attr_text(code)}" in xml:
                return int(xml.split('numFmtId="', 1)[1].split('"', 1)[0])
        fid = max([163, *self._numfmt_ids]) + 1
        self._numfmt_ids.append(fid)
        self._index(
            "numFmts", f"<numFmt numFmtId={attr_text(str(fid))} formatCode={attr_text(code)}/>"
        )
        return fid

    def _font(self, look: Look) -> int:
        xml = "<font>" + ("<b/>" if look.bold else "") + ("<i/>" if look.italic else "")
        xml += "<u/>" if look.underline else ""
        xml += f'<sz val="{look.size:g}"/>'
        xml += f'<color rgb="FF{look.color.upper()}"/>' if look.color else ""
        xml += f"<name val={attr_text(look.font)}/></font>"
        return self._index("fonts", xml)

    def _fill(self, rgb: str | None) -> int:
        self._reserve_fills()
        if rgb is None:
            return 0
        return self._index(
            "fills",
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb.upper()}"/>'
            "</patternFill></fill>",
        )

    def _reserve_fills(self) -> None:
        # Excel takes fills 0 and 1 to be "none" and "gray125" whatever they say.
        if len(self.known["fills"]) < 2:
            for pattern in ("none", "gray125")[len(self.known["fills"]) :]:
                xml = f'<fill><patternFill patternType="{pattern}"/></fill>'
                self.known["fills"].append(_fragment(xml))
                self.new["fills"].append(xml)

    def xf(self, look: Look) -> int:
        """The cell format index (an <xf> of cellXfs) for `look`."""
        hit = self._xf_cache.get(look)
        if hit is not None:
            return hit
        font = self._font(look)
        fill = self._fill(look.fill)
        border = self._index(
            "borders", "<border><left/><right/><top/><bottom/><diagonal/></border>"
        )
        fmt = self.numfmt(look.numfmt) if look.numfmt else 0
        attrs = f'numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{border}"'
        if self.known["cellStyleXfs"]:
            attrs += ' xfId="0"'
        attrs += ' applyFont="1"'
        attrs += ' applyFill="1"' if look.fill else ""
        attrs += ' applyNumberFormat="1"' if fmt else ""
        align = ""
        if look.wrap or look.valign:
            attrs += ' applyAlignment="1"'
            align = "<alignment"
            align += f' vertical="{look.valign}"' if look.valign else ""
            align += ' wrapText="1"' if look.wrap else ""
            align += "/>"
        index = self._index("cellXfs", f"<xf {attrs}>{align}</xf>" if align else f"<xf {attrs}/>")
        self._xf_cache[look] = index
        return index

    def dxf(self, rgb: str) -> int:
        """A differential format that fills a cell with `rgb` (for a conditional format)."""
        # In a dxf Excel paints a solid fill with bgColor; LibreOffice reads fgColor.
        color = f'rgb="FF{rgb.upper()}"'
        return self._index(
            "dxfs",
            f'<dxf><fill><patternFill patternType="solid"><fgColor {color}/><bgColor {color}/>'
            "</patternFill></fill></dxf>",
        )

    def result(self) -> bytes | None:
        """The edited part, or None when nothing had to be added."""
        for name, items in self.new.items():
            if not items:
                continue
            node = self.lists[name]
            body = "".join(items)
            if self.root.prefix:
                body = _prefixed(body, self.root.prefix)
            if node is None:
                tag = self.root.qname(name)
                xml = f'<{tag} count="{len(items)}">{body}</{tag}>'
                self.splice.add_child(self.root, self._slot(name), xml)
            else:
                self.splice.append(node, body)
                self.splice.set_attr(node, "count", str(len(self.known[name])))
        return self.splice.result() if self.splice else None

    def _slot(self, name: str) -> int:
        """Where a missing list goes: before the first existing sibling that follows it."""
        rank = ORDER.index(name)
        for child in self.root.children:
            if child.name in ORDER and ORDER.index(child.name) > rank:
                return child.start
            if child.name not in ORDER:
                raise NotUnderstood(self.part, f"it holds a <{child.name}> element")
        return self.root.close


def _prefixed(xml: str, prefix: str) -> str:
    """The tool's fragment with every element in the document's prefix for the main namespace."""
    return xml.replace("</", "\0").replace("<", f"<{prefix}:").replace("\0", f"</{prefix}:")
