"""A1 notation: parse the ranges clients send and echo them the way Google does."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^([A-Za-z]{0,3})([0-9]*)$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_CELL = re.compile(r"^([A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*)$")


def column_letters(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """ "A" -> 0, "AA" -> 26."""
    value = 0
    for ch in letters.upper():
        value = value * 26 + (ord(ch) - 64)
    return value - 1


def quote_title(title: str) -> str:
    """Quote a sheet title only when Google would (it echoes ``Sheet1`` bare, ``'My tab'`` quoted)."""
    if _PLAIN_TITLE.match(title) and not _LOOKS_LIKE_CELL.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_range(title: str, r0: int, r1: int, c0: int, c1: int) -> str:
    """Echo a bounded range (end-exclusive indexes) as Google does: ``Sheet1!A1:B2`` or ``Sheet1!A1``."""
    start = f"{column_letters(c0)}{r0 + 1}"
    end = f"{column_letters(c1 - 1)}{r1}"
    ref = start if start == end else f"{start}:{end}"
    return f"{quote_title(title)}!{ref}"


@dataclass(frozen=True)
class A1Range:
    """A parsed range. ``title`` None means "the first sheet"; None bounds are unbounded."""

    title: str | None
    start_row: int | None = None
    end_row: int | None = None
    start_col: int | None = None
    end_col: int | None = None
    whole_sheet: bool = False

    def bounds(self, row_count: int, column_count: int) -> tuple[int, int, int, int]:
        """Concrete end-exclusive (r0, r1, c0, c1), unbounded parts filled from the grid size."""
        r0 = self.start_row or 0
        c0 = self.start_col or 0
        r1 = row_count if self.end_row is None else self.end_row
        c1 = column_count if self.end_col is None else self.end_col
        return r0, r1, c0, c1


def _split_title(text: str) -> tuple[str | None, str | None]:
    """Return (title, ref); a bare word comes back as (None, word) for the caller to resolve."""
    if text.startswith("'"):
        i = 1
        title_chars: list[str] = []
        while i < len(text):
            ch = text[i]
            if ch == "'":
                if i + 1 < len(text) and text[i + 1] == "'":
                    title_chars.append("'")
                    i += 2
                    continue
                break
            title_chars.append(ch)
            i += 1
        else:
            raise ValueError(text)
        rest = text[i + 1 :]
        if rest == "":
            return "".join(title_chars), ""
        if not rest.startswith("!"):
            raise ValueError(text)
        return "".join(title_chars), rest[1:]
    if "!" in text:
        title, ref = text.rsplit("!", 1)
        return title, ref
    return None, text


def _parse_cell(part: str, whole: str) -> tuple[int | None, int | None]:
    match = _CELL.match(part)
    if not match or not part:
        raise ValueError(whole)
    letters, digits = match.groups()
    col = column_index(letters) if letters else None
    if digits and int(digits) == 0:
        raise ValueError(whole)
    row = int(digits) - 1 if digits else None
    return col, row


def parse_ref(ref: str, title: str | None) -> A1Range:
    """Parse the part after ``!`` ("A1", "A1:B2", "A:C", "2:5", "A2:2", "A1:C")."""
    if ref == "":
        return A1Range(title, whole_sheet=True)
    parts = ref.split(":")
    if len(parts) > 2:
        raise ValueError(ref)
    c1, r1 = _parse_cell(parts[0], ref)
    if len(parts) == 1:
        if c1 is None or r1 is None:
            raise ValueError(ref)
        return A1Range(title, r1, r1 + 1, c1, c1 + 1)
    c2, r2 = _parse_cell(parts[1], ref)
    if (c1 is None) != (c2 is None) and (r1 is None) == (r2 is None) and r1 is None:
        raise ValueError(ref)
    start_row = r1 if r1 is not None else (0 if r2 is not None else None)
    end_row = r2 + 1 if r2 is not None else None
    start_col = c1 if c1 is not None else (0 if c2 is not None else None)
    end_col = c2 + 1 if c2 is not None else None
    if start_row is not None and end_row is not None and end_row <= start_row:
        start_row, end_row = end_row - 1, start_row + 1
    if start_col is not None and end_col is not None and end_col <= start_col:
        start_col, end_col = end_col - 1, start_col + 1
    return A1Range(title, start_row, end_row, start_col, end_col)


def parse_range(text: str, titles: list[str]) -> A1Range:
    """Parse a range as sent by a client. Raises ValueError when Google would not understand it.

    Bare text is an A1 reference on the first sheet when it reads as one (Google takes
    "DF1" as a cell even if a tab is called DF1), else a sheet title.
    """
    title, ref = _split_title(text.strip())
    if title is None:
        assert ref is not None
        try:
            return parse_ref(ref, None)
        except ValueError:
            if ref in titles:
                return A1Range(ref, whole_sheet=True)
            raise
    return parse_ref(ref or "", title)
