"""A1 ranges for the reads: quoted titles, rectangles of cells, and URLs kept short.

A values or grid read names its cells by ranges in the URL ('ผู้ผลิต'!F2:F900); a Thai
title takes nine bytes a letter there. Where many small ranges would make the URL too
long, fewer and bigger ones are asked for instead: more cells, the same answer for the
cells wanted.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from kspo_sheets.model import column_letter

Rect = tuple[int, int, int, int, int]  # (tab k, first row, end row, first column, end column)
QUERY_BUDGET = 6_000  # bytes of ranges in one URL


def quote_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def a1_range(title: str, r0: int, r1: int, c0: int, c1: int) -> str:
    """Rows r0..r1-1, columns c0..c1-1 (0-based) of the sheet titled `title`."""
    return f"{quote_title(title)}!{column_letter(c0)}{r0 + 1}:{column_letter(c1 - 1)}{r1}"


def _query_size(ranges: Iterable[str]) -> int:
    return sum(len(quote(r, safe="")) + len("&ranges=") for r in ranges)


def fit(rects: list[Rect], titles: list[str]) -> tuple[list[Rect], list[str]]:
    """The rectangles as A1 ranges. When the URL would grow past QUERY_BUDGET, fewer and
    bigger ones (more cells, fewer ranges): one per column of a tab, then one per tab."""
    for level in (None, "column", "tab"):
        if level is not None:
            rects = _bounding(rects, by_column=level == "column")
        ranges = [a1_range(titles[k], r0, r1, c0, c1) for k, r0, r1, c0, c1 in rects]
        if _query_size(ranges) <= QUERY_BUDGET:
            break
    return rects, ranges


def _bounding(rects: list[Rect], *, by_column: bool) -> list[Rect]:
    boxes: dict[tuple[int, int], Rect] = {}
    for k, r0, r1, c0, c1 in rects:
        at = (k, c0 if by_column else 0)
        _, b0, b1, d0, d1 = boxes.get(at, (k, r0, r1, c0, c1))
        boxes[at] = (k, min(b0, r0), max(b1, r1), min(d0, c0), max(d1, c1))
    return [boxes[at] for at in sorted(boxes)]


def column_runs(k: int, columns: list[tuple[int, list[int]]]) -> list[Rect]:
    """Columns (index, [first row, last row]) of tab k, sorted: neighbouring columns as one
    rectangle spanning their rows."""
    out: list[Rect] = []
    group: list[int] = []  # first column, end column, first row, last row
    for c, (r0, r1) in columns:
        if group and c == group[1]:
            group[1:] = [c + 1, min(group[2], r0), max(group[3], r1)]
            continue
        if group:
            out.append((k, group[2], group[3] + 1, group[0], group[1]))
        group = [c, c + 1, r0, r1]
    if group:
        out.append((k, group[2], group[3] + 1, group[0], group[1]))
    return out
