"""Page layout for the meeting pack: fonts, formats, column widths and print setup.

A `Sheet` collects its lines, tables and charts top to bottom and writes them on
`finish()`, once every column's width is known, so that titles can span the tables,
wrapped rows get the height their text needs and every page prints one page wide.
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

from kspo_sheets.pack.tables import Col, Link, Row, Styled
from kspo_sheets.thai.dates import format_be
from kspo_sheets.thai.text import display_width

FONT = "TH Sarabun New"
BODY_PT = 16
ROW_PT = 24.0  # a 16 pt Thai line with marks above and below
# Excel width units (the width of a Calibri 11 "0": 7 px, 5.25 pt) per character of 16 pt
# TH Sarabun New, measured from the font's advance widths: a Thai consonant or a digit is
# about 0.55-0.6 em, 1.7 units; spaces and punctuation about 0.3 em.
UNITS_PER_CHAR = 1.72
NARROW_UNITS = 0.95
_NARROW = dict.fromkeys(map(ord, " .,:;/|()[]'\"!-–·"), None)
PAD_UNITS = 2.0
# A4 landscape inside the margins set below (0.4 in left and right, 0.7 in top and bottom).
PAGE_WIDTH_PT = 841.9 - 2 * 0.4 * 72
PAGE_HEIGHT_PT = 595.3 - 2 * 0.7 * 72
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

# Column kinds: how a value is written and aligned.
NUM_FORMATS = {
    "int": "#,##0",
    "count0": '#,##0;-#,##0;"–"',  # zero shows as a dash (a matrix of counts)
    "baht": "#,##0.00",
    "pct": "0.0",
}
RIGHT = {"int", "count0", "num", "kg", "baht", "pct"}
CENTER = {"center", "date"}


@dataclass
class TablePos:
    header_row: int
    first_row: int
    last_row: int  # == header_row when the table has no rows


def units(text: str) -> float:
    """Excel width units a one-line text needs at 16 pt (Thai marks take no width)."""
    n = len(text) if text.isascii() else display_width(text)
    narrow = len(text) - len(text.translate(_NARROW))
    return (n - narrow) * UNITS_PER_CHAR + narrow * NARROW_UNITS


def cell_text(value: Any, kind: str) -> str:
    """The text a cell shows, for measuring (numbers as their format shows them)."""
    if isinstance(value, Styled):
        value = value.value
    if isinstance(value, Link):
        return value.text
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


class Formats:
    """Cached formats built from named parts, so equal looks share one format."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self._cache: dict[tuple[tuple[str, Any], ...], Format] = {}
        self._cells: dict[tuple[str, str, str, bool], Format] = {}

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
        self, kind: str, row_style: str = "", cell_style: str = "", value: Any = None
    ) -> Format:
        """The format of a table cell (called for every cell: cached by what decides it)."""
        integral = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
        key = (kind, row_style, cell_style, integral)
        fmt = self._cells.get(key)
        if fmt is None:
            fmt = self._cells[key] = self._cell(kind, row_style, cell_style, integral)
        return fmt

    def _cell(self, kind: str, row_style: str, cell_style: str, integral: bool) -> Format:
        props: dict[str, Any] = {"border": 1, "border_color": BORDER}
        if row_style == "group":
            # No side borders, so the group's title can run across the row.
            props = {"top": 1, "bottom": 1, "border_color": BORDER}
        if kind in NUM_FORMATS:
            props["num_format"] = NUM_FORMATS[kind]
        elif kind in ("num", "kg"):
            props["num_format"] = "#,##0" if integral else "#,##0.00"
        if kind in RIGHT:
            props["align"] = "right"
        elif kind in CENTER:
            props["align"] = "center"
        if kind == "wrap":
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
        self.pages_tall = pages_tall
        self.formats = formats
        self.name = name
        self.ws: Worksheet = workbook.add_worksheet(name)
        self.header_left = header_left
        self.footer_left = footer_left
        self.confidential = confidential
        self.next_row = 0
        self._tables: list[_Table] = []
        self._lines: list[_Line] = []
        self._charts: list[_Chart] = []
        self._breaks: list[int] = []
        self._main: TablePos | None = None
        self.widths: list[float] = []
        self._heights: dict[int, float] = {}
        self.min_total = 0.0  # width units the sheet spans at least (room for charts)
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
        self._tables.append(_Table(self.next_row, first_col, cols, rows, main))
        if main:
            self._main = pos
        self.next_row = pos.last_row + 1
        return pos

    def chart(self, chart: Chart, *, row: int, slot: int, height_rows: int) -> None:
        """A chart at `row` in the left (slot 0) or right (slot 1) half of the sheet's width."""
        self._charts.append(_Chart(row, chart, slot, height_rows))

    def page_break(self) -> None:
        self._breaks.append(self.next_row)

    # --- writing -----------------------------------------------------------------------

    def _measure(self) -> list[float]:
        ncols = max((t.col + len(t.cols) for t in self._tables), default=1)
        widths = [0.0] * ncols
        for t in self._tables:
            for i, col in enumerate(t.cols):
                # Each header line fits whole, whatever the column's maximum.
                head = max(units(part) for part in col.header.split("\n")) + PAD_UNITS
                best = 0.0
                for r in t.rows:
                    if i >= len(r.values) or (r.style == "group" and i == 0):
                        continue  # a group title overflows to the right, it sets no width
                    text = cell_text(r.values[i], col.kind)
                    # Cheap bound first: display width never exceeds the length.
                    if len(text) * UNITS_PER_CHAR > best:
                        best = max(best, units(text))
                    if best >= col.max_width:
                        break
                w = max(min(max(best + PAD_UNITS, col.min_width), col.max_width), head)
                widths[t.col + i] = max(widths[t.col + i], w)
        return widths

    def finish(self) -> None:
        ws = self.ws
        self.widths = widths = self._measure()
        if sum(widths) < self.min_total:
            widths.append(self.min_total - sum(widths))  # an empty column under the charts
        for i, w in enumerate(widths):
            ws.set_column(i, i, round(w, 2))
        ws.set_default_row(ROW_PT)
        total = sum(widths)
        for line in self._lines:
            self._write_line(line, total)
        for t in self._tables:
            self._write_table(t)
        for c in self._charts:
            self._write_chart(c)
        if self._breaks:
            ws.set_h_pagebreaks(self._breaks)
        if self._charts:
            last = max([self.next_row - 1, *(c.row + c.height_rows for c in self._charts)])
            ws.print_area(0, 0, last, len(widths) - 1)
        self._page_setup()

    def _write_line(self, line: _Line, total: float) -> None:
        props: dict[str, Any] = {"font_size": line.size, "bold": line.bold, "valign": "vcenter"}
        if line.color:
            props["font_color"] = line.color
        if line.link:
            props.update({"font_color": "#0563C1", "underline": 1})
        fmt = self.formats.get(**props)
        lines = max(1, math.ceil(units(line.text) * line.size / BODY_PT / max(total, 1) * 1.05))
        height = ROW_PT * line.size / BODY_PT * lines + (4 if line.size > BODY_PT else 0)
        if lines > 1:
            fmt = self.formats.get(**props, text_wrap=True)
        last = len(self.widths) - 1
        if line.link:
            if last > 0:
                self.ws.merge_range(line.row, 0, line.row, last, "", fmt)
            self.ws.write_url(line.row, 0, f"internal:{line.link}", fmt, string=line.text)
        elif last > 0:
            self.ws.merge_range(line.row, 0, line.row, last, line.text, fmt)
        else:
            self.ws.write_string(line.row, 0, line.text, fmt)
        if height != ROW_PT:
            self._set_row(line.row, height)

    def _write_table(self, t: _Table) -> None:
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
        head_lines = 1
        c0 = t.col
        for i, col in enumerate(t.cols):
            ws.write_string(t.row, c0 + i, col.header, head)
            usable = max(self.widths[c0 + i] - PAD_UNITS / 2, 1)
            n = sum(max(1, math.ceil(units(p) / usable - 0.02)) for p in col.header.split("\n"))
            head_lines = max(head_lines, n)
        if head_lines > 1:
            self._set_row(t.row, ROW_PT * head_lines)
        wrap_cols = [i for i, c in enumerate(t.cols) if c.kind == "wrap"]
        for n, r in enumerate(t.rows):
            row = t.row + 1 + n
            for i, col in enumerate(t.cols):
                value = r.values[i] if i < len(r.values) else None
                kind = "text" if r.style == "group" else col.kind
                self._write_cell(row, c0 + i, kind, r.style, value)
            lines = 1
            for i in wrap_cols:
                text = cell_text(r.values[i] if i < len(r.values) else None, "wrap")
                usable = max(self.widths[c0 + i] - PAD_UNITS / 2, 1)
                # Cheap bound first: a text no longer than the width in characters fits.
                if text and len(text) * UNITS_PER_CHAR > usable:
                    n_lines = sum(
                        max(1, math.ceil(units(p) * 1.08 / usable - 0.05)) for p in text.split("\n")
                    )
                    lines = max(lines, n_lines)
            if lines > 1:
                self._set_row(row, ROW_PT * lines)
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
        if isinstance(value, Link):
            fmt = self.formats.cell(kind, row_style, "link")
            ws.write_url(row, col, f"internal:{value.target}", fmt, string=value.text)
            return
        fmt = self.formats.cell(kind, row_style, cell_style, value)
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(row, col, "ใช่" if value else "ไม่ใช่", fmt)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, fmt)
        elif isinstance(value, dt.date):
            ws.write_string(row, col, format_be(value, "abbr"), fmt)
        else:
            # Always a string cell: text starting = + - @ stays text, never a formula.
            ws.write_string(row, col, str(value), fmt)

    def width_px(self) -> int:
        return sum(int(w * 7 + 0.5) + 5 for w in self.widths)

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

    def _set_row(self, row: int, height: float) -> None:
        self.ws.set_row(row, height)
        self._heights[row] = height

    def _pages_tall(self) -> int:
        """1 when the sheet only just spills over one page (shrink it rather than print a page
        holding a note); 0 (as many pages as needed) otherwise."""
        if self.pages_tall or self._charts:
            return self.pages_tall
        width_pt = self.width_px() * 0.75
        scale = min(1.0, PAGE_WIDTH_PT / max(width_pt, 1))
        tall = sum(self._heights.get(r, ROW_PT) for r in range(self.next_row)) * scale
        return 1 if tall <= PAGE_HEIGHT_PT * 1.3 else 0

    def _page_setup(self) -> None:
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, self._pages_tall())  # one page wide; 0: as many tall as needed
        ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)
        ws.center_horizontally()
        small = f'&"{FONT},Regular"&12'
        header = f"&L{small}{escape_hf(self.header_left)}"
        if self.confidential:
            header += f'&C&"{FONT},Bold"&14&KC00000{escape_hf(self.confidential)}'
        header += f"&R{small}{escape_hf(self.name)}"
        ws.set_header(header, {"margin": 0.3})
        ws.set_footer(
            f"&L{small}{escape_hf(self.footer_left)}&R{small}หน้า &P จาก &N", {"margin": 0.3}
        )
