"""What every read asks Google for: the endpoint, the field mask and the parameters.

One place, so that what a run costs can be read off the page, and pinned by
tests/stores/test_read_masks.py: widening a mask (another field, more cells) must be a
decision measured with ``scripts/bench.py --only e2e``, never a side effect.

The read (see ``reader.py``) takes the values from the values API, where a cell costs its
text and a comma, and goes to grid data (a JSON object per cell, 35 bytes and more of keys)
only for the few cells whose value alone does not say what staff typed.
"""

from __future__ import annotations

from typing import Any

COMPACT = {"prettyPrint": "false"}  # unindented answers: half the bytes at a million cells

SHEET_PROPERTIES = (
    "properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount,frozenRowCount))"
)
# The write refers to the sheets by ID, counts their grid cells against Google's limit and
# replaces its own conditional-format rules and protections; a sheet that is not a grid (a
# chart on a sheet of its own) has no values to read; the title, locale and time zone are
# for people reading a dump.
META_FIELDS = (
    "spreadsheetId,properties(title,locale,timeZone),"
    f"sheets({SHEET_PROPERTIES},conditionalFormats,"
    "protectedRanges(protectedRangeId,description,warningOnly,range))"
)
# 1. spreadsheets.get: the sheets and what the write needs, no cells.
META_PARAMS: dict[str, Any] = {"fields": META_FIELDS, **COMPACT}

# 2. values.batchGet of the registers: a formula as its formula ("=SUM(A1:A3)"), text as
#    text ("0812345678" stays a string), numbers as numbers, a date cell as its serial.
VALUES_PARAMS: dict[str, Any] = {
    "valueRenderOption": "FORMULA",
    "dateTimeRenderOption": "SERIAL_NUMBER",
    "majorDimension": "ROWS",
    **COMPACT,
}

# 3. values.batchGet of the columns holding numbers that could be dates, only when there
#    are some: a date, time or duration cell comes back as text in its own format, any other
#    number as the same number, which also shows the cell did not change since (2).
DATES_PARAMS: dict[str, Any] = {
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "FORMATTED_STRING",
    "majorDimension": "COLUMNS",
    **COMPACT,
}

# 4. spreadsheets.get of the few cells (2) cannot settle, only when there are some: a
#    formula's last value, an error cell, text that starts with "=", a number whose format
#    (3) did not name. userEnteredValue checks each against (2).
CELL_FIELDS = "values(userEnteredValue,effectiveValue,userEnteredFormat(numberFormat(type)))"
CELLS_FIELDS = f"sheets(properties(title),data(startRow,startColumn,rowData({CELL_FIELDS})))"
CELLS_PARAMS: dict[str, Any] = {"fields": CELLS_FIELDS, **COMPACT}

# The write's own read, just before it: the notes on the registers, to replace the tool's
# and keep staff's. `kspo validate` never asks for them.
NOTES_FIELDS = "sheets(properties(title),data(startRow,startColumn,rowData(values(note))))"
NOTES_PARAMS: dict[str, Any] = {"fields": NOTES_FIELDS, **COMPACT}

# The other design, measured beside this one (README, Performance) and used when the
# spreadsheet keeps changing under the read above (see reader.py): everything in one
# spreadsheets.get of grid data, each cell as typed with its number format (no
# effectiveValue, which repeats the value of every plain cell), then (4) for formulas.
SNAPSHOT_FIELDS = (
    META_FIELDS[:-1]
    + ",data(startRow,startColumn,rowData(values(userEnteredValue,"
    + "userEnteredFormat(numberFormat(type))))))"
)
SNAPSHOT_PARAMS: dict[str, Any] = {"fields": SNAPSHOT_FIELDS, **COMPACT}
