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

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

from kspo_sheets.errors import SourceError
from kspo_sheets.model import CellValue, Formula, RawTab, Snapshot
from kspo_sheets.stores.base import ReadScope
from kspo_sheets.stores.google.http import KspoHTTPClient
from kspo_sheets.stores.google.masks import (
    CELLS_PARAMS,
    DATES_PARAMS,
    META_PARAMS,
    SNAPSHOT_PARAMS,
    VALUES_PARAMS,
)
from kspo_sheets.stores.google.ranges import Rect, column_runs, fit, quote_title
from kspo_sheets.stores.google.read import cell_value, read_grid_cells, read_spreadsheet
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
# values reads started over when the sheet changed under them, before the other design
ATTEMPTS = 3
GAP = 16  # rows between two doubtful cells of a column read as one range rather than two


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cycle collection while the rows come in: a read makes a list per row and a string
    per cell, long-lived and without cycles, and the collector would walk the growing heap
    again and again for nothing (a fifth of the read's time at a million cells). Validation
    pauses it the same way (checks/validate.py)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Changed(Exception):
    """The spreadsheet changed between two calls of one read."""


def plan_tabs(sheets: list[dict[str, Any]], scope: ReadScope | None) -> list[str]:
    """For each sheet: 'whole', 'marker' (its first cell) or 'none'."""
    registers = {header_key(t) for t in scope.registers} if scope else set()
    owned = set(scope.owned) if scope else set()
    out = []
    for sheet in sheets:
        props = (sheet or {}).get("properties") or {}
        title = str(props.get("title", ""))
        if props.get("sheetType", "GRID") != "GRID":
            out.append("none")  # a chart on its own sheet: no cells
        elif scope is None:
            out.append("whole")
        elif title in owned:
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
        with _collector_paused():
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
        ranges = [quote_title(titles[k]) + ("!A1" if how[k] == "marker" else "") for k in wanted]
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
        meta: dict[str, Any] | None = None
        if self.scope is not None:
            # the sheets first, to name the registers (whole) and the tool's tabs (A1)
            meta = self._meta()
            sheets = [s or {} for s in meta.get("sheets") or []]
            titles = [str((s.get("properties") or {}).get("title", "")) for s in sheets]
            how = plan_tabs(sheets, self.scope)
            params["ranges"] = [
                quote_title(t) + ("!A1" if h == "marker" else "")
                for t, h in zip(titles, how, strict=True)
                if h != "none"
            ]
        else:
            params["includeGridData"] = "true"
        snapshot = Snapshot(self.source, {})
        if "ranges" not in params or params["ranges"]:
            self.calls.append("snapshot")
            snapshot = self.http.get_streamed(
                self.path, lambda chunks: read_spreadsheet(chunks, self.source), params=params
            )
        if meta is not None:  # every sheet, with the rows of those read
            read = {t.title: t.rows for t in snapshot.tabs.values()}
            rows = {
                k: read.get(t, [])
                for k, (t, h) in enumerate(zip(titles, how, strict=True))
                if h != "none"
            }
            snapshot = _snapshot(self.source, meta, sheets, rows)
        tabs = list(snapshot.tabs.values())
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
