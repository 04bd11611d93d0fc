"""The tool's highlights on a staff sheet: conditional-format rules in its worksheet part.

A highlight is a rule whose formula names the tool (N("kspo-sheets")=0, always true), so
a fill staff set on a cell is never changed and the tool knows its own rules again on
the next run. Old rules are taken out, new ones go in after staff's own (at lower
priority), and the legacy-drawing link that notes need is added where the sheet has
none. The sheet's cells (sheetData) are never parsed into objects, only copied.
"""

from __future__ import annotations

from kspo_sheets.stores.base import MARKER, Mark
from kspo_sheets.stores.xlsx.outline import (
    Node,
    NotUnderstood,
    Splice,
    attr_text,
    outline,
    slot,
    text,
)
from kspo_sheets.stores.xlsx.owned import column_letters
from kspo_sheets.stores.xlsx.package import MAIN_NS, REL_NS
from kspo_sheets.stores.xlsx.read import merged_ranges

# CT_Worksheet's children, in the order the schema requires.
ORDER = (
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)
CF_FORMULA = f'N("{MARKER}")=0'
SEVERITIES = ("error", "warning", "notice")
Cell = tuple[int, int]  # 1-based row, 0-based column


def sqref(cells: list[Cell]) -> str:
    """Cells as a space-separated list, in row then column order."""
    return " ".join(f"{column_letters(c)}{r}" for r, c in sorted(cells))


def _is_ours(rule: Node) -> bool:
    return any(n.name == "formula" and MARKER in n.deep_text() for n in rule.iter())


class StaffSheet:
    """One staff worksheet part, open for the tool's highlights and its notes' drawing link."""

    def __init__(self, data: bytes, part: str) -> None:
        self.part = part
        deep = {
            "conditionalFormatting",
            "mergeCells",
            "extLst",
            "legacyDrawing",
            "AlternateContent",
        }
        self.root = outline(data, part, deep=deep, skip="sheetData")
        if self.root.ns != MAIN_NS or self.root.name != "worksheet":
            raise NotUnderstood(part, "it is not a SpreadsheetML worksheet")
        self.splice = Splice(data, part)

    def merged(self) -> list[tuple[int, int, int, int]]:
        refs = [
            m.get("ref")
            for node in self.root.all("mergeCells")
            for m in node.children
            if m.name == "mergeCell"
        ]
        return merged_ranges(refs)

    def legacy_drawing(self) -> str | None:
        """The relationship id of the sheet's VML drawing, if it has one."""
        node = self.root.first("legacyDrawing")
        return node.get(f"{{{REL_NS}}}id") if node is not None else None

    def clear_rules(self) -> int:
        """Take out the tool's earlier rules; returns how many there were."""
        removed = 0
        for cf in self.root.all("conditionalFormatting"):
            rules = [r for r in cf.children if r.name == "cfRule"]
            ours = [r for r in rules if _is_ours(r)]
            if not ours:
                continue
            removed += len(ours)
            if len(ours) == len(rules):
                self.splice.remove(cf)
            else:
                for r in ours:
                    self.splice.remove(r)
        return removed

    def _priorities(self) -> list[int]:
        out = []
        for node in self.root.iter():
            if node.name == "cfRule" and not _is_ours(node):
                try:
                    out.append(int(node.get("priority", "0") or 0))
                except ValueError:
                    continue
        return out

    def add_rules(self, rules: list[tuple[int, list[Cell]]]) -> None:
        """One rule per (dxf index, cells), after staff's rules and below them in priority."""
        if not rules:
            return
        q = self.root.qname
        priority = max([0, *self._priorities()])
        xml = []
        for dxf, cells in rules:
            priority += 1
            xml.append(
                f"<{q('conditionalFormatting')} sqref={attr_text(sqref(cells))}>"
                f'<{q("cfRule")} type="expression" dxfId="{dxf}" priority="{priority}">'
                f"<{q('formula')}>{text(CF_FORMULA)}</{q('formula')}></{q('cfRule')}>"
                f"</{q('conditionalFormatting')}>"
            )
        at = slot(self.root, "conditionalFormatting", ORDER, self.part)
        self.splice.add_child(self.root, at, "".join(xml))

    def add_legacy_drawing(self, rid: str) -> None:
        prefix = next((p for p, uri in self.root.nsmap.items() if uri == REL_NS and p), None)
        attr = f"{prefix}:id" if prefix else f'xmlns:r="{REL_NS}" r:id'
        where = slot(self.root, "legacyDrawing", ORDER, self.part)
        self.splice.add_child(
            self.root, where, f"<{self.root.qname('legacyDrawing')} {attr}={attr_text(rid)}/>"
        )

    def result(self) -> bytes | None:
        return self.splice.result() if self.splice else None


def placed(marks: list[Mark], merged: list[tuple[int, int, int, int]]) -> dict[Cell, Mark]:
    """Marks by the cell they go on: a cell in a merged area is marked on the area's
    top-left cell (the one Excel shows), several findings there in one mark."""
    out: dict[Cell, Mark] = {}
    for m in marks:
        cell = (m.row, m.col)
        for r1, c1, r2, c2 in merged:
            if r1 <= m.row <= r2 and c1 <= m.col <= c2:
                cell = (r1, c1)
                break
        have = out.get(cell)
        if have is None:
            out[cell] = m
            continue
        worst = max((have, m), key=lambda x: x.severity.rank)
        note = have.note if m.note in have.note else f"{have.note}\n{m.note}"
        out[cell] = Mark(m.tab, cell[0], cell[1], m.id_col, have.row_id, worst.severity, note)
    return out
