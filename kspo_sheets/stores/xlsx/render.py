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
from kspo_sheets.stores.base import MARKER, MARKER_TEXT, Mark, OwnedTab
from kspo_sheets.thai.text import safe_text

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


def _header(ws: Worksheet, tab: OwnedTab) -> None:
    ws.cell(row=1, column=1, value=MARKER_TEXT).font = Font(
        name=FONT, size=12, italic=True, color="808080"
    )
    for j, h in enumerate(tab.header, start=1):
        c = ws.cell(row=2, column=j, value=h)
        c.font = Font(name=FONT, size=14, bold=True)
        c.fill = _fill("D9E1F2")
        c.alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = "A3"
    for j, w in enumerate(tab.widths, start=1):
        ws.column_dimensions[_letter(j)].width = w


def _letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j)


def _put(ws: Worksheet, r: int, tab: OwnedTab, i: int, values: list[Any]) -> None:
    body = Font(name=FONT, size=14)
    for j, v in enumerate(values):
        c = ws.cell(row=r, column=j + 1)
        if isinstance(v, str):
            # Control characters raise in openpyxl, and a lone surrogate would be saved as
            # XML no reader accepts: either would cost staff their workbook.
            v = safe_text(v)
        c.value = v
        if isinstance(v, str):
            c.data_type = "s"  # never a formula, whatever staff typed
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            c.number_format = "#,##0" if float(v).is_integer() else "#,##0.0#"
        c.font = body
        style = tab.styles.get((i, j))
        if style == "section":
            c.font = Font(name=FONT, size=15, bold=True)
        elif style:
            c.fill = _fill(FILLS.get(style, "FFFFFF"))
            if style == "subheader":
                c.font = Font(name=FONT, size=14, bold=True)
        link = tab.links.get((i, j))
        if link:
            c.hyperlink = Hyperlink(ref=c.coordinate, location=f"'{link[0]}'!{link[1]}")
            c.font = Font(name=FONT, size=14, color="0563C1", underline="single")


def render_owned(wb: Workbook, tab: OwnedTab) -> None:
    if tab.append_only and tab.title in wb.sheetnames:
        ws = wb[tab.title]
        last = ws.max_row
        while last > 2 and all(c.value in (None, "") for c in ws[last]):
            last -= 1
        for k, row in enumerate(tab.rows):
            _put(ws, last + 1 + k, tab, k, row)
        return
    index = None
    if tab.title in wb.sheetnames:
        index = wb.sheetnames.index(tab.title)
        wb.remove(wb[tab.title])
    ws = wb.create_sheet(tab.title, index)
    _header(ws, tab)
    for i, row in enumerate(tab.rows):
        _put(ws, 3 + i, tab, i, row)


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
