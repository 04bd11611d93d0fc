"""Reading a workbook's cells as staff typed them, one row at a time.

Each sheet is streamed (ElementTree's iterparse) and only cells that hold a value are
kept: a stray formatted cell at XFD1048576, or a dimension that claims a million rows,
costs nothing. A formula comes with the value Excel stored for it, in one pass. Dates
are recognised from the cell's number format the way openpyxl does (its format tables
and date conversion are reused); merged areas show their top-left value in every cell.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError, iterparse

from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from kspo_sheets.model import CellError, CellValue, Formula, RawTab
from kspo_sheets.stores.xlsx.outline import NotUnderstood, outline
from kspo_sheets.stores.xlsx.package import (
    MAIN_NS,
    REL_NS,
    RT_STRINGS,
    RT_STYLES,
    RT_WORKSHEET,
    STRICT_MAIN_NS,
    Package,
    StrictPackage,
)

ERROR_VALUES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
    }
)

_M = f"{{{MAIN_NS}}}"
_C, _ROW, _V, _F, _IS, _T, _R, _RPH, _SI = (
    _M + n for n in ("c", "row", "v", "f", "is", "t", "r", "rPh", "si")
)
_MERGE, _SHEET_DATA = _M + "mergeCell", _M + "sheetData"
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_COLUMNS: dict[str, int] = {}
_DIGITS = "0123456789"


class Unreadable(Exception):
    """The package is not a workbook this reader can make sense of."""


def _unescape(text: str) -> str:
    """Excel writes characters XML cannot hold as _xHHHH_ (and a literal '_x' as _x005F_x)."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _column(letters: str) -> int:
    """0-based column of 'A', 'AB', ... (memoised: a sheet uses few)."""
    col = _COLUMNS.get(letters)
    if col is None:
        col = 0
        for ch in letters:
            col = col * 26 + (ord(ch) - 64)
        col -= 1
        if not letters.isascii() or not letters.isalpha() or not letters.isupper():
            raise ValueError(f"not a cell reference: {letters!r}")
        _COLUMNS[letters] = col
    return col


def cell_ref(ref: str) -> tuple[int, int]:
    """'B12' -> (12, 1): the 1-based row and 0-based column."""
    letters = ref.rstrip("0123456789")
    return int(ref[len(letters) :]), _column(letters.replace("$", "").upper())


def _rich_text(el: Any) -> str:
    """The text of an <si> or <is>: plain and run text, without phonetic guides."""
    if len(el) == 1 and el[0].tag == _T:
        return _unescape(el[0].text or "")
    parts: list[str] = []
    for child in el:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            for t in child:
                if t.tag == _T:
                    parts.append(t.text or "")
    return _unescape("".join(parts))


def shared_strings(stream: IO[bytes]) -> list[str]:
    out: list[str] = []
    for _, el in iterparse(stream):
        if el.tag == _SI:
            out.append(_rich_text(el))
            el.clear()
    return out


class Styles:
    """Which cell formats (xf indices) show numbers as dates or durations."""

    def __init__(self, data: bytes | None, part: str) -> None:
        self.dates: set[int] = set()
        self.durations: set[int] = set()
        if data is None:
            return
        root = outline(data, part, deep={"numFmts", "cellXfs"})
        custom: dict[int, str] = {}
        fmts = root.first("numFmts")
        for node in fmts.children if fmts else []:
            try:
                custom[int(node.get("numFmtId"))] = node.get("formatCode")
            except ValueError:
                continue
        xfs = root.first("cellXfs")
        for i, xf in enumerate(xfs.all("xf") if xfs else []):
            try:
                fid = int(xf.get("numFmtId", "0") or 0)
            except ValueError:
                continue
            code = custom.get(fid) or BUILTIN_FORMATS.get(fid)
            if code and is_date_format(code):
                self.dates.add(i)
                if is_timedelta_format(code):
                    self.durations.add(i)


class SheetReader:
    """Turns one worksheet part into rows of cell values."""

    def __init__(self, strings: list[str], styles: Styles, epoch: dt.datetime) -> None:
        self.strings = strings
        self.styles = styles
        self.epoch = epoch

    def number(self, text: str, style: int) -> CellValue:
        value: int | float = (
            float(text) if ("." in text or "E" in text or "e" in text) else int(text)
        )
        if style in self.styles.dates:
            try:
                when = from_excel(value, self.epoch, timedelta=style in self.styles.durations)
            except (OverflowError, ValueError):
                return CellError("#VALUE!")
            if isinstance(when, dt.time):
                return when.isoformat()
            if isinstance(when, dt.timedelta):
                return str(when)
            return when
        return value

    def plain(self, kind: str, text: str | None, style: int) -> CellValue:
        """A stored value of type `kind` ('n', 's', 'str', 'b', 'e', 'd')."""
        if text is None or text == "":
            return None
        if kind == "n":
            return self.number(text, style)
        if kind == "s":
            return self.strings[int(text)]
        if kind == "str":
            return _unescape(text)
        if kind == "b":
            return text.strip() not in ("0", "false")
        if kind == "e":
            return CellError(text)
        if kind == "d":
            return from_ISO8601(text)
        return text

    def cell(self, el: Any, shared: dict[str, Translator], ref: str) -> CellValue:
        kind = el.get("t", "n")
        style = int(el.get("s", 0) or 0)
        v = f = None
        if kind == "inlineStr":
            for child in el:
                if child.tag == _IS:
                    return _rich_text(child)
            return None
        for child in el:
            tag = child.tag
            if tag == _V:
                v = child.text
            elif tag == _F:
                f = child
        if f is None:
            return self.plain(kind, v, style)
        text = "=" + (f.text or "")
        if f.get("t") == "shared":
            si = f.get("si", "")
            if si in shared:
                text = shared[si].translate_formula(ref)
            elif text != "=":
                shared[si] = Translator(text, ref)
        return Formula(text, self.plain(kind, v, style))

    def read(self, stream: IO[bytes]) -> list[list[CellValue]]:
        rows: list[list[CellValue]] = []
        merges: list[str] = []
        shared: dict[str, Translator] = {}
        columns = _COLUMNS
        cell = self.cell
        row_no = 0
        # Only end events: a row's cells are complete when it ends. Cleared rows stay in
        # the tree as empty elements (a few dozen bytes each) until the sheet is done.
        for _, el in iterparse(stream):
            tag = el.tag
            if tag == _ROW:
                r = el.get("r")
                row_no = int(float(r)) if r else row_no + 1
                if row_no < 1:
                    raise Unreadable(f"a row is numbered {r}; rows start at 1")
                cells: dict[int, CellValue] = {}
                col = -1
                for c in el:
                    if c.tag != _C:
                        continue
                    ref = c.get("r")
                    if ref:
                        letters = ref.rstrip(_DIGITS)
                        col = columns.get(letters, -1)
                        if col < 0:
                            col = cell_ref(ref)[1]
                    else:
                        col += 1
                        ref = f"{_letters(col)}{row_no}"
                    value = cell(c, shared, ref)
                    if value is not None:
                        cells[col] = value
                if cells and any(v != "" for v in cells.values()):
                    line: list[CellValue] = [None] * (max(cells) + 1)
                    for j, value in cells.items():
                        line[j] = value
                    if len(rows) < row_no - 1:
                        rows.extend([] for _ in range(row_no - 1 - len(rows)))
                    if len(rows) == row_no - 1:
                        rows.append(line)
                    else:  # rows out of order: the later one wins, as Excel would show it
                        rows[row_no - 1] = line
                el.clear()
            elif tag == _MERGE:
                merges.append(el.get("ref", ""))
        _fill_merged(rows, merges)
        return rows


def _letters(col: int) -> str:
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def merged_ranges(refs: list[str]) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col), 1-based rows and 0-based columns."""
    out = []
    for ref in refs:
        a, _, b = ref.partition(":")
        try:
            r1, c1 = cell_ref(a)
            r2, c2 = cell_ref(b or a)
        except ValueError:
            continue
        out.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return out


def _fill_merged(rows: list[list[CellValue]], refs: list[str]) -> None:
    """A merged area shows its top-left value in every cell it covers."""
    for r1, c1, r2, c2 in merged_ranges(refs):
        if r1 > len(rows):
            continue
        top_row = rows[r1 - 1]
        top = top_row[c1] if c1 < len(top_row) else None
        if top is None:
            continue
        for r in range(r1, min(r2, len(rows)) + 1):
            row = rows[r - 1]
            if len(row) <= c2:
                row.extend([None] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    row[c] = top


def read_package(path: Path) -> dict[str, RawTab]:
    """Every worksheet's cells (chart and dialog sheets hold none), by title, in tab order."""
    try:
        with Package(path) as pkg:
            return _read(pkg)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, IndexError) as exc:
        raise Unreadable(f"{exc.__class__.__name__}: {exc}") from None
    except (ParseError, NotUnderstood) as exc:
        raise Unreadable(str(exc)) from None
    except EOFError as exc:
        raise Unreadable(f"the file is cut short ({exc})") from None
    except StrictPackage:
        raise Unreadable(
            "it is saved as Strict Open XML Spreadsheet, which kspo-sheets does not read"
        ) from None


def _read(pkg: Package) -> dict[str, RawTab]:
    book = pkg.workbook_part()
    root = outline(pkg.read(book), book, deep={"sheets", "workbookPr"})
    if root.ns == STRICT_MAIN_NS:
        raise Unreadable("it is saved as Strict Open XML, which kspo-sheets does not read")
    if root.ns != MAIN_NS or root.name != "workbook":
        raise Unreadable(f"{book} is not a SpreadsheetML workbook")
    props = root.first("workbookPr")
    mac = props is not None and props.get("date1904") in ("1", "true")
    epoch = CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900
    rels = {r.id: r for r in pkg.rels(book)}
    by_type = {r.type: r.part for r in pkg.rels(book)}
    strings: list[str] = []
    if by_type.get(RT_STRINGS) and pkg.has(by_type[RT_STRINGS]):
        with pkg.open(by_type[RT_STRINGS]) as fh:
            strings = shared_strings(fh)
    styles_part = by_type.get(RT_STYLES)
    styles = Styles(
        pkg.read(styles_part) if styles_part and pkg.has(styles_part) else None, styles_part or ""
    )
    reader = SheetReader(strings, styles, epoch)
    tabs: dict[str, RawTab] = {}
    sheets = root.first("sheets")
    for index, sheet in enumerate(sheets.all("sheet") if sheets else []):
        title = sheet.get("name")
        rel = rels.get(sheet.get(f"{{{REL_NS}}}id"))
        if rel is None or rel.type != RT_WORKSHEET or not pkg.has(rel.part):
            continue  # a chart sheet, dialog sheet or macro sheet holds no register
        with pkg.open(rel.part) as fh:
            rows = reader.read(fh)
        tabs[title] = RawTab(title, rows, sheet_id=index)
    return tabs
