"""The notes on the registers, read by the write just before it writes (what it does with
them: notes.py).

Only a sync needs them (to replace the tool's own notes and never write over staff's), so
the read that validation shares leaves them out (masks.NOTES_FIELDS). Read here, they are
as fresh as the write can have them; a note that moves between this read and the write
(staff sorting, inserting rows) is put right by the write's check of its reply.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from kspo_sheets.model import Snapshot
from kspo_sheets.stores.google.http import KspoHTTPClient
from kspo_sheets.stores.google.json_stream import parse_stream
from kspo_sheets.stores.google.masks import NOTES_PARAMS
from kspo_sheets.stores.google.read import ROW_PATH

Notes = dict[tuple[int, int], str]


class NoteCells:
    """The notes of a spreadsheets.get answer (grid data), by sheet title and (row, column)."""

    def __init__(self) -> None:
        self._rows: dict[tuple[int, int], list[tuple[int, dict[int, str]]]] = {}

    def on_item(self, at: tuple[int, ...], rd: Any, _parents: Any = ()) -> None:
        values = rd.get("values") if type(rd) is dict else None
        if not values:
            return
        found = {
            j: str(cell["note"])
            for j, cell in enumerate(values)
            if type(cell) is dict and cell.get("note")
        }
        if found:
            self._rows.setdefault((at[0], at[1]), []).append((at[2], found))

    def finish(self, doc: Any) -> dict[str, Notes]:
        """Notes by sheet title, placed at their block's start row and column."""
        if not isinstance(doc, dict):
            raise ValueError("the answer is not a JSON object")
        out: dict[str, Notes] = {}
        for s, sheet in enumerate(doc.get("sheets") or []):
            sheet = sheet or {}
            title = str((sheet.get("properties") or {}).get("title", ""))
            notes = out.setdefault(title, {})
            for b, block in enumerate(sheet.get("data") or []):
                block = block or {}
                r0 = int(block.get("startRow", 0) or 0)
                c0 = int(block.get("startColumn", 0) or 0)
                for i, found in self._rows.get((s, b), []):
                    for j, text in found.items():
                        notes[(r0 + i, c0 + j)] = text
        return out


def read_notes(chunks: Iterable[bytes]) -> dict[str, Notes]:
    cells = NoteCells()
    return cells.finish(parse_stream(chunks, ROW_PATH, cells.on_item))


def load_notes(http: KspoHTTPClient, key: str, snapshot: Snapshot, titles: list[str]) -> int:
    """Put the notes of the tabs `titles` into their ``meta["notes"]``; returns how many."""
    present = [t for t in dict.fromkeys(titles) if t in snapshot.tabs]
    if not present:
        return 0
    ranges = ["'" + t.replace("'", "''") + "'" for t in present]
    got = http.get_streamed(
        f"/v4/spreadsheets/{quote(key, safe='')}",
        read_notes,
        params={**NOTES_PARAMS, "ranges": ranges},
    )
    count = 0
    for title in present:
        notes = got.get(title, {})
        snapshot.tabs[title].meta["notes"] = notes
        count += len(notes)
    return count
