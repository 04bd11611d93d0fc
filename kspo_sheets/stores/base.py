"""The store interface: where registers are read from and where results are written back.

A store knows its medium (an .xlsx workbook, a Google spreadsheet); everything else
works on the plain data it hands over (Snapshot) and hands back (WritePlan).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from kspo_sheets.model import Severity, Snapshot
from kspo_sheets.thai.wrap import Font

OWNED_FONT = Font("TH Sarabun New", 14)
"""The owned tabs' body font in a workbook (headers are its bold); widths are measured in it."""


@dataclass(frozen=True, slots=True)
class PrintSetup:
    """How an owned tab prints (applied by stores that can; the .xlsx store does)."""

    landscape: bool = True
    paper: str = "A4"  # "A4" or "Letter"
    fit_width: bool = True  # every column on one page's width, as many pages down as needed
    # sheet rows (first, last) printed again at the top of every page: the marker and header
    repeat_rows: tuple[int, int] | None = (1, 2)
    # Excel's header/footer codes: &P the page, &N the pages, &L &C &R left/centre/right
    footer: str = "&Cหน้า &P จาก &N"
    header: str = ""
    margins: tuple[float, float, float, float] = (
        0.4,
        0.4,
        0.5,
        0.6,
    )  # left, right, top, bottom (in)


@dataclass(slots=True)
class OwnedTab:
    """A tab the tool owns, as rows of plain values plus presentation hints.

    Sheet row 1 holds the tool's marker, row 2 the header, and `rows` start on row 3.
    The hints past `links` default to how the tabs have always looked; a store that
    cannot apply one ignores it.
    """

    key: str  # "findings" | "progress" | "history"
    title: str
    header: list[str]  # may hold line breaks, put between words where the header wraps
    rows: list[list[Any]]
    # Points of text each column holds on one line, in the tab's body font (TH Sarabun New
    # 14 pt); each store turns them into its own units.
    widths: list[float] = field(default_factory=list)
    append_only: bool = False  # history: rows are appended, earlier ones kept
    banner: str = ""  # the first row: made by the tool, and what a sync does to the tab
    # row index in rows -> height in points in a workbook (TH Sarabun New), and the header
    # row's: every row as tall as its lines (status/layout.py); Google sizes rows itself
    heights: dict[int, float] = field(default_factory=dict)
    header_height: float | None = None
    # row indices in rows whose text runs across the tab (a section title, a note): never
    # wrapped, whatever `wrap` says of their column
    across: set[int] = field(default_factory=set)
    # (row index in rows, column index) -> style name: "error", "warning", "notice",
    # "achieved", "not_achieved", "no_data", "section"
    styles: dict[tuple[int, int], str] = field(default_factory=dict)
    # (row index in rows, column index) -> (tab title, A1 cell) for a link to a staff cell
    links: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    # (row index in rows, column index) -> an https address the cell links to (a Drive file)
    urls: dict[tuple[int, int], str] = field(default_factory=dict)
    wrap: set[int] = field(default_factory=set)  # columns whose text wraps (top-aligned)
    freeze_rows: int = 2  # sheet rows kept in view when scrolling: the marker and header
    autofilter: bool = False  # filter buttons on the header row (the findings list)
    print_setup: PrintSetup | None = None


@dataclass(slots=True)
class BlankTab:
    """A register tab laid out for staff to type in (`kspo init`): the header on row 1,
    column widths and formats, dropdown lists over the whole column; no data."""

    title: str
    header: list[str]  # as written: broken between words where a header wraps
    widths: list[float]  # points of text each column holds on one line, in `font`
    font: Font = field(default_factory=lambda: Font("TH Sarabun New", 16))  # headers' and data's
    header_height: float | None = None  # points
    row_height: float | None = None  # points: every row below the header (one line of `font`)
    text_cols: set[int] = field(default_factory=set)  # columns formatted as text (@)
    dropdowns: dict[int, list[str]] = field(default_factory=dict)  # column -> choices
    print_setup: PrintSetup | None = None


@dataclass(slots=True)
class Mark:
    """A highlight (and note) the tool puts on one staff cell, anchored on the row's ID."""

    tab: str
    row: int  # 1-based sheet row when read
    col: int  # 0-based column
    id_col: int  # 0-based column of the row ID, to re-find the row
    row_id: str
    severity: Severity
    note: str


@dataclass(slots=True)
class WritePlan:
    owned: list[OwnedTab]
    marks: list[Mark]
    # tab titles of the registers (the only staff tabs the tool may decorate)
    register_tabs: list[str] = field(default_factory=list)
    # tab title -> 1-based header row, where the data (and ID-anchored highlights) start below
    header_rows: dict[str, int] = field(default_factory=dict)
    # tab title -> 0-based column of the row IDs, by which notes are checked after a write
    # (on a tab with no finding left too: clearing old notes can meet rows staff moved)
    id_columns: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class WriteReport:
    target: str
    changed: bool
    details: list[str] = field(default_factory=list)
    sidecar: str | None = None
    backup: str | None = None
    requests: int = 0


@dataclass(frozen=True, slots=True)
class ReadScope:
    """What a run reads of a source: the registers' tabs whole, the tool's own tabs only as
    far as their first cell (whether the tool made them), nothing of any other tab.

    Register titles match as validation finds them (odd spaces and invisible characters
    forgiven); owned titles match exactly. A store that reads a file whole may ignore it.
    """

    registers: tuple[str, ...]
    owned: tuple[str, ...] = ()


class Store(Protocol):
    """Read every tab in one go; write a plan in one go, or not at all."""

    description: str

    def read(self) -> Snapshot: ...

    def lock(self) -> AbstractContextManager[Any]: ...

    def write(
        self, snapshot: Snapshot, plan: WritePlan, *, dry_run: bool = False
    ) -> WriteReport: ...


MARKER = "kspo-sheets"
"""Text the tool leaves in what it makes (owned tabs, notes) so it can tell them from staff's."""
MARKER_TEXT = f"สร้างโดย {MARKER} · แท็บนี้เขียนใหม่ทุกครั้งที่ซิงก์ อย่าแก้ไขในแท็บนี้ (made by {MARKER}; rewritten on every sync)"
APPEND_TEXT = f"สร้างโดย {MARKER} · ทุกครั้งที่ซิงก์จะเพิ่มหนึ่งแถวต่อท้าย แถวเดิมคงไว้ อย่าแก้ไขในแท็บนี้ (made by {MARKER}; one row added on every sync, earlier rows kept)"
"""The first row of an owned tab: rewritten whole (findings, progress) or appended to (history)."""


def banner_for(tab: OwnedTab) -> str:
    return tab.banner or (APPEND_TEXT if tab.append_only else MARKER_TEXT)
