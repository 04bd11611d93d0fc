"""The Spreadsheet resource as ``GET /v4/spreadsheets/{id}`` returns it."""

from __future__ import annotations

import copy
from typing import Any

from .cells import Cell
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


def spreadsheet_resource(
    ss: Spreadsheet,
    *,
    include_grid: bool,
    blocks: list[tuple[Sheet, Block]] | None = None,
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
                sheet, [grid_data(sheet, *b) for b in sheet_blocks] if include_grid else None
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


def grid_data(sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if r0:
        data["startRow"] = r0
    if c0:
        data["startColumn"] = c0
    row_data = []
    for r in range(r0, min(r1, len(sheet.rows))):
        line = sheet.rows[r]
        row_data.append({"values": [cell_resource(line[c]) for c in range(c0, min(c1, len(line)))]})
    data["rowData"] = row_data
    data["rowMetadata"] = [
        {"pixelSize": DEFAULT_ROW_PIXELS, **sheet.row_meta[r]} for r in range(r0, r1)
    ]
    data["columnMetadata"] = [
        {"pixelSize": DEFAULT_COLUMN_PIXELS, **sheet.column_meta[c]} for c in range(c0, c1)
    ]
    return data


def cell_resource(cell: Cell) -> dict[str, Any]:
    if not cell:
        return {}
    out = copy.deepcopy(cell)
    if "userEnteredValue" in out or "userEnteredFormat" in out:
        out["effectiveFormat"] = _merge(
            copy.deepcopy(DEFAULT_FORMAT), out.get("userEnteredFormat", {})
        )
    return _ordered(out, _CELL_ORDER)


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def trim_grid(resource: dict[str, Any]) -> dict[str, Any]:
    """Google's trimming of grid data: no trailing empty cells or rows, ``{}`` for holes,
    and no ``rowData``/``values`` key at all when nothing is left."""
    for sheet in resource.get("sheets", []):
        for data in sheet.get("data", []):
            rows = data.get("rowData")
            if rows is None:
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
