"""Grid data into values exactly as typed: a phone typed as text stays text, a date cell
(a serial with a DATE format) becomes a date, a formula keeps its formula and last value.

Used for the cells the values read leaves in doubt and for the snapshot design's one call
(see reader.py), on answers parsed as they stream in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from kspo_sheets.model import CellError, CellValue, Formula, RawTab, Snapshot
from kspo_sheets.stores.google.json_stream import parse_stream

ROW_PATH = ("sheets", "*", "data", "*", "rowData", "*")
SERIAL_EPOCH = dt.date(1899, 12, 30)


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def _effective(ev: dict[str, Any] | None) -> CellValue:
    if not ev:
        return None
    if "stringValue" in ev:
        return str(ev["stringValue"])
    if "numberValue" in ev:
        return _number(ev["numberValue"])
    if "boolValue" in ev:
        return bool(ev["boolValue"])
    if "errorValue" in ev:
        return CellError(str(ev["errorValue"].get("type", "#ERROR!")))
    return None


def cell_value(cell: dict[str, Any]) -> CellValue:
    """A grid cell as typed: strings stay strings; date-formatted serials become dates."""
    uev = cell.get("userEnteredValue")
    if not uev:
        return None
    if "stringValue" in uev:
        return str(uev["stringValue"])
    if "numberValue" in uev:
        n = uev["numberValue"]
        kind = cell.get("userEnteredFormat", {}).get("numberFormat", {}).get("type")
        if kind in ("DATE", "DATE_TIME") and 0 < n < 2958466:
            return SERIAL_EPOCH + dt.timedelta(days=int(n))
        return _number(n)
    if "boolValue" in uev:
        return bool(uev["boolValue"])
    if "formulaValue" in uev:
        return Formula(str(uev["formulaValue"]), _effective(cell.get("effectiveValue")))
    if "errorValue" in uev:
        return CellError(str(uev["errorValue"].get("type", "#ERROR!")))
    return None


def _row(rd: Any) -> tuple[list[CellValue], dict[int, str] | None]:
    """One rowData item: its values as typed, and its notes by column (None when none)."""
    values = rd.get("values") if type(rd) is dict else None
    if not values:
        return [], None
    line: list[CellValue] = [None] * len(values)
    notes: dict[int, str] | None = None
    for j, cell in enumerate(values):
        if not cell:
            continue
        # Most cells are plain text: take those without the general path. At a million
        # cells this is a second saved (bench: scripts/bench.py).
        uev = cell.get("userEnteredValue")
        text = uev.get("stringValue") if type(uev) is dict else None
        line[j] = text if type(text) is str else cell_value(cell)
        note = cell.get("note")
        if note:
            if notes is None:
                notes = {}
            notes[j] = note
    return line, notes


class _Grid:
    """Rows of each (sheet, data block) as they arrive, placed once the blocks are known."""

    def __init__(self) -> None:
        self.blocks: dict[
            tuple[int, int], tuple[list[list[CellValue]], dict[tuple[int, int], str]]
        ] = {}

    def add(self, sheet: int, block: int, i: int, rd: Any) -> None:
        got = self.blocks.get((sheet, block))
        if got is None:
            got = self.blocks[(sheet, block)] = ([], {})
        rows, notes = got
        line, row_notes = _row(rd)
        while len(rows) < i:
            rows.append([])
        rows.append(line)
        if row_notes:
            for j, note in row_notes.items():
                notes[(i, j)] = note

    def on_item(self, at: tuple[int, ...], rd: Any, _parents: Any = ()) -> None:
        self.add(at[0], at[1], at[2], rd)

    def tab(self, index: int, sheet: dict[str, Any]) -> RawTab:
        """The sheet's RawTab: its blocks' rows placed at their start row and column."""
        props = sheet.get("properties", {}) or {}
        rows: list[list[CellValue]] = []
        notes: dict[tuple[int, int], str] = {}
        for b, block in enumerate(sheet.get("data", []) or []):
            block = block or {}
            got = self.blocks.pop((index, b), None)
            if got is None:
                continue
            block_rows, block_notes = got
            r0 = int(block.get("startRow", 0) or 0)
            c0 = int(block.get("startColumn", 0) or 0)
            if not rows and r0 == 0 and c0 == 0:
                rows = block_rows  # the usual case: one block from A1, taken as it is
            else:
                for i, line in enumerate(block_rows):
                    r = r0 + i
                    while len(rows) <= r:
                        rows.append([])
                    target = rows[r]
                    need = c0 + len(line)
                    if len(target) < need:
                        target.extend([None] * (need - len(target)))
                    for j, value in enumerate(line, c0):
                        if value is not None:
                            target[j] = value
            for (i, j), note in block_notes.items():
                notes[(r0 + i, c0 + j)] = note
        return RawTab(
            props.get("title", ""),
            rows,
            sheet_id=props.get("sheetId"),
            meta={
                "notes": notes,
                "conditional_formats": sheet.get("conditionalFormats", []) or [],
                "protected": sheet.get("protectedRanges", []) or [],
                "grid": props.get("gridProperties", {}),
                "index": props.get("index", 0),
            },
        )

    def snapshot(self, doc: dict[str, Any], source: str) -> Snapshot:
        tabs: dict[str, RawTab] = {}
        for index, sheet in enumerate(doc.get("sheets", []) or []):
            tab = self.tab(index, sheet or {})
            tabs[tab.title] = tab
        return Snapshot(
            source=source, tabs=tabs, meta={"spreadsheet_id": doc.get("spreadsheetId", "")}
        )


def parse_spreadsheet(doc: dict[str, Any], source: str) -> Snapshot:
    """A parsed spreadsheets.get answer (includeGridData) as a Snapshot."""
    grid = _Grid()
    for s, sheet in enumerate(doc.get("sheets", []) or []):
        for b, block in enumerate((sheet or {}).get("data", []) or []):
            for i, rd in enumerate((block or {}).get("rowData", []) or []):
                grid.add(s, b, i, rd)
    return grid.snapshot(doc, source)


def read_spreadsheet(chunks: Iterable[bytes], source: str) -> Snapshot:
    """The same, parsed as the answer arrives: each row is turned into values and dropped,
    so the answer is never held whole (see kspo_sheets/json_stream.py)."""
    grid = _Grid()
    doc = parse_stream(chunks, ROW_PATH, grid.on_item)
    if not isinstance(doc, dict):
        raise ValueError("the answer is not a JSON object")
    return grid.snapshot(doc, source)


class GridCells:
    """Grid data of some ranges (spreadsheets.get with ranges), kept by sheet title."""

    def __init__(self) -> None:
        self._rows: dict[tuple[int, int], dict[int, Any]] = defaultdict(dict)
        self.blocks: dict[str, list[tuple[int, int, dict[int, Any]]]] = defaultdict(list)

    def on_item(self, at: tuple[int, ...], rd: Any, _parents: Any = ()) -> None:
        self._rows[(at[0], at[1])][at[2]] = rd

    def finish(self, doc: Any) -> GridCells:
        if not isinstance(doc, dict):
            raise ValueError("the answer is not a JSON object")
        for s, sheet in enumerate(doc.get("sheets") or []):
            sheet = sheet or {}
            title = str((sheet.get("properties") or {}).get("title", ""))
            for b, block in enumerate(sheet.get("data") or []):
                block = block or {}
                r0 = int(block.get("startRow", 0) or 0)
                c0 = int(block.get("startColumn", 0) or 0)
                self.blocks[title].append((r0, c0, self._rows.pop((s, b), {})))
        return self

    def cell(self, title: str, r: int, c: int) -> dict[str, Any]:
        for r0, c0, rows in self.blocks.get(title, ()):
            rd = rows.get(r - r0) if r >= r0 and c >= c0 else None
            if type(rd) is dict:
                values = rd.get("values") or []
                if c - c0 < len(values) and type(values[c - c0]) is dict:
                    return dict(values[c - c0])
        return {}


def read_grid_cells(chunks: Iterable[bytes]) -> GridCells:
    grid = GridCells()
    return grid.finish(parse_stream(chunks, ROW_PATH, grid.on_item))
