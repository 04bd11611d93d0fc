"""An owned tab as a worksheet part, written directly as SpreadsheetML.

Text goes in as inline strings (type inlineStr), so nothing staff typed can become a
formula and the workbook's shared-strings part is never touched. The part carries what
the status tabs need on screen and on paper: column widths, row heights, wrapped columns,
the frozen header, a filter, and A4 print setup (fit to width, repeated header rows, a page
footer); the repeated rows are a defined name in the workbook part (`print_titles`).

Widths arrive in points of text (``OwnedTab.widths``) and are written in the unit Excel
counts them in, digits of the workbook's default font (``default_digit_pt``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from typing import Any

from kspo_sheets.model import CellError, Formula
from kspo_sheets.stores.base import OWNED_FONT, OwnedTab, PrintSetup, banner_for
from kspo_sheets.stores.xlsx.outline import attr_text, text
from kspo_sheets.stores.xlsx.package import MAIN_NS, REL_NS
from kspo_sheets.stores.xlsx.styles import Look, StyleMerge
from kspo_sheets.thai.text import safe_text
from kspo_sheets.thai.wrap import (
    CALIBRI_DIGIT_PT,
    SARABUN,
    TH_SARABUN,
    Font,
    digit_width,
    line_count,
    row_height,
    units_for,
)

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
HEADER_FILL = "D9E1F2"
LINK_COLOR = "0563C1"
EXCEL_TEXT_LIMIT = 32_767  # characters Excel keeps in one cell
PAPER = {"A4": 9, "Letter": 1}

MARKER_LOOK = Look(size=12, italic=True, color="808080")
MARKER_HEIGHT = row_height(1, Font(TH_SARABUN, MARKER_LOOK.size))
# Numbers keep room for two ")" after them, so a right-aligned number never touches the
# text of the next column (row 8, ID 83030402) in any viewer; status/layout counts it.
INTEGER_FORMAT = "#,##0_)_)"
DECIMAL_FORMAT = "#,##0.0#_)_)"
HEADER_LOOK = Look(bold=True, fill=HEADER_FILL, wrap=True, valign="center")
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")


def default_digit_pt(family: str, size: float) -> float:
    """Points of a digit in a workbook's default font, the unit its column widths count in:
    the font's own where the tool measures it (TH Sarabun New, Sarabun), else Calibri 11's
    in Excel, the narrowest any viewer shows for a font of 11 pt or more (so text never
    needs more room than its column is given), scaled down for a smaller font."""
    if family in (TH_SARABUN, SARABUN) and size > 0:
        return digit_width(Font(family, size))
    return CALIBRI_DIGIT_PT * min(size, 11.0) / 11.0 if size > 0 else CALIBRI_DIGIT_PT


def fitted_height(values: list[Any], widths: list[float]) -> float:
    """A row's height from the lines its text takes at the columns' widths (points), in the
    tabs' body font: for rows the plan does not size, a history tab's earlier rows."""
    lines = 1
    for v, w in zip(values, widths, strict=False):
        if isinstance(v, str) and v:
            lines = max(lines, line_count(v, w, OWNED_FONT))
    return row_height(lines, OWNED_FONT)


def appended(tab: OwnedTab, earlier: list[list[Any]]) -> OwnedTab:
    """An append-only tab's new rows placed after its `earlier` ones: their hints moved
    down, and the earlier rows (the tab's part is written whole) sized by their text at
    today's widths, as the plan sizes its own."""
    n = len(earlier)
    heights = (
        {i: fitted_height(r, tab.widths) for i, r in enumerate(earlier)} if tab.heights else {}
    )
    heights.update({n + i: h for i, h in tab.heights.items()})
    return dataclasses.replace(
        tab,
        heights=heights,
        across={n + i for i in tab.across},
        styles={(n + i, j): v for (i, j), v in tab.styles.items()},
        links={(n + i, j): v for (i, j), v in tab.links.items()},
        urls={(n + i, j): v for (i, j), v in tab.urls.items()},
    )


def column_letters(col: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def quote_title(title: str) -> str:
    """A tab title as a formula or defined name refers to it: 'It''s'."""
    return "'" + title.replace("'", "''") + "'"


def cell_text(value: str) -> str:
    """Text as it must stand in a cell: storable, within Excel's limit, and read back as typed."""
    value = safe_text(value)
    if len(value) > EXCEL_TEXT_LIMIT:
        value = value[:EXCEL_TEXT_LIMIT]
    if "_x" in value:  # Excel reads _xHHHH_ as an escaped character: write a literal one escaped
        value = _ESCAPE_LIKE.sub(r"_x005F_\1", value)
    if "\r" in value:
        value = value.replace("\r", "_x000D_")
    return value


class OwnedSheet:
    """Builds one owned tab's worksheet XML; styles come from (and go into) `styles`."""

    def __init__(self, tab: OwnedTab, styles: StyleMerge) -> None:
        self.tab = tab
        self.styles = styles
        self.digit_pt = default_digit_pt(*styles.default_font())
        self.links: list[tuple[str, str, str]] = []
        # links out of the workbook (https only): (relationship id, address), for the
        # sheet's relationships part the caller writes beside it
        self.external: list[tuple[str, str]] = []
        self._external_refs: list[tuple[str, str]] = []  # (cell, relationship id)
        self._looks: dict[tuple[Any, ...], int] = {}

    def _xf(self, look: Look) -> int:
        return self.styles.xf(look)

    def _body_xf(self, i: int, j: int, value: Any) -> int:
        """The format of a body cell, by what decides it (cheaper than a Look per cell)."""
        number = 0
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = 1 if float(value).is_integer() else 2
        link = (i, j) in self.tab.links or (i, j) in self.tab.urls
        wrap = not number and j in self.tab.wrap and i not in self.tab.across
        key = (self.tab.styles.get((i, j)), link, number, wrap)
        xf = self._looks.get(key)
        if xf is None:
            xf = self._looks[key] = self.styles.xf(self.body_look(i, j, value))
        return xf

    def body_look(self, i: int, j: int, value: Any) -> Look:
        style = self.tab.styles.get((i, j))
        bold = style in ("section", "subheader")
        size = 15 if style == "section" else 14
        fill = FILLS.get(style, "FFFFFF") if style and style != "section" else None
        link = (i, j) in self.tab.links or (i, j) in self.tab.urls
        numfmt = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            numfmt = INTEGER_FORMAT if float(value).is_integer() else DECIMAL_FORMAT
        # A table's text wraps where its column says so; a title or note runs across.
        wrap = numfmt is None and j in self.tab.wrap and i not in self.tab.across
        return Look(
            size=size,
            bold=bold,
            fill=fill,
            color=LINK_COLOR if link else None,
            underline=link,
            numfmt=numfmt,
            wrap=wrap,
            # A row as tall as its longest cell: every cell starts at the top.
            valign="top" if wrap or self.tab.wrap else None,
        )

    def _cell(self, ref: str, value: Any, xf: int) -> str:
        if isinstance(value, bool):
            return f'<c r="{ref}" s="{xf}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)) and math.isfinite(value):
            return f'<c r="{ref}" s="{xf}"><v>{value!r}</v></c>'
        if isinstance(value, (dt.date, dt.datetime, dt.time)):
            value = value.isoformat()
        s = cell_text(str(value))
        space = ' xml:space="preserve"' if s[:1].isspace() or s[-1:].isspace() else ""
        return f'<c r="{ref}" s="{xf}" t="inlineStr"><is><t{space}>{text(s)}</t></is></c>'

    def _row(self, r: int, cells: list[str], height: float | None) -> str:
        ht = f' ht="{height:g}" customHeight="1"' if height else ""
        return f'<row r="{r}"{ht}>{"".join(cells)}</row>'

    def xml(self, rows: list[list[Any]], *, code_name: str | None = None) -> bytes:
        """The worksheet part for `rows` (the tab's own rows, or history's old and new)."""
        tab = self.tab
        ncols = max(len(tab.header), max((len(r) for r in rows), default=0), 1)
        last_row = len(rows) + 2
        last = f"{column_letters(ncols - 1)}{last_row}"
        out: list[str] = [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
            f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
        ]
        out.append(sheet_props(tab.print_setup, code_name))
        out.append(f'<dimension ref="A1:{last}"/>')
        out.append(sheet_views(tab.freeze_rows))
        out.append('<sheetFormatPr defaultRowHeight="15"/>')
        if tab.widths:
            cols = "".join(
                f'<col min="{j}" max="{j}" width="{round(units_for(w, self.digit_pt), 2):g}" customWidth="1"/>'
                for j, w in enumerate(tab.widths, start=1)
            )
            out.append(f"<cols>{cols}</cols>")
        out.append("<sheetData>")
        marker = self._cell("A1", banner_for(tab), self._xf(MARKER_LOOK))
        out.append(self._row(1, [marker], MARKER_HEIGHT))
        head = self._xf(HEADER_LOOK)
        out.append(
            self._row(
                2,
                [
                    self._cell(f"{column_letters(j)}2", h, head)
                    for j, h in enumerate(tab.header)
                    if h not in (None, "")
                ],
                tab.header_height,
            )
        )
        links = tab.links
        letters = [column_letters(j) for j in range(ncols)]
        for i, line in enumerate(rows):
            r = i + 3
            cells = []
            for j, value in enumerate(line):
                if isinstance(value, Formula):  # typed into an owned tab: keep what it showed
                    value = value.cached if value.cached is not None else value.text
                if isinstance(value, CellError):
                    value = value.code
                if value is None or value == "":
                    continue
                ref = f"{letters[j] if j < len(letters) else column_letters(j)}{r}"
                cells.append(self._cell(ref, value, self._body_xf(i, j, value)))
                if (i, j) in links:
                    where, cell = links[(i, j)]
                    self.links.append((ref, f"{quote_title(where)}!{cell}", cell))
                elif (i, j) in tab.urls and tab.urls[(i, j)].startswith("https://"):
                    rid = f"rId{len(self.external) + 1}"
                    self.external.append((rid, tab.urls[(i, j)]))
                    self._external_refs.append((ref, rid))
            if cells or i in tab.heights:
                out.append(self._row(r, cells, tab.heights.get(i)))
        out.append("</sheetData>")
        if tab.autofilter:
            out.append(
                f'<autoFilter ref="A2:{last if last_row > 2 else column_letters(ncols - 1) + "2"}"/>'
            )
        if self.links or self._external_refs:
            out.append("<hyperlinks>")
            out.extend(
                f'<hyperlink ref="{ref}" location={attr_text(loc)} display={attr_text(shown)}/>'
                for ref, loc, shown in self.links
            )
            out.extend(f'<hyperlink ref="{ref}" r:id="{rid}"/>' for ref, rid in self._external_refs)
            out.append("</hyperlinks>")
        out.append(print_xml(tab.print_setup))
        out.append("</worksheet>")
        return "".join(out).encode("utf-8")


def sheet_views(freeze_rows: int) -> str:
    """The sheet's view: the first `freeze_rows` rows kept in view when scrolling."""
    if freeze_rows <= 0:
        return '<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
    top = f"A{freeze_rows + 1}"
    return (
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{freeze_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
        "</sheetView></sheetViews>"
    )


def sheet_props(setup: PrintSetup | None, code_name: str | None = None) -> str:
    """<sheetPr>: the sheet's code name (a macro workbook's), and fit-to-page printing."""
    props = f" codeName={attr_text(code_name)}" if code_name else ""
    fit = '<pageSetUpPr fitToPage="1"/>' if setup and setup.fit_width else ""
    if fit:
        return f"<sheetPr{props}>{fit}</sheetPr>"
    return f"<sheetPr{props}/>" if props else ""


def print_xml(setup: PrintSetup | None) -> str:
    """Margins, page setup and the page header and footer, in CT_Worksheet's order."""
    if setup is None:
        return '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    left, right, top, bottom = setup.margins
    out = (
        f'<pageMargins left="{left:g}" right="{right:g}" top="{top:g}" bottom="{bottom:g}" '
        'header="0.3" footer="0.3"/>'
    )
    page = f'<pageSetup paperSize="{PAPER.get(setup.paper, 9)}"'
    page += f' orientation="{"landscape" if setup.landscape else "portrait"}"'
    if setup.fit_width:
        page += ' fitToWidth="1" fitToHeight="0"'
    out += page + "/>"
    if setup.header or setup.footer:
        out += "<headerFooter>"
        out += f"<oddHeader>{text(setup.header)}</oddHeader>" if setup.header else ""
        out += f"<oddFooter>{text(setup.footer)}</oddFooter>" if setup.footer else ""
        out += "</headerFooter>"
    return out


def print_titles(title: str, setup: PrintSetup | None) -> str | None:
    """The defined name's value for the rows repeated on every printed page, if any."""
    if setup is None or setup.repeat_rows is None:
        return None
    first, last = setup.repeat_rows
    return f"{quote_title(title)}!${first}:${last}"


def filter_range(tab: OwnedTab, nrows: int) -> str | None:
    """The defined name Excel keeps beside an autofilter (_xlnm._FilterDatabase)."""
    if not tab.autofilter:
        return None
    ncols = max(len(tab.header), 1)
    return f"{quote_title(tab.title)}!$A$2:${column_letters(ncols - 1)}${max(nrows + 2, 2)}"
