"""``spreadsheets:batchUpdate``: every request applies to a copy, all or nothing."""

from __future__ import annotations

from typing import Any

from . import requests_cells, requests_sheets
from .context import Ctx
from .errors import ApiError, invalid
from .fields import MaskError, MaskTree, apply_mask, parse_mask
from .json_out import Chunked
from .model import Spreadsheet
from .render import GridParts, spreadsheet_resource, trim_grid
from .state import SheetsState
from .values_api import bounds, resolve

HANDLERS = {**requests_sheets.HANDLERS, **requests_cells.HANDLERS}

# Request kinds Google accepts that the stand-in does not model: answered 501, not 400,
# so a test can tell "Google would refuse this" from "the stand-in cannot do this".
KNOWN_ELSEWHERE = frozenset(
    {
        "updateBorders",
        "updateEmbeddedObjectPosition",
        "updateEmbeddedObjectBorder",
        "duplicateSheet",
        "findReplace",
        "insertRange",
        "deleteRange",
        "moveDimension",
        "copyPaste",
        "cutPaste",
        "pasteData",
        "textToColumns",
        "addFilterView",
        "updateFilterView",
        "deleteFilterView",
        "duplicateFilterView",
        "addChart",
        "updateChartSpec",
        "deleteEmbeddedObject",
        "updateBanding",
        "createDeveloperMetadata",
        "updateDeveloperMetadata",
        "deleteDeveloperMetadata",
        "randomizeRange",
        "addDimensionGroup",
        "deleteDimensionGroup",
        "updateDimensionGroup",
        "trimWhitespace",
        "deleteDuplicates",
        "addSlicer",
        "updateSlicerSpec",
        "addDataSource",
        "updateDataSource",
        "deleteDataSource",
        "refreshDataSource",
        "cancelDataSourceRefresh",
        "addTable",
        "updateTable",
        "deleteTable",
    }
)


def batch_update(
    state: SheetsState, spreadsheet_id: str, body: Any, fields: str = ""
) -> dict[str, Any]:
    """Validate and apply every request on a copy; commit only if all succeed.

    ``fields`` is the response field mask (the ``fields`` query parameter), as Google
    applies it to the BatchUpdateSpreadsheetResponse.
    """
    tree: MaskTree | None = None
    if fields:
        try:
            tree = parse_mask(fields)
        except MaskError:
            raise invalid(f"Invalid field selection {fields}") from None
    if not isinstance(body, dict):
        raise invalid("Invalid JSON payload received. Expected an object.")
    requests = body.get("requests") or []
    if not isinstance(requests, list):
        raise invalid("Invalid value at 'requests' (type.googleapis.com/google.protobuf.ListValue)")
    with state.transaction(spreadsheet_id) as working:
        replies = []
        cells = working.cell_count()
        for index, request in enumerate(requests):
            replies.append(_apply(state, working, index, request))
            after = working.cell_count()
            if after > state.cell_limit and after > cells:
                raise invalid(
                    f"Invalid requests[{index}].{next(iter(request))}: This action would increase"
                    f" the number of cells in the workbook above the limit of {state.cell_limit}"
                    " cells."
                )
            cells = after
        out: dict[str, Any] = {"spreadsheetId": spreadsheet_id, "replies": replies}
        if body.get("includeSpreadsheetInResponse"):
            sub = tree.get("updatedSpreadsheet") if tree is not None else None
            out["updatedSpreadsheet"] = _updated(working, body, sub)
            return Chunked(apply_mask(out, tree) if tree is not None else out)
    return apply_mask(out, tree) if tree is not None else out


def _apply(state: SheetsState, ss: Spreadsheet, index: int, request: Any) -> dict[str, Any]:
    if not isinstance(request, dict) or not request:
        raise invalid(f"Invalid requests[{index}]: No request set.")
    if len(request) > 1:
        names = ", ".join(sorted(request))
        raise invalid(
            f"Invalid requests[{index}]: only one kind of request may be set, got {names}"
        )
    name, payload = next(iter(request.items()))
    handler = HANDLERS.get(name)
    if handler is None:
        if name in KNOWN_ELSEWHERE:
            raise ApiError(
                501,
                f"requests[{index}].{name} is valid for Google but not implemented by the "
                "Sheets stand-in",
                status="UNIMPLEMENTED",
            )
        raise invalid(
            f"Invalid JSON payload received. Unknown name \"{name}\" at 'requests[{index}]': "
            "Cannot find field."
        )
    if not isinstance(payload, dict):
        raise invalid(f"Invalid requests[{index}].{name}: expected an object")
    reply = handler(Ctx(ss, state, index, name), payload)
    return reply or {}


def _updated(ss: Spreadsheet, body: dict[str, Any], mask: MaskTree | None) -> dict[str, Any]:
    ranges = body.get("responseRanges") or []
    include_grid = bool(body.get("responseIncludeGridData"))
    blocks = None
    if ranges:
        blocks = []
        for text in ranges:
            sheet, rng = resolve(ss, text)
            blocks.append((sheet, bounds(sheet, rng)))
    if mask:
        from .spreadsheets_api import _parts

        resource = spreadsheet_resource(
            ss, include_grid=include_grid, blocks=blocks, parts=_parts(mask)
        )
        return trim_grid(apply_mask(resource, mask))
    parts = GridParts(lazy=True)  # made while the answer is written
    return trim_grid(
        spreadsheet_resource(ss, include_grid=include_grid, blocks=blocks, parts=parts)
    )
