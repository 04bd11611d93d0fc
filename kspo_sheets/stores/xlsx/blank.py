"""A register tab laid out for staff to type in (`kspo init`), as a new worksheet part.

The part holds the header row and what staff need below it: each column's width and its
own format (the header's font and size; text `@` where a leading zero must survive typing,
0812345678), a default row height for that font, dropdown lists over the whole column,
the frozen header and A4 print setup. It is written directly as SpreadsheetML, its
formats merged into the workbook's styles part like the status tabs' (`styles`).
"""

from __future__ import annotations

from kspo_sheets.stores.base import BlankTab
from kspo_sheets.stores.xlsx.outline import text
from kspo_sheets.stores.xlsx.owned import (
    HEADER_FILL,
    cell_text,
    column_letters,
    default_digit_pt,
    print_xml,
    sheet_props,
    sheet_views,
)
from kspo_sheets.stores.xlsx.package import MAIN_NS, REL_NS
from kspo_sheets.stores.xlsx.styles import Look, StyleMerge
from kspo_sheets.thai.wrap import units_for

LAST_ROW = 1_048_576  # an .xlsx sheet's last row: dropdowns run to it
# Excel refuses a list typed into a dropdown's rule past 255 characters (the workbook opens
# "with problems" and loses every rule), whatever other viewers accept.
LIST_LIMIT = 255


def list_formula(choices: list[str]) -> str | None:
    """A dropdown's list as its rule holds it ("a,b,c"), or None where Excel would refuse it
    (too long, or a choice holding a comma, which the list cannot carry)."""
    if any("," in c for c in choices):
        return None
    formula = '"' + ",".join(c.replace('"', '""') for c in choices) + '"'
    return formula if len(formula) - 2 <= LIST_LIMIT else None


class BlankSheet:
    """Builds one blank register tab's worksheet XML; its formats go into `styles`."""

    def __init__(self, tab: BlankTab, styles: StyleMerge) -> None:
        self.tab = tab
        self.styles = styles
        self.digit_pt = default_digit_pt(*styles.default_font())
        self.skipped: list[int] = []  # columns whose dropdown Excel could not hold

    def xml(self) -> bytes:
        tab = self.tab
        font = tab.font
        ncols = max(len(tab.header), 1)
        out: list[str] = [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
            f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">',
            sheet_props(tab.print_setup),
            f'<dimension ref="A1:{column_letters(ncols - 1)}1"/>',
            sheet_views(1),
        ]
        if tab.row_height:
            out.append(f'<sheetFormatPr defaultRowHeight="{tab.row_height:g}" customHeight="1"/>')
        else:
            out.append('<sheetFormatPr defaultRowHeight="15"/>')
        body = Look(font=font.family, size=font.size)
        as_text = Look(font=font.family, size=font.size, numfmt="@")
        cols = []
        for j, w in enumerate(tab.widths, start=1):
            # The column's own format: what staff type below the header takes it.
            xf = self.styles.xf(as_text if j - 1 in tab.text_cols else body)
            width = round(units_for(w, self.digit_pt), 2)
            cols.append(
                f'<col min="{j}" max="{j}" width="{width:g}" style="{xf}" customWidth="1"/>'
            )
        if cols:
            out.append(f"<cols>{''.join(cols)}</cols>")
        head = self.styles.xf(
            Look(
                font=font.family,
                size=font.size,
                bold=True,
                fill=HEADER_FILL,
                wrap=True,
                valign="center",
            )
        )
        cells = []
        for j, h in enumerate(tab.header):
            if h:
                t = cell_text(h)
                cells.append(
                    f'<c r="{column_letters(j)}1" s="{head}" t="inlineStr"><is><t>{text(t)}</t></is></c>'
                )
        ht = f' ht="{tab.header_height:g}" customHeight="1"' if tab.header_height else ""
        out.append(f'<sheetData><row r="1"{ht}>{"".join(cells)}</row></sheetData>')
        rules = []
        for j, choices in sorted(tab.dropdowns.items()):
            formula = list_formula(choices)
            if formula is None:
                self.skipped.append(j)
                continue
            letter = column_letters(j)
            # A warning, not a wall (no error message): the validator reports variants.
            rules.append(
                f'<dataValidation type="list" allowBlank="1" showErrorMessage="0" '
                f'sqref="{letter}2:{letter}{LAST_ROW}"><formula1>{text(formula)}</formula1>'
                "</dataValidation>"
            )
        if rules:
            out.append(f'<dataValidations count="{len(rules)}">{"".join(rules)}</dataValidations>')
        out.append(print_xml(tab.print_setup))
        out.append("</worksheet>")
        return "".join(out).encode("utf-8")
