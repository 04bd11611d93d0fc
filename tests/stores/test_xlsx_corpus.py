"""Real workbooks made by Excel, LibreOffice and Google Sheets keep everything through a write.

Each workbook of tests/data/xlsx-corpus (see SOURCE.md there) has its first sheet treated
as a register: findings marked on cells that hold values (some carry a staff note already,
some sit in merged areas), the three status tabs added as a real sync makes them. Then:
every part the write did not need is byte for byte the same, every part it touched differs
only by the tool's own elements, the staff cells read back the same, openpyxl opens the
result (where it opened the original), and a second write changes only the history tab.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import shutil
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import ROOT, phuket
from package_diff import parts, stored, tool_only_changes

from kspo_sheets.commands.sample import build_sample
from kspo_sheets.model import Severity
from kspo_sheets.pipeline import run_validation
from kspo_sheets.progress.indicators import compute
from kspo_sheets.status.tabs import build_plan, history_row
from kspo_sheets.stores.base import MARKER, Mark, WritePlan
from kspo_sheets.stores.xlsx.store import XlsxStore, sidecar_path

CORPUS = ROOT / "tests" / "data" / "xlsx-corpus"
FILES = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm", ".xltx"))
NOT_PATCHABLE = {
    "poi-BrNotClosed.xlsx": "vmlDrawing1.vml: it is not well-formed XML",
    "poi-workbookProtection_workbook_structure_protected.xlsx": "structure is protected",
    "poi-style-alternate-content.xlsx": "styles.xml: its fonts list holds a <AlternateContent> element",
}
AS_OF = dt.date(2019, 9, 10)


@functools.cache
def sample_plan(tmp: Path) -> WritePlan:
    """The plan a real sync of the sample makes: 51 findings, the indicators, one history row."""
    path = tmp / "sample.xlsx"
    build_sample(path)
    result, _ = run_validation(phuket(), str(path), as_of=AS_OF)
    progress = compute(phuket(), result)
    when = dt.datetime(2019, 9, 10, 2, 15, tzinfo=dt.UTC)
    history = history_row(phuket(), result, progress, source="corpus", outcome="ok", now=when)
    return build_plan(phuket(), result, progress, history=history)


def corpus_plan(base: WritePlan, path: Path) -> WritePlan:
    """The sample's status tabs, and marks on the corpus workbook's first sheet."""
    snapshot = XlsxStore(path).read()
    first = next(iter(snapshot.tabs.values()))
    cells = [
        (r + 1, c)
        for r, row in enumerate(first.rows[:60])
        for c, v in enumerate(row[:8])
        if v is not None
    ]
    cells = [*cells[:25], (1, 0), (2, 1), (40, 3)]
    severities = (Severity.ERROR, Severity.WARNING, Severity.NOTICE)
    marks = [
        Mark(
            first.title,
            r,
            c,
            0,
            f"X-{i}",
            severities[i % 3],
            f"[{MARKER}] X-{i}\n• ข้อผิดพลาด: ทดสอบ {i}",
        )
        for i, (r, c) in enumerate(dict.fromkeys(cells))
    ]
    return WritePlan(owned=base.owned, marks=marks, register_tabs=list(snapshot.tabs))


def staff_notes(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path)
    # Only the cells that exist: a note at XFD1048576 must not mean iterating 17 billion.
    return {
        (ws.title, c.coordinate): (c.comment.author, c.comment.text)
        for ws in wb.worksheets
        for c in getattr(ws, "_cells", {}).values()
        if c.comment is not None and c.comment.author != MARKER
    }


def opens_in_openpyxl(path: Path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            openpyxl.load_workbook(path)
    except Exception:
        return False
    return True


@pytest.mark.parametrize("original", FILES, ids=[p.name for p in FILES])
def test_a_write_changes_only_what_the_tool_owns(
    original: Path, tmp_path: Path, tmp_path_factory
) -> None:
    work = tmp_path / original.name
    shutil.copy(original, work)
    plan = corpus_plan(sample_plan(tmp_path_factory.getbasetemp()), work)
    store = XlsxStore(work, backups=0)
    before = store.read()
    report = store.write(before, plan)

    if original.name in NOT_PATCHABLE:
        assert work.read_bytes() == original.read_bytes()
        assert report.sidecar == str(sidecar_path(work))
        assert NOT_PATCHABLE[original.name] in report.details[0]
        assert len(report.details[0].splitlines()) == 1
        assert opens_in_openpyxl(sidecar_path(work))
        return

    assert report.changed and report.sidecar is None
    assert tool_only_changes(original, work) == []
    old_names, old = parts(original)
    _, new = parts(work)
    touched = {n for n in old_names if new[n] != old[n]}
    raw_old, raw_new = stored(original), stored(work)
    assert all(raw_new[n] == raw_old[n] for n in old_names if n not in touched)  # as stored, too
    # what a write may touch: content types, the workbook and its relationships, styles,
    # and the marked sheet with its notes
    allowed = {"[content_types].xml"}
    for n in touched:
        low = n.lower()
        assert (
            low in allowed
            or low.endswith((".rels", "workbook.xml", "styles.xml", ".vml"))
            or ("comments" in low or "worksheets/" in low)
        ), n
    after = store.read()
    for title, tab in before.tabs.items():
        assert after.tabs[title].rows == tab.rows, title
    for t in plan.owned:
        assert after.tabs[t.title].rows[0][0].startswith("สร้างโดย kspo-sheets")
    if opens_in_openpyxl(original):
        assert opens_in_openpyxl(work)
        assert set(staff_notes(original).items()) <= set(staff_notes(work).items())
    with zipfile.ZipFile(work) as z:
        assert z.testzip() is None

    first = work.read_bytes()
    store.write(after, plan)  # a second run: only the history tab grows
    again = parts(work)[1]
    history = next(t for t in plan.owned if t.append_only)
    changed = {n for n in again if again[n] != parts_of(first)[n]}
    assert len(changed) == 1, changed
    assert [len(store.read().tabs[history.title].rows)] == [len(after.tabs[history.title].rows) + 1]


def parts_of(data: bytes) -> dict[str, bytes]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_the_corpus_covers_what_staff_workbooks_hold() -> None:
    """Every feature the issue lists is in at least one corpus workbook."""
    held: dict[str, bytes] = {}
    for path in FILES:
        with zipfile.ZipFile(path) as z:
            held[path.name] = b" ".join(
                [*(z.read(n) for n in z.namelist()), *(n.encode() for n in z.namelist())]
            )
    features = {
        "threaded comments": b"threadedComment",
        "x14 dropdown lists": b"x14:dataValidation",
        "Excel 2010 data bars": b"x14:dataBar",
        "dynamic arrays": b'cm="1"',
        "checkbox cells": b"FeaturePropertyBag",
        "form controls": b'ObjectType="Button"',
        "text boxes": b"txBody",
        "ignored errors": b"<ignoredErrors",
        "macros": b"vbaProject.bin",
        "charts": b"chartSpace",
        "pivot tables": b"pivotTableDefinition",
        "notes pinned visible": b"visibility:visible",
        "a template": b"template.main+xml",
    }
    missing = [
        f for f, needle in features.items() if not any(needle in blob for blob in held.values())
    ]
    assert missing == []


def _marks_on(path: Path, cells: list[str], sheet: int = 0) -> WritePlan:
    from kspo_sheets.stores.xlsx.read import cell_ref

    snapshot = XlsxStore(path).read()
    title = list(snapshot.tabs)[sheet]
    marks = [
        Mark(title, *cell_ref(ref), 0, f"X-{i}", Severity.ERROR, f"[{MARKER}] X-{i}\n• ทดสอบ")
        for i, ref in enumerate(cells)
    ]
    return WritePlan(owned=[], marks=marks, register_tabs=[title])


def test_threaded_comments_and_their_replies_are_left_alone(tmp_path: Path) -> None:
    work = tmp_path / "threaded.xlsx"
    shutil.copy(CORPUS / "poi-64759.xlsx", work)
    store = XlsxStore(work, backups=0)
    plan = _marks_on(work, ["C2", "A1", "B3"])  # C2: a threaded comment; B3: a staff note
    report = store.write(store.read(), plan)
    assert report.changed and "3 cells highlighted, 1 note;" in report.details[-1]
    old, new = parts(CORPUS / "poi-64759.xlsx")[1], parts(work)[1]
    for name in ("xl/threadedComments/threadedComment1.xml", "xl/persons/person.xml"):
        assert new[name] == old[name]
    notes = staff_notes(work)
    assert notes[("File", "C2")][0].startswith("tc=")  # still the thread's placeholder
    assert notes[("File", "B3")] == staff_notes(CORPUS / "poi-64759.xlsx")[("File", "B3")]
    assert tool_only_changes(CORPUS / "poi-64759.xlsx", work) == []


def test_excel_2010_dropdowns_pointing_at_another_tab_are_left_alone(tmp_path: Path) -> None:
    work = tmp_path / "lists.xlsx"
    shutil.copy(CORPUS / "poi-61652.xlsx", work)
    store = XlsxStore(work, backups=0)
    snapshot = store.read()
    plan = _marks_on(work, ["B6", "J6", "A1"], sheet=list(snapshot.tabs).index("IRPPCalc"))
    store.write(snapshot, plan)
    old, new = parts(CORPUS / "poi-61652.xlsx")[1], parts(work)[1]
    x14 = re.search(
        rb"<x14:dataValidations.*?</x14:dataValidations>", old["xl/worksheets/sheet1.xml"], re.S
    )
    assert x14 and x14.group(0) in new["xl/worksheets/sheet1.xml"]
    assert new["xl/worksheets/sheet1.xml"] != old["xl/worksheets/sheet1.xml"]  # it was marked
    assert tool_only_changes(CORPUS / "poi-61652.xlsx", work) == []
