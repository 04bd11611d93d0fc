"""Reading a spreadsheet into a Snapshot: which calls, in what order, and why.

The values design (the default) reads the registers' values in one values.batchGet, the
one consistent snapshot of the staff tabs that validation sees, and checks the few cells
it leaves in doubt in a small read after it (see values.py):

  1. spreadsheets.get, no cells: the sheets, their IDs and grid sizes, conditional formats
     and protections (masks.META_FIELDS);
  2. values.batchGet of every register whole and each tool tab's first cell, formulas as
     formulas (masks.VALUES_PARAMS);
  3. only when (2) holds numbers that could be dates: values.batchGet of those columns with
     dates as text (masks.DATES_PARAMS);
  4. only when a cell is still in doubt (a formula, text starting with "=", an error, a
     number whose format (3) did not name): spreadsheets.get of those cells' grid data.

(3) and (4) hand back each cell's value again, checked against (2): a cell that changed
in between means staff edited the sheet during the read, and the read starts over. After
three such starts the snapshot design is used: all cells as typed in one spreadsheets.get
of grid data (masks.SNAPSHOT_FIELDS, about three times the bytes), then (4) for the last
values of its formulas.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from kspo_sheets.errors import SourceError
from kspo_sheets.model import CellValue, Formula, RawTab, Snapshot, column_letter
from kspo_sheets.stores.base import ReadScope
from kspo_sheets.stores.google.http import KspoHTTPClient
from kspo_sheets.stores.google.json_stream import parse_stream
from kspo_sheets.stores.google.masks import (
    CELLS_PARAMS,
    DATES_PARAMS,
    META_PARAMS,
    SNAPSHOT_PARAMS,
    VALUES_PARAMS,
)
from kspo_sheets.stores.google.read import ROW_PATH, cell_value, read_spreadsheet
from kspo_sheets.stores.google.values import (
    date_kind,
    maybe_date,
    number,
    read_columns,
    read_values,
    serial_date,
)
from kspo_sheets.thai.text import header_key

DESIGNS = ("values", "snapshot")
ATTEMPTS = 3  # values reads started over, when the sheet changed under them, before the other design
QUERY_BUDGET = 6_000  # bytes of ranges in one URL (Thai titles take 9 bytes a letter)
GAP = 16  # rows between two doubtful cells of a column read as one range rather than two

Rect = tuple[int, int, int, int, int]  # (tab k, first row, end row, first column, end column)


class Changed(Exception):
    """The spreadsheet changed between two calls of one read."""


def quote_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def a1_range(title: str, r0: int, r1: int, c0: int, c1: int) -> str:
    """Rows r0..r1-1, columns c0..c1-1 (0-based) of the sheet titled `title`."""
    return f"{quote_title(title)}!{column_letter(c0)}{r0 + 1}:{column_letter(c1 - 1)}{r1}"


def _query_size(ranges: Iterable[str]) -> int:
    return sum(len(quote(r, safe="")) + len("&ranges=") for r in ranges)


def fit(rects: list[Rect], titles: list[str]) -> tuple[list[Rect], list[str]]:
    """The rectangles as A1 ranges; when the URL would grow past QUERY_BUDGET, one bounding
    rectangle per tab instead (more cells, fewer ranges)."""
    ranges = [a1_range(titles[k], r0, r1, c0, c1) for k, r0, r1, c0, c1 in rects]
    if _query_size(ranges) <= QUERY_BUDGET:
        return rects, ranges
    boxes: dict[int, Rect] = {}
    for k, r0, r1, c0, c1 in rects:
        _, b0, b1, d0, d1 = boxes.get(k, (k, r0, r1, c0, c1))
        boxes[k] = (k, min(b0, r0), max(b1, r1), min(d0, c0), max(d1, c1))
    wide = [boxes[k] for k in sorted(boxes)]
    return wide, [a1_range(titles[k], r0, r1, c0, c1) for k, r0, r1, c0, c1 in wide]


def column_runs(k: int, columns: list[tuple[int, list[int]]]) -> list[Rect]:
    """Columns (index, [first row, last row]) of tab k, sorted: neighbouring columns as one
    rectangle spanning their rows."""
    out: list[Rect] = []
    group: list[int] = []  # first column, end column, first row, last row
    for c, (r0, r1) in columns:
        if group and c == group[1]:
            group[1:] = [c + 1, min(group[2], r0), max(group[3], r1)]
            continue
        if group:
            out.append((k, group[2], group[3] + 1, group[0], group[1]))
        group = [c, c + 1, r0, r1]
    if group:
        out.append((k, group[2], group[3] + 1, group[0], group[1]))
    return out


def plan_tabs(sheets: list[dict[str, Any]], scope: ReadScope | None) -> list[str]:
    """For each sheet: 'whole', 'marker' (its first cell) or 'none'."""
    if scope is None:
        return ["whole"] * len(sheets)
    registers = {header_key(t) for t in scope.registers}
    owned = set(scope.owned)
    out = []
    for sheet in sheets:
        title = str(((sheet or {}).get("properties") or {}).get("title", ""))
        if title in owned:
            out.append("marker")
        elif header_key(title) in registers:
            out.append("whole")
        else:
            out.append("none")
    return out


def agrees(seen: Any, cell: dict[str, Any]) -> bool:
    """Whether a grid cell is the cell the values read saw as `seen` (FORMULA rendering)."""
    uev = cell.get("userEnteredValue") or {}
    if "formulaValue" in uev:
        return bool(seen == uev["formulaValue"])
    if "stringValue" in uev:
        text = uev["stringValue"]
        return bool(seen == text or seen == "'" + text)
    if "numberValue" in uev:
        return type(seen) in (int, float) and number(uev["numberValue"]) == seen
    if "boolValue" in uev:
        return seen is bool(uev["boolValue"])
    if "errorValue" in uev:
        return isinstance(seen, str) and seen.startswith("#")
    return False


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


class SheetReader:
    """One read of the spreadsheet `key` through `http` (see the module's docstring)."""

    def __init__(
        self,
        http: KspoHTTPClient,
        key: str,
        source: str,
        *,
        scope: ReadScope | None = None,
        design: str = "values",
    ) -> None:
        if design not in DESIGNS:
            raise ValueError(f"unknown read design {design!r}")
        self.http = http
        self.key = key
        self.source = source
        self.scope = scope
        self.design = design
        self.path = f"/v4/spreadsheets/{quote(key, safe='')}"
        self.calls: list[str] = []  # what each call of the read was, in order

    def read(self) -> Snapshot:
        if self.design == "values":
            for _ in range(ATTEMPTS):
                self.calls.clear()
                try:
                    return self._values_design()
                except Changed:
                    continue
        self.calls.clear()
        return self._snapshot_design()

    # -- the values design ---------------------------------------------------------------

    def _meta(self) -> dict[str, Any]:
        self.calls.append("meta")
        doc = self.http.get_json(self.path, params=META_PARAMS)
        if not isinstance(doc, dict):
            raise ValueError("the answer is not a JSON object")
        return doc

    def _values_design(self) -> Snapshot:
        meta = self._meta()
        sheets = [s or {} for s in meta.get("sheets") or []]
        titles = [str((s.get("properties") or {}).get("title", "")) for s in sheets]
        how = plan_tabs(sheets, self.scope)
        wanted = [k for k, h in enumerate(how) if h != "none"]
        ranges = [
            quote_title(titles[k]) + ("!A1" if how[k] == "marker" else "") for k in wanted
        ]
        rows: dict[int, list[list[CellValue]]] = {}
        if ranges:
            got = self._get(
                "values",
                "/values:batchGet",
                lambda chunks: read_values(chunks, len(ranges)),
                {**VALUES_PARAMS, "ranges": ranges},
                titles,
            )
            sheet_of = dict(enumerate(wanted))
            numbers = {(sheet_of[i], j): span for (i, j), span in got.numbers.items()}
            doubtful = [(sheet_of[i], r, c) for i, r, c in got.doubtful]
            rows = {sheet_of[i]: tab_rows for i, tab_rows in enumerate(got.rows)}
            doubtful += self._settle_numbers(rows, numbers, titles)
            self._settle_cells(rows, doubtful, titles, strict=True)
        return _snapshot(self.source, meta, sheets, rows)

    def _get(
        self, kind: str, tail: str, consume: Any, params: dict[str, Any], titles: list[str]
    ) -> Any:
        self.calls.append(kind)
        try:
            return self.http.get_streamed(self.path + tail, consume, params=params)
        except SourceError:
            # A tab renamed or deleted since (1) makes a range unknown (400): start over.
            if self._titles() != titles:
                raise Changed from None
            raise

    def _titles(self) -> list[str]:
        sheets = self._meta().get("sheets") or []
        return [str(((s or {}).get("properties") or {}).get("title", "")) for s in sheets]

    def _settle_numbers(
        self,
        rows: dict[int, list[list[CellValue]]],
        numbers: dict[tuple[int, int], list[int]],
        titles: list[str],
    ) -> list[tuple[int, int, int]]:
        """Read (3): turn date cells into dates; the numbers whose format the text does not
        show are returned, for (4)."""
        if not numbers:
            return []
        by_tab: dict[int, list[tuple[int, list[int]]]] = defaultdict(list)
        for (k, c), span in sorted(numbers.items()):
            by_tab[k].append((c, span))
        rects = [rect for k, columns in by_tab.items() for rect in column_runs(k, columns)]
        rects, ranges = fit(rects, titles)
        columns = self._get(
            "dates",
            "/values:batchGet",
            lambda chunks: read_columns(chunks, len(ranges)),
            {**DATES_PARAMS, "ranges": ranges},
            titles,
        )
        ask: list[tuple[int, int, int]] = []
        for (k, r0, r1, c0, c1), cols in zip(rects, columns, strict=True):
            tab = rows.get(k, [])
            for c in range(c0, c1):
                shown = cols[c - c0] if c - c0 < len(cols) else []
                for r in range(r0, min(r1, len(tab))):
                    line = tab[r]
                    v = line[c] if c < len(line) else None
                    if not maybe_date(v):
                        continue
                    assert isinstance(v, int | float)
                    kind = date_kind(v, shown[r - r0] if r - r0 < len(shown) else None)
                    if kind == "date":
                        line[c] = serial_date(v)
                    elif kind == "ask":
                        ask.append((k, r, c))
                    elif kind == "changed":
                        raise Changed
        return ask

    def _settle_cells(
        self,
        rows: dict[int, list[list[CellValue]]],
        doubtful: list[tuple[int, int, int]],
        titles: list[str],
        *,
        strict: bool,
    ) -> None:
        """Read (4): each doubtful cell as the grid has it, checked against what the earlier
        read saw there. `strict`: a cell that changed starts the read over; otherwise (a
        formula of the snapshot design) it keeps what that read saw."""
        if not doubtful:
            return
        runs: dict[tuple[int, int], list[list[int]]] = defaultdict(list)
        for k, r, c in sorted(doubtful, key=lambda x: (x[0], x[2], x[1])):
            col = runs[(k, c)]
            if col and r - col[-1][1] <= GAP:
                col[-1][1] = r
            else:
                col.append([r, r])
        rects: list[Rect] = [
            (k, r0, r1 + 1, c, c + 1) for (k, c), spans in runs.items() for r0, r1 in spans
        ]
        _rects, ranges = fit(rects, titles)
        grid = self._get("cells", "", read_grid_cells, {**CELLS_PARAMS, "ranges": ranges}, titles)
        for k, r, c in doubtful:
            line = rows[k][r]
            seen = line[c]
            cell = grid.cell(titles[k], r, c)
            if isinstance(seen, Formula):  # the snapshot design saw the formula, not its value
                ok = cell.get("userEnteredValue", {}).get("formulaValue") == seen.text
            else:
                ok = agrees(seen, cell)
            if ok:
                line[c] = cell_value(cell)
            elif strict:
                raise Changed

    # -- the snapshot design -------------------------------------------------------------

    def _snapshot_design(self) -> Snapshot:
        params = dict(SNAPSHOT_PARAMS)
        how: list[str] | None = None
        titles: list[str] = []
        if self.scope is not None:
            # the registers whole, the first cell of every other sheet (so that every
            # sheet, its ID and grid size are in the answer)
            titles = self._titles()
            how = plan_tabs([{"properties": {"title": t}} for t in titles], self.scope)
            params["ranges"] = [
                quote_title(t) + ("" if h == "whole" else "!A1")
                for t, h in zip(titles, how, strict=True)
            ]
        else:
            params["includeGridData"] = "true"
        self.calls.append("snapshot")
        snapshot = self.http.get_streamed(
            self.path, lambda chunks: read_spreadsheet(chunks, self.source), params=params
        )
        tabs = list(snapshot.tabs.values())
        if how is not None:
            unread = {t for t, h in zip(titles, how, strict=True) if h == "none"}
            for tab in tabs:
                if tab.title in unread:
                    tab.rows = []
        formulas = []
        for k, tab in enumerate(tabs):
            for r, line in enumerate(tab.rows):
                if Formula in map(type, line):
                    formulas += [(k, r, c) for c, v in enumerate(line) if type(v) is Formula]
        self._settle_cells(
            {k: t.rows for k, t in enumerate(tabs)},
            formulas,
            [t.title for t in tabs],
            strict=False,
        )
        snapshot.meta["read"] = "snapshot"
        return snapshot

def _snapshot(
    source: str,
    meta: dict[str, Any],
    sheets: list[dict[str, Any]],
    rows: dict[int, list[list[CellValue]]],
) -> Snapshot:
    tabs: dict[str, RawTab] = {}
    for k, sheet in enumerate(sheets):
        props = sheet.get("properties") or {}
        title = str(props.get("title", ""))
        tabs[title] = RawTab(
            title,
            rows.get(k, []),
            sheet_id=props.get("sheetId"),
            meta={
                "notes": {},
                "conditional_formats": sheet.get("conditionalFormats", []) or [],
                "protected": sheet.get("protectedRanges", []) or [],
                "grid": props.get("gridProperties", {}),
                "index": props.get("index", 0),
            },
        )
    return Snapshot(
        source=source,
        tabs=tabs,
        meta={"spreadsheet_id": meta.get("spreadsheetId", ""), "read": "values"},
    )
