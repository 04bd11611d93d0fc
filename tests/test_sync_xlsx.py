"""End to end on the sample workbook: sync writes status back and never changes staff values."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import ROOT, phuket
from openpyxl.workbook.protection import WorkbookProtection

from kspo_sheets.cli import cli
from kspo_sheets.commands.sample import build_sample
from kspo_sheets.errors import ConflictError, OwnedTabError
from kspo_sheets.pipeline import run_sync, run_validation
from kspo_sheets.progress.indicators import compute
from kspo_sheets.stores.base import MARKER
from kspo_sheets.stores.xlsx.store import XlsxStore, sidecar_path

AS_OF = dt.date(2019, 9, 10)
OWNED = ("สถานะการตรวจสอบ", "สรุปความก้าวหน้า", "ประวัติการซิงก์")


@pytest.fixture(scope="module")
def sample_master(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("master") / "sample.xlsx"
    build_sample(path)
    return path


@pytest.fixture
def sample(sample_master, tmp_path) -> Path:
    path = tmp_path / "sample.xlsx"
    shutil.copy(sample_master, path)
    return path


def staff_cells(path: Path) -> dict[tuple[str, str], tuple[object, str]]:
    """Every staff cell's value and type, keyed by (tab, A1)."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        if ws.title in OWNED:
            continue
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out[(ws.title, c.coordinate)] = (c.value, c.data_type)
    return out


def tab_values(path: Path, title: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path)
    return [tuple(r) for r in wb[title].iter_rows(values_only=True)]


def sync(path: Path, **kw):
    return run_sync(phuket(), str(path), as_of=AS_OF, **kw)


def marked_cells(path: Path, title: str) -> set[str]:
    wb = openpyxl.load_workbook(path)
    ws = wb[title]
    cells = set()
    for cf in ws.conditional_formatting:
        if any(MARKER in f for r in cf.rules for f in (r.formula or [])):
            cells.update(str(cf.sqref).split())
    return cells


def test_every_staff_value_is_identical_after_sync(sample):
    before = staff_cells(sample)
    sync(sample)
    assert staff_cells(sample) == before
    assert len(before) > 4000


def test_owned_tabs_hold_exactly_the_findings_and_indicators(sample):
    result, _ = run_validation(phuket(), str(sample), as_of=AS_OF)
    progress = compute(phuket(), result)
    sync(sample)
    rows = tab_values(sample, "สถานะการตรวจสอบ")
    assert MARKER in rows[0][0]
    got = [(r[0], r[1] or None, r[2] or "", r[4] or "", r[7]) for r in rows[2:]]
    want = [(f.tab, f.row, f.row_id, f.cell, f.code) for f in result.findings]
    assert got == want
    wb = openpyxl.load_workbook(sample)
    link = wb["สถานะการตรวจสอบ"].cell(row=3, column=5).hyperlink
    assert link is not None and link.location and "!" in link.location
    prog = tab_values(sample, "สรุปความก้าวหน้า")
    by_id = {(r[8], r[1] or ""): r for r in prog if len(r) > 8 and r[8]}
    for ind in progress.indicators:
        r = by_id[(ind.id, ind.group)]
        assert r[5] == ind.status_th
        if ind.percent is not None:
            assert r[4] == pytest.approx(ind.percent)


def test_cells_with_findings_are_highlighted_and_noted(sample):
    result, _ = run_validation(phuket(), str(sample), as_of=AS_OF)
    sync(sample)
    cells = {
        (f.tab, f.cell)
        for f in result.findings
        if f.cell and f.row != result.registers[f.register].header_row
    }
    marked = set()
    for title in {t for t, _ in cells}:
        marked |= {(title, c) for c in marked_cells(sample, title)}
    assert marked == cells
    wb = openpyxl.load_workbook(sample)
    f = next(f for f in result.findings if f.code == "national_id.checksum")
    note = wb[f.tab][f.cell].comment
    assert note.author == MARKER and f.message_th in note.text


def test_second_run_changes_nothing_but_history(sample):
    sync(sample)
    first = {
        t: tab_values(sample, t)
        for t in openpyxl.load_workbook(sample).sheetnames
        if t != "ประวัติการซิงก์"
    }
    first_marks = marked_cells(sample, "ผู้ผลิต")
    sync(sample)
    second = {
        t: tab_values(sample, t)
        for t in openpyxl.load_workbook(sample).sheetnames
        if t != "ประวัติการซิงก์"
    }
    assert second == first
    assert marked_cells(sample, "ผู้ผลิต") == first_marks
    history = tab_values(sample, "ประวัติการซิงก์")
    assert len([r for r in history[2:] if r[0]]) == 2


def test_fixed_finding_loses_its_mark_and_staff_colour_and_note_stay(sample):
    sync(sample)
    result, _ = run_validation(phuket(), str(sample), as_of=AS_OF)
    f = next(f for f in result.findings if f.code == "phone.invalid" and f.register == "producers")
    assert f.cell in marked_cells(sample, f.tab)
    wb = openpyxl.load_workbook(sample)
    wb[f.tab][f.cell].value = "0812345678"
    wb.save(sample)
    sync(sample)
    assert f.cell not in marked_cells(sample, f.tab)
    wb = openpyxl.load_workbook(sample)
    assert wb[f.tab][f.cell].comment is None
    assert wb["ผู้ผลิต"]["L10"].fill.fgColor.rgb == "00FFFF00"  # staff's yellow
    staff_note = wb["การเชื่อมโยง"]["H9"].comment
    assert staff_note is not None and staff_note.author == "สมศรี"


def test_dry_run_writes_nothing(sample):
    before = sample.read_bytes()
    out = sync(sample, dry_run=True)
    assert sample.read_bytes() == before
    assert not out.report.changed and out.report.details


def test_a_staff_tab_with_an_owned_name_is_refused(sample):
    wb = openpyxl.load_workbook(sample)
    wb.create_sheet("สรุปความก้าวหน้า")["A1"] = "สรุปของเจ้าหน้าที่"
    wb.save(sample)
    before = sample.read_bytes()
    with pytest.raises(OwnedTabError, match="not made by kspo-sheets"):
        sync(sample)
    assert sample.read_bytes() == before
    res = CliRunner().invoke(
        cli,
        [
            "sync",
            "--config",
            str(ROOT / "configs/phuket.yaml"),
            "--source",
            str(sample),
            "--as-of",
            "2019-09-10",
        ],
    )
    assert res.exit_code == 4
    assert "owned_tabs.progress" in res.output


def test_workbook_changed_between_read_and_write_is_not_written(sample):
    class Meddler(XlsxStore):
        def read(self):
            snap = super().read()
            wb = openpyxl.load_workbook(self.path)
            wb["หมู่บ้าน"]["L5"] = "แก้ไขระหว่างซิงก์"
            wb.save(self.path)
            return snap

    with pytest.raises(ConflictError, match="changed on disk"):
        sync(sample, store=Meddler(sample))
    assert "สถานะการตรวจสอบ" not in openpyxl.load_workbook(sample).sheetnames
    assert openpyxl.load_workbook(sample)["หมู่บ้าน"]["L5"].value == "แก้ไขระหว่างซิงก์"


def test_a_chart_stays_in_the_workbook_byte_for_byte(sample):
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.load_workbook(sample)
    ws = wb["ผู้ผลิต"]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=12, min_row=4, max_row=20))
    ws.add_chart(chart, "P2")
    wb.save(sample)
    with zipfile.ZipFile(sample) as z:
        before = {n: z.read(n) for n in z.namelist() if "chart" in n or "drawings/drawing" in n}
    assert len(before) >= 2  # the chart and its drawing
    out = sync(sample)
    assert out.report.sidecar is None and out.report.changed
    with zipfile.ZipFile(sample) as z:
        assert {n: z.read(n) for n in before} == before
    assert set(OWNED) <= set(openpyxl.load_workbook(sample).sheetnames)


def test_a_workbook_whose_structure_is_protected_goes_to_a_sidecar(sample):
    wb = openpyxl.load_workbook(sample)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.save(sample)
    before = sample.read_bytes()
    out = sync(sample)
    assert sample.read_bytes() == before
    side = sidecar_path(sample)
    assert out.report.sidecar == str(side)
    assert set(OWNED) == set(openpyxl.load_workbook(side).sheetnames)
    assert "structure is protected" in out.report.details[0]
    sync(sample)  # the sidecar is the tool's own: a second run appends history
    assert len([r for r in tab_values(side, "ประวัติการซิงก์")[2:] if r[0]]) == 2


def test_backups_are_kept_and_pruned(sample):
    for _ in range(7):
        sync(sample)
    backups = sorted((sample.parent / ".kspo-backups").iterdir())
    assert len(backups) == phuket().backups
    openpyxl.load_workbook(backups[-1])  # a real workbook


SLOW_SAVE = r"""
import sys, time, datetime as dt
from kspo_sheets.stores.xlsx.package import Package
real = Package.write
def slow(self, out, **parts):
    real(self, out, **parts)
    print("SAVED-TEMP", flush=True)
    time.sleep(30)
Package.write = slow
from kspo_sheets.config.province import load_config
from kspo_sheets.pipeline import run_sync
run_sync(load_config(sys.argv[1]), sys.argv[2], as_of=dt.date(2019, 9, 10))
"""


def test_sigkill_during_the_write_leaves_the_old_workbook(sample):
    before = staff_cells(sample)
    before_bytes = sample.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_SAVE, str(ROOT / "configs/phuket.yaml"), str(sample)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline and "SAVED-TEMP" not in line:
        line = proc.stdout.readline()
    assert "SAVED-TEMP" in line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert sample.read_bytes() == before_bytes
    assert staff_cells(sample) == before
    # the next run takes over the dead run's lock and cleans its temporary file
    sync(sample)
    assert "สถานะการตรวจสอบ" in openpyxl.load_workbook(sample).sheetnames
    assert not list(sample.parent.glob(".*kspo-tmp*"))


def test_second_concurrent_run_is_refused(sample):
    from kspo_sheets.errors import LockedError

    store = XlsxStore(sample)
    with store.lock():
        with pytest.raises(LockedError, match="pid"):
            sync(sample)
