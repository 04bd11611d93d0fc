"""`kspo init`: lay out a new spreadsheet or workbook for a province's registers.

The layout is plain data (tabs, headers, widths, dropdown lists); each store renders it.
Only missing tabs are added: a tab that exists, staff's or the tool's, is left alone, so
running init again on a provisioned spreadsheet changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kspo_sheets.config.contract import RegisterSpec
from kspo_sheets.config.province import Config
from kspo_sheets.errors import SourceError
from kspo_sheets.status.layout import print_setup
from kspo_sheets.status.tabs import (
    FINDINGS_HEADER,
    FINDINGS_WIDTHS,
    HISTORY_HEADER,
    HISTORY_WIDTHS,
    PROGRESS_HEADER,
    PROGRESS_WIDTHS,
    empty_status_tabs,
)
from kspo_sheets.stores.base import APPEND_TEXT, MARKER_TEXT, BlankTab
from kspo_sheets.thai.gazetteer import Gazetteer
from kspo_sheets.thai.words import chunks
from kspo_sheets.thai.wrap import (
    SARABUN,
    TH_SARABUN,
    Font,
    cell_text_width,
    digit_width,
    row_height,
    text_width,
    units_for,
    wrap,
)

YES_NO = ["ใช่", "ไม่ใช่"]
# Rows the formats and dropdowns cover below the header in Google, whose grid counts against
# its 10-million-cell limit (in a workbook they cover the whole column).
DATA_ROWS = 10_000
# Column types typed as text: a leading zero, a dash or a slash must survive typing
# (0812345678, 83010101, 5-2-30 ไร่-งาน-วา, P-0001), and nothing becomes a number or a date.
TEXT_TYPES = frozenset(
    {
        "id",
        "village_code",
        "phone",
        "national_id",
        "text",
        "enum",
        "yesno",
        "amphoe",
        "tambon",
        "area",
    }
)
# One font and size for headers and data: a new register reads the same on screen and paper.
XLSX_FONT = Font(TH_SARABUN, 16)
GOOGLE_FONT = Font(SARABUN, 11)
MAX_UNITS = 40  # widest column, in digits of the tab's font; longer headers wrap


@dataclass
class TabLayout:
    key: str
    title: str
    headers: list[str]
    widths: list[float]  # digits of the tab's font (a column's width as Excel counts it)
    dropdowns: dict[int, list[str]] = field(default_factory=dict)  # column index -> choices
    text_cols: set[int] = field(default_factory=set)  # columns formatted as text (@)
    owned: bool = False
    header_row: int = 1  # 1-based row of the headers (owned tabs carry the marker above)
    banner: str = ""  # an owned tab's first row

    def header_cells(self, font: Font, digit_pt: float) -> tuple[list[str], int]:
        """The headers as written, broken between words where they wrap at the columns'
        widths (a viewer would cut "เครือ|ข่าย"), and the lines the tallest one takes.

        The validator reads a line break in a header as a space, and matches headers
        without spaces, so a broken header is found as the contract's."""
        bold = font.at(font.size, bold=True)
        cells = []
        lines = 1
        for h, w in zip(self.headers, self.widths, strict=False):
            parts = wrap(h, cell_text_width(w, digit_pt), bold)
            cells.append("\n".join(parts))
            lines = max(lines, len(parts))
        return cells, lines


def _choices(col: Any, gaz: Gazetteer) -> list[str] | None:
    if col.type == "enum":
        return list(col.values)
    if col.type == "yesno":
        return YES_NO
    if col.type == "amphoe":
        return gaz.amphoe_names()
    return None


def _units(texts: list[str], font: Font, *, floor: float = 8) -> float:
    """Digits of the font a column needs for the widest of `texts` on one line, within bounds."""
    digit = digit_width(font)
    need = max((units_for(text_width(t, font), digit) for t in texts if t), default=floor)
    return round(min(max(need + 0.5, floor), MAX_UNITS), 1)


def register_layout(spec: RegisterSpec, gaz: Gazetteer) -> TabLayout:
    headers = [c.header for c in spec.columns]
    bold = XLSX_FONT.at(XLSX_FONT.size, bold=True)
    # A long header wraps between its words rather than widen its column past 16 digits; the
    # column is never narrower than the header's longest word.
    widths = [
        max(_units([c.strip() for c in chunks(h)], bold, floor=10), min(_units([h], bold), 16))
        for h in headers
    ]
    drops = {}
    text_cols = set()
    for j, col in enumerate(spec.columns):
        ch = _choices(col, gaz)
        if ch:
            drops[j] = ch
            widths[j] = max(widths[j], min(_units(ch, XLSX_FONT), 30))
        if col.type in TEXT_TYPES:
            text_cols.add(j)
    return TabLayout(spec.key, spec.tab, headers, widths, drops, text_cols)


def layout(config: Config) -> list[TabLayout]:
    gaz = Gazetteer(config.province_code)
    tabs = [register_layout(spec, gaz) for spec in config.registers.values()]
    digit = digit_width(XLSX_FONT)
    for key, header, widths, banner in (
        ("findings", FINDINGS_HEADER, FINDINGS_WIDTHS, MARKER_TEXT),
        ("progress", PROGRESS_HEADER, PROGRESS_WIDTHS, MARKER_TEXT),
        ("history", HISTORY_HEADER, HISTORY_WIDTHS, APPEND_TEXT),
    ):
        tabs.append(
            TabLayout(
                key,
                config.owned_tabs[key],
                header,
                [round(units_for(w, digit), 1) for w in widths],
                owned=True,
                header_row=2,
                banner=banner,
            )
        )
    return tabs


def blank_tabs(config: Config) -> list[BlankTab]:
    """The registers' tabs as a workbook gets them: widths in points of the registers' font,
    headers broken between words, text columns, dropdowns, print setup."""
    digit = digit_width(XLSX_FONT)
    out = []
    for t in layout(config):
        if t.owned:
            continue
        headers, lines = t.header_cells(XLSX_FONT, digit)
        out.append(
            BlankTab(
                t.title,
                headers,
                [cell_text_width(w, digit) for w in t.widths],
                font=XLSX_FONT,
                header_height=row_height(lines, XLSX_FONT),
                row_height=row_height(1, XLSX_FONT),
                text_cols=set(t.text_cols),
                dropdowns=dict(t.dropdowns),
                print_setup=print_setup(t.title, header_row=t.header_row),
            )
        )
    return out


def init_xlsx(config: Config, path: Path) -> tuple[list[str], list[str]]:
    """Create or complete a workbook: missing tabs are added, existing ones untouched.

    Returns the titles added and notes for the operator. An existing workbook is patched,
    never loaded and saved again (what staff made stays byte for byte); a new one is made
    with the registers' font as its default, so every cell staff type reads like its
    header and column widths count its digits."""
    from kspo_sheets.stores.xlsx.provision import add_tabs

    return add_tabs(
        path,
        empty_status_tabs(config),
        blank_tabs(config),
        font=XLSX_FONT,
        backups=config.backups,
    )


def google_requests(
    config: Config, existing: dict[str, int]
) -> tuple[list[dict[str, Any]], list[str]]:
    """batchUpdate requests adding the missing tabs (existing: title -> sheetId)."""
    from kspo_sheets.stores.google.cells import owned_sheet_id, rgb

    font = {"fontFamily": GOOGLE_FONT.family, "fontSize": GOOGLE_FONT.size}
    digit_px = digit_width(GOOGLE_FONT) * 4 / 3
    requests: list[dict[str, Any]] = []
    added = []
    taken = set(existing.values())
    for t in layout(config):
        if t.title in existing:
            continue
        sid = owned_sheet_id(t.title, taken)
        taken.add(sid)
        ncols = max(len(t.headers), 1)
        rows = t.header_row + (1 if t.owned else DATA_ROWS)
        requests.append(
            {
                "addSheet": {
                    "properties": {
                        "sheetId": sid,
                        "title": t.title,
                        "gridProperties": {
                            "rowCount": rows,
                            "columnCount": ncols,
                            "frozenRowCount": t.header_row,
                        },
                    }
                }
            }
        )
        requests.append(
            {
                "repeatCell": {
                    "range": {"sheetId": sid},
                    "cell": {"userEnteredFormat": {"textFormat": font}},
                    "fields": "userEnteredFormat.textFormat",
                }
            }
        )
        for j in sorted(t.text_cols):
            requests.append(
                {
                    "repeatCell": {
                        "range": {
                            "sheetId": sid,
                            "startRowIndex": t.header_row,
                            "endRowIndex": rows,
                            "startColumnIndex": j,
                            "endColumnIndex": j + 1,
                        },
                        "cell": {"userEnteredFormat": {"numberFormat": {"type": "TEXT"}}},
                        "fields": "userEnteredFormat.numberFormat",
                    }
                }
            )
        lines = []
        if t.owned:
            lines.append(
                {
                    "values": [
                        {
                            "userEnteredValue": {"stringValue": t.banner},
                            "userEnteredFormat": {
                                "textFormat": {**font, "italic": True, "fontSize": 9}
                            },
                        }
                    ]
                }
            )
        header_format = {
            "textFormat": {**font, "bold": True},
            "backgroundColor": rgb("D9E1F2"),
            "wrapStrategy": "WRAP",
            "verticalAlignment": "MIDDLE",
        }
        headers, header_lines = t.header_cells(GOOGLE_FONT, digit_width(GOOGLE_FONT))
        lines.append(
            {
                "values": [
                    {"userEnteredValue": {"stringValue": h}, "userEnteredFormat": header_format}
                    for h in headers
                ]
            }
        )
        requests.append(
            {
                "updateCells": {
                    "start": {"sheetId": sid, "rowIndex": 0, "columnIndex": 0},
                    "rows": lines,
                    "fields": "userEnteredValue,userEnteredFormat",
                }
            }
        )
        for j, w in enumerate(t.widths):
            requests.append(_dimension(sid, "COLUMNS", j, round(w * digit_px + GOOGLE_CELL_PAD_PX)))
        header_px = row_height(header_lines, GOOGLE_FONT)
        requests.append(
            _dimension(sid, "ROWS", t.header_row - 1, max(round(header_px * 4 / 3), 21))
        )
        for j, choices in t.dropdowns.items():
            requests.append(
                {
                    "setDataValidation": {
                        "range": {
                            "sheetId": sid,
                            "startRowIndex": t.header_row,
                            "endRowIndex": rows,
                            "startColumnIndex": j,
                            "endColumnIndex": j + 1,
                        },
                        "rule": {
                            "condition": {
                                "type": "ONE_OF_LIST",
                                "values": [{"userEnteredValue": v} for v in choices],
                            },
                            "strict": False,
                            "showCustomUi": True,
                        },
                    }
                }
            )
        if t.owned:
            requests.append(
                {
                    "addProtectedRange": {
                        "protectedRange": {
                            "range": {"sheetId": sid},
                            "description": "kspo-sheets: written by the tool",
                            "warningOnly": True,
                        }
                    }
                }
            )
        added.append(t.title)
    return requests, added


GOOGLE_CELL_PAD_PX = 8  # Sheets leaves about 3 px each side of a cell's text, and a border


def _dimension(sid: int, dimension: str, index: int, pixels: int) -> dict[str, Any]:
    return {
        "updateDimensionProperties": {
            "range": {
                "sheetId": sid,
                "dimension": dimension,
                "startIndex": index,
                "endIndex": index + 1,
            },
            "properties": {"pixelSize": pixels},
            "fields": "pixelSize",
        }
    }


def init_google(config: Config, store: Any) -> list[str]:
    """Provision a Google spreadsheet in one batchUpdate (after one read of its tabs)."""
    from urllib.parse import quote

    doc = store.http.get_json(
        f"/v4/spreadsheets/{quote(store.key)}",
        params={"fields": "sheets.properties(sheetId,title)"},
    )
    existing = {s["properties"]["title"]: s["properties"]["sheetId"] for s in doc.get("sheets", [])}
    requests, added = google_requests(config, existing)
    if requests:
        store.http.post_json(
            f"/v4/spreadsheets/{quote(store.key)}:batchUpdate", {"requests": requests}
        )
    return added


def check_target(path: Path) -> None:
    from kspo_sheets.stores.xlsx.files import SUFFIXES

    if path.exists() and path.suffix.lower() not in SUFFIXES:
        raise SourceError(f"{path} is not an .xlsx workbook", hint="Give a path ending in .xlsx.")
