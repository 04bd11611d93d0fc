"""What the Google read asks for, pinned: widening it must be a decision, not a side effect.

Each mask below is what a run costs. A field added to a per-cell mask is paid for on every
cell it covers (35 bytes and more a cell in grid data, where the values API sends the text
and a comma), so a change here should come with `scripts/bench.py --only e2e` run before and
after, and README's Performance section updated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from google_helpers import FAST, calls

from kspo_sheets.standin import StandIn
from kspo_sheets.standin.fields import parse_mask
from kspo_sheets.stores.google import masks
from kspo_sheets.stores.google.store import GoogleStore

COMPACT = {"prettyPrint": "false"}
META = (
    "spreadsheetId,properties(title,locale,timeZone),"
    "sheets(properties(sheetId,title,index,sheetType,"
    "gridProperties(rowCount,columnCount,frozenRowCount)),"
    "conditionalFormats,protectedRanges(protectedRangeId,description,warningOnly,range))"
)
PINNED: dict[str, dict[str, Any]] = {
    "meta": {"fields": META, **COMPACT},
    "values": {
        "valueRenderOption": "FORMULA",
        "dateTimeRenderOption": "SERIAL_NUMBER",
        "majorDimension": "ROWS",
        **COMPACT,
    },
    "dates": {
        "valueRenderOption": "UNFORMATTED_VALUE",
        "dateTimeRenderOption": "FORMATTED_STRING",
        "majorDimension": "COLUMNS",
        **COMPACT,
    },
    "cells": {
        "fields": "sheets(properties(title),data(startRow,startColumn,rowData(values("
        "userEnteredValue,effectiveValue,userEnteredFormat(numberFormat(type))))))",
        **COMPACT,
    },
    "notes": {
        "fields": "sheets(properties(title),data(startRow,startColumn,rowData(values(note))))",
        **COMPACT,
    },
    "snapshot": {
        "fields": META[:-1] + ",data(startRow,startColumn,rowData(values(userEnteredValue,"
        "userEnteredFormat(numberFormat(type))))))",
        **COMPACT,
    },
}
OWN = {
    "meta": masks.META_PARAMS,
    "values": masks.VALUES_PARAMS,
    "dates": masks.DATES_PARAMS,
    "cells": masks.CELLS_PARAMS,
    "notes": masks.NOTES_PARAMS,
    "snapshot": masks.SNAPSHOT_PARAMS,
}


def test_the_masks_are_the_pinned_ones() -> None:
    assert OWN == PINNED


def test_every_mask_parses_and_names_no_cell_field_twice() -> None:
    for name, params in PINNED.items():
        if "fields" in params:
            tree = parse_mask(params["fields"])
            assert tree, name
    cells = parse_mask(PINNED["cells"]["fields"])["sheets"]["data"]["rowData"]["values"]
    assert set(cells) == {"userEnteredValue", "effectiveValue", "userEnteredFormat"}
    # the snapshot design's cells: as typed and their number format, never effectiveValue
    snap = parse_mask(PINNED["snapshot"]["fields"])["sheets"]["data"]["rowData"]["values"]
    assert set(snap) == {"userEnteredValue", "userEnteredFormat"}
    # validation's read never asks for notes; only the write's own read does
    for name in ("meta", "values", "dates", "cells", "snapshot"):
        assert "note" not in str(PINNED[name]), name


def test_every_request_of_a_read_and_a_write_uses_the_pinned_parameters(
    sheets_standin: StandIn,
) -> None:
    """Both designs, over a sheet that needs every kind of call, ask for exactly these."""
    from helpers import phuket

    from kspo_sheets.pipeline import run_sync

    key = sheets_standin.state.create_spreadsheet(
        "ทะเบียน",
        {
            "ผู้ผลิต": [
                ["รหัสผู้ผลิต", "ไร่", "วันหมดอายุ", "สูตร"],
                ["P-0001", 5, dt.date(2024, 1, 31), "=1+1"],
            ]
        },
    )
    for design in ("values", "snapshot"):
        sheets_standin.reset_counts()
        store = GoogleStore(key, root=sheets_standin.url, policy=FAST, design=design)
        run_sync(phuket(), None, as_of=dt.date(2019, 9, 10), store=store, dry_run=True)
        kinds = calls(sheets_standin)
        assert kinds == (
            ["meta", "values", "dates", "cells", "notes"]
            if design == "values"
            else ["snapshot", "cells", "notes"]
        )
        for kind, record in zip(kinds, sheets_standin.requests, strict=True):
            asked = {k: v[-1] for k, v in record.query.items() if k != "ranges"}
            expected = dict(PINNED[kind])
            if kind == "snapshot":
                expected["includeGridData"] = "true"
            assert asked == expected, kind
