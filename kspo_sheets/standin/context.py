"""What every batchUpdate request handler shares: where it is, how it fails, colours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .colors import quantize_color
from .errors import ApiError, invalid
from .model import COLUMNS, ROWS, Sheet, Spreadsheet
from .state import SheetsState


@dataclass
class Ctx:
    """One request of a batch: the working copy, the request's index and name."""

    ss: Spreadsheet
    state: SheetsState
    index: int
    name: str

    def error(self, message: str) -> ApiError:
        return invalid(f"Invalid requests[{self.index}].{self.name}: {message}")

    def sheet(self, sheet_id: object) -> Sheet:
        sheet = self.ss.sheet_by_id(sheet_id if sheet_id is not None else 0)
        if sheet is None:
            raise self.error(f"No grid with id: {sheet_id}")
        return sheet

    def grid_range(self, gr: Any) -> tuple[Sheet, int, int, int, int]:
        """Resolve a GridRange (absent bounds are unbounded) and check it fits the grid."""
        if not isinstance(gr, dict):
            raise self.error("range is required")
        sheet = self.sheet(gr.get("sheetId", 0))
        r0 = gr.get("startRowIndex") or 0
        c0 = gr.get("startColumnIndex") or 0
        r1 = sheet.row_count if gr.get("endRowIndex") is None else gr["endRowIndex"]
        c1 = sheet.column_count if gr.get("endColumnIndex") is None else gr["endColumnIndex"]
        if min(r0, c0) < 0 or r1 < r0 or c1 < c0:
            raise self.error(f"Invalid range: {gr}")
        if r1 > sheet.row_count or c1 > sheet.column_count:
            raise self.error(
                f"Range ({sheet.a1(r0, max(r1, r0 + 1), c0, max(c1, c0 + 1))}) exceeds grid "
                f"limits. Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
            )
        return sheet, r0, r1, c0, c1

    def dimension_range(self, dr: Any, *, allow_end: bool = False) -> tuple[Sheet, str, int, int]:
        """Resolve a DimensionRange; ``allow_end`` lets an insertion start at the grid end."""
        if not isinstance(dr, dict):
            raise self.error("range is required")
        sheet = self.sheet(dr.get("sheetId", 0))
        dimension = dr.get("dimension")
        if dimension not in (ROWS, COLUMNS):
            raise self.error("dimension must be ROWS or COLUMNS")
        size = sheet.row_count if dimension == ROWS else sheet.column_count
        start = dr.get("startIndex") or 0
        end = size if dr.get("endIndex") is None else dr["endIndex"]
        limit = size + (1 if allow_end else 0)
        if start < 0 or end < start or (end > size and not allow_end) or start >= limit:
            noun = "row" if dimension == ROWS else "column"
            raise self.error(
                f"Invalid {noun} range [{start}, {end}) on a sheet with {size} {noun}s"
            )
        return sheet, dimension, start, end

    def new_id(self, taken: set[int]) -> int:
        return self.state.new_id(taken)


def touches(tree: Any, key: str) -> bool:
    """Whether a mask (sub)tree selects ``key``."""
    return tree is None or "*" in tree or key in tree


def sync_color_pair(
    target: dict[str, Any], source: dict[str, Any], tree: Any, color_key: str, style_key: str
) -> None:
    """Google keeps ``xColor`` and ``xColorStyle`` in step; mirror whichever was written.
    A style with neither ``rgbColor`` nor ``themeColor`` (e.g. ``{"rgbColor": null}``)
    clears the colour."""
    style = source.get(style_key)
    if touches(tree, style_key) and isinstance(style, dict):
        if style.get("rgbColor") is not None:
            rgb = quantize_color(style["rgbColor"])
            target[color_key] = rgb
            target[style_key] = {"rgbColor": dict(rgb)}
        elif style.get("themeColor"):
            target.pop(color_key, None)
            target[style_key] = {"themeColor": style["themeColor"]}
        else:
            target.pop(color_key, None)
            target.pop(style_key, None)
    elif touches(tree, color_key) and isinstance(source.get(color_key), dict):
        target[style_key] = {"rgbColor": dict(target.get(color_key, {}))}
    elif touches(tree, color_key) or touches(tree, style_key):
        target.pop(color_key, None)
        target.pop(style_key, None)
