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
from kspo_sheets.errors import SourceError, WriteError
from kspo_sheets.status.tabs import (
    FINDINGS_HEADER,
    FINDINGS_WIDTHS,
    HISTORY_HEADER,
    HISTORY_WIDTHS,
    PROGRESS_HEADER,
    PROGRESS_WIDTHS,
)
from kspo_sheets.stores.base import MARKER_TEXT
from kspo_sheets.thai.gazetteer import Gazetteer
from kspo_sheets.thai.text import display_width

YES_NO = ["ใช่", "ไม่ใช่"]
DATA_ROWS = 1000  # rows the dropdowns cover in a new register


@dataclass
class TabLayout:
    key: str
    title: str
    headers: list[str]
    widths: list[int]
    dropdowns: dict[int, list[str]] = field(default_factory=dict)  # column index -> choices
    owned: bool = False
    header_row: int = 1  # 1-based row of the headers (owned tabs carry the marker above)


def _choices(col: Any, gaz: Gazetteer) -> list[str] | None:
    if col.type == "enum":
        return list(col.values)
    if col.type == "yesno":
        return YES_NO
    if col.type == "amphoe":
        return gaz.amphoe_names()
    return None


def register_layout(spec: RegisterSpec, gaz: Gazetteer) -> TabLayout:
    headers = [c.header for c in spec.columns]
    widths = [max(10, min(40, display_width(h) + 4)) for h in headers]
    drops = {}
    for j, col in enumerate(spec.columns):
        ch = _choices(col, gaz)
        if ch:
            drops[j] = ch
            widths[j] = max(widths[j], min(30, max(display_width(x) for x in ch) + 4))
    return TabLayout(spec.key, spec.tab, headers, widths, drops)


def layout(config: Config) -> list[TabLayout]:
    gaz = Gazetteer(config.province_code)
    tabs = [register_layout(spec, gaz) for spec in config.registers.values()]
    for key, header, widths in (
        ("findings", FINDINGS_HEADER, FINDINGS_WIDTHS),
        ("progress", PROGRESS_HEADER, PROGRESS_WIDTHS),
        ("history", HISTORY_HEADER, HISTORY_WIDTHS),
    ):
        tabs.append(
            TabLayout(key, config.owned_tabs[key], header, widths, owned=True, header_row=2)
        )
    return tabs


def init_xlsx(config: Config, path: Path) -> list[str]:
    """Create or complete a workbook: missing tabs are added, existing ones untouched."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from kspo_sheets.stores.xlsx.store import _open, save_atomic

    if path.exists():
        wb = _open(path)
        created = False
    else:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        created = True
    added = []
    for t in layout(config):
        if t.title in wb.sheetnames:
            continue
        ws = wb.create_sheet(t.title)
        if t.owned:
            ws.cell(row=1, column=1, value=MARKER_TEXT).font = Font(
                name="TH Sarabun New", size=12, italic=True, color="808080"
            )
            ws.protection.sheet = False
        for j, h in enumerate(t.headers, start=1):
            c = ws.cell(row=t.header_row, column=j, value=h)
            c.font = Font(name="TH Sarabun New", size=16, bold=True)
            c.fill = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")
            c.alignment = Alignment(wrap_text=True, vertical="center")
            ws.column_dimensions[get_column_letter(j)].width = t.widths[j - 1]
        ws.freeze_panes = ws.cell(row=t.header_row + 1, column=1).coordinate
        for j, choices in t.dropdowns.items():
            letter = get_column_letter(j + 1)
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=False,  # a warning, not a wall: the validator reports variants
            )
            dv.add(f"{letter}{t.header_row + 1}:{letter}{t.header_row + DATA_ROWS}")
            ws.add_data_validation(dv)
        added.append(t.title)
    if added or created:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(
                f"Cannot create the folder {path.parent}: {exc.strerror or exc}",
                hint="Give --xlsx a path in a folder this user can write to.",
            ) from None
        save_atomic(wb, path)
    return added


def google_requests(
    config: Config, existing: dict[str, int]
) -> tuple[list[dict[str, Any]], list[str]]:
    """batchUpdate requests adding the missing tabs (existing: title -> sheetId)."""
    from kspo_sheets.stores.google.cells import FONT, cell_data, owned_sheet_id

    requests: list[dict[str, Any]] = []
    added = []
    taken = set(existing.values())
    for t in layout(config):
        if t.title in existing:
            continue
        sid = owned_sheet_id(t.title, taken)
        taken.add(sid)
        rows = DATA_ROWS + t.header_row
        requests.append(
            {
                "addSheet": {
                    "properties": {
                        "sheetId": sid,
                        "title": t.title,
                        "gridProperties": {
                            "rowCount": rows,
                            "columnCount": max(len(t.headers), 1),
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
                    "cell": {
                        "userEnteredFormat": {"textFormat": {"fontFamily": FONT, "fontSize": 11}}
                    },
                    "fields": "userEnteredFormat.textFormat",
                }
            }
        )
        lines = []
        if t.owned:
            lines.append({"values": [cell_data(MARKER_TEXT)]})
        lines.append({"values": [cell_data(h, "header", bold=True) for h in t.headers]})
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
            requests.append(
                {
                    "updateDimensionProperties": {
                        "range": {
                            "sheetId": sid,
                            "dimension": "COLUMNS",
                            "startIndex": j,
                            "endIndex": j + 1,
                        },
                        "properties": {"pixelSize": int(w * 7 + 10)},
                        "fields": "pixelSize",
                    }
                }
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
    if path.exists() and path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise SourceError(f"{path} is not an .xlsx workbook", hint="Give a path ending in .xlsx.")
