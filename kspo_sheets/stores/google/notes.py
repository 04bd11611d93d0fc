"""The tool's notes on staff cells, placed by position and checked by row afterwards.

A note is a cell property, so the write puts it by the row and column it read. When staff
insert, delete or sort rows between the read and the write, the write may land a tool
note on another row, over a staff note that moved there, or clear a staff note that moved
where an old tool note was. The write's reply shows the ID column and the noted columns as
they are after it; each row is known by its ID (and which occurrence of that ID it is), and
a row with no ID by the nearest row with an ID above it. The correction then puts each
tool note on its row, and restores, exactly as read, any staff note the write replaced.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kspo_sheets.model import RawTab
from kspo_sheets.stores.base import Mark
from kspo_sheets.stores.google.cells import NOTE_PREFIX
from kspo_sheets.stores.google.reply import ReplyDigest

# ("id", text, occurrence) | ("below", anchor text, anchor occurrence, rows below it)
# | ("top", rows below the header)
RowKey = tuple[Any, ...]


class RowKeys:
    """Row -> the row's key, from a tab's ID column (row -> ID text, absent when blank)."""

    def __init__(self, ids: dict[int, str], first: int) -> None:
        self.first = first  # 0-based first data row
        self.rows = sorted(r for r, text in ids.items() if text and r >= first)
        self.ids = ids
        self.occ: dict[int, int] = {}
        self.where: dict[tuple[str, int], int] = {}  # (ID, occurrence) -> row
        seen: dict[str, int] = defaultdict(int)
        for r in self.rows:
            text = ids[r]
            self.occ[r] = seen[text]
            self.where[(text, seen[text])] = r
            seen[text] += 1

    def key(self, r: int) -> RowKey:
        if r in self.occ:
            return ("id", self.ids[r], self.occ[r])
        i = bisect.bisect_left(self.rows, r)
        if i == 0:
            return ("top", r - self.first)
        above = self.rows[i - 1]
        return ("below", self.ids[above], self.occ[above], r - above)

    def row(self, key: RowKey) -> int | None:
        """Where a row of this key is, if any (its key must still be this one)."""
        if key[0] == "id":
            return self.where.get((key[1], key[2]))
        if key[0] == "top":
            r = self.first + int(key[1])
        else:
            anchor = self.where.get((key[1], key[2]))
            if anchor is None:
                return None
            r = anchor + int(key[3])
        return r if self.key(r) == key else None


def is_tool_note(text: str | None) -> bool:
    return text is not None and text.startswith(NOTE_PREFIX)


@dataclass
class TabNotes:
    """What the run knows about one staff tab's notes."""

    sheet_id: int
    id_col: int
    first: int  # 0-based first data row
    cols: set[int]  # the columns the tool writes notes in
    tool: dict[tuple[RowKey, int], str] = field(default_factory=dict)  # wanted tool notes
    staff: dict[tuple[RowKey, int], str] = field(default_factory=dict)  # staff notes as read
    written: set[tuple[int, int]] = field(default_factory=set)  # cells the last batch wrote


def note_request(sid: int, r: int, c: int, text: str) -> dict[str, Any]:
    cell: dict[str, Any] = {"note": text} if text else {}
    return {
        "updateCells": {
            "range": {
                "sheetId": sid,
                "startRowIndex": r,
                "endRowIndex": r + 1,
                "startColumnIndex": c,
                "endColumnIndex": c + 1,
            },
            "rows": [{"values": [cell]}],
            "fields": "note",
        }
    }


def plan_notes(
    tab: RawTab, sid: int, marks: list[Mark], first: int, id_col: int = -1
) -> tuple[list[dict[str, Any]], TabNotes | None, int]:
    """The note requests for one tab (old tool notes cleared, new ones written where no
    staff note is), what the correction needs to check them, and how many notes there are."""
    existing: dict[tuple[int, int], str] = tab.meta.get("notes", {})
    wanted = {(m.row - 1, m.col): m for m in marks}
    requests: list[dict[str, Any]] = []
    if id_col < 0:
        id_col = next((m.id_col for m in marks if m.id_col >= 0), -1)
    state = TabNotes(sid, id_col, first, set())
    for (r, c), text in sorted(existing.items()):
        if is_tool_note(text) and (r, c) not in wanted:
            requests.append(note_request(sid, r, c, ""))
            state.written.add((r, c))
            state.cols.add(c)
    keys = RowKeys(_read_ids(tab, id_col), first)
    written = 0
    for (r, c), m in sorted(wanted.items()):
        state.cols.add(c)
        if r >= first:
            state.tool[(keys.key(r), c)] = m.note
        old = existing.get((r, c))
        if old is not None and not is_tool_note(old):
            continue  # staff's own note: leave it; the highlight and status tab still show
        if old != m.note:
            requests.append(note_request(sid, r, c, m.note))
            state.written.add((r, c))
        written += 1
    if not state.cols:
        return requests, None, written
    for (r, c), text in existing.items():
        if c in state.cols and r >= first and not is_tool_note(text):
            state.staff[(keys.key(r), c)] = text
    return requests, state, written


def fix_notes(
    title: str, state: TabNotes, digest: ReplyDigest
) -> tuple[list[dict[str, Any]], int, int]:
    """Requests that put each tool note on its row and restore each staff note the last
    batch replaced; (requests, notes re-placed, staff notes restored)."""
    ids = digest.ids.get(title, {}) if state.id_col >= 0 else {}
    keys = RowKeys(ids, state.first)
    rows: set[int] = set(ids) | {r for r, _ in state.written}
    for c in state.cols:
        rows.update(digest.notes.get((title, c), {}))
    for key, _c in state.tool:
        if key[0] != "id":
            r = keys.row(key)
            if r is not None:
                rows.add(r)
    fixes: list[dict[str, Any]] = []
    written: set[tuple[int, int]] = set()
    moved = restored = 0
    for c in sorted(state.cols):
        notes = digest.notes.get((title, c), {})
        for r in sorted(rows):
            if r < state.first:
                continue
            key = keys.key(r)
            actual = notes.get(r) or None
            staff = state.staff.get((key, c))
            if staff is not None and (
                is_tool_note(actual) or ((r, c) in state.written and actual != staff)
            ):
                fixes.append(note_request(state.sheet_id, r, c, staff))
                written.add((r, c))
                restored += 1
                continue
            if actual is not None and not is_tool_note(actual):
                continue  # staff's note
            want = state.tool.get((key, c))
            if actual != want:
                fixes.append(note_request(state.sheet_id, r, c, want or ""))
                written.add((r, c))
                moved += 1
    state.written = written
    return fixes, moved, restored


def _read_ids(tab: RawTab, id_col: int) -> dict[int, str]:
    from kspo_sheets.thai.display import display

    if id_col < 0:
        return {}
    return {
        r: display(line[id_col]).strip()
        for r, line in enumerate(tab.rows)
        if id_col < len(line) and line[id_col] is not None
    }


def note_columns(states: Iterable[tuple[str, TabNotes]]) -> dict[str, tuple[int, set[int]]]:
    """For the reply digest: each tab's ID column and noted columns."""
    return {title: (s.id_col, s.cols) for title, s in states}
