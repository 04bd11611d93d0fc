"""batchUpdate requests about cells and things anchored to ranges: formats, notes,
validation, conditional formats, protected ranges, merges, filters, sorting, banding."""

from __future__ import annotations

import copy
from typing import Any

from .cells import Cell, has_value, refresh, set_entered
from .colors import normalize_colors
from .context import Ctx, sync_color_pair, touches
from .fields import update_with_mask
from .model import GridRange, Sheet
from .render import protected_range
from .requests_sheets import Handler, Reply, mask

_READ_ONLY = ("effectiveValue", "formattedValue", "effectiveFormat")


def apply_cell(cell: Cell, source: dict[str, Any], tree: Any, locale: str) -> None:
    """Write the masked fields of ``source`` into ``cell`` the way updateCells does."""
    source = normalize_colors({k: v for k, v in source.items() if k not in _READ_ONLY})
    if source.get("note") == "":
        del source["note"]
    value_touched = touches(tree, "userEnteredValue")
    computed: dict[str, Any] = {
        key: cell.pop(key) for key in ("effectiveValue", "formattedValue") if key in cell
    }
    update_with_mask(cell, source, tree)
    if not value_touched:
        cell.update(computed)
    if touches(tree, "userEnteredFormat"):
        fmt_tree = None if tree is None or "*" in tree else tree["userEnteredFormat"]
        fmt = cell.get("userEnteredFormat", {})
        src_fmt = source.get("userEnteredFormat") or {}
        sync_color_pair(fmt, src_fmt, fmt_tree, "backgroundColor", "backgroundColorStyle")
        if touches(fmt_tree, "textFormat"):
            text_tree = None if fmt_tree is None or "*" in fmt_tree else fmt_tree["textFormat"]
            text = fmt.get("textFormat", {})
            sync_color_pair(
                text,
                src_fmt.get("textFormat") or {},
                text_tree,
                "foregroundColor",
                "foregroundColorStyle",
            )
            if text:
                fmt["textFormat"] = text
            else:
                fmt.pop("textFormat", None)
        if fmt:
            cell["userEnteredFormat"] = fmt
        else:
            cell.pop("userEnteredFormat", None)
    if value_touched:
        set_entered(cell, cell.get("userEnteredValue"), locale)
    else:
        refresh(cell, locale)


def update_cells(ctx: Ctx, req: dict[str, Any]) -> Reply:
    tree = mask(ctx, req)
    rows = req.get("rows") or []
    if "start" in req:
        start = req["start"] or {}
        sheet = ctx.sheet(start.get("sheetId", 0))
        r0, c0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
        width = max((len(row.get("values") or []) for row in rows), default=0)
        ctx.grid_range(
            {
                "sheetId": sheet.sheet_id,
                "startRowIndex": r0,
                "endRowIndex": r0 + max(len(rows), 1),
                "startColumnIndex": c0,
                "endColumnIndex": c0 + max(width, 1),
            }
        )
        for i, row in enumerate(rows):
            for j, source in enumerate(row.get("values") or []):
                apply_cell(sheet.cell_for_write(r0 + i, c0 + j), source or {}, tree, ctx.ss.locale)
    elif "range" in req:
        sheet, r0, r1, c0, c1 = ctx.grid_range(req["range"])
        for r, c, cell in sheet.iter_cells(r0, r1, c0, c1):
            row = rows[r - r0].get("values") or [] if r - r0 < len(rows) else []
            source = row[c - c0] if c - c0 < len(row) else {}
            apply_cell(cell, source or {}, tree, ctx.ss.locale)
    else:
        raise ctx.error("Either start or range must be set.")
    sheet.compact()
    return None


def repeat_cell(ctx: Ctx, req: dict[str, Any]) -> Reply:
    tree = mask(ctx, req)
    sheet, r0, r1, c0, c1 = ctx.grid_range(req.get("range"))
    source = req.get("cell") or {}
    for _r, _c, cell in sheet.iter_cells(r0, r1, c0, c1):
        apply_cell(cell, source, tree, ctx.ss.locale)
    sheet.compact()
    return None


def append_cells(ctx: Ctx, req: dict[str, Any]) -> Reply:
    tree = mask(ctx, req)
    sheet = ctx.sheet(req.get("sheetId", 0))
    rows = req.get("rows") or []
    start = next(
        (
            r + 1
            for r in range(len(sheet.rows) - 1, -1, -1)
            if any(has_value(c) for c in sheet.rows[r])
        ),
        0,
    )
    width = max((len(row.get("values") or []) for row in rows), default=0)
    if width > sheet.column_count:
        raise ctx.error(f"Appending {width} columns to a sheet with {sheet.column_count} columns.")
    if start + len(rows) > sheet.row_count:
        sheet.grid["rowCount"] = start + len(rows)
        sheet.fit_metadata()
    for i, row in enumerate(rows):
        for j, source in enumerate(row.get("values") or []):
            apply_cell(sheet.cell_for_write(start + i, j), source or {}, tree, ctx.ss.locale)
    sheet.compact()
    return None


def _prune_false(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None and v is not False}


def set_data_validation(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet, r0, r1, c0, c1 = ctx.grid_range(req.get("range"))
    rule = req.get("rule")
    if rule is not None:
        if not isinstance(rule, dict) or "condition" not in rule:
            raise ctx.error("rule.condition is required")
        rule = _prune_false(copy.deepcopy(rule))
    for _r, _c, cell in sheet.iter_cells(r0, r1, c0, c1):
        if rule is None:
            cell.pop("dataValidation", None)
        else:
            cell["dataValidation"] = copy.deepcopy(rule)
    sheet.compact()
    return None


def _rule(ctx: Ctx, raw: Any) -> tuple[Sheet, dict[str, Any]]:
    if not isinstance(raw, dict) or not raw.get("ranges"):
        raise ctx.error("rule.ranges must contain at least one range")
    if ("booleanRule" in raw) == ("gradientRule" in raw):
        raise ctx.error("rule must have exactly one of booleanRule or gradientRule")
    sheets = {ctx.grid_range(gr)[0].sheet_id for gr in raw["ranges"]}
    if len(sheets) > 1:
        raise ctx.error("All ranges of a conditional format rule must be on the same sheet.")
    rule = normalize_colors(copy.deepcopy(raw))
    rule["ranges"] = [
        {"sheetId": sheets.pop(), **{k: v for k, v in gr.items() if k != "sheetId"}}
        for gr in rule["ranges"]
    ]
    return ctx.sheet(rule["ranges"][0]["sheetId"]), rule


def _public_rule(rule: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(rule)
    out["ranges"] = [
        {k: v for k, v in gr.items() if not (k == "sheetId" and v == 0)} for gr in out["ranges"]
    ]
    return out


def add_conditional_format_rule(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet, rule = _rule(ctx, req.get("rule"))
    index = req.get("index", 0)
    if not 0 <= index <= len(sheet.conditional_formats):
        raise ctx.error(
            f"Invalid index {index}; the sheet has "
            f"{len(sheet.conditional_formats)} conditional formats."
        )
    sheet.conditional_formats.insert(index, rule)
    return None


def _rule_at(ctx: Ctx, sheet_id: Any, index: Any) -> tuple[Sheet, int]:
    sheet = ctx.sheet(sheet_id if sheet_id is not None else 0)
    if not isinstance(index, int) or not 0 <= index < len(sheet.conditional_formats):
        raise ctx.error(f"No conditional format on sheet: {sheet.sheet_id} at index: {index}")
    return sheet, index


def update_conditional_format_rule(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet, index = _rule_at(ctx, req.get("sheetId"), req.get("index", 0))
    old = sheet.conditional_formats[index]
    if "rule" in req:
        target, rule = _rule(ctx, req["rule"])
        del sheet.conditional_formats[index]
        new_index = index if target is sheet else 0
        target.conditional_formats.insert(new_index, rule)
    elif "newIndex" in req:
        new_index = req["newIndex"]
        if not 0 <= new_index < len(sheet.conditional_formats):
            raise ctx.error(f"Invalid newIndex {new_index}")
        rule = sheet.conditional_formats.pop(index)
        sheet.conditional_formats.insert(new_index, rule)
    else:
        raise ctx.error("Either rule or newIndex must be set.")
    reply: dict[str, Any] = {"newRule": _public_rule(rule), "oldRule": _public_rule(old)}
    if new_index:
        reply["newIndex"] = new_index
    if index:
        reply["oldIndex"] = index
    return {"updateConditionalFormatRule": reply}


def delete_conditional_format_rule(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet, index = _rule_at(ctx, req.get("sheetId"), req.get("index", 0))
    rule = sheet.conditional_formats.pop(index)
    return {"deleteConditionalFormatRule": {"rule": _public_rule(rule)}}


def _all_protected(ctx: Ctx) -> list[tuple[Sheet, dict[str, Any]]]:
    return [(s, pr) for s in ctx.ss.sheets for pr in s.protected_ranges]


def add_protected_range(ctx: Ctx, req: dict[str, Any]) -> Reply:
    raw = req.get("protectedRange")
    if not isinstance(raw, dict) or ("range" not in raw and "namedRangeId" not in raw):
        raise ctx.error("protectedRange.range or namedRangeId is required")
    sheet = ctx.grid_range(raw["range"])[0] if "range" in raw else ctx.ss.sheets[0]
    taken = {pr["protectedRangeId"] for _s, pr in _all_protected(ctx)}
    pr_id = raw.get("protectedRangeId") or ctx.new_id(taken)
    if pr_id in taken:
        raise ctx.error(f"A protected range with the id {pr_id} already exists.")
    given_editors = _prune_false({k: v for k, v in (raw.get("editors") or {}).items() if v != []})
    stored: dict[str, Any] = {"protectedRangeId": pr_id}
    if "range" in raw:
        stored["range"] = {
            "sheetId": sheet.sheet_id,
            **{k: v for k, v in raw["range"].items() if k != "sheetId"},
        }
    for key in ("namedRangeId", "description", "warningOnly", "unprotectedRanges"):
        if raw.get(key) not in (None, False, [], ""):
            stored[key] = copy.deepcopy(raw[key])
    # Google reports the caller as able to edit, and lists the owner among the editors
    stored["requestingUserCanEdit"] = True
    reply = protected_range({**stored, "editors": given_editors})
    users = [
        ctx.state.owner_email,
        *[u for u in given_editors.get("users", []) if u != ctx.state.owner_email],
    ]
    stored["editors"] = {**given_editors, "users": users}
    sheet.protected_ranges.append(stored)
    return {"addProtectedRange": {"protectedRange": reply}}


def _find_protected(ctx: Ctx, pr_id: Any) -> tuple[Sheet, dict[str, Any]]:
    for sheet, pr in _all_protected(ctx):
        if pr["protectedRangeId"] == pr_id:
            return sheet, pr
    raise ctx.error(f"No protected range with id: {pr_id}")


def update_protected_range(ctx: Ctx, req: dict[str, Any]) -> Reply:
    source = req.get("protectedRange") or {}
    sheet, pr = _find_protected(ctx, source.get("protectedRangeId"))
    update_with_mask(pr, source, mask(ctx, req))
    pr["protectedRangeId"] = source.get("protectedRangeId")
    if "range" in pr:
        target = ctx.grid_range(pr["range"])[0]
        if target is not sheet:
            sheet.protected_ranges.remove(pr)
            target.protected_ranges.append(pr)
    return None


def delete_protected_range(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet, pr = _find_protected(ctx, req.get("protectedRangeId"))
    sheet.protected_ranges.remove(pr)
    return None


def _overlaps(a: GridRange, b: GridRange) -> bool:
    big = 10**9

    def span(gr: GridRange, lo: str, hi: str) -> tuple[int, int]:
        return gr.get(lo) or 0, big if gr.get(hi) is None else gr[hi]

    (ar0, ar1), (br0, br1) = (
        span(a, "startRowIndex", "endRowIndex"),
        span(b, "startRowIndex", "endRowIndex"),
    )
    (ac0, ac1), (bc0, bc1) = (
        span(a, "startColumnIndex", "endColumnIndex"),
        span(b, "startColumnIndex", "endColumnIndex"),
    )
    return ar0 < br1 and br0 < ar1 and ac0 < bc1 and bc0 < ac1


def merge_cells(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet, r0, r1, c0, c1 = ctx.grid_range(req.get("range"))
    kind = req.get("mergeType", "MERGE_ALL")
    if kind == "MERGE_ALL":
        blocks = [(r0, r1, c0, c1)]
    elif kind == "MERGE_ROWS":
        blocks = [(r, r + 1, c0, c1) for r in range(r0, r1)]
    elif kind == "MERGE_COLUMNS":
        blocks = [(r0, r1, c, c + 1) for c in range(c0, c1)]
    else:
        raise ctx.error(f"Unknown mergeType {kind}")
    for b0, b1, d0, d1 in blocks:
        if (b1 - b0) * (d1 - d0) < 2:
            continue
        merge = {
            "sheetId": sheet.sheet_id,
            "startRowIndex": b0,
            "endRowIndex": b1,
            "startColumnIndex": d0,
            "endColumnIndex": d1,
        }
        sheet.merges = [m for m in sheet.merges if not _overlaps(m, merge)]
        sheet.merges.append(merge)
        # only the top-left value survives a merge
        for r, c, cell in sheet.iter_cells(b0, b1, d0, d1):
            if (r, c) != (b0, d0) and cell:
                set_entered(cell, None, ctx.ss.locale)
    sheet.compact()
    return None


def unmerge_cells(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet, r0, r1, c0, c1 = ctx.grid_range(req.get("range"))
    area = {"startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1}
    sheet.merges = [m for m in sheet.merges if not _overlaps(m, area)]
    return None


def set_basic_filter(ctx: Ctx, req: dict[str, Any]) -> Reply:
    raw = req.get("filter") or {}
    sheet, r0, r1, c0, c1 = ctx.grid_range(raw.get("range"))
    stored = normalize_colors(copy.deepcopy(raw))
    # Google stores the filter's range with every bound filled in
    stored["range"] = {
        "sheetId": sheet.sheet_id,
        "startRowIndex": r0,
        "endRowIndex": r1,
        "startColumnIndex": c0,
        "endColumnIndex": c1,
    }
    sheet.basic_filter = stored
    return None


def clear_basic_filter(ctx: Ctx, req: dict[str, Any]) -> Reply:
    ctx.sheet(req.get("sheetId", 0)).basic_filter = None
    return None


def sort_range(ctx: Ctx, req: dict[str, Any]) -> Reply:
    sheet, r0, r1, c0, c1 = ctx.grid_range(req.get("range"))
    specs = []
    for spec in req.get("sortSpecs") or []:
        col = spec.get("dimensionIndex", 0)
        if not c0 <= col < c1:
            raise ctx.error(f"sortSpecs dimensionIndex {col} is outside the range.")
        specs.append((col, spec.get("sortOrder") == "DESCENDING"))
    sheet.sort(r0, min(r1, max(len(sheet.rows), r0)), c0, c1, specs or [(c0, False)])
    return None


def add_banding(ctx: Ctx, req: dict[str, Any]) -> Reply:
    raw = req.get("bandedRange") or {}
    sheet = ctx.grid_range(raw.get("range"))[0]
    taken = {b["bandedRangeId"] for s in ctx.ss.sheets for b in s.banded_ranges}
    band = normalize_colors(copy.deepcopy(raw))
    band["bandedRangeId"] = raw.get("bandedRangeId") or ctx.new_id(taken)
    band["range"] = {
        "sheetId": sheet.sheet_id,
        **{k: v for k, v in raw["range"].items() if k != "sheetId"},
    }
    sheet.banded_ranges.append(band)
    public = copy.deepcopy(band)
    if public["range"].get("sheetId") == 0:
        del public["range"]["sheetId"]
    return {"addBanding": {"bandedRange": public}}


def delete_banding(ctx: Ctx, req: dict[str, Any]) -> Reply:
    for sheet in ctx.ss.sheets:
        for band in sheet.banded_ranges:
            if band["bandedRangeId"] == req.get("bandedRangeId"):
                sheet.banded_ranges.remove(band)
                return None
    raise ctx.error(f"No banded range with id: {req.get('bandedRangeId')}")


HANDLERS: dict[str, Handler] = {
    "updateCells": update_cells,
    "repeatCell": repeat_cell,
    "appendCells": append_cells,
    "setDataValidation": set_data_validation,
    "addConditionalFormatRule": add_conditional_format_rule,
    "updateConditionalFormatRule": update_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
    "addProtectedRange": add_protected_range,
    "updateProtectedRange": update_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
    "setBasicFilter": set_basic_filter,
    "clearBasicFilter": clear_basic_filter,
    "sortRange": sort_range,
    "addBanding": add_banding,
    "deleteBanding": delete_banding,
}
