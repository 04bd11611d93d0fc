"""The Google store: one spreadsheets.get reads everything, one batchUpdate writes everything.

Reads take values exactly as typed (userEnteredValue: a phone typed as text stays text,
a date cell comes as a serial with a DATE format). Writes never put user text in as a
formula: every value is a stringValue or numberValue, and the only formulas are the
tool's own links. Highlights are conditional-format rules anchored on the row ID, so
they follow a row that staff move, insert above or sort between the read and the write.
"""

from __future__ import annotations

import datetime as dt
import time
import zlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from kspo_sheets.google_http import KspoHTTPClient, RetryPolicy, api_root, load_credentials
from kspo_sheets.json_stream import parse_stream
from kspo_sheets.lock import RunLock, lock_dir
from kspo_sheets.model import CellError, CellValue, Formula, RawTab, Snapshot
from kspo_sheets.store import MARKER, WritePlan, WriteReport
from kspo_sheets.thai_text import safe_text

NOTE_PREFIX = f"[{MARKER}]"
CF_MARK = f'N("{MARKER}")=0'
FONT = "Sarabun"
READ_FIELDS = (
    "spreadsheetId,properties(title,locale,timeZone),"
    "sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount,frozenRowCount)),"
    "conditionalFormats,protectedRanges(protectedRangeId,description,warningOnly,range),"
    "data(startRow,startColumn,rowData(values(userEnteredValue,effectiveValue,note,"
    "userEnteredFormat(numberFormat(type))))))"
)
# Google's answers are indented unless asked not to be: at a million cells that is more
# than half the bytes.
READ_PARAMS = {"includeGridData": "true", "fields": READ_FIELDS, "prettyPrint": "false"}
ROW_PATH = ("sheets", "*", "data", "*", "rowData", "*")
# The write's reply: only what the note check reads (IDs and notes), not whole columns
# with their formats.
WRITE_FIELDS = (
    "spreadsheetId,replies,updatedSpreadsheet(sheets(properties(title),"
    "data(startRow,startColumn,rowData(values(userEnteredValue,note)))))"
)
WRITE_PARAMS = {"fields": WRITE_FIELDS, "prettyPrint": "false"}
SERIAL_EPOCH = dt.date(1899, 12, 30)
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


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def _effective(ev: dict[str, Any] | None) -> CellValue:
    if not ev:
        return None
    if "stringValue" in ev:
        return str(ev["stringValue"])
    if "numberValue" in ev:
        return _number(ev["numberValue"])
    if "boolValue" in ev:
        return bool(ev["boolValue"])
    if "errorValue" in ev:
        return CellError(str(ev["errorValue"].get("type", "#ERROR!")))
    return None


def cell_value(cell: dict[str, Any]) -> CellValue:
    """A grid cell as typed: strings stay strings; date-formatted serials become dates."""
    uev = cell.get("userEnteredValue")
    if not uev:
        return None
    if "stringValue" in uev:
        return str(uev["stringValue"])
    if "numberValue" in uev:
        n = uev["numberValue"]
        kind = cell.get("userEnteredFormat", {}).get("numberFormat", {}).get("type")
        if kind in ("DATE", "DATE_TIME") and 0 < n < 2958466:
            return SERIAL_EPOCH + dt.timedelta(days=int(n))
        return _number(n)
    if "boolValue" in uev:
        return bool(uev["boolValue"])
    if "formulaValue" in uev:
        return Formula(str(uev["formulaValue"]), _effective(cell.get("effectiveValue")))
    if "errorValue" in uev:
        return CellError(str(uev["errorValue"].get("type", "#ERROR!")))
    return None


def _row(rd: Any) -> tuple[list[CellValue], dict[int, str] | None]:
    """One rowData item: its values as typed, and its notes by column (None when none)."""
    values = rd.get("values") if type(rd) is dict else None
    if not values:
        return [], None
    line: list[CellValue] = [None] * len(values)
    notes: dict[int, str] | None = None
    for j, cell in enumerate(values):
        if not cell:
            continue
        # Most cells are plain text: take those without the general path. At a million
        # cells this is a second saved (bench: scripts/bench.py).
        uev = cell.get("userEnteredValue")
        text = uev.get("stringValue") if type(uev) is dict else None
        line[j] = text if type(text) is str else cell_value(cell)
        note = cell.get("note")
        if note:
            if notes is None:
                notes = {}
            notes[j] = note
    return line, notes


class _Grid:
    """Rows of each (sheet, data block) as they arrive, placed once the blocks are known."""

    def __init__(self) -> None:
        self.blocks: dict[
            tuple[int, int], tuple[list[list[CellValue]], dict[tuple[int, int], str]]
        ] = {}

    def add(self, sheet: int, block: int, i: int, rd: Any) -> None:
        got = self.blocks.get((sheet, block))
        if got is None:
            got = self.blocks[(sheet, block)] = ([], {})
        rows, notes = got
        line, row_notes = _row(rd)
        while len(rows) < i:
            rows.append([])
        rows.append(line)
        if row_notes:
            for j, note in row_notes.items():
                notes[(i, j)] = note

    def on_item(self, at: tuple[int, ...], rd: Any, _parents: Any = ()) -> None:
        self.add(at[0], at[1], at[2], rd)

    def tab(self, index: int, sheet: dict[str, Any]) -> RawTab:
        """The sheet's RawTab: its blocks' rows placed at their start row and column."""
        props = sheet.get("properties", {}) or {}
        rows: list[list[CellValue]] = []
        notes: dict[tuple[int, int], str] = {}
        for b, block in enumerate(sheet.get("data", []) or []):
            block = block or {}
            got = self.blocks.pop((index, b), None)
            if got is None:
                continue
            block_rows, block_notes = got
            r0 = int(block.get("startRow", 0) or 0)
            c0 = int(block.get("startColumn", 0) or 0)
            if not rows and r0 == 0 and c0 == 0:
                rows = block_rows  # the usual case: one block from A1, taken as it is
            else:
                for i, line in enumerate(block_rows):
                    r = r0 + i
                    while len(rows) <= r:
                        rows.append([])
                    target = rows[r]
                    need = c0 + len(line)
                    if len(target) < need:
                        target.extend([None] * (need - len(target)))
                    for j, value in enumerate(line, c0):
                        if value is not None:
                            target[j] = value
            for (i, j), note in block_notes.items():
                notes[(r0 + i, c0 + j)] = note
        return RawTab(
            props.get("title", ""),
            rows,
            sheet_id=props.get("sheetId"),
            meta={
                "notes": notes,
                "conditional_formats": sheet.get("conditionalFormats", []) or [],
                "protected": sheet.get("protectedRanges", []) or [],
                "grid": props.get("gridProperties", {}),
                "index": props.get("index", 0),
            },
        )

    def snapshot(self, doc: dict[str, Any], source: str) -> Snapshot:
        tabs: dict[str, RawTab] = {}
        for index, sheet in enumerate(doc.get("sheets", []) or []):
            tab = self.tab(index, sheet or {})
            tabs[tab.title] = tab
        return Snapshot(
            source=source, tabs=tabs, meta={"spreadsheet_id": doc.get("spreadsheetId", "")}
        )


def parse_spreadsheet(doc: dict[str, Any], source: str) -> Snapshot:
    """A parsed spreadsheets.get answer (includeGridData) as a Snapshot."""
    grid = _Grid()
    for s, sheet in enumerate(doc.get("sheets", []) or []):
        for b, block in enumerate((sheet or {}).get("data", []) or []):
            for i, rd in enumerate((block or {}).get("rowData", []) or []):
                grid.add(s, b, i, rd)
    return grid.snapshot(doc, source)


def read_spreadsheet(chunks: Iterable[bytes], source: str) -> Snapshot:
    """The same, parsed as the answer arrives: each row is turned into values and dropped,
    so the answer is never held whole (see kspo_sheets/json_stream.py)."""
    grid = _Grid()
    doc = parse_stream(chunks, ROW_PATH, grid.on_item)
    if not isinstance(doc, dict):
        raise ValueError("the answer is not a JSON object")
    return grid.snapshot(doc, source)


class GoogleStore:
    """Registers in a Google spreadsheet, through gspread's HTTP client."""

    def __init__(
        self,
        key: str,
        *,
        credentials: str | None = None,
        deadline: float | None = None,
        root: str | None = None,
        policy: RetryPolicy | None = None,
        sleep: Any = time.sleep,
    ) -> None:
        self.key = key
        self.root = (root or api_root()).rstrip("/")
        self.description = f"Google spreadsheet {key}"
        self._credentials_path = credentials
        self._deadline = time.monotonic() + deadline if deadline else None
        self._policy = policy
        self._sleep = sleep
        self._http: KspoHTTPClient | None = None
        self.account: str | None = None

    @property
    def http(self) -> KspoHTTPClient:
        if self._http is None:
            creds, self.account = load_credentials(self._credentials_path, self.root)
            self._http = KspoHTTPClient(
                creds,
                root=self.root,
                policy=self._policy,
                deadline=self._deadline,
                account=self.account,
                sleep=self._sleep,
            )
        return self._http

    def lock(self) -> RunLock:
        return RunLock(lock_dir() / f"google-{self.key}.lock", self.description)

    def read(self) -> Snapshot:
        return self.http.get_streamed(
            f"/v4/spreadsheets/{quote(self.key)}",
            lambda chunks: read_spreadsheet(chunks, self.description),
            params=READ_PARAMS,
        )

    @staticmethod
    def _digest(batch: Any) -> Any:
        """Reads a write's reply as it streams, keeping only the IDs and notes it checks."""

        def consume(chunks: Iterable[bytes]) -> Any:
            digest = batch.reply_digest()
            reply = parse_stream(chunks, digest.PATH, digest.on_item)
            return digest.finish(reply)

        return consume

    def write(self, snapshot: Snapshot, plan: WritePlan, *, dry_run: bool = False) -> WriteReport:
        from kspo_sheets.google_requests import build_batch

        batch, data = build_batch(snapshot, plan)
        report = WriteReport(target=self.description, changed=False, details=batch.details)
        report.requests = len(batch.requests)
        if dry_run or not batch.requests:
            return report
        url = f"/v4/spreadsheets/{quote(self.key)}:batchUpdate"
        reply = self.http.post_streamed(url, data, self._digest(batch), params=WRITE_PARAMS)
        report.changed = True
        # Staff may have inserted, deleted or sorted rows between the read and this write.
        # Highlights follow the IDs by themselves; notes are placed by position, so check
        # them against the IDs the reply shows and move any that landed on another row.
        for _ in range(2):
            fix = batch.correction(reply)
            if not fix:
                break
            report.details.append(
                f"rows moved during the sync: {len(fix['requests'])} note(s) re-placed by row ID"
            )
            reply = self.http.post_streamed(url, fix, self._digest(batch), params=WRITE_PARAMS)
        return report


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
        out["userEnteredValue"] = {"formulaValue": f'=HYPERLINK("{link}","{text}")'}
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
