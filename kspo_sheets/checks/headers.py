"""Finding a register's header row and its columns in what staff typed."""

from __future__ import annotations

from dataclasses import dataclass, field

from kspo_sheets.config.contract import RegisterSpec
from kspo_sheets.model import CellValue
from kspo_sheets.thai.text import clean, header_key

# Title rows sit above the header; staff rarely put more than a handful there.
MAX_HEADER_SCAN = 30


@dataclass
class HeaderMatch:
    row: int  # 0-based index into the tab's rows
    columns: dict[str, int]  # column key -> 0-based column index
    headers: dict[str, str]  # column key -> header text as typed
    missing: list[str]  # column keys not found
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (key, ignored column)


def _cell_key(value: CellValue) -> str:
    if isinstance(value, str):
        return header_key(value)
    return ""


def _lookup(spec: RegisterSpec) -> dict[str, str]:
    table: dict[str, str] = {}
    for col in spec.columns:
        for text in (col.header, *col.aliases_header):
            table.setdefault(header_key(text), col.key)
    return table


def find_header(rows: list[list[CellValue]], spec: RegisterSpec) -> HeaderMatch | None:
    """The row within the first MAX_HEADER_SCAN that names the most of the register's columns.

    None when no row names at least two columns (or the only column, for a one-column register).
    """
    lookup = _lookup(spec)
    most = len(set(lookup.values()))  # a row naming every column: none further can beat it
    best: tuple[int, int] | None = None  # (matches, row)
    for i, row in enumerate(rows[:MAX_HEADER_SCAN]):
        hits = {lookup[k] for k in map(_cell_key, row) if k in lookup}
        if best is None or len(hits) > best[0]:
            best = (len(hits), i)
            if len(hits) == most:
                break
    need = min(2, len(spec.columns))
    if best is None or best[0] < need:
        return None
    r = best[1]
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    duplicates: list[tuple[str, int]] = []
    for j, value in enumerate(rows[r]):
        key = lookup.get(_cell_key(value))
        if key is None:
            continue
        if key in columns:
            duplicates.append((key, j))
            continue
        columns[key] = j
        headers[key] = clean(str(value))
    missing = [c.key for c in spec.columns if c.key not in columns]
    return HeaderMatch(r, columns, headers, missing, duplicates)
