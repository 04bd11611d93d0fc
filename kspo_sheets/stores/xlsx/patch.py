"""Writing a plan into a workbook by patching its package, never by saving it anew.

`plan_patch` works out every part that changes: the owned tabs' worksheet parts (new, or
rewritten where the tool made them before), the workbook part with its relationships and
the content types (new tabs, the rows each prints on every page), the styles part (the
tool's formats appended), and each register's worksheet, comments and VML parts (the
tool's highlights and notes). Every other part is copied by the package writer exactly as
it was. Where a part that must change holds something the patcher does not understand, it
raises NotUnderstood, and the caller leaves the workbook alone.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from kspo_sheets.errors import OwnedTabError
from kspo_sheets.logs import counted
from kspo_sheets.model import RawTab
from kspo_sheets.stores.base import MARKER, BlankTab, Mark, OwnedTab, WritePlan
from kspo_sheets.stores.xlsx.blank import LIST_LIMIT, BlankSheet
from kspo_sheets.stores.xlsx.marks import SEVERITIES, StaffSheet, placed
from kspo_sheets.stores.xlsx.notes import Notes, blocks_of, new_comments, new_vml
from kspo_sheets.stores.xlsx.outline import (
    Node,
    NotUnderstood,
    Splice,
    attr_text,
    outline,
    slot,
    text,
)
from kspo_sheets.stores.xlsx.owned import (
    OwnedSheet,
    appended,
    column_letters,
    filter_range,
    print_titles,
)
from kspo_sheets.stores.xlsx.package import (
    CONTENT_TYPES,
    CT_COMMENTS,
    CT_NS,
    CT_STYLES,
    CT_VML,
    CT_WORKSHEET,
    MAIN_NS,
    PKG_REL_NS,
    REL_NS,
    RT_COMMENTS,
    RT_REVISIONS,
    RT_SIGNATURE,
    RT_STYLES,
    RT_VBA,
    RT_VML,
    RT_WORKSHEET,
    Package,
    relative,
    rels_name,
)
from kspo_sheets.stores.xlsx.styles import EMPTY as EMPTY_STYLES
from kspo_sheets.stores.xlsx.styles import StyleMerge

RT_HYPERLINK = REL_NS + "/hyperlink"
MARK_FILLS = {"error": "F4B6B6", "warning": "FFE08A", "notice": "BDD7EE"}
# CT_Workbook's children, in the order the schema requires.
BOOK_ORDER = (
    "fileVersion",
    "fileSharing",
    "workbookPr",
    "workbookProtection",
    "bookViews",
    "sheets",
    "functionGroups",
    "externalReferences",
    "definedNames",
    "calcPr",
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
)
OWN_NAMES = ("_xlnm.Print_Titles", "_xlnm._FilterDatabase", "_xlnm.Print_Area")
_CODE_NAME = re.compile(rb"""<(?:\w+:)?sheetPr\b[^>]*?\scodeName\s*=\s*["']([^"']*)["']""")


@dataclass
class Patch:
    """What changes in the package: parts replaced, added, dropped; and what was done."""

    changed: dict[str, bytes] = field(default_factory=dict)
    added: list[tuple[str, bytes]] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    details: list[str] = field(default_factory=list)
    marked: int = 0
    notes: int = 0
    warnings: list[str] = field(default_factory=list)  # for the operator: what was not done


def is_tool_made(tab: RawTab | None) -> bool:
    first = tab.rows[0][0] if tab is not None and tab.rows and tab.rows[0] else None
    return isinstance(first, str) and MARKER in first


def plan_patch(pkg: Package, tabs: dict[str, RawTab], plan: WritePlan) -> Patch:
    """Every part the plan changes in `pkg`; `tabs` are the cells read from it (or, for a
    sidecar, from the previous sidecar: the history tab's earlier rows come from there)."""
    return _Patcher(pkg, tabs).run(plan)


def plan_new_tabs(
    pkg: Package, owned: list[OwnedTab], blank: list[BlankTab]
) -> tuple[Patch, list[str]]:
    """The parts that add the tabs `pkg` lacks (a tab of the same name, whatever its case,
    is left as it is), and the titles added, in order: registers first, then status tabs."""
    patcher = _Patcher(pkg, {})
    have = {t.casefold() for t in patcher.titles()}
    blank = [t for t in blank if t.title.casefold() not in have]
    owned = [t for t in owned if t.title.casefold() not in have]
    if not blank and not owned:
        return Patch(), []
    patch = patcher.run(WritePlan(owned=owned, marks=[]), blank)
    return patch, [t.title for t in blank] + [t.title for t in owned]


class _Rels:
    """One relationships part, open for new relationships."""

    def __init__(self, data: bytes, name: str, created: bool) -> None:
        self.name = name
        self.created = created
        self.root = outline(data, name)
        if self.root.ns != PKG_REL_NS or self.root.name != "Relationships":
            raise NotUnderstood(name, "it is not a relationships part")
        self.splice = Splice(data, name)
        self.ids = {c.get("Id") for c in self.root.children}

    def add(self, source: str, rel_type: str, part: str) -> str:
        n = 1
        while f"rId{n}" in self.ids:
            n += 1
        rid = f"rId{n}"
        self.ids.add(rid)
        self.splice.append(
            self.root,
            f"<{self.root.qname('Relationship')} Id={attr_text(rid)} Type={attr_text(rel_type)} "
            f"Target={attr_text(relative(source, part))}/>",
        )
        return rid


class _Patcher:
    def __init__(self, pkg: Package, tabs: dict[str, RawTab]) -> None:
        self.pkg = pkg
        self.tabs = tabs
        self.out = Patch()
        self.taken: set[str] = set()
        self.rels: dict[str, _Rels] = {}
        self._blocks: set[int] | None = None
        if pkg.duplicates:
            raise NotUnderstood(pkg.duplicates[0], "the package holds two parts of this name")
        for rel in pkg.rels(""):
            if rel.type == RT_SIGNATURE:
                raise NotUnderstood(
                    "_rels/.rels",
                    "the workbook is digitally signed; any change would break the signature",
                )
        if not pkg.has(CONTENT_TYPES):
            raise NotUnderstood(CONTENT_TYPES, "the package has no content types")
        data = pkg.read(CONTENT_TYPES)
        self.ct = outline(data, CONTENT_TYPES)
        if self.ct.ns != CT_NS or self.ct.name != "Types":
            raise NotUnderstood(CONTENT_TYPES, "it is not a content-types part")
        odd = [c.name for c in self.ct.children if c.name not in ("Default", "Override")]
        if odd:
            raise NotUnderstood(CONTENT_TYPES, f"it holds a <{odd[0]}> element")
        self.defaults = {
            c.get("Extension").lower(): c.get("ContentType") for c in self.ct.all("Default")
        }
        self.overrides = {
            c.get("PartName").lower(): c.get("ContentType") for c in self.ct.all("Override")
        }
        self.ct_edit = Splice(data, CONTENT_TYPES)
        self.book = pkg.workbook_part()
        data = pkg.read(self.book)
        self.wb = outline(
            data,
            self.book,
            deep={"sheets", "definedNames", "workbookProtection", "AlternateContent"},
        )
        if self.wb.ns != MAIN_NS or self.wb.name != "workbook":
            raise NotUnderstood(self.book, "it is not a SpreadsheetML workbook part")
        self.wb_edit = Splice(data, self.book)
        sheets = self.wb.first("sheets")
        if sheets is None or any(c.name != "sheet" for c in sheets.children):
            raise NotUnderstood(self.book, "its list of tabs is not the one Excel writes")
        self.sheets_node = sheets
        self.sheets = sheets.children
        self.book_rels = {r.id: r for r in pkg.rels(self.book)}
        if any(r.type == RT_REVISIONS for r in self.book_rels.values()):
            raise NotUnderstood(
                self.book,
                "it is a shared workbook, whose change history would not record the tool's changes",
            )
        self.new_sheets: list[str] = []
        self.names_to_add: list[str] = []
        self.names_to_drop: list[Node] = []
        self.vba = any(r.type == RT_VBA for r in pkg.rels(self.book))

    # --- package bookkeeping -------------------------------------------------------------

    def _rels(self, source: str) -> _Rels:
        name = rels_name(source)
        if name not in self.rels:
            if self.pkg.has(name):
                self.rels[name] = _Rels(self.pkg.read(name), self.pkg.name(name) or name, False)
            else:
                empty = (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<Relationships xmlns="{PKG_REL_NS}"></Relationships>'
                ).encode()
                self.rels[name] = _Rels(empty, name, True)
                if "rels" not in self.defaults:
                    self._override(name, "application/vnd.openxmlformats-package.relationships+xml")
        return self.rels[name]

    def _override(self, part: str, ctype: str) -> None:
        key = "/" + part.lower()
        if key in self.overrides:
            return
        self.overrides[key] = ctype
        self.ct_edit.append(
            self.ct,
            f"<{self.ct.qname('Override')} PartName={attr_text('/' + part)} ContentType={attr_text(ctype)}/>",
        )

    def _new_part(self, pattern: str) -> str:
        name = self.pkg.free_name(pattern, self.taken)
        self.taken.add(name.lower())
        return name

    def _beside_book(self, tail: str) -> str:
        return posixpath.join(posixpath.dirname(self.book), tail)

    def _taken_blocks(self) -> set[int]:
        if self._blocks is None:
            self._blocks = set()
            # Every VML drawing's shape-id blocks (notes, buttons, header and footer pictures):
            # a new drawing must not reuse one.
            for name in self.pkg.part_names():
                ext = name.rpartition(".")[2]
                ctype = self.overrides.get("/" + name, self.defaults.get(ext))
                if name.endswith(".vml") or ctype == CT_VML:
                    self._blocks |= blocks_of(self.pkg.read(name))
        return self._blocks

    # --- the run -------------------------------------------------------------------------

    def run(self, plan: WritePlan, blank: list[BlankTab] | None = None) -> Patch:
        styles_rel = next((r for r in self.book_rels.values() if r.type == RT_STYLES), None)
        if styles_rel is not None and self.pkg.has(styles_rel.part):
            styles_part, styles_data, styles_new = (
                styles_rel.part,
                self.pkg.read(styles_rel.part),
                False,
            )
        elif styles_rel is not None:  # a relationship to a styles part that is not there
            styles_part, styles_data, styles_new = styles_rel.part, EMPTY_STYLES, True
        else:
            plain = self._beside_book("styles.xml")
            styles_part = (
                plain
                if not self.pkg.has(plain)
                else self._new_part(self._beside_book("styles%d.xml"))
            )
            styles_data, styles_new = EMPTY_STYLES, True
        styles = StyleMerge(styles_data, styles_part)
        for new in blank or []:  # kspo init: the registers' tabs come before the status tabs
            self._blank(new, styles)
        for tab in plan.owned:
            self._owned(tab, styles)
        if blank is None:
            self._staff(plan, styles)
        new_styles = styles.result()
        if styles_new:
            self.out.added.append((styles_part, new_styles or styles_data))
            if styles_rel is None:
                self._rels(self.book).add(self.book, RT_STYLES, styles_part)
            self._override(styles_part, CT_STYLES)
        elif new_styles is not None:
            self.out.changed[styles_part] = new_styles
        self._defined_names()
        if self.new_sheets:
            self.wb_edit.append(self.sheets_node, "".join(self.new_sheets))
        if self.wb_edit:
            self.out.changed[self.book] = self.wb_edit.result()
        for name, rels in self.rels.items():
            if rels.created:
                self.out.added.append((name, rels.splice.result()))
            elif rels.splice:
                self.out.changed[rels.name] = rels.splice.result()
        if self.ct_edit:
            self.out.changed[self.pkg.name(CONTENT_TYPES) or CONTENT_TYPES] = self.ct_edit.result()
        return self.out

    # --- owned tabs ----------------------------------------------------------------------

    def _owned(self, tab: OwnedTab, styles: StyleMerge) -> None:
        index, node = next(
            (
                (i, s)
                for i, s in enumerate(self.sheets)
                if s.get("name").casefold() == tab.title.casefold()
            ),
            (None, None),
        )
        raw = self.tabs.get(node.get("name")) if node is not None else self.tabs.get(tab.title)
        rows: list[list[Any]] = tab.rows
        if tab.append_only and is_tool_made(raw):
            assert raw is not None
            earlier = [list(r) for r in raw.rows[2:]]
            rows = [*earlier, *tab.rows]
            tab = appended(tab, earlier)
        if node is not None and index is not None:
            rel = self.book_rels.get(node.get(f"{{{REL_NS}}}id"))
            if (
                rel is None
                or rel.type != RT_WORKSHEET
                or not self.pkg.has(rel.part)
                or not is_tool_made(raw)
            ):
                raise OwnedTabError(
                    f"Tab '{node.get('name')}' exists but was not made by kspo-sheets; nothing was written.",
                    hint=f"Rename that tab (it is staff data), or map the tool's tab to another name in the config (owned_tabs.{tab.key}).",
                )
            old = self.pkg.read(rel.part)
            code = _CODE_NAME.search(old[:4096])
            sheet = OwnedSheet(tab, styles)
            self.out.changed[rel.part] = sheet.xml(
                rows, code_name=code.group(1).decode() if code else None
            )
            self._links_out(rel.part, sheet)
            self._names_for(index, tab, len(rows))
        else:
            part, index = self._add_sheet(tab.title)
            code_name = f"kspo{tab.key.capitalize()}" if self.vba else None
            sheet = OwnedSheet(tab, styles)
            self.out.added.append((part, sheet.xml(rows, code_name=code_name)))
            self._links_out(part, sheet)
            self._names_for(index, tab, len(rows))
        self.out.details.append(f"tab '{tab.title}': {counted(len(rows), 'row')}")

    def _add_sheet(self, title: str) -> tuple[str, int]:
        """A new worksheet part, listed last among the workbook's tabs: its name and index."""
        protection = self.wb.first("workbookProtection")
        if protection is not None and protection.get("lockStructure") in ("1", "true"):
            raise NotUnderstood(
                self.book, "the workbook's structure is protected, so no tab can be added"
            )
        part = self._new_part(self._beside_book("worksheets/sheet%d.xml"))
        rid = self._rels(self.book).add(self.book, RT_WORKSHEET, part)
        self._override(part, CT_WORKSHEET)
        ids = [
            int(s.get("sheetId", "0") or 0) for s in self.sheets if s.get("sheetId", "").isdigit()
        ]
        sheet_id = max([0, *ids]) + 1 + len(self.new_sheets)
        prefix = next((p for p, uri in self.wb.nsmap.items() if uri == REL_NS and p), None)
        rattr = f"{prefix}:id" if prefix else f'xmlns:r="{REL_NS}" r:id'
        self.new_sheets.append(
            f"<{self.sheets_node.qname('sheet')} name={attr_text(title)} "
            f'sheetId="{sheet_id}" {rattr}={attr_text(rid)}/>'
        )
        return part, len(self.sheets) + len(self.new_sheets) - 1

    def _blank(self, tab: BlankTab, styles: StyleMerge) -> None:
        """A register tab laid out for staff (kspo init), added after the others."""
        part, index = self._add_sheet(tab.title)
        sheet = BlankSheet(tab, styles)
        self.out.added.append((part, sheet.xml()))
        self._names(index, print_titles(tab.title, tab.print_setup), None)
        for j in sheet.skipped:
            self.out.warnings.append(
                f"tab '{tab.title}', column {column_letters(j)}: no dropdown list, as Excel"
                f" holds at most {LIST_LIMIT} characters of choices (without commas) in one"
            )

    def titles(self) -> list[str]:
        """The workbook's tab names, in order."""
        return [s.get("name") for s in self.sheets]

    def _links_out(self, part: str, sheet: OwnedSheet) -> None:
        """An owned tab's relationships part: its links to web addresses (the tab is the
        tool's, so the part is written whole; an earlier one is left where none is needed)."""
        if not sheet.external:
            return
        name = rels_name(part)
        q = "Relationship"
        body = "".join(
            f"<{q} Id={attr_text(rid)} Type={attr_text(RT_HYPERLINK)} Target={attr_text(url)}"
            ' TargetMode="External"/>'
            for rid, url in sheet.external
        )
        data = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PKG_REL_NS}">{body}</Relationships>'
        ).encode()
        if self.pkg.has(name):
            self.out.changed[self.pkg.name(name) or name] = data
        else:
            self.out.added.append((name, data))
            if "rels" not in self.defaults:
                self._override(name, "application/vnd.openxmlformats-package.relationships+xml")

    def _names_for(self, index: int, tab: OwnedTab, nrows: int) -> None:
        self._names(index, print_titles(tab.title, tab.print_setup), filter_range(tab, nrows))

    def _names(self, index: int, titles: str | None, filt: str | None) -> None:
        """The tab's print titles and filter range, as defined names local to it."""
        want = {}
        if titles:
            want["_xlnm.Print_Titles"] = titles
        if filt:
            want["_xlnm._FilterDatabase"] = filt
        names = self.wb.first("definedNames")
        for node in names.children if names is not None else []:
            if node.get("localSheetId") != str(index) or node.get("name") not in OWN_NAMES:
                continue
            if want.get(node.get("name")) == node.deep_text():
                del want[node.get("name")]
            else:
                self.names_to_drop.append(node)
        q = names.qname if names is not None else self.wb.qname
        for name, value in want.items():
            hidden = ' hidden="1"' if name == "_xlnm._FilterDatabase" else ""
            self.names_to_add.append(
                f'<{q("definedName")} name="{name}" localSheetId="{index}"{hidden}>{text(value)}</{q("definedName")}>'
            )

    def _defined_names(self) -> None:
        for node in self.names_to_drop:
            self.wb_edit.remove(node)
        if not self.names_to_add:
            return
        names = self.wb.first("definedNames")
        body = "".join(self.names_to_add)
        if names is not None:
            self.wb_edit.append(names, body)
        else:
            tag = self.wb.qname("definedNames")
            at = slot(self.wb, "definedNames", BOOK_ORDER, self.book)
            self.wb_edit.add_child(self.wb, at, f"<{tag}>{body}</{tag}>")

    # --- staff registers: highlights and notes -------------------------------------------

    def _staff(self, plan: WritePlan, styles: StyleMerge) -> None:
        by_tab: dict[str, list[Mark]] = defaultdict(list)
        for m in plan.marks:
            by_tab[m.tab].append(m)
        removed = 0
        for title in plan.register_tabs:
            node = next((s for s in self.sheets if s.get("name") == title), None)
            rel = self.book_rels.get(node.get(f"{{{REL_NS}}}id")) if node is not None else None
            if rel is None or rel.type != RT_WORKSHEET or not self.pkg.has(rel.part):
                continue
            sheet = StaffSheet(self.pkg.read(rel.part), rel.part)
            marks = placed(by_tab.get(title, []), sheet.merged())
            removed += sheet.clear_rules()
            rules = []
            for sev in SEVERITIES:
                cells = [c for c, m in marks.items() if m.severity.value == sev]
                if cells:
                    rules.append((styles.dxf(MARK_FILLS[sev]), cells))
            sheet.add_rules(rules)
            self.out.marked += len(marks)
            removed += self._notes(rel.part, sheet, {c: m.note for c, m in marks.items()})
            new = sheet.result()
            if new is not None:
                self.out.changed[rel.part] = new
        self.out.details.append(
            f"{counted(self.out.marked, 'cell')} highlighted, {counted(self.out.notes, 'note')};"
            " earlier marks refreshed" + (f" ({removed} taken away)" if removed else "")
        )

    def _notes(self, part: str, sheet: StaffSheet, wanted: dict[tuple[int, int], str]) -> int:
        rels = self.pkg.rels(part)
        comments = next((r for r in rels if r.type == RT_COMMENTS and self.pkg.has(r.part)), None)
        vml_id = sheet.legacy_drawing()
        vml = next((r for r in rels if r.id == vml_id), None) if vml_id else None
        if vml_id and (vml is None or vml.type != RT_VML or not self.pkg.has(vml.part)):
            raise NotUnderstood(part, "its legacy drawing is not a VML drawing part")
        if comments is None and not wanted:
            return 0
        if comments is not None and vml is None:
            raise NotUnderstood(comments.part, "these notes have no drawing part")
        c_part = comments.part if comments else self._new_part(self._beside_book("comments%d.xml"))
        if vml is not None:
            v_part, v_data = vml.part, self.pkg.read(vml.part)
        else:
            v_part = self._new_part(self._beside_book("drawings/vmlDrawing%d.vml"))
            block = max([0, *self._taken_blocks()]) + 1
            self._taken_blocks().add(block)
            v_data = new_vml([block])
        c_data = self.pkg.read(comments.part) if comments else new_comments()
        res = Notes(c_data, c_part, v_data, v_part, self._taken_blocks()).apply(wanted)
        self.out.notes += len(res.written)
        if comments is None:
            if res.written:
                self.out.added.append((c_part, res.comments or c_data))
                self._rels(part).add(part, RT_COMMENTS, c_part)
                self._override(c_part, CT_COMMENTS)
        elif res.comments is not None:
            self.out.changed[c_part] = res.comments
        if vml is None:
            if res.written:
                self.out.added.append((v_part, res.vml or v_data))
                rid = self._rels(part).add(part, RT_VML, v_part)
                if self.defaults.get("vml") != CT_VML:
                    self._override(v_part, CT_VML)
                sheet.add_legacy_drawing(rid)
        elif res.vml is not None:
            self.out.changed[v_part] = res.vml
        return res.removed
