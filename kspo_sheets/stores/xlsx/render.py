"""Rendering owned tabs and marks into an openpyxl workbook (the local store's write side)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from openpyxl.comments import Comment
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from kspo_sheets.errors import OwnedTabError
from kspo_sheets.stores.base import MARKER, OWNED_FONT, Mark, OwnedTab, banner_for
from kspo_sheets.thai.text import safe_text
from kspo_sheets.thai.wrap import (
    CALIBRI_DIGIT_PT,
    SARABUN,
    TH_SARABUN,
    digit_width,
    row_height,
    units_for,
)
from kspo_sheets.thai.wrap import Font as WrapFont

FONT = "TH Sarabun New"
FILLS = {
    "error": "FFC7CE",
    "warning": "FFEB9C",
    "notice": "DDEBF7",
    "achieved": "C6EFCE",
    "not_achieved": "FFC7CE",
    "no_data": "EDEDED",
    "info": "FFFFFF",
    "subheader": "D9E1F2",
}
MARK_FILLS = {"error": "F4B6B6", "warning": "FFE08A", "notice": "BDD7EE"}
CF_FORMULA = f'N("{MARKER}")=0'


def is_tool_made(ws: Worksheet) -> bool:
    v = ws.cell(row=1, column=1).value
    return isinstance(v, str) and MARKER in v


def _fill(hex_rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=hex_rgb, end_color=hex_rgb)


def check_owned(wb: Workbook, tabs: list[OwnedTab]) -> None:
    """Refuse to touch a same-named tab that staff made."""
    for t in tabs:
        if t.title in wb.sheetnames and not is_tool_made(wb[t.title]):
            raise OwnedTabError(
                f"Tab '{t.title}' exists but was not made by kspo-sheets; nothing was written.",
                hint=f"Rename that tab (it is staff data), or map the tool's tab to another name in the config (owned_tabs.{t.key}).",
            )


BANNER_FONT = OWNED_FONT.at(12)
SECTION_FONT = OWNED_FONT.at(15, bold=True)
HEADER_FONT = OWNED_FONT.at(OWNED_FONT.size, bold=True)


def is_line(tab: OwnedTab, i: int) -> bool:
    """Row i is a line of text running across the tab (a section title, a note)."""
    return tab.styles.get((i, 0)) == "section" or len(tab.rows[i]) == 1


def default_digit_pt(wb: Workbook) -> float:
    """Points of a digit in the workbook's default font, the unit its column widths count in:
    the font's own when the tool measures it, else Calibri 11's in Excel, the narrowest any
    viewer shows (so text never needs more room than a row is given)."""
    named = {s.name: s for s in wb._named_styles}
    font = named["Normal"].font if "Normal" in named else None
    if font is not None and font.name in (TH_SARABUN, SARABUN) and font.sz:
        return digit_width(WrapFont(font.name, float(font.sz)))
    return CALIBRI_DIGIT_PT


def _xfont(font: WrapFont, **kw: Any) -> Font:
    return Font(name=font.family, size=font.size, bold=font.bold, **kw)


def _header(ws: Worksheet, tab: OwnedTab, digit_pt: float) -> None:
    ws.cell(row=1, column=1, value=banner_for(tab)).font = _xfont(
        BANNER_FONT, italic=True, color="808080"
    )
    ws.row_dimensions[1].height = row_height(1, BANNER_FONT)
    for j, h in enumerate(tab.header, start=1):
        c = ws.cell(row=2, column=j, value=h)
        c.font = _xfont(HEADER_FONT)
        c.fill = _fill("D9E1F2")
        c.alignment = Alignment(wrap_text=True, vertical="center")
    if tab.header_height is not None:
        ws.row_dimensions[2].height = tab.header_height
    ws.freeze_panes = "A3"
    for j, w in enumerate(tab.widths, start=1):
        ws.column_dimensions[_letter(j)].width = round(units_for(w, digit_pt), 2)


def _print_setup(ws: Worksheet, tab: OwnedTab, last_row: int) -> None:
    """A4 landscape, one page wide, the header row on every page, หน้า X จาก Y below."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    for part, text in (
        (ws.oddFooter.left, tab.title.replace("&", "&&")),
        (ws.oddFooter.right, "หน้า &P จาก &N"),
    ):
        part.text = text
        part.font = f"{OWNED_FONT.family},Regular"
        part.size = 12
    if tab.filter:
        ncols = max(len(tab.header), 1)
        ws.auto_filter.ref = f"A2:{_letter(ncols)}{max(last_row, 2)}"


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j)


def _put(ws: Worksheet, r: int, tab: OwnedTab, i: int, values: list[Any]) -> None:
    body = _xfont(OWNED_FONT)
    section = is_line(tab, i)
    # A title or section line runs across the empty cells beside it; other text wraps.
    wrap = Alignment(wrap_text=not section, vertical="top")
    number = Alignment(vertical="top", horizontal="right")
    for j, v in enumerate(values):
        c = ws.cell(row=r, column=j + 1)
        if isinstance(v, str):
            # Control characters raise in openpyxl, and a lone surrogate would be saved as
            # XML no reader accepts: either would cost staff their workbook.
            v = safe_text(v)
        c.value = v
        if isinstance(v, str):
            c.data_type = "s"  # never a formula, whatever staff typed
        c.font = body
        c.alignment = wrap
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            # Room for two ")" after the number: it stands clear of the text in the next
            # column (row 8, ID 83030402), in every viewer.
            c.number_format = "#,##0_)_)" if float(v).is_integer() else "#,##0.0#_)_)"
            c.alignment = number
        style = tab.styles.get((i, j))
        if style == "section":
            c.font = _xfont(SECTION_FONT)
        elif style:
            c.fill = _fill(FILLS.get(style, "FFFFFF"))
            if style == "subheader":
                c.font = _xfont(HEADER_FONT)
        link = tab.links.get((i, j))
        if link:
            c.hyperlink = Hyperlink(ref=c.coordinate, location=f"'{link[0]}'!{link[1]}")
            c.font = Font(name=FONT, size=OWNED_FONT.size, color="0563C1", underline="single")
    height = tab.heights.get(i)
    if height is not None:
        ws.row_dimensions[r].height = height


def render_owned(wb: Workbook, tab: OwnedTab) -> None:
    digit_pt = default_digit_pt(wb)
    if tab.append_only and tab.title in wb.sheetnames:
        ws = wb[tab.title]
        last = ws.max_row
        while last > 2 and all(c.value in (None, "") for c in ws[last]):
            last -= 1
        # The banner says what a sync does to this tab (an older one said "rewritten").
        ws.cell(row=1, column=1).value = banner_for(tab)
        for k, row in enumerate(tab.rows):
            _put(ws, last + 1 + k, tab, k, row)
        _print_setup(ws, tab, last + len(tab.rows))
        return
    index = None
    if tab.title in wb.sheetnames:
        index = wb.sheetnames.index(tab.title)
        wb.remove(wb[tab.title])
    ws = wb.create_sheet(tab.title, index)
    _header(ws, tab, digit_pt)
    for i, row in enumerate(tab.rows):
        _put(ws, 3 + i, tab, i, row)
    _print_setup(ws, tab, 2 + len(tab.rows))


def _is_ours(rule: Any) -> bool:
    return any(MARKER in str(f) for f in (getattr(rule, "formula", None) or []))


def clear_marks(ws: Worksheet, keep: set[tuple[int, int]]) -> int:
    """Remove the highlights and notes the tool set before; staff's stay. Returns how many."""
    removed = 0
    old = ws.conditional_formatting
    fresh = ConditionalFormattingList()
    for cf in old:
        for rule in cf.rules:
            if _is_ours(rule):
                removed += 1
                continue
            fresh.add(str(cf.sqref), rule)
    ws.conditional_formatting = fresh
    for row in ws.iter_rows():
        for c in row:
            if (
                c.comment is not None
                and c.comment.author == MARKER
                and (c.row, c.column - 1) not in keep
            ):
                c.comment = None
                removed += 1
    return removed


def apply_marks(ws: Worksheet, marks: list[Mark]) -> int:
    """Highlight by conditional format (cell fills staff set stay untouched) and note each cell."""
    by_sev: dict[str, list[str]] = defaultdict(list)
    notes = 0
    for m in marks:
        c = ws.cell(row=m.row, column=m.col + 1)
        by_sev[m.severity.value].append(c.coordinate)
        note = safe_text(m.note)  # openpyxl writes comment text unchecked: keep the XML valid
        if c.comment is None or c.comment.author == MARKER:
            if c.comment is None or c.comment.text != note:
                com = Comment(note, MARKER)
                com.width, com.height = 320, 120
                c.comment = com
            notes += 1
    for sev in ("error", "warning", "notice"):
        cells = by_sev.get(sev)
        if cells:
            ws.conditional_formatting.add(
                " ".join(cells),
                FormulaRule(formula=[CF_FORMULA], fill=_fill(MARK_FILLS[sev]), stopIfTrue=False),
            )
    return notes
