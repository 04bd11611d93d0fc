"""How the owned tabs are laid out: column widths from what they hold, headers broken between
words. Pure functions over the tab's rows; each store turns the widths into its own units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from kspo_sheets.stores.base import OWNED_FONT, OwnedTab, PrintSetup
from kspo_sheets.thai.words import chunks
from kspo_sheets.thai.wrap import Font, line_count, row_height, text_width, wrap

HEADER_FONT = OWNED_FONT.at(OWNED_FONT.size, bold=True)
SECTION_FONT = OWNED_FONT.at(15, bold=True)
# Styles whose text is bold (a table's subheader) or a larger bold line (a section title).
BOLD_STYLES = {"subheader"}


def shown(value: Any) -> str:
    """A cell's text as a viewer shows it (numbers with thousands separators)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    # numbers as their format shows them, with the room for two ")" it keeps after them
    if isinstance(value, int):
        return f"{value:,}))"
    if isinstance(value, float):
        return f"{value:,.0f}))" if value.is_integer() else f"{value:,.2f}))"
    return str(value)


def _widest_word(text: str, font: Font) -> float:
    return max((text_width(c.strip(), font) for c in chunks(text)), default=0.0)


def column_widths(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    bounds: Sequence[tuple[float, float]],
    *,
    skip: set[int] | None = None,
) -> list[float]:
    """Points of text per column: the widest value on one line, kept within (min, max), and
    never narrower than the header's longest word or a value's longest word up to max
    (a code such as village.code_province must not be cut). Rows in `skip` (section
    titles running across the tab) set no width."""
    widths = []
    for j, (h, (low, high)) in enumerate(zip(header, bounds, strict=True)):
        best = low
        for i, row in enumerate(rows):
            if (skip and i in skip) or j >= len(row):
                continue
            text = shown(row[j])
            # Cheap bound first: no glyph of the font is wider than the point size.
            if not text or len(text) * OWNED_FONT.size <= best:
                continue
            best = max(best, min(text_width(text, OWNED_FONT), high))
            if best >= high:
                break
        word = max(_widest_word(part, HEADER_FONT) for part in h.split("\n"))
        # A point to spare: a text exactly as wide as its column wraps in some viewers.
        widths.append(math.ceil(max(best, word)) + 1.0)
    return widths


def break_lines(text: str, width: float) -> str:
    """The tool's text with line breaks between words where it wraps at `width` points."""
    return "\n".join(wrap(text, width, OWNED_FONT))


def wrapped_header(header: Sequence[str], widths: Sequence[float]) -> list[str]:
    """Headers broken between words where they are wider than their columns: the tool's own
    text, which a viewer left to wrap would cut inside a word (ข้อผิด|พลาด)."""
    return ["\n".join(wrap(h, w, HEADER_FONT)) for h, w in zip(header, widths, strict=True)]


def is_line(tab: OwnedTab, i: int) -> bool:
    """Row i is a line of text running across the tab (a section title, the data date, a
    note), not a table row: it does not wrap, and is one line high."""
    return tab.styles.get((i, 0)) == "section" or len(tab.rows[i]) == 1


# The footer's font in Excel's header/footer codes: the tabs' own, a size smaller.
FOOTER_FONT = f'&"{OWNED_FONT.family},Regular"&12'


def print_setup(title: str, header_row: int = 2) -> PrintSetup:
    """A4 landscape, every column on one page's width, the header row (a status tab's is
    sheet row 2, below the marker) on every page, the tab's name and หน้า X จาก Y at the
    foot."""
    name = title.replace("&", "&&")  # a lone & starts a code
    return PrintSetup(
        landscape=True,
        paper="A4",
        fit_width=True,
        repeat_rows=(header_row, header_row),
        footer=f"&L{FOOTER_FONT}{name}&R{FOOTER_FONT}หน้า &P จาก &N",
        margins=(0.4, 0.4, 0.6, 0.6),
    )


def lay_out_rows(tab: OwnedTab) -> None:
    """How the tab reads and prints, once its widths are set: every table cell wraps (a
    line across the tab does not), every row as tall as its lines, the header kept in
    view, and the print setup."""
    set_heights(tab)
    tab.wrap = set(range(len(tab.widths)))
    tab.freeze_rows = 2
    tab.print_setup = print_setup(tab.title)


def set_heights(tab: OwnedTab) -> None:
    """Every row's height in a workbook, from the lines its text takes at the columns'
    widths (a header's and the tool's text are already broken; a staff value wraps where
    the viewer breaks it, at most as many lines as a break between words makes); and the
    rows that run across the tab, one line high."""
    tab.header_height = row_height(
        max((h.count("\n") + 1 for h in tab.header), default=1), HEADER_FONT
    )
    tab.heights = {}
    tab.across = set()
    for i, row in enumerate(tab.rows):
        if is_line(tab, i):
            tab.across.add(i)
            section = tab.styles.get((i, 0)) == "section"
            tab.heights[i] = row_height(1, SECTION_FONT if section else OWNED_FONT)
            continue
        lines = 1
        for j, v in enumerate(row):
            if isinstance(v, str) and v and j < len(tab.widths):
                font = HEADER_FONT if tab.styles.get((i, j)) in BOLD_STYLES else OWNED_FONT
                lines = max(lines, line_count(v, tab.widths[j], font))
        tab.heights[i] = row_height(lines, OWNED_FONT)
