"""``GET /v4/spreadsheets/{id}`` and ``POST /v4/spreadsheets``."""

from __future__ import annotations

from typing import Any

from .errors import invalid
from .fields import MaskError, MaskTree, apply_mask, parse_mask
from .json_out import Chunked
from .model import Sheet, Spreadsheet
from .render import Block, GridParts, spreadsheet_resource, trim_grid
from .state import SheetsState
from .values_api import Params, bounds, resolve


def get_spreadsheet(ss: Spreadsheet, params: Params) -> dict[str, Any]:
    """Metadata, plus grid data when asked for (``includeGridData=true`` or a mask naming
    ``sheets.data``); ``ranges`` limits the answer to the sheets and blocks named."""
    fields = params.get("fields", [""])[-1]
    tree = None
    if fields:
        try:
            tree = parse_mask(fields)
        except MaskError:
            raise invalid(f"Invalid field selection {fields}") from None
    include = params.get("includeGridData", ["false"])[-1].lower() == "true"
    sheets_mask = (tree or {}).get("sheets")
    if isinstance(sheets_mask, dict) and "data" in sheets_mask:
        include = True
    blocks: list[tuple[Sheet, Block]] | None = None
    if params.get("ranges"):
        blocks = []
        for text in params["ranges"]:
            sheet, rng = resolve(ss, text)
            blocks.append((sheet, bounds(sheet, rng)))
    resource = spreadsheet_resource(ss, include_grid=include, blocks=blocks, parts=_parts(tree))
    if tree is not None:
        resource = apply_mask(resource, tree)
    resource = trim_grid(resource)
    return Chunked(resource) if include else resource


def _parts(tree: MaskTree | None) -> GridParts:
    """The grid data the mask asks for; rows are made while the answer is written."""
    row_data, rows = _below(tree, "sheets", "data", "rowData")
    return GridParts(
        row_data=row_data,
        rows=rows,
        row_metadata=_below(tree, "sheets", "data", "rowMetadata")[0],
        column_metadata=_below(tree, "sheets", "data", "columnMetadata")[0],
        lazy=True,
    )


def _below(tree: MaskTree | None, *path: str) -> tuple[bool, MaskTree | None]:
    """Whether the mask selects ``path``, and its mask there (None: everything)."""
    node = tree
    for name in path:
        if node is None or "*" in node:
            return True, None
        if name not in node:
            return False, None
        node = node[name]
    return True, node


def create_spreadsheet(state: SheetsState, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise invalid("Invalid JSON payload received. Expected an object.")
    body = {k: v for k, v in body.items() if k != "spreadsheetId"}
    sheets = body.get("sheets") or [{"properties": {"title": "Sheet1"}}]
    titles = [((s.get("properties") or {}).get("title") or "").casefold() for s in sheets]
    if len(set(titles)) != len(titles):
        raise invalid("Invalid spreadsheet: duplicate sheet titles")
    sid = state.load_spreadsheet({**body, "sheets": sheets})
    return spreadsheet_resource(state.get(sid), include_grid=False)
