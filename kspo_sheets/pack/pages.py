"""Where the meeting pack's pages break, worked out before any viewer sees it.

Every row of the pack has a height the tool set (``layout``), and every sheet prints at a
scale the tool chose, so the pages are known here: the breaks are written into the sheet,
the cover's contents can give each sheet's first page, and the footer can say "หน้า 3 จาก 24"
whichever program prints it. (Excel ignores page breaks on a sheet printed with "fit to
page", so the sheets carry a fixed scale, one page wide, instead.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# A4 landscape, inside the margins the pack sets (0.4 in left and right, 0.7 in top and
# bottom; the header and footer sit in the top and bottom margins).
MARGIN_SIDE_IN = 0.4
MARGIN_TOP_IN = 0.7
PAGE_WIDTH_PT = 841.9 - 2 * MARGIN_SIDE_IN * 72
PAGE_HEIGHT_PT = 595.3 - 2 * MARGIN_TOP_IN * 72
# Room kept free at the bottom of each page: a viewer that rounds row heights to its own
# units (Excel: whole pixels) must not find a page a hair too full and break it earlier.
SLACK = 0.97


@dataclass(frozen=True)
class Pages:
    scale: int  # print scale, per cent
    breaks: list[int]  # rows (0-based) that start a new page, the first page's excluded
    count: int


# Tables print at most at this scale: 16 pt TH Sarabun New comes out at 12.8 pt, the size of
# a dense table in a Thai official document, and a page holds about 22 rows of one line.
TABLE_SCALE = 80
# ... and at least at the smallest of these (10.4 pt on paper, the size the pack's long lists
# printed at before), whichever takes the fewest pages.
SCALES = (80, 75, 70, 65)


def print_scale(width_pt: float, height_pt: float | None = None, most: int = 100) -> int:
    """The largest whole per cent at which `width_pt` fits one page wide (and, given a
    height, one page tall), never above `most`."""
    scale = min(PAGE_WIDTH_PT / max(width_pt, 1.0), most / 100)
    if height_pt is not None:
        scale = min(scale, PAGE_HEIGHT_PT * SLACK / max(height_pt, 1.0))
    return max(10, min(100, math.floor(scale * 100)))


def paginate(
    heights: Sequence[float],
    scale: int,
    *,
    repeat: tuple[int, int] | None = None,
    keep_with_next: set[int] | None = None,
    forced: Sequence[int] = (),
) -> Pages:
    """Break rows into pages at `scale` per cent.

    `repeat` (first, last) are rows printed again at the top of every later page (a table's
    header); a row in `keep_with_next` (a group's title) never ends a page; `forced` rows
    always start one."""
    room = PAGE_HEIGHT_PT * SLACK * 100 / scale
    repeated = sum(heights[repeat[0] : repeat[1] + 1]) if repeat else 0.0
    keep = keep_with_next or set()
    starts = set(forced)
    breaks: list[int] = []
    used = 0.0
    page_start = 0
    for row, h in enumerate(heights):
        if row in starts and row > page_start:
            breaks.append(row)
            page_start, used = row, (repeated if repeat and row > repeat[1] else 0.0)
        if used + h > room and row > page_start:
            cut = row
            # A group's title goes to the next page with its first rows.
            while cut - 1 > page_start and cut - 1 in keep:
                cut -= 1
            breaks.append(cut)
            page_start = cut
            used = (repeated if repeat and cut > repeat[1] else 0.0) + sum(heights[cut:row])
        used += h
    return Pages(scale, breaks, len(breaks) + 1)
