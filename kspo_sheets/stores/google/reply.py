"""What the write's correction reads of a batchUpdate's reply, kept as the reply streams in."""

from __future__ import annotations

from collections import defaultdict
from typing import Any


class ReplyDigest:
    """The IDs, notes and rules of a write's reply (``updatedSpreadsheet``), and nothing else.

    Each response range is one column; a row's cell is kept as its ID text when the column
    is the tab's ID column, as its note when it has one, and dropped otherwise. At ten
    million cells the reply is nearly the whole register again: keeping only this is what
    lets it be read as it streams (json_stream.parse_stream with ``PATH``). The requests'
    replies and each sheet's conditional formats are small, and kept whole by finish().
    """

    PATH = ("updatedSpreadsheet", "sheets", "*", "data", "*", "rowData", "*")

    def __init__(self, tabs: dict[str, tuple[int, set[int]]]) -> None:
        self.tabs = tabs  # title -> (ID column, noted columns)
        self.ids: dict[str, dict[int, str]] = defaultdict(dict)
        self.notes: dict[tuple[str, int], dict[int, str]] = defaultdict(dict)
        self.seen = False
        self.titles: set[str] = set()  # sheets the reply shows
        self.rules: dict[str, list[dict[str, Any]]] = {}  # title -> its rules after the batch
        self.replies: list[Any] = []  # one per request, as Google answered it
        # rows whose sheet or block was not yet known when they came (keys out of order)
        self._later: dict[tuple[int, int], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        self._assumed: dict[tuple[int, int], tuple[int, int]] = {}

    def _keep(self, title: str, c0: int, r: int, cell: dict[str, Any]) -> None:
        id_col = self.tabs.get(title, (-1, set()))[0]
        if c0 == id_col:
            self.ids[title][r] = _text(cell)
        note = cell.get("note")
        if note:
            self.notes[(title, c0)][r] = note

    def on_item(self, at: tuple[int, ...], rd: Any, parents: tuple[dict[str, Any], ...]) -> None:
        """A rowData item from the stream; `parents` are (reply, spreadsheet, sheet, block)."""
        self.seen = True
        vals = rd.get("values") if type(rd) is dict else None
        cell = vals[0] if vals else None
        if not cell:
            return
        sheet, block = (parents[-2], parents[-1]) if len(parents) >= 2 else ({}, {})
        title = (sheet.get("properties") or {}).get("title")
        if title is None:  # the sheet's properties come after its data: place the row later
            self._later[(at[0], at[1])].append((at[2], cell))
            return
        # Google writes startRow and startColumn before rowData and leaves them out when 0;
        # finish() checks that assumption against the whole block.
        c0 = int(block.get("startColumn", 0) or 0)
        r0 = int(block.get("startRow", 0) or 0)
        self._assumed[(at[0], at[1])] = (c0, r0)
        self._keep(title, c0, r0 + at[2], cell)

    def finish(self, reply: Any) -> ReplyDigest:
        """Place the rows that came before their sheet's title, keep the replies and the
        rules; returns self."""
        reply = reply if isinstance(reply, dict) else {}
        sheets = (reply.get("updatedSpreadsheet") or {}).get("sheets") or []
        for (s, b), (c0, r0) in self._assumed.items():
            blocks = (sheets[s] if s < len(sheets) else {}).get("data") or []
            block = (blocks[b] if b < len(blocks) else {}) or {}
            if (int(block.get("startColumn", 0) or 0), int(block.get("startRow", 0) or 0)) != (
                c0,
                r0,
            ):
                raise ValueError("the reply gave a block's start after its rows")
        for (s, b), rows in self._later.items():
            sheet = sheets[s] if s < len(sheets) else {}
            title = (sheet.get("properties") or {}).get("title", "")
            blocks = sheet.get("data") or []
            block = (blocks[b] if b < len(blocks) else {}) or {}
            c0 = int(block.get("startColumn", 0) or 0)
            r0 = int(block.get("startRow", 0) or 0)
            for i, cell in rows:
                self._keep(title, c0, r0 + i, cell)
        self._later.clear()
        for sheet in sheets:
            title = ((sheet or {}).get("properties") or {}).get("title")
            if title is not None:
                self.seen = True
                self.titles.add(title)
                self.rules[title] = list(sheet.get("conditionalFormats") or [])
        self.replies = list(reply.get("replies") or [])
        return self


def _text(cell: dict[str, Any]) -> str:
    uev = cell.get("userEnteredValue") or {}
    v = uev.get("stringValue", uev.get("numberValue"))
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()
