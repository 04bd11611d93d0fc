"""Page layout for the meeting pack: fonts, formats, column widths, row heights, pages.

A `Sheet` collects its lines, tables and charts top to bottom; `finish()` measures them
(every column as wide as its widest value within its bounds, every cell's text broken
between words where it wraps, every row as tall as its lines) and works out the pages
(``pages``); `write()` then puts it all in the workbook, once the pack knows on which page
each sheet starts.

Widths are measured with the fonts' own advance widths (``thai.wrap``). The workbook's
default font is the pack's, TH Sarabun New 16, so column widths count its digits: 11 or 12
pixels in Excel, 8.7 pt in LibreOffice. A column is made wide enough for its text at the
narrowest of these, and a sheet's print scale is worked out at the widest.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from kspo_sheets.pack.pages import (
    MARGIN_SIDE_IN,
    MARGIN_TOP_IN,
    PAGE_HEIGHT_PT,
    PAGE_WIDTH_PT,
    SCALES,
    TABLE_SCALE,
    Pages,
    paginate,
    print_scale,
)
from kspo_sheets.pack.tables import Col, Link, Row, Styled
from kspo_sheets.thai.dates import format_be
from kspo_sheets.thai.words import chunks
from kspo_sheets.thai.wrap import (
    CELL_MARGIN_PT,
    TH_SARABUN,
    Font,
    line_height,
    row_height,
    text_width,
    wrap,
)

FONT = TH_SARABUN
BODY_PT = 16
BODY = Font(FONT, BODY_PT)
BOLD = BODY.at(BODY_PT, bold=True)
ROW_PT = row_height(1, BODY)  # one 16 pt Thai line, marks above and below
# A digit of TH Sarabun New 16 (the unit of column widths) in the viewer that shows it
# narrowest (Excel, 11 px) and widest (Excel, 12 px, with room to spare; LibreOffice's is 8.7 pt).
NARROW_DIGIT_PT = 8.25
WIDE_DIGIT_PT = 9.3
# xlsxwriter's own digit and padding for this default font (default_column_width=96).
XW_DIGIT_PX = 11
DEFAULT_COLUMN_PX = 96
# Col.min_width/max_width are in these units (an Excel width unit of the pack's first
# design, about a third of a Thai letter at 16 pt). A column is never narrower than what
# it holds needs; min_width is only a floor for a column with little in it.
UNIT_PT = 5.4
FLOOR_PT = 3.0
SHORT_PT = 64.0  # a column whose values are all this narrow is never wrapped
MAX_EM = 1.1  # no glyph of the pack's font (or a fallback's symbol) is wider than this
BORDER = "#A6A6A6"
HEADER_BG = "#D9E1F2"

# Fills and font colours by style name; statuses as IndicatorResult.status spells them.
STYLES: dict[str, dict[str, Any]] = {
    "achieved": {"bg_color": "#C6EFCE", "font_color": "#006100"},
    "not_achieved": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    "no_data": {"bg_color": "#EDEDED", "font_color": "#595959"},
    "info": {},
    "pending": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
    "covered": {"bg_color": "#E2EFDA"},
    "muted": {"font_color": "#7F7F7F"},
    "bold": {"bold": True},
    "error": {"bg_color": "#FFC7CE", "font_color": "#9C0006"},
    "warning": {"bg_color": "#FFEB9C", "font_color": "#9C5700"},
    "notice": {"bg_color": "#DDEBF7"},
    "group": {"bold": True, "bg_color": "#EDF2F9"},
    "subtotal": {"bold": True, "bg_color": "#F2F2F2"},
    "total": {"bold": True, "bg_color": "#D9D9D9", "top": 6},
    "link": {"font_color": "#0563C1", "underline": 1},
}
BOLD_STYLES = {"bold", "group", "subtotal", "total"}

# Column kinds: how a value is written and aligned.
# Each number format ends in room for two ")" (the _) code), so a right-aligned number
# stands clear of the text in the next column ("8 83030402", never "883030402") in every
# viewer, measured in the font itself.
PAD = "_)_)"
NUM_FORMATS = {
    "int": f"#,##0{PAD}",
    "count0": f'#,##0{PAD};-#,##0{PAD};"–"{PAD}',  # zero shows as a dash (a matrix of counts)
    "baht": f"#,##0.00{PAD}",
    "pct": f"0.0{PAD}",
}
RIGHT = {"int", "count0", "num", "kg", "baht", "pct"}
CENTER = {"center", "date"}


# rows after a sheet's main table that are its notes, kept with its last row
TRAILING_NOTES = 4


@dataclass
class TablePos:
    header_row: int
    first_row: int
    last_row: int  # == header_row when the table has no rows


@dataclass(frozen=True)
class PageRef:
    """A cell that shows the page a sheet starts on (the cover's contents)."""

    sheet: str


def column_units(width_pt: float) -> float:
    """The column width (digits of the default font) that holds `width_pt` of text."""
    return (width_pt + 2 * CELL_MARGIN_PT) / NARROW_DIGIT_PT


def cell_text(value: Any, kind: str) -> str:
    """The text a cell shows, for measuring (numbers as their format shows them)."""
    if isinstance(value, Styled):
        value = value.value
    if isinstance(value, Link):
        return value.text
    if isinstance(value, PageRef):
        return "000"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    if isinstance(value, dt.date):
        return format_be(value, "abbr")
    if isinstance(value, int | float):
        if kind == "pct":
            return f"{value:.1f}"
        if kind == "baht" or (kind in ("num", "kg") and not float(value).is_integer()):
            return f"{value:,.2f}"
        return f"{value:,.0f}"
    return str(value)


def escape_hf(text: str) -> str:
    """Text for a print header/footer, where & starts a code."""
    return text.replace("&", "&&")


SAMPLE_ROWS = 600  # rows a long table's widths are chosen on
EXACT_ROWS = 2_000  # a table this long or shorter is paginated at every scale to choose one


def narrowed(
    natural: list[float], floor: list[float], rows: list[list[float]], budget: float
) -> list[float]:
    """Column widths within `budget` that cost the fewest extra lines: starting from each
    column's widest value, the column whose narrowing adds the fewest lines per point saved
    is narrowed, a step at a time, never below its floor (its longest word)."""
    widths = list(natural)

    def lines(v: float, w: float) -> int:
        # word breaks waste about a twentieth of a line
        return math.ceil(v * 1.05 / w) if v > w else 1

    grid = [[lines(v, w) for v, w in zip(r, widths, strict=True)] for r in rows]
    # Per row, the two tallest cells (lines, column): a row is as tall as its tallest cell,
    # so narrowing one column changes a row only through it.
    tops = [_top_two(g) for g in grid]

    def cost(c: int, width: float) -> int:
        total = 0
        for r, (first, at, second) in zip(rows, tops, strict=True):
            other = second if at == c else first
            total += max(other, lines(r[c], width))
        return total

    base = sum(t[0] for t in tops)
    while sum(widths) > budget:
        best: tuple[float, int, float, int] | None = None
        for c, (w, low) in enumerate(zip(widths, floor, strict=True)):
            if w <= low:
                continue
            new = max(low, w - max(w * 0.06, 4.0), w - (sum(widths) - budget))
            got = cost(c, new)
            ratio = (got - base) / (w - new)
            if best is None or ratio < best[0]:
                best = (ratio, c, new, got)
        if best is None:
            break  # every column at its floor: the sheet prints below the tables' scale
        _, c, new, base = best
        widths[c] = new
        for k, (r, g) in enumerate(zip(rows, grid, strict=True)):
            g[c] = lines(r[c], new)
            tops[k] = _top_two(g)
    return widths


def estimated_lines(rows: list[list[float]], widths: list[float]) -> float:
    """Mean lines a row takes at these widths (rows: each cell's one-line width)."""
    if not rows:
        return 1.0
    total = 0
    for r in rows:
        total += max(
            (math.ceil(v * 1.05 / w) if v > w else 1) for v, w in zip(r, widths, strict=True)
        )
    return total / len(rows)


def _top_two(g: list[int]) -> tuple[int, int, int]:
    first, at, second = 1, -1, 1
    for k, x in enumerate(g):
        if x > first:
            first, at, second = x, k, first
        elif x > second:
            second = x
    return first, at, second


def _text_budget(ncols: int, scale: int) -> float:
    """Points of text a table of `ncols` columns may span to print one page wide at
    `scale` per cent in the viewer that shows columns widest."""
    sheet = PAGE_WIDTH_PT * 100 / scale * NARROW_DIGIT_PT / WIDE_DIGIT_PT
    return sheet - 2 * CELL_MARGIN_PT * ncols - 1.0 * ncols


def _widest_word(text: str, font: Font) -> float:
    return max((text_width(c.strip(), font) for c in chunks(text)), default=0.0)


class Formats:
    """Cached formats built from named parts, so equal looks share one format."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self._cache: dict[tuple[tuple[str, Any], ...], Format] = {}
        self._cells: dict[tuple[str, str, str, bool, bool], Format] = {}

    def get(self, **props: Any) -> Format:
        base: dict[str, Any] = {"font_name": FONT, "font_size": BODY_PT, "valign": "top"}
        base.update(props)
        key = tuple(sorted(base.items()))
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self.workbook.add_format(base)
            self._cache[key] = fmt
        return fmt

    def cell(
        self,
        kind: str,
        row_style: str = "",
        cell_style: str = "",
        value: Any = None,
        wrapped: bool = False,
    ) -> Format:
        """The format of a table cell (called for every cell: cached by what decides it)."""
        integral = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        key = (kind, row_style, cell_style, integral, wrapped)
        fmt = self._cells.get(key)
        if fmt is None:
            fmt = self._cells[key] = self._cell(kind, row_style, cell_style, integral, wrapped)
        return fmt

    def _cell(
        self, kind: str, row_style: str, cell_style: str, integral: bool, wrapped: bool
    ) -> Format:
        props: dict[str, Any] = {"border": 1, "border_color": BORDER}
        if row_style == "group":
            # No side borders, so the group's title can run across the row.
            props = {"top": 1, "bottom": 1, "border_color": BORDER}
        if kind in NUM_FORMATS:
            props["num_format"] = NUM_FORMATS[kind]
        elif kind in ("num", "kg"):
            props["num_format"] = f"#,##0{PAD}" if integral else f"#,##0.00{PAD}"
        if kind in RIGHT:
            props["align"] = "right"
        elif kind in CENTER:
            props["align"] = "center"
        if wrapped:
            props["text_wrap"] = True
        for style in (row_style, cell_style):
            props.update(STYLES.get(style, {}))
        return self.get(**props)


@dataclass
class _Table:
    row: int
    col: int
    cols: Sequence[Col]
    rows: Sequence[Row]
    main: bool


@dataclass
class _Line:
    row: int
    text: str
    size: int
    bold: bool
    color: str | None
    link: str | None = None  # an internal target such as "'สรุป'!A1"


@dataclass
class _Chart:
    row: int
    chart: Chart
    slot: int  # 0 left half, 1 right half
    height_rows: int


class Sheet:
    """One printable sheet of the pack."""

    def __init__(
        self,
        workbook: Workbook,
        formats: Formats,
        name: str,
        *,
        header_left: str,
        footer_left: str,
        confidential: str | None,
        pages_tall: int = 0,
    ) -> None:
        self.workbook = workbook
        self.pages_tall = pages_tall  # 1: the sheet prints on one page, shrunk if need be
        self.formats = formats
        self.name = name
        self.ws: Worksheet = workbook.add_worksheet(name)
        self.header_left = header_left
        self.footer_left = footer_left
        self.confidential = confidential
        self.next_row = 0
        self.print_rows: int | None = None  # rows printed (the rest is on screen only)
        self._tables: list[_Table] = []
        self._lines: list[_Line] = []
        self._charts: list[_Chart] = []
        self._breaks: list[int] = []
        self._main: _Table | None = None
        self.widths: list[float] = []  # points of text per column
        self._heights: dict[int, float] = {}
        self._cells: dict[tuple[int, int], str] = {}  # text broken between words
        self.min_total = 0.0  # points the sheet spans at least (room for charts)
        self.pages = Pages(100, [], 1)
        self._widths_cache: dict[tuple[str, bool], float] = {}
        self._stats_cache: dict[int, tuple[list[float], list[float], list[float]]] = {}
        self._wraps: dict[tuple[str, float, bool], list[str]] = {}
        self._table_widths_cache: dict[tuple[int, int], list[float]] = {}
        self._words_cache: dict[tuple[str, bool], float] = {}
        if confidential:
            self.line(confidential, size=18, bold=True, color="#C00000")

    # --- collecting --------------------------------------------------------------------

    def line(
        self,
        text: str,
        *,
        size: int = BODY_PT,
        bold: bool = False,
        color: str | None = None,
        link: str | None = None,
    ) -> int:
        """A line of text spanning the sheet's width; returns its row."""
        row = self.next_row
        self._lines.append(_Line(row, text, size, bold, color, link))
        self.next_row += 1
        return row

    def title(self, text: str, subtitle: str | None = None) -> None:
        self.line(text, size=20, bold=True)
        if subtitle:
            self.line(subtitle, color="#404040")
        self.skip()

    def skip(self, rows: int = 1) -> None:
        self.next_row += rows

    def table(
        self, cols: Sequence[Col], rows: Sequence[Row], *, main: bool = False, first_col: int = 0
    ) -> TablePos:
        """A table with a header row; `main` gives it the freeze panes, filter and print titles."""
        pos = TablePos(self.next_row, self.next_row + 1, self.next_row + len(rows))
        table = _Table(self.next_row, first_col, cols, rows, main)
        self._tables.append(table)
        if main:
            self._main = table
        self.next_row = pos.last_row + 1
        return pos

    def chart(self, chart: Chart, *, row: int, slot: int, height_rows: int) -> None:
        """A chart at `row` in the left (slot 0) or right (slot 1) half of the sheet's width."""
        self._charts.append(_Chart(row, chart, slot, height_rows))

    def page_break(self) -> None:
        self._breaks.append(self.next_row)

    # --- measuring ---------------------------------------------------------------------

    def _measure(self, scale: int) -> list[float]:
        ncols = max((t.col + len(t.cols) for t in self._tables), default=1)
        widths = [0.0] * ncols
        for t in self._tables:
            for i, w in enumerate(self._table_widths(t, scale)):
                widths[t.col + i] = max(widths[t.col + i], float(int(w) + 1))
        return widths

    def _table_widths(self, t: _Table, scale: int) -> list[float]:
        """Each column as wide as its widest value; for the main table, text columns are
        then narrowed together (the longest values wrap, between words) until the table
        prints one page wide at `scale`."""
        key = (id(t), scale)
        if key in self._table_widths_cache:
            return self._table_widths_cache[key]
        got = self._choose_widths(t, scale)
        self._table_widths_cache[key] = got
        return got

    def _choose_widths(self, t: _Table, scale: int) -> list[float]:
        fixed, natural, words = self._stats(t)
        if not t.main:
            caps = [col.max_width * UNIT_PT for col in t.cols]
            return [
                max(f, min(n, c), min(w, n))
                for f, n, c, w in zip(fixed, natural, caps, words, strict=True)
            ]
        budget = _text_budget(len(t.cols), scale)
        if sum(natural) <= budget:
            return natural
        # Never narrower than its longest word, nor than a short column's widest value
        # ("6 จาก 14" stays on one line).
        floor = [
            n if col.kind == "date" else max(f, w, min(n, SHORT_PT))  # a date never wraps
            for col, f, w, n in zip(t.cols, fixed, words, natural, strict=True)
        ]
        return narrowed(natural, floor, self._value_widths(t), budget)

    def _stats(self, t: _Table) -> tuple[list[float], list[float], list[float]]:
        """Per column, measured once whatever the scale: the width its header and numbers
        need, its widest value, and its longest word."""
        got = self._stats_cache.get(id(t))
        if got is not None:
            return got
        fixed: list[float] = []
        natural: list[float] = []
        words: list[float] = []
        for i, col in enumerate(t.cols):
            low = col.min_width * FLOOR_PT
            # A header never breaks inside a word, whatever the column's bounds.
            head = max(_widest_word(part, BOLD) for part in col.header.split("\n"))
            numbers = 0.0  # a number is never cut or wrapped: it sets its own width
            widest = 0.0
            word = 0.0
            # A centred value keeps a space's room each side, a number its "))".
            pad = "))" if col.kind in RIGHT else ("  " if col.kind in CENTER else "")
            # A long table's longest word is looked for in a sample of its rows (every
            # row is measured for its widest value).
            step = max(1, len(t.rows) // SAMPLE_ROWS)
            for n, r in enumerate(t.rows):
                if i >= len(r.values) or (r.style == "group" and i == 0):
                    continue  # a group title overflows to the right, it sets no width
                value = r.values[i]
                raw = value.value if isinstance(value, Styled) else value
                font = BOLD if r.style in BOLD_STYLES else BODY
                text = cell_text(value, col.kind)
                if isinstance(raw, int | float | PageRef) and not isinstance(raw, bool):
                    numbers = max(numbers, self._width(text + pad, font))
                elif text:
                    # Cheap bound first: no glyph is wider than MAX_EM of the point size.
                    bound = (len(text) + len(pad)) * font.size * MAX_EM
                    sampled = n % step == 0
                    if bound <= widest and (bound <= word or not sampled):
                        continue
                    w = self._width(text + pad, font)
                    if w > widest:
                        widest = w
                    if sampled and w > word:  # a word is never wider than its text
                        word = max(word, self._word(text, font))
            fixed.append(max(low, head, numbers))
            natural.append(max(fixed[-1], widest))
            words.append(word)
        self._stats_cache[id(t)] = (fixed, natural, words)
        return fixed, natural, words

    def _value_widths(self, t: _Table) -> list[list[float]]:
        """Per row (a sample of a long table), the width of each column's text value."""
        step = max(1, len(t.rows) // SAMPLE_ROWS)
        out = []
        for r in t.rows[::step]:
            if r.style == "group":
                continue
            widths = []
            for i, col in enumerate(t.cols):
                value = r.values[i] if i < len(r.values) else None
                raw = value.value if isinstance(value, Styled) else value
                if isinstance(raw, int | float | PageRef) and not isinstance(raw, bool):
                    widths.append(0.0)
                    continue
                font = BOLD if r.style in BOLD_STYLES else BODY
                widths.append(self._width(cell_text(value, col.kind), font))
            out.append(widths)
        return out

    def _width(self, text: str, font: Font) -> float:
        key = (text, font.bold)
        got = self._widths_cache.get(key)
        if got is None:
            got = self._widths_cache[key] = text_width(text, font)
        return got

    def _word(self, text: str, font: Font) -> float:
        key = (text, font.bold)
        got = self._words_cache.get(key)
        if got is None:
            got = self._words_cache[key] = _widest_word(text, font)
        return got

    def _table_heights(self, t: _Table) -> None:
        c0 = t.col
        lines = 1
        for i, col in enumerate(t.cols):
            parts = [
                p for part in col.header.split("\n") for p in wrap(part, self.widths[c0 + i], BOLD)
            ]
            self._cells[(t.row, c0 + i)] = "\n".join(parts)
            lines = max(lines, len(parts))
        self._heights[t.row] = row_height(lines, BOLD)
        for n, r in enumerate(t.rows):
            row = t.row + 1 + n
            font = BOLD if r.style in BOLD_STYLES else BODY
            lines = 1
            for i, col in enumerate(t.cols):
                if i >= len(r.values) or (r.style == "group" and i == 0):
                    continue
                value = r.values[i]
                raw = value.value if isinstance(value, Styled) else value
                if isinstance(raw, int | float | PageRef) and not isinstance(raw, bool):
                    continue
                text = cell_text(value, col.kind)
                if not text:
                    continue
                width = self.widths[c0 + i]
                if "\n" not in text and len(text) * font.size * MAX_EM <= width:
                    continue  # cheap bound: it fits whatever its letters
                if "\n" in text or self._width(text, font) > width:
                    key = (text, width, font.bold)
                    parts = self._wraps.get(key) or self._wraps.setdefault(
                        key, wrap(text, width, font)
                    )
                    if len(parts) > 1 or "\n" in text:
                        self._cells[(row, c0 + i)] = "\n".join(parts)
                        lines = max(lines, len(parts))
            self._heights[row] = row_height(lines, font)

    def _line_heights(self, total: float) -> None:
        for line in self._lines:
            font = Font(FONT, line.size, line.bold)
            parts = wrap(line.text, total - 2 * CELL_MARGIN_PT, font)
            if len(parts) > 1:
                self._cells[(line.row, 0)] = "\n".join(parts)
            self._heights[line.row] = row_height(len(parts), font)

    def print_width(self) -> float:
        """Points the sheet spans on paper in the viewer that shows its columns widest."""
        return sum(column_units(w) * WIDE_DIGIT_PT for w in self.widths)

    def finish(self) -> None:
        """Measure everything and work out the pages (the sheet is written by write()).

        A sheet with a main table is laid out at each scale from the tables' scale down to
        the smallest that still reads well, and printed at the one that needs the fewest
        pages (the larger scale when they tie): narrower columns wrap more, a smaller scale
        lets them be wider."""
        if self.pages_tall == 1 or self._charts or self._main is None:
            heights = self._lay_out(TABLE_SCALE)
            scale = print_scale(self.print_width(), sum(heights))
            if self.pages_tall != 1 and not self._charts:
                self.pages = self._paginate(
                    heights, print_scale(self.print_width(), most=TABLE_SCALE)
                )
            else:
                self.pages = Pages(scale, [], 1)
            self._forget()
            return
        main = self._main
        best: tuple[float, int] | None = None
        for target in SCALES:
            if len(main.rows) <= EXACT_ROWS:
                heights = self._lay_out(target)
                count: float = self._paginate(
                    heights, print_scale(self.print_width(), most=target)
                ).count
            else:
                # A long table: its pages estimated from a sample of its rows.
                widths = self._table_widths(main, target)
                sample = self._value_widths(main)
                lines = estimated_lines(sample, widths) * len(main.rows)
                first = row_height(1, BODY)
                tall = first + (lines - len(main.rows)) * line_height(BODY)
                count = tall * target / 100 / (PAGE_HEIGHT_PT * 0.97)
            if best is None or count < best[0]:
                best = (count, target)
        assert best is not None
        heights = self._lay_out(best[1])
        self.pages = self._paginate(heights, print_scale(self.print_width(), most=best[1]))
        self._forget()

    def _forget(self) -> None:
        """Drop the measures kept while choosing a scale: a sheet of 100,000 rows waits for
        the others before it is written, and need not hold every text's width meanwhile."""
        self._widths_cache.clear()
        self._words_cache.clear()
        self._wraps.clear()
        self._stats_cache.clear()
        self._table_widths_cache.clear()

    def _lay_out(self, scale: int) -> list[float]:
        """Widths for the tables to print one page wide at `scale`, every cell's text broken
        to fit, every row's height; returns the heights of the rows printed."""
        self._heights = {}
        self._cells = {}
        self.widths = self._measure(scale)
        if self.pages_tall == 1:
            # A one-page sheet (the cover) is as wide as its longest line, within a page.
            longest = max(
                (text_width(x.text, Font(FONT, x.size, x.bold)) for x in self._lines), default=0
            )
            self.min_total = max(self.min_total, min(longest + 8, PAGE_WIDTH_PT * 1.2))
        total = sum(column_units(w) * NARROW_DIGIT_PT for w in self.widths)
        if total < self.min_total:
            # an empty column under the charts
            self.widths.append(self.min_total - total - 2 * CELL_MARGIN_PT)
        text_total = sum(self.widths) + 2 * CELL_MARGIN_PT * (len(self.widths) - 1)
        self._line_heights(text_total)
        for t in self._tables:
            self._table_heights(t)
        for c in self._charts:
            for r in range(c.row, c.row + c.height_rows):
                self._heights.setdefault(r, ROW_PT)
        last = self.next_row
        if self._charts:
            last = max(c.row + c.height_rows for c in self._charts)
            self.print_rows = last
        return [self._heights.get(r, ROW_PT) for r in range(last)]

    def _paginate(self, heights: list[float], scale: int) -> Pages:
        main = self._main
        repeat = (main.row, main.row) if main is not None else None
        groups = set()
        if main is not None:
            groups = {main.row + 1 + n for n, r in enumerate(main.rows) if r.style == "group"}
            groups.add(main.row)  # a header never ends a page
            # A table's notes below it (a line or two) never print alone under the repeated
            # header of a page of their own: its last row goes over with them.
            last = main.row + len(main.rows)
            if 0 < len(heights) - 1 - last <= TRAILING_NOTES:
                groups.update(range(last, len(heights) - 1))
        pages = paginate(heights, scale, repeat=repeat, keep_with_next=groups, forced=self._breaks)
        if pages.count == 2:
            # Only just over one page: shrink it onto one rather than print a page of notes,
            # if it still reads well at that scale.
            one = print_scale(self.print_width(), sum(heights), scale)
            if one >= SCALES[-1]:
                pages = Pages(one, [], 1)
        return pages

    # --- writing -----------------------------------------------------------------------

    def write(self, first_page: int, total_pages: int, page_of: dict[str, int]) -> None:
        ws = self.ws
        for i, w in enumerate(self.widths):
            ws.set_column_pixels(i, i, round(column_units(w) * XW_DIGIT_PX))
        ws.set_default_row(ROW_PT)
        for row, height in sorted(self._heights.items()):
            if abs(height - ROW_PT) > 0.01:
                ws.set_row(row, height)
        for line in self._lines:
            self._write_line(line)
        for t in self._tables:
            self._write_table(t, page_of)
        for c in self._charts:
            self._write_chart(c)
        if self.pages.breaks:
            ws.set_h_pagebreaks(self.pages.breaks)
        if self.print_rows is not None:
            ws.print_area(0, 0, self.print_rows - 1, len(self.widths) - 1)
        self._page_setup(first_page, total_pages)

    def _write_line(self, line: _Line) -> None:
        props: dict[str, Any] = {"font_size": line.size, "bold": line.bold, "valign": "vcenter"}
        if line.color:
            props["font_color"] = line.color
        if line.link:
            props.update({"font_color": "#0563C1", "underline": 1})
        text = self._cells.get((line.row, 0), line.text)
        if "\n" in text:
            props["text_wrap"] = True
        fmt = self.formats.get(**props)
        last = len(self.widths) - 1
        if line.link:
            if last > 0:
                self.ws.merge_range(line.row, 0, line.row, last, "", fmt)
            self.ws.write_url(line.row, 0, f"internal:{line.link}", fmt, string=text)
        elif last > 0:
            self.ws.merge_range(line.row, 0, line.row, last, text, fmt)
        else:
            self.ws.write_string(line.row, 0, text, fmt)

    def _write_table(self, t: _Table, page_of: dict[str, int]) -> None:
        ws, fm = self.ws, self.formats
        head = fm.get(
            bold=True,
            text_wrap=True,
            align="center",
            valign="vcenter",
            bg_color=HEADER_BG,
            border=1,
            border_color=BORDER,
        )
        c0 = t.col
        for i, col in enumerate(t.cols):
            ws.write_string(t.row, c0 + i, self._cells.get((t.row, c0 + i), col.header), head)
        for n, r in enumerate(t.rows):
            row = t.row + 1 + n
            for i, col in enumerate(t.cols):
                value = r.values[i] if i < len(r.values) else None
                if isinstance(value, PageRef):
                    value = page_of.get(value.sheet)
                kind = "text" if r.style == "group" else col.kind
                self._write_cell(row, c0 + i, kind, r.style, value)
        if t.main:
            ncol = len(t.cols)
            ws.freeze_panes(t.row + 1, 0)
            ws.autofilter(t.row, c0, t.row + len(t.rows), c0 + ncol - 1)
            ws.repeat_rows(t.row)

    def _write_cell(self, row: int, col: int, kind: str, row_style: str, value: Any) -> None:
        cell_style = ""
        if isinstance(value, Styled):
            cell_style, value = value.style, value.value
        ws = self.ws
        broken = self._cells.get((row, col))
        if isinstance(value, Link):
            fmt = self.formats.cell(kind, row_style, "link", wrapped=broken is not None)
            ws.write_url(row, col, f"internal:{value.target}", fmt, string=broken or value.text)
            return
        fmt = self.formats.cell(kind, row_style, cell_style, value, broken is not None)
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(row, col, "ใช่" if value else "ไม่ใช่", fmt)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, fmt)
        elif isinstance(value, dt.date):
            ws.write_string(row, col, broken or format_be(value, "abbr"), fmt)
        else:
            # Always a string cell: text starting = + - @ stays text, never a formula.
            ws.write_string(row, col, broken or str(value), fmt)

    def width_px(self) -> int:
        return sum(round(column_units(w) * XW_DIGIT_PX) for w in self.widths)

    def _write_chart(self, c: _Chart) -> None:
        total = self.width_px()
        gap = 12
        width = (total - gap) // 2
        height = int(c.height_rows * ROW_PT * 4 / 3) - 8
        c.chart.set_size({"width": width, "height": height})
        x = 0 if c.slot == 0 else width + gap
        self.ws.insert_chart(
            c.row, 0, c.chart, {"x_offset": x, "y_offset": 4, "object_position": 1}
        )

    def _page_setup(self, first_page: int, total_pages: int) -> None:
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)  # A4
        # A fixed scale (one page wide) rather than "fit to page", which makes Excel ignore
        # the page breaks worked out here.
        ws.set_print_scale(self.pages.scale)
        ws.set_start_page(first_page)
        ws.set_margins(
            left=MARGIN_SIDE_IN, right=MARGIN_SIDE_IN, top=MARGIN_TOP_IN, bottom=MARGIN_TOP_IN
        )
        ws.center_horizontally()
        small = f'&"{FONT},Regular"&12'
        header = f"&L{small}{escape_hf(self.header_left)}"
        if self.confidential:
            header += f'&C&"{FONT},Bold"&14&KC00000{escape_hf(self.confidential)}'
        header += f"&R{small}{escape_hf(self.name)}"
        ws.set_header(header, {"margin": 0.3})
        ws.set_footer(
            f"&L{small}{escape_hf(self.footer_left)}&R{small}หน้า &P จาก {total_pages}",
            {"margin": 0.3},
        )
