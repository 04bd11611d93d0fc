"""batchUpdate requests about tabs, dimensions and spreadsheet-wide settings."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .cells import clone
from .colors import normalize_colors
from .context import Ctx, sync_color_pair
from .fields import MaskError, parse_mask, update_with_mask
from .model import COLUMNS, ROWS, Sheet, clean_grid_range
from .render import prune_defaults, sheet_properties
from .state import DEFAULT_COLUMNS, DEFAULT_ROWS

Reply = dict[str, Any] | None
Handler = Callable[[Ctx, dict[str, Any]], Reply]


def mask(ctx: Ctx, req: dict[str, Any]) -> Any:
    fields = req.get("fields")
    if not fields:
        raise ctx.error("At least one field must be updated.")
    try:
        return parse_mask(fields)
    except MaskError:
        raise ctx.error(f"Invalid field mask: {fields}") from None


def _check_title(ctx: Ctx, title: Any, sheet: Sheet | None = None) -> str:
    if not isinstance(title, str) or not title.strip():
        raise ctx.error("Sheet name cannot be empty.")
    for other in ctx.ss.sheets:
        if other is not sheet and other.title.casefold() == title.casefold():
            raise ctx.error(
                f'A sheet with the name "{title}" already exists. Please enter another name.'
            )
    return title


def _check_grid(ctx: Ctx, props: dict[str, Any]) -> None:
    grid = props.get("gridProperties", {})
    rows, cols = grid.get("rowCount", 0), grid.get("columnCount", 0)
    if rows < 1 or cols < 1:
        raise ctx.error("A sheet must have at least one row and one column.")
    if grid.get("frozenRowCount", 0) >= rows:
        raise ctx.error("You can't freeze all visible rows on the sheet.")
    if grid.get("frozenColumnCount", 0) >= cols:
        raise ctx.error("You can't freeze all visible columns on the sheet.")


def add_sheet(ctx: Ctx, req: dict[str, Any]) -> Reply:
    props = normalize_colors(copy.deepcopy(req.get("properties") or {}))
    titles = {t.casefold() for t in ctx.ss.titles()}
    n = len(ctx.ss.sheets) + 1
    while f"sheet{n}" in titles:
        n += 1
    title = _check_title(ctx, props.get("title") or f"Sheet{n}")
    taken = {s.sheet_id for s in ctx.ss.sheets}
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = ctx.new_id(taken)
    elif sheet_id in taken:
        raise ctx.error(f"A sheet with the id {sheet_id} already exists.")
    index = props.get("index", len(ctx.ss.sheets))
    if not 0 <= index <= len(ctx.ss.sheets):
        raise ctx.error(f"Invalid index {index}")
    grid = {"rowCount": DEFAULT_ROWS, "columnCount": DEFAULT_COLUMNS}
    grid.update(props.get("gridProperties") or {})
    new = {
        **props,
        "sheetId": sheet_id,
        "title": title,
        "index": index,
        "sheetType": props.get("sheetType", "GRID"),
        "gridProperties": grid,
    }
    _check_grid(ctx, new)
    for color, style in (("tabColor", "tabColorStyle"),):
        sync_color_pair(new, props, None, color, style)
    sheet = Sheet(prune_defaults(new))
    ctx.ss.sheets.insert(index, sheet)
    ctx.ss.reindex()
    return {"addSheet": {"properties": sheet_properties(sheet)}}


def delete_sheet(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet = ctx.sheet(req.get("sheetId"))
    if len(ctx.ss.sheets) == 1:
        raise ctx.error("You can't remove all the sheets in a document.")
    ctx.ss.sheets.remove(sheet)
    ctx.ss.named_ranges = [
        nr for nr in ctx.ss.named_ranges if nr.get("range", {}).get("sheetId", 0) != sheet.sheet_id
    ]
    ctx.ss.reindex()
    return None


def update_sheet_properties(ctx: Ctx, req: dict[str, Any]) -> Reply:
    source = normalize_colors(copy.deepcopy(req.get("properties") or {}))
    sheet = ctx.sheet(source.get("sheetId", 0))
    tree = mask(ctx, req)
    props = copy.deepcopy(sheet.properties)
    old_index = sheet.properties["index"]
    update_with_mask(props, source, tree)
    for fixed in ("sheetId", "sheetType"):
        props[fixed] = sheet.properties[fixed]
    props.setdefault("index", old_index)
    grid = props.setdefault("gridProperties", {})
    for key in ("rowCount", "columnCount"):
        grid.setdefault(key, sheet.grid[key])
    _check_title(ctx, props.get("title"), sheet)
    _check_grid(ctx, props)
    sync_color_pair(props, source, tree, "tabColor", "tabColorStyle")
    if props.get("hidden") and all(
        s.properties.get("hidden") for s in ctx.ss.sheets if s is not sheet
    ):
        raise ctx.error("You can't hide all the sheets in a document.")
    new_index = props["index"]
    if not 0 <= new_index <= len(ctx.ss.sheets):
        raise ctx.error(f"Invalid index {new_index}")
    sheet.properties = prune_defaults(props)
    sheet.fit_metadata()
    if new_index != old_index:
        # Google counts the target index "before the move"
        ctx.ss.sheets.remove(sheet)
        position = new_index if new_index <= old_index else new_index - 1
        ctx.ss.sheets.insert(min(position, len(ctx.ss.sheets)), sheet)
    ctx.ss.reindex()
    return None


def update_spreadsheet_properties(ctx: Ctx, req: dict[str, Any]) -> Reply:
    tree = mask(ctx, req)
    props = copy.deepcopy(ctx.ss.properties)
    update_with_mask(props, normalize_colors(req.get("properties") or {}), tree)
    if not props.get("title"):
        raise ctx.error("Spreadsheet title cannot be empty.")
    ctx.ss.properties = props
    return None


def insert_dimension(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet, dimension, start, end = ctx.dimension_range(req.get("range"), allow_end=True)
    inherit = bool(req.get("inheritFromBefore"))
    if inherit and start == 0:
        raise ctx.error("Cannot inherit from before the first row or column.")
    if end > start:
        sheet.insert(dimension, start, end - start, inherit_before=inherit)
    return None


def delete_dimension(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet, dimension, start, end = ctx.dimension_range(req.get("range"))
    size = sheet.row_count if dimension == ROWS else sheet.column_count
    if end - start >= size:
        noun = "rows" if dimension == ROWS else "columns"
        raise ctx.error(f"You can't delete all the {noun} on the sheet.")
    sheet.delete(dimension, start, end)
    return None


def append_dimension(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet = ctx.sheet(req.get("sheetId", 0))
    dimension = req.get("dimension")
    length = req.get("length", 0)
    if dimension not in (ROWS, COLUMNS) or not isinstance(length, int) or length < 1:
        raise ctx.error("length must be positive and dimension ROWS or COLUMNS")
    key = "rowCount" if dimension == ROWS else "columnCount"
    sheet.grid[key] += length
    sheet.fit_metadata()
    return None


def update_dimension_properties(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet, dimension, start, end = ctx.dimension_range(req.get("range"))
    tree = mask(ctx, req)
    source = req.get("properties") or {}
    metas = sheet.row_meta if dimension == ROWS else sheet.column_meta
    for i in range(start, end):
        metas[i] = clone(metas[i])  # entries may be shared with the committed copy
        update_with_mask(metas[i], source, tree)
        if metas[i].get("hiddenByUser") is False:
            del metas[i]["hiddenByUser"]
    return None


def auto_resize_dimensions(ctx: Ctx, req: dict[str, Any]) -> Reply:
    # widths depend on fonts; the stand-in only checks the request is valid
    ctx.dimension_range(req.get("dimensions"))
    return None


def _named_range(ctx: Ctx, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw.get("name"):
        raise ctx.error("namedRange.name is required")
    ctx.grid_range(raw.get("range"))
    return copy.deepcopy(raw)


def add_named_range(ctx: Ctx, req: dict[str, Any]) -> Reply:
    named = _named_range(ctx, req.get("namedRange"))
    if any(nr["name"].casefold() == named["name"].casefold() for nr in ctx.ss.named_ranges):
        raise ctx.error(f"Named range with name {named['name']} already exists.")
    named.setdefault("namedRangeId", str(ctx.new_id(set())))
    named = {"namedRangeId": named.pop("namedRangeId"), **named}
    ctx.ss.named_ranges.append(named)
    return {"addNamedRange": {"namedRange": public_named_range(named)}}


def public_named_range(named: dict[str, Any]) -> dict[str, Any]:
    return {**copy.deepcopy(named), "range": clean_grid_range(named.get("range", {}))}


def _find_named(ctx: Ctx, named_id: Any) -> dict[str, Any]:
    for nr in ctx.ss.named_ranges:
        if nr.get("namedRangeId") == named_id:
            return nr
    raise ctx.error(f"No named range with id: {named_id}")


def delete_named_range(ctx: Ctx, req: dict[str, Any]) -> Reply:
    ctx.ss.named_ranges.remove(_find_named(ctx, req.get("namedRangeId")))
    return None


def update_named_range(ctx: Ctx, req: dict[str, Any]) -> Reply:
    source = req.get("namedRange") or {}
    target = _find_named(ctx, source.get("namedRangeId"))
    update_with_mask(target, source, mask(ctx, req))
    target["namedRangeId"] = source.get("namedRangeId")
    _named_range(ctx, target)
    return None


HANDLERS: dict[str, Handler] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "appendDimension": append_dimension,
    "updateDimensionProperties": update_dimension_properties,
    "autoResizeDimensions": auto_resize_dimensions,
    "addNamedRange": add_named_range,
    "deleteNamedRange": delete_named_range,
    "updateNamedRange": update_named_range,
}
