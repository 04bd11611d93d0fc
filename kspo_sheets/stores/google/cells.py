"""What the tool writes into a spreadsheet's cells: its own marks (note prefix, the
highlight formula), colours and fonts, and one status-tab cell as the API takes it."""

from __future__ import annotations

import math
import zlib
from typing import Any

from kspo_sheets.stores.base import MARKER, OWNED_FONT, OwnedTab
from kspo_sheets.thai.text import safe_text
from kspo_sheets.thai.wrap import SARABUN, Font, line_count, row_height

NOTE_PREFIX = f"[{MARKER}]"
CF_MARK = f'N("{MARKER}")=0'
FONT = "Sarabun"
STATUS_FONT = Font(SARABUN, 10)  # Sheets' default size: the owned tabs set only the family
STATUS_BOLD = STATUS_FONT.at(STATUS_FONT.size, bold=True)
# A width measured in TH Sarabun New 14 (OwnedTab.widths) holds the same text in Sarabun 10
# at 10/14 of it: Sarabun's advance widths are TH Sarabun New's to within 3.5 % on the
# sample's messages, and the rest is room to spare.
SCALE = STATUS_FONT.size / OWNED_FONT.size * 1.05
CELL_PAD_PX = 8  # Sheets' padding beside a cell's text, both sides, and the grid line
STATUS_ROW_PX = 21  # Sheets' default row: one line of 10 pt text
IDS_PER_RULE = 100

COLOURS = {
    "error": "F4B6B6",
    "warning": "FFE08A",
    "notice": "BDD7EE",
    "achieved": "C6EFCE",
    "not_achieved": "FFC7CE",
    "no_data": "EDEDED",
    "info": "FFFFFF",
    "subheader": "D9E1F2",
    "header": "D9E1F2",
}


def rgb(hex_rgb: str) -> dict[str, float]:
    return {
        "red": int(hex_rgb[0:2], 16) / 255,
        "green": int(hex_rgb[2:4], 16) / 255,
        "blue": int(hex_rgb[4:6], 16) / 255,
    }


def owned_sheet_id(title: str, taken: set[int]) -> int:
    """A stable sheetId for a new owned tab, not clashing with the spreadsheet's."""
    sid = zlib.crc32(title.encode()) & 0x7FFFFFFF
    while sid in taken or sid == 0:
        sid = (sid + 1) & 0x7FFFFFFF
    return sid


# The format every cell of a status tab has; a tab written whole gets it from one repeatCell
# over the tab, and its cells carry only what differs (at 2 KB a findings row with the
# format in every cell, Google's 10 MiB request limit would hold only ~4,000 findings).
BASE_FORMAT: dict[str, Any] = {
    "textFormat": {"fontFamily": FONT},
    "wrapStrategy": "WRAP",
    "verticalAlignment": "TOP",
}
BASE_FIELDS = "userEnteredFormat(textFormat.fontFamily,wrapStrategy,verticalAlignment)"
OWN_FIELDS = "userEnteredValue,userEnteredFormat(backgroundColor,numberFormat,textFormat.bold)"


def cell_data(
    value: Any,
    style: str | None = None,
    *,
    bold: bool = False,
    link: str | None = None,
    base: bool = True,
) -> dict[str, Any]:
    """One cell to write: numbers as numbers, everything else as a string, never a formula.

    With ``base=False`` the cell leaves out BASE_FORMAT (and a bold of False): for a write
    whose fields are OWN_FIELDS, with BASE_FORMAT laid by a repeatCell."""
    out: dict[str, Any] = {}
    number_format: dict[str, str] | None = None
    if link is not None:
        text = safe_text(str(value)).replace('"', '""')
        href = link.replace('"', '""')
        out["userEnteredValue"] = {"formulaValue": f'=HYPERLINK("{href}","{text}")'}
    elif isinstance(value, bool):
        out["userEnteredValue"] = {"stringValue": "TRUE" if value else "FALSE"}
    elif isinstance(value, (int, float)):
        out["userEnteredValue"] = {"numberValue": value}
        number_format = {
            "type": "NUMBER",
            "pattern": "#,##0" if float(value).is_integer() else "#,##0.0#",
        }
    elif value is not None and value != "":
        # Control characters and lone surrogates (read from a cell) are not text Google keeps.
        out["userEnteredValue"] = {"stringValue": safe_text(str(value))}
    bold = bold or style in ("section", "subheader")
    fmt: dict[str, Any]
    if base:
        fmt = {
            "textFormat": {"fontFamily": FONT, "bold": bold},
            "wrapStrategy": "WRAP",
            "verticalAlignment": "TOP",
        }
    else:
        fmt = {"textFormat": {"bold": True}} if bold else {}
    if number_format is not None:
        fmt["numberFormat"] = number_format
    if style in COLOURS:
        fmt["backgroundColor"] = rgb(COLOURS[style])
    if fmt:
        out["userEnteredFormat"] = fmt
    return out


# --- the owned tabs' layout ----------------------------------------------------------------


def column_pixels(widths: list[float]) -> list[int]:
    """Sheets column widths for an owned tab's widths (points of TH Sarabun New 14 text)."""
    return [round(w * SCALE * 4 / 3) + CELL_PAD_PX for w in widths]


def row_pixels(t: OwnedTab, rows: list[list[Any]]) -> list[int]:
    """Each row's height: its tallest cell's lines of Sarabun 10, at least Sheets' default."""
    text_pt = [w * SCALE for w in t.widths]
    out = []
    header = rows is not t.rows
    for i, row in enumerate(rows):
        lines = 1
        section = len(row) == 1 or t.styles.get((i, 0)) == "section"
        if not section:
            for j, v in enumerate(row):
                if isinstance(v, str) and v and j < len(text_pt):
                    bold = header or t.styles.get((i, j)) == "subheader"
                    font = STATUS_BOLD if bold else STATUS_FONT
                    lines = max(lines, line_count(v, text_pt[j], font))
        out.append(max(STATUS_ROW_PX, math.ceil(row_height(lines, STATUS_FONT) * 4 / 3)))
    return out
