"""The in-memory spreadsheet: sheets, their cells and everything anchored to a grid range.

Cells are Google-shaped dicts (``userEnteredValue``, ``effectiveValue``, ``formattedValue``,
``userEnteredFormat``, ``note``, ``dataValidation``); an empty cell is ``{}``. Rows are
stored only as far as they hold something, so a 1000-row sheet with 3 rows of data holds
3 lists.

A write works on a copy that shares the committed rows (:meth:`Sheet.cow_copy`) and copies
a row only when it changes it, so one small write to a million-row sheet costs what the
write touches, not a copy of the whole sheet.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .a1 import format_range
from .cells import Cell, clone, render

DEFAULT_ROW_PIXELS = 21
DEFAULT_COLUMN_PIXELS = 100
ROWS = "ROWS"
COLUMNS = "COLUMNS"

GridRange = dict[str, Any]


def clean_grid_range(gr: GridRange) -> GridRange:
    """A GridRange as Google echoes it: absent bounds stay absent, sheetId 0 is left out."""
    out = {k: v for k, v in gr.items() if v is not None}
    if out.get("sheetId") == 0:
        del out["sheetId"]
    return out


def _bound_keys(dimension: str) -> tuple[str, str]:
    if dimension == ROWS:
        return "startRowIndex", "endRowIndex"
    return "startColumnIndex", "endColumnIndex"


def shift_range(gr: GridRange, dimension: str, start: int, count: int) -> GridRange | None:
    """Move a range for ``count`` rows/columns inserted (count > 0) or deleted (count < 0)
    at ``start``; None when a deletion swallows it."""
    lo_key, hi_key = _bound_keys(dimension)
    lo, hi = gr.get(lo_key), gr.get(hi_key)
    out = dict(gr)
    if count > 0:
        if lo is not None and lo >= start:
            out[lo_key] = lo + count
        if hi is not None and hi > start:
            out[hi_key] = hi + count
        return out
    end = start - count
    if lo is not None:
        out[lo_key] = lo if lo < start else max(start, lo + count)
    if hi is not None:
        out[hi_key] = hi if hi <= start else max(start, hi + count if hi >= end else start)
    new_lo = out.get(lo_key, 0)
    if hi is not None and out[hi_key] <= new_lo:
        return None
    return out


@dataclass
class Sheet:
    properties: dict[str, Any]
    rows: list[list[Cell]] = field(default_factory=list)
    row_meta: list[dict[str, Any]] = field(default_factory=list)
    column_meta: list[dict[str, Any]] = field(default_factory=list)
    merges: list[GridRange] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    banded_ranges: list[dict[str, Any]] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    basic_filter: dict[str, Any] | None = None
    # ids of the row lists this sheet may change in place; None: all of them. A copy made
    # by cow_copy shares its rows with the original until it writes to them.
    owned: set[int] | None = field(default=None, repr=False, compare=False)
    # rows written since the last compact(), by id: compact() looks at these only
    dirty: dict[int, list[Cell]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.fit_metadata()

    def cow_copy(self) -> Sheet:
        """A copy to work on: metadata copied, rows shared until written (copy on write).

        ``row_meta`` entries are shared too: they are replaced, never changed in place.
        """
        new = copy.copy(self)
        new.properties = clone(self.properties)
        new.rows = list(self.rows)
        new.row_meta = list(self.row_meta)
        new.column_meta = clone(self.column_meta)
        new.merges = clone(self.merges)
        new.conditional_formats = clone(self.conditional_formats)
        new.protected_ranges = clone(self.protected_ranges)
        new.banded_ranges = clone(self.banded_ranges)
        new.developer_metadata = clone(self.developer_metadata)
        new.basic_filter = clone(self.basic_filter)
        new.owned = set()
        new.dirty = {}
        return new

    @property
    def sheet_id(self) -> int:
        return int(self.properties["sheetId"])

    @property
    def title(self) -> str:
        return str(self.properties["title"])

    @property
    def grid(self) -> dict[str, Any]:
        grid: dict[str, Any] = self.properties.setdefault("gridProperties", {})
        return grid

    @property
    def row_count(self) -> int:
        return int(self.grid.get("rowCount", 0))

    @property
    def column_count(self) -> int:
        return int(self.grid.get("columnCount", 0))

    def fit_metadata(self) -> None:
        """Keep per-row/column metadata and stored cells within the grid size."""
        rows, cols = self.row_count, self.column_count
        del self.row_meta[rows:]
        self.row_meta.extend({} for _ in range(rows - len(self.row_meta)))
        del self.column_meta[cols:]
        self.column_meta.extend({} for _ in range(cols - len(self.column_meta)))
        del self.rows[rows:]
        for r, row in enumerate(self.rows):
            if len(row) > cols:
                del self.line_for_write(r)[cols:]
        self.compact(full=True)

    def a1(self, r0: int, r1: int, c0: int, c1: int) -> str:
        return format_range(self.title, r0, r1, c0, c1)

    # --- cells ----------------------------------------------------------------------------

    def cell(self, row: int, col: int) -> Cell | None:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col] or None
        return None

    def line_for_write(self, row: int) -> list[Cell]:
        """Row ``row``'s cells, to change in place (copied first if shared, created if absent)."""
        rows = self.rows
        while len(rows) <= row:
            rows.append([])
            if self.owned is not None:
                self.owned.add(id(rows[-1]))
        line = rows[row]
        if self.owned is not None and id(line) not in self.owned:
            line = [clone(cell) for cell in line]
            rows[row] = line
            self.owned.add(id(line))
        self.dirty[id(line)] = line
        return line

    def cell_for_write(self, row: int, col: int) -> Cell:
        line = self.line_for_write(row)
        while len(line) <= col:
            line.append({})
        return line[col]

    def put(self, row: int, col: int, cell: Cell) -> None:
        self.cell_for_write(row, col)
        self.rows[row][col] = cell

    def compact(self, *, full: bool = False) -> None:
        """Drop trailing empty cells and rows (purely a storage matter).

        Only rows written since the last call can have grown an empty tail, so only those
        are looked at, unless ``full`` (after inserting or deleting columns, say).
        """
        lines = self.rows if full else self.dirty.values()
        for line in lines:
            while line and not line[-1]:
                line.pop()
        self.dirty.clear()
        while self.rows and not self.rows[-1]:
            self.rows.pop()

    def iter_cells(self, r0: int, r1: int, c0: int, c1: int) -> Iterator[tuple[int, int, Cell]]:
        for r in range(r0, r1):
            line = self.line_for_write(r)
            if len(line) < c1:
                line.extend({} for _ in range(c1 - len(line)))
            for c in range(c0, c1):
                yield r, c, line[c]

    def rendered(
        self, r0: int, r1: int, c0: int, c1: int, value_render: str, date_render: str
    ) -> list[list[Any]]:
        """Values of a block, rows of rendered cells with None for empties (untrimmed)."""
        out: list[list[Any]] = []
        for r in range(r0, min(r1, len(self.rows))):
            line = self.rows[r]
            out.append(
                [
                    render(line[c] if c < len(line) else None, value_render, date_render)
                    for c in range(c0, c1)
                ]
            )
        return out

    # --- dimensions -----------------------------------------------------------------------

    def insert(self, dimension: str, start: int, count: int, inherit_before: bool) -> None:
        """Insert empty rows/columns at ``start``; they take the formats of a neighbour
        (before or after), as Google's insertDimension does."""
        source = start - 1 if inherit_before else start
        if dimension == ROWS:
            neighbour = self.rows[source] if 0 <= source < len(self.rows) else []
            template = [_format_only(cell) for cell in neighbour]
            at = min(start, len(self.rows))
            if start > len(self.rows) and any(template):
                self.rows.extend([] for _ in range(start - len(self.rows)))
                at = start
            for _ in range(count):
                line = copy.deepcopy(template)
                self.rows.insert(at, line)
                if self.owned is not None:
                    self.owned.add(id(line))
            meta = self.row_meta[source] if 0 <= source < len(self.row_meta) else {}
            self.row_meta[start:start] = [dict(meta) for _ in range(count)]
            self.grid["rowCount"] = self.row_count + count
        else:
            for r in range(len(self.rows)):
                line = self.line_for_write(r)
                cell = _format_only(line[source]) if 0 <= source < len(line) else {}
                if start <= len(line):
                    line[start:start] = [copy.deepcopy(cell) for _ in range(count)]
                elif cell:
                    line.extend({} for _ in range(start - len(line)))
                    line.extend(copy.deepcopy(cell) for _ in range(count))
            meta = self.column_meta[source] if 0 <= source < len(self.column_meta) else {}
            self.column_meta[start:start] = [dict(meta) for _ in range(count)]
            self.grid["columnCount"] = self.column_count + count
        self._shift_anchored(dimension, start, count)
        self.compact(full=True)

    def delete(self, dimension: str, start: int, end: int) -> None:
        if dimension == ROWS:
            del self.rows[start:end]
            del self.row_meta[start:end]
            self.grid["rowCount"] = self.row_count - (end - start)
        else:
            for r, line in enumerate(self.rows):
                if len(line) > start:
                    del self.line_for_write(r)[start:end]
            del self.column_meta[start:end]
            self.grid["columnCount"] = self.column_count - (end - start)
        self._shift_anchored(dimension, start, start - end)
        self.compact(full=True)

    def _shift_anchored(self, dimension: str, start: int, count: int) -> None:
        def move(gr: GridRange) -> GridRange | None:
            return shift_range(gr, dimension, start, count)

        self.merges = [m for m in (move(gr) for gr in self.merges) if m and _area(m) > 1]
        kept_protected = []
        for pr in self.protected_ranges:
            if "range" in pr:
                moved = move(pr["range"])
                if moved is None:
                    continue
                pr["range"] = moved
            pr["unprotectedRanges"] = [
                m for m in (move(gr) for gr in pr.get("unprotectedRanges", [])) if m
            ]
            if not pr["unprotectedRanges"]:
                del pr["unprotectedRanges"]
            kept_protected.append(pr)
        self.protected_ranges = kept_protected
        kept_rules = []
        for rule in self.conditional_formats:
            rule["ranges"] = [m for m in (move(gr) for gr in rule.get("ranges", [])) if m]
            if rule["ranges"]:
                kept_rules.append(rule)
        self.conditional_formats = kept_rules
        kept_bands = []
        for band in self.banded_ranges:
            moved = move(band.get("range", {}))
            if moved is not None:
                band["range"] = moved
                kept_bands.append(band)
        self.banded_ranges = kept_bands
        if self.basic_filter and "range" in self.basic_filter:
            moved = move(self.basic_filter["range"])
            if moved is None:
                self.basic_filter = None
            else:
                self.basic_filter["range"] = moved

    def sort(self, r0: int, r1: int, c0: int, c1: int, specs: list[tuple[int, bool]]) -> None:
        """Reorder the rows of a block by (absolute column, descending) keys, moving whole
        cells (notes, formats, validation travel with their values); empties sort last."""
        block = []
        for r in range(r0, min(r1, len(self.rows))):
            self.line_for_write(r)  # own the rows first: their cells move between rows
        for r in range(r0, r1):
            line = self.rows[r] if r < len(self.rows) else []
            block.append([line[c] if c < len(line) else {} for c in range(c0, c1)])
        for col, descending in reversed(specs):
            present: list[list[Cell]] = []
            empty: list[list[Cell]] = []
            for row in block:
                value = render(row[col - c0] or None, "UNFORMATTED_VALUE", "SERIAL_NUMBER")
                (empty if value in (None, "") else present).append(row)
            offset = col - c0
            present.sort(key=lambda row: _sort_key(row[offset]), reverse=descending)
            block = present + empty
        for offset, cells in enumerate(block):
            for c, cell in zip(range(c0, c1), cells, strict=True):
                self.put(r0 + offset, c, cell)
        self.compact()


def _area(gr: GridRange) -> int:
    rows = gr.get("endRowIndex", 1) - gr.get("startRowIndex", 0)
    cols = gr.get("endColumnIndex", 1) - gr.get("startColumnIndex", 0)
    return int(rows * cols)


def _format_only(cell: Cell) -> Cell:
    return (
        {"userEnteredFormat": copy.deepcopy(cell["userEnteredFormat"])}
        if cell.get("userEnteredFormat")
        else {}
    )


def _sort_key(cell: Cell) -> tuple[int, Any]:
    value = render(cell or None, "UNFORMATTED_VALUE", "SERIAL_NUMBER")
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value).casefold())


@dataclass
class Spreadsheet:
    spreadsheet_id: str
    properties: dict[str, Any]
    sheets: list[Sheet] = field(default_factory=list)
    named_ranges: list[dict[str, Any]] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    private: bool = False
    created: float = 0.0
    modified: float = 0.0

    @property
    def locale(self) -> str:
        return str(self.properties.get("locale", "en_US"))

    def cow_copy(self) -> Spreadsheet:
        """A copy to apply a write to; sheets share their rows until written (see Sheet)."""
        return Spreadsheet(
            self.spreadsheet_id,
            clone(self.properties),
            [sheet.cow_copy() for sheet in self.sheets],
            clone(self.named_ranges),
            clone(self.developer_metadata),
            self.private,
            self.created,
            self.modified,
        )

    def cell_count(self) -> int:
        """Cells in every grid, empty ones too: what Google counts against its limit."""
        return sum(sheet.row_count * sheet.column_count for sheet in self.sheets)

    def titles(self) -> list[str]:
        return [sheet.title for sheet in self.sheets]

    def sheet_by_id(self, sheet_id: object) -> Sheet | None:
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        return None

    def sheet_by_title(self, title: str) -> Sheet | None:
        """Exact title first, then case-insensitive (Google accepts 'sheet1'!A1)."""
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        folded = title.casefold()
        for sheet in self.sheets:
            if sheet.title.casefold() == folded:
                return sheet
        return None

    def reindex(self) -> None:
        for index, sheet in enumerate(self.sheets):
            sheet.properties["index"] = index
