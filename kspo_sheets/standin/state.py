"""All spreadsheets the stand-in holds, plus helpers tests use to seed and to play staff.

Every public method takes the state lock, so a test may edit a sheet while the server
is answering another thread.
"""

from __future__ import annotations

import copy
import random
import string
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from .cells import Cell, refresh, seed_cell
from .colors import normalize_colors
from .model import COLUMNS, ROWS, Sheet, Spreadsheet
from .render import prune_defaults, spreadsheet_resource

OWNER_EMAIL = "standin-owner@kspo-sheets.invalid"
DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26
_ID_ALPHABET = string.ascii_letters + string.digits + "-_"


CELL_LIMIT = 10_000_000
PAYLOAD_LIMIT = 10_485_760


class SheetsState:
    """Spreadsheets by ID. IDs come from a seeded generator, so runs are reproducible."""

    def __init__(self, *, seed: int = 0, owner_email: str = OWNER_EMAIL) -> None:
        self.lock = threading.RLock()
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.owner_email = owner_email
        self._rng = random.Random(seed)
        # Google's limit on the cells of every grid in a spreadsheet, empty ones too; tests
        # lower it to try what happens at the limit without ten million cells.
        self.cell_limit = CELL_LIMIT
        # Google's front end refuses a request body larger than this, whatever the method.
        self.payload_limit = PAYLOAD_LIMIT
        # Drive (folders, files, shared drives, uploads) and Google's sign-in endpoints
        from .drive_state import DriveState
        from .oauth import OAuth

        self.drive = DriveState(self._rng)
        self.oauth = OAuth()

    # --- ids ------------------------------------------------------------------------------

    def new_spreadsheet_id(self) -> str:
        with self.lock:
            while True:
                new = "1" + "".join(self._rng.choice(_ID_ALPHABET) for _ in range(43))
                if new not in self.spreadsheets:
                    return new

    def new_id(self, taken: set[int]) -> int:
        """A fresh positive 31-bit id (sheetId, protectedRangeId, ...), unused in ``taken``."""
        with self.lock:
            while True:
                new = self._rng.randrange(1, 2**31 - 1)
                if new not in taken:
                    return new

    # --- lookup ---------------------------------------------------------------------------

    def get(self, spreadsheet_id: str) -> Spreadsheet:
        with self.lock:
            try:
                return self.spreadsheets[spreadsheet_id]
            except KeyError:
                raise KeyError(f"no spreadsheet {spreadsheet_id!r} in the stand-in") from None

    def sheet(self, spreadsheet_id: str, title: str) -> Sheet:
        with self.lock:
            ss = self.get(spreadsheet_id)
            sheet = ss.sheet_by_title(title)
            if sheet is None:
                raise KeyError(
                    f"no sheet titled {title!r} in {spreadsheet_id!r}; has {ss.titles()}"
                )
            return sheet

    @contextmanager
    def transaction(self, spreadsheet_id: str) -> Iterator[Spreadsheet]:
        """Work on a copy and swap it in only if the block finishes: all or nothing."""
        with self.lock:
            working = self.get(spreadsheet_id).cow_copy()
            yield working
            working.modified = time.time()
            self.spreadsheets[spreadsheet_id] = working

    # --- seeding --------------------------------------------------------------------------

    def create_spreadsheet(
        self,
        title: str = "Untitled spreadsheet",
        sheets: Mapping[str, Sequence[Sequence[object]]] | None = None,
        *,
        spreadsheet_id: str | None = None,
        locale: str = "th_TH",
        time_zone: str = "Asia/Bangkok",
        grid: tuple[int, int] | None = None,
        private: bool = False,
    ) -> str:
        """Create a spreadsheet seeded with values; returns its ID.

        Values: str -> text (a leading "=" makes a formula), int/float -> number,
        bool -> boolean, date/datetime -> date serial with a DATE format, None/"" -> empty,
        a dict -> a Google-shaped cell as is (to seed notes, formats, effectiveValue).
        ``grid`` fixes (rows, columns); by default a sheet is at least 1000 x 26 like Google's.
        """
        with self.lock:
            sid = spreadsheet_id or self.new_spreadsheet_id()
            now = time.time()
            ss = Spreadsheet(
                sid,
                {
                    "title": title,
                    "locale": locale,
                    "autoRecalc": "ON_CHANGE",
                    "timeZone": time_zone,
                },
                private=private,
                created=now,
                modified=now,
            )
            self.spreadsheets[sid] = ss
            for tab, rows in (sheets or {"Sheet1": []}).items():
                self.add_sheet(sid, tab, rows, grid=grid)
            return sid

    def add_sheet(
        self,
        spreadsheet_id: str,
        title: str,
        rows: Sequence[Sequence[object]] = (),
        *,
        sheet_id: int | None = None,
        grid: tuple[int, int] | None = None,
    ) -> int:
        """Append a tab (the first tab of a spreadsheet gets sheetId 0, as in Google)."""
        with self.lock:
            ss = self.get(spreadsheet_id)
            taken = {s.sheet_id for s in ss.sheets}
            if sheet_id is None:
                sheet_id = 0 if not ss.sheets else self.new_id(taken)
            width = max((len(r) for r in rows), default=0)
            row_count, column_count = grid or (
                max(DEFAULT_ROWS, len(rows)),
                max(DEFAULT_COLUMNS, width),
            )
            sheet = Sheet(
                {
                    "sheetId": sheet_id,
                    "title": title,
                    "index": len(ss.sheets),
                    "sheetType": "GRID",
                    "gridProperties": {"rowCount": row_count, "columnCount": column_count},
                }
            )
            ss.sheets.append(sheet)
            self._fill(ss, sheet, 0, 0, rows)
            return sheet_id

    def load_spreadsheet(self, resource: Mapping[str, Any]) -> str:
        """Load a Google-shaped Spreadsheet resource (as GET returns it, grid data optional).

        The shorthand ``{"title": ..., "sheets": {"Tab": [[values]]}}`` works too.
        """
        with self.lock:
            if isinstance(resource.get("sheets"), Mapping):
                return self.create_spreadsheet(
                    resource.get("title", "Untitled spreadsheet"),
                    resource["sheets"],
                    spreadsheet_id=resource.get("spreadsheetId"),
                    locale=resource.get("locale", "th_TH"),
                    time_zone=resource.get("timeZone", "Asia/Bangkok"),
                )
            props = dict(resource.get("properties", {}))
            props.pop("defaultFormat", None)
            props.pop("spreadsheetTheme", None)
            props.setdefault("title", "Untitled spreadsheet")
            props.setdefault("locale", "th_TH")
            props.setdefault("autoRecalc", "ON_CHANGE")
            props.setdefault("timeZone", "Asia/Bangkok")
            sid = resource.get("spreadsheetId") or self.new_spreadsheet_id()
            now = time.time()
            ss = Spreadsheet(sid, props, created=now, modified=now)
            ss.named_ranges = copy.deepcopy(list(resource.get("namedRanges", [])))
            for index, raw in enumerate(resource.get("sheets") or [{}]):
                props = copy.deepcopy(dict(raw.get("properties", {})))
                props.setdefault("sheetId", 0 if index == 0 else self.new_id(set()))
                props.setdefault("title", f"Sheet{index + 1}")
                props["index"] = index
                props.setdefault("sheetType", "GRID")
                grid_props = props.setdefault("gridProperties", {})
                grid_props.setdefault("rowCount", DEFAULT_ROWS)
                grid_props.setdefault("columnCount", DEFAULT_COLUMNS)
                sheet = Sheet(prune_defaults(props))
                sheet.merges = copy.deepcopy(list(raw.get("merges", [])))
                sheet.conditional_formats = copy.deepcopy(list(raw.get("conditionalFormats", [])))
                sheet.protected_ranges = copy.deepcopy(list(raw.get("protectedRanges", [])))
                sheet.banded_ranges = copy.deepcopy(list(raw.get("bandedRanges", [])))
                sheet.basic_filter = copy.deepcopy(raw.get("basicFilter"))
                ss.sheets.append(sheet)
                for data in raw.get("data", []):
                    rows = [
                        [_loaded_cell(cell) for cell in row.get("values", [])]
                        for row in data.get("rowData", [])
                    ]
                    self._fill(ss, sheet, data.get("startRow", 0), data.get("startColumn", 0), rows)
            self.spreadsheets[sid] = ss
            return sid

    def export(self, spreadsheet_id: str) -> dict[str, Any]:
        """The whole spreadsheet as GET ...?includeGridData=true would return it."""
        from .render import trim_grid

        with self.lock:
            return trim_grid(spreadsheet_resource(self.get(spreadsheet_id), include_grid=True))

    def delete_spreadsheet(self, spreadsheet_id: str) -> None:
        with self.lock:
            self.spreadsheets.pop(spreadsheet_id, None)

    def _fill(
        self, ss: Spreadsheet, sheet: Sheet, r0: int, c0: int, rows: Sequence[Sequence[object]]
    ) -> None:
        needed_rows = r0 + len(rows)
        needed_cols = c0 + max((len(r) for r in rows), default=0)
        if needed_rows > sheet.row_count or needed_cols > sheet.column_count:
            sheet.grid["rowCount"] = max(sheet.row_count, needed_rows)
            sheet.grid["columnCount"] = max(sheet.column_count, needed_cols)
            sheet.fit_metadata()
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = seed_cell(value)
                refresh(cell, ss.locale)
                sheet.put(r0 + r, c0 + c, cell)
        sheet.compact()

    # --- reading, for assertions ----------------------------------------------------------

    def values(self, spreadsheet_id: str, title: str) -> list[list[str]]:
        """Formatted values of a tab, trimmed like values.get (ragged rows, no trailing empties)."""
        with self.lock:
            sheet = self.sheet(spreadsheet_id, title)
            rows = sheet.rendered(
                0, sheet.row_count, 0, sheet.column_count, "FORMATTED_VALUE", "SERIAL_NUMBER"
            )
            out = [[v if v is not None else "" for v in row] for row in rows]
            for row in out:
                while row and row[-1] == "":
                    row.pop()
            while out and not out[-1]:
                out.pop()
            return out

    def cell(self, spreadsheet_id: str, title: str, row: int, col: int) -> Cell:
        """A copy of the cell at 0-based (row, col); ``{}`` when empty."""
        with self.lock:
            return copy.deepcopy(self.sheet(spreadsheet_id, title).cell(row, col) or {})

    # --- staff edits (between a tool's read and its write) ---------------------------------

    def set_values(
        self, spreadsheet_id: str, title: str, row: int, col: int, rows: Sequence[Sequence[object]]
    ) -> None:
        """Type values into a block starting at 0-based (row, col), keeping notes and formats."""
        with self.lock:
            ss = self.get(spreadsheet_id)
            sheet = self.sheet(spreadsheet_id, title)
            for r, line in enumerate(rows):
                for c, value in enumerate(line):
                    target = sheet.cell_for_write(row + r, col + c)
                    fresh = seed_cell(value)
                    for key in ("userEnteredValue", "effectiveValue", "formattedValue"):
                        target.pop(key, None)
                    target.update(fresh)
                    refresh(target, ss.locale)
            sheet.compact()
            ss.modified = time.time()

    def set_note(self, spreadsheet_id: str, title: str, row: int, col: int, note: str) -> None:
        with self.lock:
            cell = self.sheet(spreadsheet_id, title).cell_for_write(row, col)
            if note:
                cell["note"] = note
            else:
                cell.pop("note", None)

    def insert_rows(
        self,
        spreadsheet_id: str,
        title: str,
        at_row: int,
        count: int = 1,
        values: Sequence[Sequence[object]] | None = None,
    ) -> None:
        """Insert rows before 0-based ``at_row`` the way "Insert row above" does (formats of
        the row above carry over), optionally typing ``values`` into them."""
        with self.lock:
            sheet = self.sheet(spreadsheet_id, title)
            sheet.insert(ROWS, at_row, count, inherit_before=at_row > 0)
            if values:
                self.set_values(spreadsheet_id, title, at_row, 0, values)
            self.get(spreadsheet_id).modified = time.time()

    def delete_rows(self, spreadsheet_id: str, title: str, start_row: int, count: int = 1) -> None:
        with self.lock:
            self.sheet(spreadsheet_id, title).delete(ROWS, start_row, start_row + count)
            self.get(spreadsheet_id).modified = time.time()

    def insert_columns(self, spreadsheet_id: str, title: str, at_col: int, count: int = 1) -> None:
        with self.lock:
            self.sheet(spreadsheet_id, title).insert(
                COLUMNS, at_col, count, inherit_before=at_col > 0
            )
            self.get(spreadsheet_id).modified = time.time()

    def delete_columns(
        self, spreadsheet_id: str, title: str, start_col: int, count: int = 1
    ) -> None:
        with self.lock:
            self.sheet(spreadsheet_id, title).delete(COLUMNS, start_col, start_col + count)
            self.get(spreadsheet_id).modified = time.time()

    def sort_rows(
        self,
        spreadsheet_id: str,
        title: str,
        start_row: int,
        key_col: int,
        *,
        descending: bool = False,
    ) -> None:
        """Sort whole rows from 0-based ``start_row`` to the end of the data by one column,
        like "Sort sheet" under a frozen header: notes and formats move with their rows."""
        with self.lock:
            sheet = self.sheet(spreadsheet_id, title)
            end = max(len(sheet.rows), start_row)
            sheet.sort(start_row, end, 0, sheet.column_count, [(key_col, descending)])
            self.get(spreadsheet_id).modified = time.time()

    def add_rule(
        self, spreadsheet_id: str, title: str, rule: Mapping[str, Any], index: int = 0
    ) -> None:
        """Add a conditional-format rule at ``index`` as staff do in Format > Conditional
        formatting (ranges default to the tab; colours kept as Google keeps them)."""
        with self.lock:
            sheet = self.sheet(spreadsheet_id, title)
            new = normalize_colors(copy.deepcopy(dict(rule)))
            new["ranges"] = [{**r, "sheetId": sheet.sheet_id} for r in new.get("ranges") or [{}]]
            sheet.conditional_formats.insert(index, new)
            self.get(spreadsheet_id).modified = time.time()

    def delete_rule(self, spreadsheet_id: str, title: str, index: int) -> dict[str, Any]:
        """Remove the rule at ``index`` (the bin icon in the rules pane); returns it."""
        with self.lock:
            sheet = self.sheet(spreadsheet_id, title)
            rule = sheet.conditional_formats.pop(index)
            self.get(spreadsheet_id).modified = time.time()
            return rule

    def move_rule(self, spreadsheet_id: str, title: str, index: int, new_index: int) -> None:
        """Drag the rule at ``index`` to ``new_index`` in the rules pane (its priority)."""
        with self.lock:
            sheet = self.sheet(spreadsheet_id, title)
            rule = sheet.conditional_formats.pop(index)
            sheet.conditional_formats.insert(new_index, rule)
            self.get(spreadsheet_id).modified = time.time()

    def rules(self, spreadsheet_id: str, title: str) -> list[dict[str, Any]]:
        """A copy of a tab's conditional-format rules, in priority order."""
        with self.lock:
            return copy.deepcopy(self.sheet(spreadsheet_id, title).conditional_formats)

    def rename_sheet(self, spreadsheet_id: str, title: str, new_title: str) -> None:
        with self.lock:
            self.sheet(spreadsheet_id, title).properties["title"] = new_title
            self.get(spreadsheet_id).modified = time.time()


def _loaded_cell(raw: Mapping[str, Any]) -> Cell:
    keep = ("userEnteredValue", "userEnteredFormat", "note", "dataValidation", "textFormatRuns")
    cell = {key: copy.deepcopy(raw[key]) for key in keep if key in raw}
    entered = raw.get("userEnteredValue") or {}
    if "formulaValue" in entered and "effectiveValue" in raw:
        cell["effectiveValue"] = copy.deepcopy(raw["effectiveValue"])
    return cell
