"""Turning a WritePlan into one Sheets batchUpdate body (and a correction, if rows moved)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from typing import Any

from kspo_sheets.errors import OwnedTabError, WriteError
from kspo_sheets.logs import counted
from kspo_sheets.model import RawTab, Snapshot, column_letter
from kspo_sheets.stores.base import MARKER, Mark, OwnedTab, WritePlan, banner_for
from kspo_sheets.stores.google.cells import (
    BASE_FIELDS,
    BASE_FORMAT,
    CF_MARK,
    COLOURS,
    IDS_PER_RULE,
    OWN_FIELDS,
    STATUS_ROW_PX,
    cell_data,
    column_pixels,
    owned_sheet_id,
    rgb,
    row_pixels,
)
from kspo_sheets.stores.google.notes import TabNotes, fix_notes, note_columns, plan_notes
from kspo_sheets.stores.google.reply import ReplyDigest
from kspo_sheets.stores.google.rules import (
    Mismatch,
    RuleOp,
    SheetRules,
    is_tool_rule,
    reconcile,
    rule_key,
    rule_request,
)

__all__ = ["Batch", "ReplyDigest", "build_batch", "encode"]

# Google's front end refuses a request body over 10,485,760 bytes ("Request payload size
# exceeds the limit"); a write stays under this, with room to spare.
PAYLOAD_BUDGET = 10_000_000
MIN_ROW_BYTES = 400  # a findings row (10 cells) never encodes to fewer bytes than this
CELL_LIMIT = 10_000_000  # Google's: cells in every grid of a spreadsheet, empty ones too


def _grid_cells(tab: RawTab) -> int:
    grid = tab.meta.get("grid") or {}
    rows = int(grid.get("rowCount", 0) or 0) or len(tab.rows)
    cols = int(grid.get("columnCount", 0) or 0) or max((len(r) for r in tab.rows), default=0)
    return rows * cols


def _owned_size(t: OwnedTab) -> tuple[int, int]:
    """(columns, rows) of an owned tab as the write lays it out."""
    ncols = max(len(t.header), max((len(r) for r in t.rows), default=0), 1)
    # Google refuses to freeze every row of a sheet: a clean run (no findings) still
    # needs one row below the two frozen ones.
    return ncols, max(len(t.rows), 1) + 2


def is_tool_made(tab: RawTab) -> bool:
    first = tab.rows[0][0] if tab.rows and tab.rows[0] else None
    return isinstance(first, str) and MARKER in first


def _dimension(sid: int, dimension: str, start: int, end: int, pixels: int) -> dict[str, Any]:
    return {
        "updateDimensionProperties": {
            "range": {"sheetId": sid, "dimension": dimension, "startIndex": start, "endIndex": end},
            "properties": {"pixelSize": pixels},
            "fields": "pixelSize",
        }
    }


def _quote_formula(text: str) -> str:
    return text.replace('"', '""')


class Batch:
    """Builds the requests; remembers where notes went so a reply can be checked."""

    def __init__(
        self, snapshot: Snapshot, plan: WritePlan, *, findings_cap: int | None = None
    ) -> None:
        self.snapshot = snapshot
        self.plan = plan
        self.findings_cap = findings_cap  # most findings rows to write (see build_batch)
        self.shortened = 0  # findings left out of the findings tab
        self._findings_rows: list[dict[str, Any]] = []
        self._findings_layout_bytes = 0
        self.requests: list[dict[str, Any]] = []
        self.details: list[str] = []
        self.response_ranges: list[str] = []
        self.notes_state: dict[str, TabNotes] = {}  # staff tab -> its notes, to check
        self.rules_state: dict[str, SheetRules] = {}  # staff tab -> its rules, to check
        self.last_fix: dict[str, int] = {}
        self.sheet_ids: dict[str, int] = {
            t.title: t.sheet_id for t in snapshot.tabs.values() if t.sheet_id is not None
        }
        self._check_owned()

    def _check_owned(self) -> None:
        for t in self.plan.owned:
            tab = self.snapshot.tabs.get(t.title)
            if tab is not None and not is_tool_made(tab):
                raise OwnedTabError(
                    f"Tab '{t.title}' exists but was not made by kspo-sheets; nothing was written.",
                    hint=f"Rename that tab (it is staff data), or map the tool's tab to another name in the config (owned_tabs.{t.key}).",
                )

    def body(self) -> dict[str, Any]:
        for t in self._within_limit(self.plan.owned):
            self._owned(t)
        self._marks()
        body: dict[str, Any] = {"requests": self.requests}
        if self.response_ranges:
            body.update(
                includeSpreadsheetInResponse=True,
                responseRanges=self.response_ranges,
                responseIncludeGridData=True,
            )
        return body

    # -- owned tabs ---------------------------------------------------------------

    def _within_limit(self, owned: list[OwnedTab]) -> list[OwnedTab]:
        """The owned tabs, the findings list shortened if the write would take the
        spreadsheet past Google's cell limit (every grid cell counts, empty ones too) or
        its request past Google's payload limit (`findings_cap`, set by build_batch)."""
        total = sum(_grid_cells(tab) for tab in self.snapshot.tabs.values())
        for t in owned:
            existing = self.snapshot.tabs.get(t.title)
            now = _grid_cells(existing) if existing is not None else 0
            ncols, nrows = _owned_size(t)
            if t.append_only and existing is not None:
                grid = existing.meta.get("grid") or {}
                total += len(t.rows) * max(int(grid.get("columnCount", 0) or 0), ncols)
            else:
                total += ncols * nrows - now
        excess = total - CELL_LIMIT
        out = []
        for t in owned:
            if t.key != "findings":
                out.append(t)
                continue
            ncols, _ = _owned_size(t)
            keep = len(t.rows)
            why = ""
            if excess > 0:
                # rows to leave out, plus the row that says so
                keep = len(t.rows) - (-(-excess // ncols) + 1)
                if keep < 0:
                    raise WriteError(
                        f"The spreadsheet would hold {total:,} cells after the write, over"
                        f" Google's limit of {CELL_LIMIT:,}; the status tabs do not fit.",
                        hint="Delete empty rows and columns in the staff tabs (Google counts"
                        " every grid cell), or move old registers to another spreadsheet;"
                        " nothing was written.",
                    )
                why = "cells"
            if self.findings_cap is not None and self.findings_cap < keep:
                keep = max(self.findings_cap, 0)
                why = "payload"
            if why:
                out.append(self._shortened(t, keep, why))
            else:
                out.append(t)
        return out

    def _shortened(self, t: OwnedTab, keep: int, why: str) -> OwnedTab:
        left_out = len(t.rows) - keep
        if why == "cells":
            reason = f"สเปรดชีตจะเกินขีดจำกัด {CELL_LIMIT:,} เซลล์ของ Google"
            detail = f"Google's {CELL_LIMIT:,}-cell limit"
        else:
            reason = "การเขียนหนึ่งครั้งส่งข้อมูลได้ไม่เกิน 10 MB ตามข้อจำกัดของ Google"
            detail = "Google's 10 MB limit on one request"
        note = (
            f"… อีก {left_out:,} รายการไม่ได้แสดง: {reason} — ดูรายการทั้งหมดด้วย"
            " kspo validate --format csv"
        )
        self.details.append(
            f"tab '{t.title}': {left_out:,} finding(s) left out to stay within {detail}"
            " (kspo validate lists them all)"
        )
        self.shortened = left_out
        return replace(
            t,
            rows=[*t.rows[:keep], [note]],
            styles={k: v for k, v in t.styles.items() if k[0] < keep},
            links={k: v for k, v in t.links.items() if k[0] < keep},
        )

    def _rows(self, t: OwnedTab, with_header: bool, base: bool = True) -> list[dict[str, Any]]:
        out = []
        if with_header:
            out.append({"values": [cell_data(banner_for(t), base=base)]})
            out.append({"values": [cell_data(h, "header", bold=True, base=base) for h in t.header]})
        for i, line in enumerate(t.rows):
            cells = []
            for j, v in enumerate(line):
                link = t.links.get((i, j))
                href = t.urls.get((i, j)) if t.urls else None
                if link is not None:
                    sid = self.sheet_ids.get(link[0])
                    href = f"#gid={sid}&range={link[1]}" if sid is not None else None
                cells.append(cell_data(v, t.styles.get((i, j)), link=href, base=base))
            out.append({"values": cells})
        return out

    def _whole(self, sid: int, t: OwnedTab) -> None:
        """A tab written whole: its cells with what differs, then the format they share."""
        ncols, nrows = _owned_size(t)
        self.requests.append(
            {
                "updateCells": {
                    "start": {"sheetId": sid, "rowIndex": 0, "columnIndex": 0},
                    "rows": self._rows_of(t),
                    "fields": OWN_FIELDS,
                }
            }
        )
        self.requests.append(
            {
                "repeatCell": {
                    "range": {
                        "sheetId": sid,
                        "startRowIndex": 0,
                        "endRowIndex": nrows,
                        "startColumnIndex": 0,
                        "endColumnIndex": ncols,
                    },
                    "cell": {"userEnteredFormat": BASE_FORMAT},
                    "fields": BASE_FIELDS,
                }
            }
        )

    def _rows_of(self, t: OwnedTab) -> list[dict[str, Any]]:
        rows = self._rows(t, True, base=False)
        if t.key == "findings":
            self._findings_rows = rows
        return rows

    @property
    def findings_bytes(self) -> int:
        """Bytes the findings tab's rows take in the encoded body."""
        if not self._findings_rows:
            return 0
        return len(encode({"rows": self._findings_rows})) + self._findings_layout_bytes

    def _owned(self, t: OwnedTab) -> None:
        existing = self.snapshot.tabs.get(t.title)
        ncols, nrows = _owned_size(t)
        if existing is None:
            sid = owned_sheet_id(t.title, set(self.sheet_ids.values()))
            self.sheet_ids[t.title] = sid
            self.requests.append(
                {
                    "addSheet": {
                        "properties": {
                            "sheetId": sid,
                            "title": t.title,
                            "gridProperties": {
                                "rowCount": nrows,
                                "columnCount": ncols,
                                "frozenRowCount": 2,
                            },
                        }
                    }
                }
            )
            self._whole(sid, t)
            self._widths(sid, t)
            self._layout(sid, t)
            self.requests.append(
                {
                    "addProtectedRange": {
                        "protectedRange": {
                            "range": {"sheetId": sid},
                            "description": f"{MARKER}: written by the tool",
                            "warningOnly": True,
                        }
                    }
                }
            )
            self.details.append(f"tab '{t.title}' created: {counted(len(t.rows), 'row')}")
            return
        sid = self.sheet_ids[t.title]
        if t.append_only:
            self.requests.append(
                {
                    "appendCells": {
                        "sheetId": sid,
                        "rows": self._rows(t, False),
                        "fields": "userEnteredValue,userEnteredFormat",
                    }
                }
            )
            self._appended_layout(sid, t, existing)
            self.details.append(f"tab '{t.title}': {counted(len(t.rows), 'row')} appended")
            return
        self.requests.append(
            {
                "updateSheetProperties": {
                    "properties": {
                        "sheetId": sid,
                        "gridProperties": {
                            "rowCount": nrows,
                            "columnCount": ncols,
                            "frozenRowCount": 2,
                        },
                    },
                    "fields": "gridProperties(rowCount,columnCount,frozenRowCount)",
                }
            }
        )
        self.requests.append(
            {
                "updateCells": {
                    "range": {"sheetId": sid},
                    "fields": "userEnteredValue,userEnteredFormat,note",
                }
            }
        )
        self._whole(sid, t)
        self._widths(sid, t)
        self._layout(sid, t)
        self.details.append(f"tab '{t.title}': {counted(len(t.rows), 'row')}")

    def _widths(self, sid: int, t: OwnedTab) -> None:
        for j, px in enumerate(column_pixels(t.widths)):
            self.requests.append(_dimension(sid, "COLUMNS", j, j + 1, px))

    def _layout(self, sid: int, t: OwnedTab) -> None:
        """Row heights from the text each row holds, and the findings list's filter (frozen
        rows and widths are set with the tab). Heights are set on every row written, so a
        row that held a long message last time does not stay tall."""
        heights = [STATUS_ROW_PX, *row_pixels(t, [t.header]), *row_pixels(t, t.rows)]
        before = len(self.requests)
        self._heights(sid, 0, heights)
        if t.key == "findings":
            # Rows of different heights each cost a request: they count as the rows' bytes
            # when the list is cut to fit Google's payload limit.
            self._findings_layout_bytes = len(encode({"r": self.requests[before:]}))
        if t.autofilter:
            ncols, nrows = _owned_size(t)
            self.requests.append(
                {
                    "setBasicFilter": {
                        "filter": {
                            "range": {
                                "sheetId": sid,
                                "startRowIndex": 1,
                                "endRowIndex": nrows,
                                "startColumnIndex": 0,
                                "endColumnIndex": ncols,
                            }
                        }
                    }
                }
            )

    def _appended_layout(self, sid: int, t: OwnedTab, existing: RawTab) -> None:
        """The appended rows' heights, and a banner that says the tab is appended to."""
        # appendCells writes after the last row holding anything
        first = len(existing.rows)
        while first > 2 and not any(v not in (None, "") for v in existing.rows[first - 1]):
            first -= 1
        self._heights(sid, first, row_pixels(t, t.rows))
        self.requests.append(
            {
                "updateCells": {
                    "start": {"sheetId": sid, "rowIndex": 0, "columnIndex": 0},
                    "rows": [{"values": [cell_data(banner_for(t))]}],
                    "fields": "userEnteredValue",
                }
            }
        )

    def _heights(self, sid: int, first: int, heights: list[int]) -> None:
        """One request per run of rows of the same height (most rows are one line)."""
        start = 0
        for k in range(1, len(heights) + 1):
            if k == len(heights) or heights[k] != heights[start]:
                self.requests.append(
                    _dimension(sid, "ROWS", first + start, first + k, heights[start])
                )
                start = k

    # -- marks on staff tabs ------------------------------------------------------

    def _marks(self) -> None:
        by_tab: dict[str, list[Mark]] = defaultdict(list)
        for m in self.plan.marks:
            by_tab[m.tab].append(m)
        rules = notes = removed = 0
        for title in self.plan.register_tabs:
            tab = self.snapshot.tabs.get(title)
            if tab is None or tab.sheet_id is None:
                continue
            sid = tab.sheet_id
            sheet = SheetRules(sid)
            # Old highlights: deleted by the indexes read, from the highest down so indexes
            # stay valid; if staff moved rules meanwhile, the correction mends it.
            cfs = tab.meta.get("conditional_formats", [])
            for index in sorted((i for i, r in enumerate(cfs) if is_tool_rule(r)), reverse=True):
                sheet.ops.append(RuleOp("delete", index, len(self.requests)))
                self.requests.append(
                    {"deleteConditionalFormatRule": {"sheetId": sid, "index": index}}
                )
                removed += 1
            marks = by_tab.get(title, [])
            header_row = self.plan.header_rows.get(title, 1)
            rules += self._rules(sid, marks, header_row, sheet)
            requests, state, written = plan_notes(
                tab, sid, marks, header_row, self.plan.id_columns.get(title, -1)
            )
            self.requests.extend(requests)
            notes += written
            columns: set[int] = set()
            if state is not None:
                self.notes_state[title] = state
                columns = state.cols | ({state.id_col} if state.id_col >= 0 else set())
            quoted = title.replace("'", "''")
            if sheet.ops:
                self.rules_state[title] = sheet
                if not columns:  # the reply must show the tab, for its rules: one cell will do
                    self.response_ranges.append(f"'{quoted}'!A1")
            for c in sorted(columns):
                letter = column_letter(c)
                self.response_ranges.append(f"'{quoted}'!{letter}:{letter}")
        self.details.append(
            f"{counted(len(self.plan.marks), 'cell')} highlighted in {counted(rules, 'rule')},"
            f" {counted(notes, 'note')} written; {counted(removed, 'old rule')} replaced"
        )

    def _rules(self, sid: int, marks: list[Mark], header_row: int, sheet: SheetRules) -> int:
        groups: dict[tuple[int, int, str], list[Mark]] = defaultdict(list)
        for m in marks:
            groups[(m.col, m.id_col, m.severity.value)].append(m)
        first = header_row + 1  # 1-based first data row: the formula is relative to it
        count = 0
        for (col, id_col, sev), ms in sorted(groups.items()):
            terms = []
            for m in ms:
                if m.row_id and id_col >= 0:
                    terms.append(f'${column_letter(id_col)}{first}="{_quote_formula(m.row_id)}"')
                else:  # no ID to anchor on: fall back to the row as read
                    terms.append(f"ROW()={m.row}")
            terms = sorted(set(terms))
            for k in range(0, len(terms), IDS_PER_RULE):
                chunk = terms[k : k + IDS_PER_RULE]
                formula = f"=AND({CF_MARK},OR({','.join(chunk)}))"
                rule = {
                    "ranges": [
                        {
                            "sheetId": sid,
                            "startRowIndex": header_row,
                            "startColumnIndex": col,
                            "endColumnIndex": col + 1,
                        }
                    ],
                    "booleanRule": {
                        "condition": {
                            "type": "CUSTOM_FORMULA",
                            "values": [{"userEnteredValue": formula}],
                        },
                        "format": {"backgroundColor": rgb(COLOURS[sev])},
                    },
                }
                op = RuleOp("add", 0, len(self.requests), rule)
                sheet.ops.append(op)
                sheet.wanted[rule_key(rule)] += 1
                self.requests.append(rule_request(sid, op))
                count += 1
        return count

    # -- after the write ----------------------------------------------------------

    def reply_digest(self) -> ReplyDigest:
        """What the check keeps of a write's reply, fed row by row as it is parsed."""
        return ReplyDigest(note_columns(self.notes_state.items()))

    def correction(self, digest: ReplyDigest) -> dict[str, Any] | None:
        """Requests that mend what staff edits between the read and the write did to the
        tool's marks: highlight rules (see rules.py) and notes (see notes.py).

        The reply carries the ID column, the noted columns and each tab's rules as they
        are after the write. Returns None when nothing needs mending; each call reads the
        reply of the batch before it (the write, then a correction).
        """
        if not digest.seen:
            return None
        fixes: list[dict[str, Any]] = []
        counts = dict.fromkeys(("moved", "restored", "rules_back", "rules_gone"), 0)
        for title, sheet in self.rules_state.items():
            if title not in digest.titles:
                sheet.ops = []
                continue
            try:
                ops, back, gone, shown = reconcile(sheet, digest.rules[title], digest.replies)
            except Mismatch as exc:
                self.details.append(f"tab '{title}': highlight rules not checked ({exc})")
                sheet.ops = []
                continue
            sheet.wanted = shown
            sheet.ops = []
            for op in ops:
                op.request = len(fixes)
                sheet.ops.append(op)
                fixes.append(rule_request(sheet.sheet_id, op))
            counts["rules_back"] += back
            counts["rules_gone"] += gone
        for title, state in self.notes_state.items():
            requests, moved, restored = fix_notes(title, state, digest)
            fixes.extend(requests)
            counts["moved"] += moved
            counts["restored"] += restored
        self.last_fix = counts
        if not fixes:
            return None
        return {
            "requests": fixes,
            "includeSpreadsheetInResponse": True,
            "responseRanges": self.response_ranges,
            "responseIncludeGridData": True,
        }

    def fix_summary(self) -> str:
        """What the last correction mends, for the run's details."""
        c = self.last_fix
        parts: list[str] = []
        if c["moved"]:
            parts.append(f"{c['moved']} note(s) re-placed by row ID")
        if c["restored"]:
            parts.append(f"{c['restored']} staff note(s) restored as read")
        if c["rules_back"]:
            parts.append(f"{c['rules_back']} staff highlight rule(s) put back")
        if c["rules_gone"]:
            parts.append(f"{c['rules_gone']} stale highlight rule(s) of the tool removed")
        return "staff edited the sheet during the sync: " + ", ".join(parts)


def encode(body: dict[str, Any]) -> bytes:
    """A request body as Google gets it: compact UTF-8 JSON."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def build_batch(snapshot: Snapshot, plan: WritePlan) -> tuple[Batch, bytes]:
    """The write as one request under Google's payload limit: the findings list is cut
    short (its last row says by how much) when the whole of it would not fit."""
    findings = next((t for t in plan.owned if t.key == "findings"), None)
    rows = len(findings.rows) if findings is not None else 0
    cap: int | None = (
        PAYLOAD_BUDGET // MIN_ROW_BYTES if rows > PAYLOAD_BUDGET // MIN_ROW_BYTES else None
    )
    for _ in range(8):
        batch = Batch(snapshot, plan, findings_cap=cap)
        data = encode(batch.body())
        if len(data) <= PAYLOAD_BUDGET:
            return batch, data
        if findings is None or cap == 0:
            break
        shown = min(rows, cap if cap is not None else rows)
        per_row = batch.findings_bytes / max(shown, 1)
        over = len(data) - PAYLOAD_BUDGET
        cap = max(0, shown - int(over / per_row * 1.02) - 2) if per_row else 0
    raise WriteError(
        f"The write would be {len(data):,} bytes, over the {PAYLOAD_BUDGET:,} Google accepts in"
        " one request, even without the findings list.",
        hint="This is a bug in kspo-sheets; please report it with this message. Nothing was"
        " written.",
    )
