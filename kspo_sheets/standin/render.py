"""The Spreadsheet resource as ``GET /v4/spreadsheets/{id}`` returns it."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from .cells import Cell, clone
from .fields import MaskTree
from .json_out import LazyList
from .model import DEFAULT_COLUMN_PIXELS, DEFAULT_ROW_PIXELS, Sheet, Spreadsheet, clean_grid_range

Block = tuple[int, int, int, int]

# Google's default cell format and theme for a new spreadsheet (same for every document).
DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}

_THEME_COLORS = [
    ("TEXT", {}),
    ("BACKGROUND", {"red": 1, "green": 1, "blue": 1}),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]
DEFAULT_THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [{"colorType": kind, "color": {"rgbColor": rgb}} for kind, rgb in _THEME_COLORS],
}

_SPREADSHEET_PROPERTY_ORDER = ("title", "locale", "autoRecalc", "timeZone")
_SHEET_PROPERTY_ORDER = (
    "sheetId",
    "title",
    "index",
    "sheetType",
    "gridProperties",
    "hidden",
    "tabColor",
    "tabColorStyle",
    "rightToLeft",
)
_CELL_ORDER = (
    "userEnteredValue",
    "effectiveValue",
    "formattedValue",
    "userEnteredFormat",
    "effectiveFormat",
    "hyperlink",
    "note",
    "dataValidation",
    "textFormatRuns",
)
# proto3 scalars Google leaves out when they hold their default
_DEFAULT_FALSE = (
    "hidden",
    "rightToLeft",
    "hideGridlines",
    "rowGroupControlAfter",
    "columnGroupControlAfter",
)
_DEFAULT_ZERO = ("frozenRowCount", "frozenColumnCount")


def _ordered(source: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    out = {key: source[key] for key in order if key in source}
    out.update({key: value for key, value in source.items() if key not in out})
    return out


def prune_defaults(props: dict[str, Any]) -> dict[str, Any]:
    """Drop false/zero flags the way Google's JSON does (it never says "hidden": false)."""
    for key in _DEFAULT_FALSE:
        if props.get(key) is False:
            del props[key]
    grid = props.get("gridProperties")
    if isinstance(grid, dict):
        for key in _DEFAULT_ZERO:
            if grid.get(key) == 0:
                del grid[key]
        for key in _DEFAULT_FALSE:
            if grid.get(key) is False:
                del grid[key]
    return props


def spreadsheet_properties(ss: Spreadsheet) -> dict[str, Any]:
    props = _ordered(copy.deepcopy(ss.properties), _SPREADSHEET_PROPERTY_ORDER)
    props.setdefault("defaultFormat", copy.deepcopy(DEFAULT_FORMAT))
    props.setdefault("spreadsheetTheme", copy.deepcopy(DEFAULT_THEME))
    return props


def sheet_properties(sheet: Sheet) -> dict[str, Any]:
    return prune_defaults(_ordered(copy.deepcopy(sheet.properties), _SHEET_PROPERTY_ORDER))


class GridParts:
    """Which parts of grid data an answer asks for (from its field mask), so that what is
    masked away is never made. ``rows``: the mask below ``rowData`` (None: all of it)."""

    def __init__(
        self,
        *,
        row_data: bool = True,
        rows: MaskTree | None = None,
        row_metadata: bool = True,
        column_metadata: bool = True,
        lazy: bool = False,
    ) -> None:
        self.row_data = row_data
        self.rows = rows
        self.row_metadata = row_metadata
        self.column_metadata = column_metadata
        self.lazy = lazy  # rowData made while the answer is written (see RowData)


ALL_PARTS = GridParts()


def spreadsheet_resource(
    ss: Spreadsheet,
    *,
    include_grid: bool,
    blocks: list[tuple[Sheet, Block]] | None = None,
    parts: GridParts = ALL_PARTS,
) -> dict[str, Any]:
    """The full resource. With ``blocks`` only those sheets appear, each with one ``data``
    entry per block; without, every sheet appears (with its whole grid if asked)."""
    if blocks is None:
        chosen = [(sheet, [(0, sheet.row_count, 0, sheet.column_count)]) for sheet in ss.sheets]
    else:
        by_sheet: dict[int, list[Block]] = {}
        for sheet, block in blocks:
            by_sheet.setdefault(sheet.sheet_id, []).append(block)
        chosen = [(s, by_sheet[s.sheet_id]) for s in ss.sheets if s.sheet_id in by_sheet]
    resource: dict[str, Any] = {
        "spreadsheetId": ss.spreadsheet_id,
        "properties": spreadsheet_properties(ss),
        "sheets": [
            sheet_resource(
                sheet,
                [grid_data(sheet, *b, parts=parts) for b in sheet_blocks] if include_grid else None,
            )
            for sheet, sheet_blocks in chosen
        ],
    }
    if ss.named_ranges:
        resource["namedRanges"] = [
            {**copy.deepcopy(nr), "range": clean_grid_range(nr.get("range", {}))}
            for nr in ss.named_ranges
        ]
    if ss.developer_metadata:
        resource["developerMetadata"] = copy.deepcopy(ss.developer_metadata)
    resource["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{ss.spreadsheet_id}/edit"
    return resource


def sheet_resource(sheet: Sheet, data: list[dict[str, Any]] | None) -> dict[str, Any]:
    out: dict[str, Any] = {"properties": sheet_properties(sheet)}
    if data is not None:
        out["data"] = data
    if sheet.merges:
        out["merges"] = [clean_grid_range(gr) for gr in sheet.merges]
    if sheet.conditional_formats:
        out["conditionalFormats"] = [
            {**copy.deepcopy(rule), "ranges": [clean_grid_range(gr) for gr in rule["ranges"]]}
            for rule in sheet.conditional_formats
        ]
    if sheet.protected_ranges:
        out["protectedRanges"] = [protected_range(pr) for pr in sheet.protected_ranges]
    if sheet.basic_filter is not None:
        basic = copy.deepcopy(sheet.basic_filter)
        if "range" in basic:
            basic["range"] = clean_grid_range(basic["range"])
        out["basicFilter"] = basic
    if sheet.banded_ranges:
        out["bandedRanges"] = [
            {**copy.deepcopy(b), "range": clean_grid_range(b["range"])} for b in sheet.banded_ranges
        ]
    if sheet.developer_metadata:
        out["developerMetadata"] = copy.deepcopy(sheet.developer_metadata)
    return out


def protected_range(pr: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(pr)
    if "range" in out:
        out["range"] = clean_grid_range(out["range"])
    if "unprotectedRanges" in out:
        out["unprotectedRanges"] = [clean_grid_range(gr) for gr in out["unprotectedRanges"]]
    return out


def grid_data(
    sheet: Sheet, r0: int, r1: int, c0: int, c1: int, *, parts: GridParts = ALL_PARTS
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if r0:
        data["startRow"] = r0
    if c0:
        data["startColumn"] = c0
    if parts.row_data:
        rows = RowData(sheet, r0, r1, c0, c1, parts.rows)
        data["rowData"] = rows if parts.lazy else list(rows.all_rows())
    if parts.row_metadata:
        data["rowMetadata"] = [
            {"pixelSize": DEFAULT_ROW_PIXELS, **sheet.row_meta[r]} for r in range(r0, r1)
        ]
    if parts.column_metadata:
        data["columnMetadata"] = [
            {"pixelSize": DEFAULT_COLUMN_PIXELS, **sheet.column_meta[c]} for c in range(c0, c1)
        ]
    return data


class RowData(LazyList):
    """A block's ``rowData`` under a field mask, made row by row.

    Iterating gives the rows as Google sends them: masked, without trailing empty cells,
    ``{}`` for an empty row, and no trailing empty rows (what trim_grid does to a list).
    """

    def __init__(
        self, sheet: Sheet, r0: int, r1: int, c0: int, c1: int, mask: MaskTree | None
    ) -> None:
        self.sheet = sheet
        self.r0, self.r1, self.c0, self.c1 = r0, min(r1, len(sheet.rows)), c0, c1
        self.cells: MaskTree | None = None  # None: whole cells
        self.no_values = False
        if mask is not None and "*" not in mask:
            if "values" not in mask:
                self.no_values = True
            else:
                cells = mask["values"]
                self.cells = None if cells is None or "*" in cells else cells

    def all_rows(self) -> Iterator[dict[str, Any]]:
        """Every row, untrimmed (``{"values": [...]}``), for callers that trim themselves."""
        for r in range(self.r0, self.r1):
            row = self.row(r, trim=False)
            yield row

    def row(self, r: int, *, trim: bool = True) -> dict[str, Any]:
        if self.no_values:
            return {}
        line = self.sheet.rows[r]
        end = min(self.c1, len(line))
        cells = self.cells
        if cells is None:
            values = [cell_resource(line[c]) for c in range(self.c0, end)]
        else:
            values = [masked_cell(line[c], cells) for c in range(self.c0, end)]
        if not trim:
            return {"values": values}
        while values and not values[-1]:
            values.pop()
        return {"values": values} if values else {}

    def _end(self) -> int:
        for r in range(self.r1 - 1, self.r0 - 1, -1):
            if self.row(r):
                return r + 1
        return self.r0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for r in range(self.r0, self._end()):
            yield self.row(r)

    def empty(self) -> bool:
        return self._end() == self.r0


def cell_resource(cell: Cell) -> dict[str, Any]:
    if not cell:
        return {}
    out = clone(cell)
    if "userEnteredValue" in out or "userEnteredFormat" in out:
        out["effectiveFormat"] = _merge(clone(DEFAULT_FORMAT), out.get("userEnteredFormat", {}))
    return _ordered(out, _CELL_ORDER)


def masked_cell(cell: Cell, mask: MaskTree) -> dict[str, Any]:
    """``apply_mask(cell_resource(cell), mask)`` without making what the mask drops."""
    if not cell:
        return {}
    out: dict[str, Any] = {}
    for key, sub in mask.items():
        if key == "effectiveFormat":
            if "userEnteredValue" not in cell and "userEnteredFormat" not in cell:
                continue
            value: Any = _merge(clone(DEFAULT_FORMAT), cell.get("userEnteredFormat", {}))
        elif key in cell:
            value = cell[key]
        else:
            continue
        out[key] = _masked_clone(value, sub)
    return out


def _masked_clone(value: Any, mask: MaskTree | None) -> Any:
    if mask is None or "*" in mask:
        return clone(value)
    if isinstance(value, list):
        return [_masked_clone(item, mask) for item in value]
    if isinstance(value, dict):
        return {key: _masked_clone(value[key], sub) for key, sub in mask.items() if key in value}
    return value


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = clone(value)
    return base


def trim_grid(resource: dict[str, Any]) -> dict[str, Any]:
    """Google's trimming of grid data: no trailing empty cells or rows, ``{}`` for holes,
    and no ``rowData``/``values`` key at all when nothing is left."""
    for sheet in resource.get("sheets", []):
        for data in sheet.get("data", []):
            rows = data.get("rowData")
            if rows is None:
                continue
            if isinstance(rows, LazyList):  # trims itself as it is written
                if rows.empty():
                    del data["rowData"]
                continue
            for row in rows:
                values = row.get("values")
                if values is None:
                    continue
                while values and not values[-1]:
                    values.pop()
                if not values:
                    del row["values"]
            while rows and not rows[-1]:
                rows.pop()
            if not rows:
                del data["rowData"]
    return resource
