"""Odd files and odd sheets, end to end through the CLI: links, special files, merged cells,
and cells in the far corner of a sheet, each with a clear outcome and nothing lost.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import PHUKET, ROOT, VILLAGE, clean_tabs, row, tab, write_xlsx
from openpyxl.styles import PatternFill

from kspo_sheets.cli import cli
from kspo_sheets.errors import EXIT_LOCKED, EXIT_OK, EXIT_SOURCE
from kspo_sheets.stores.base import MARKER
from kspo_sheets.stores.xlsx.store import XlsxStore

SYNC = ["sync", "--config", str(PHUKET), "--as-of", "2019-09-10", "--source"]
OWNED = ("สถานะการตรวจสอบ", "สรุปความก้าวหน้า", "ประวัติการซิงก์")


def kspo(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "registers.xlsx", *clean_tabs())


# --- links ---------------------------------------------------------------------------------


def test_a_sync_through_a_link_writes_the_real_file_and_keeps_the_link(
    clean: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    link = shared / "ทะเบียน.xlsx"
    link.symlink_to(clean)
    res = kspo(*SYNC, str(link))
    assert res.exit_code == EXIT_OK, res.output
    assert link.is_symlink() and link.resolve() == clean
    assert set(OWNED) <= set(openpyxl.load_workbook(clean).sheetnames)
    assert list(shared.iterdir()) == [link]  # no temporary file, backup or copy beside the link
    assert (clean.parent / ".kspo-backups").is_dir()
    res = kspo(*SYNC, str(link))  # the next run sees this run's tabs (no stale private copy)
    history = openpyxl.load_workbook(clean)["ประวัติการซิงก์"]
    assert len([r for r in history.iter_rows(min_row=3, values_only=True) if r[0]]) == 2


def test_two_spellings_of_one_workbook_share_one_lock(clean: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.xlsx"
    link.symlink_to(clean)
    dotted = tmp_path / "." / clean.name
    assert (
        XlsxStore(link).lock().path == XlsxStore(clean).lock().path == XlsxStore(dotted).lock().path
    )
    before = clean.read_bytes()
    with XlsxStore(clean).lock():
        res = kspo(*SYNC, str(link))
    assert res.exit_code == EXIT_LOCKED, res.output
    assert clean.read_bytes() == before


def test_a_link_loop_is_a_clear_error_and_nothing_is_written(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    a.symlink_to(b)
    b.symlink_to(a)
    res = kspo(*SYNC, str(a))
    assert res.exit_code == EXIT_SOURCE
    assert "link loop" in res.output and "Traceback" not in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]
    assert a.is_symlink() and b.is_symlink()


@pytest.mark.parametrize("kind", ["fifo", "device", "link to a device"])
def test_a_special_file_is_refused_before_it_is_opened(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "registers.xlsx"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path = Path("/dev/null")
    else:
        path.symlink_to("/dev/null")
    # In a child process with a deadline: reading a FIFO would wait for a writer forever.
    done = subprocess.run(
        [sys.executable, "-m", "kspo_sheets", *SYNC, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == EXIT_SOURCE, done.stderr
    assert ("FIFO" if kind == "fifo" else "character device") in done.stderr
    assert "Traceback" not in done.stderr
    if kind == "fifo":
        assert path.is_fifo()
    if kind == "link to a device":
        assert path.is_symlink() and os.readlink(path) == "/dev/null"
    assert not list(tmp_path.glob(".*kspo-tmp*"))


# --- merged cells --------------------------------------------------------------------------


def test_a_finding_in_a_merged_area_is_marked_on_its_top_left_cell(tmp_path: Path) -> None:
    tabs = [t for t in clean_tabs() if t.title != "หมู่บ้าน"]
    villages = [
        row(
            "villages",
            **{**VILLAGE, "village_id": f"8302020{i}", "moo": str(i), "amphoe": "อำเภอที่ไม่มี"},
        )
        for i in (1, 2, 3)
    ]
    path = write_xlsx(tmp_path / "merged.xlsx", tab("villages", *villages), *tabs)
    wb = openpyxl.load_workbook(path)
    wb["หมู่บ้าน"].merge_cells("E2:E4")  # the amphoe typed once for three villages
    wb.save(path)
    res = kspo(*SYNC, str(path))
    assert res.exit_code == EXIT_OK, res.output
    assert "Traceback" not in res.output
    ws = openpyxl.load_workbook(path)["หมู่บ้าน"]
    marked = {
        cell
        for cf in ws.conditional_formatting
        if any(MARKER in f for r in cf.rules for f in (r.formula or []))
        for cell in str(cf.sqref).split()
    }
    assert "E2" in marked and not {"E3", "E4"} & marked
    note = ws["E2"].comment
    assert note is not None and note.author == MARKER
    assert all(
        f"8302020{i}" in note.text for i in (1, 2, 3)
    )  # the three rows' findings in one note


# --- the far corner: bounded memory ---------------------------------------------------------

LIMIT = 1536 * 2**20  # address space for the child: the old writer grew past 5 GB here


def _capped_sync(path: Path) -> tuple[int, str, float]:
    """Sync in a child whose address space is capped: its exit code, stderr and peak RSS
    in MiB (this child's own, from wait4)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))

    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kspo_sheets", *SYNC, str(path)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=ROOT,
            preexec_fn=cap,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return proc.returncode, err.read().decode(errors="replace"), usage.ru_maxrss / 1024


@pytest.mark.parametrize("where", ["formatted XFD1048576", "value in A1048576"])
def test_a_cell_in_the_far_corner_costs_no_memory(tmp_path: Path, where: str) -> None:
    path = write_xlsx(tmp_path / "corner.xlsx", *clean_tabs())
    wb = openpyxl.load_workbook(path)
    ws = wb["ผู้ผลิต"]
    if where.startswith("formatted"):
        ws["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")
    else:
        ws["A1048576"] = "P-0002"
    wb.save(path)
    code, stderr, peak = _capped_sync(path)
    assert code == EXIT_OK, stderr
    assert peak < 700, f"{peak:.0f} MiB"
    assert set(OWNED) <= set(openpyxl.load_workbook(path, read_only=True).sheetnames)


def test_a_million_declared_rows_with_a_hundred_values_read_in_little_memory(
    tmp_path: Path,
) -> None:
    """A sheet whose dimension and row records run to row 1,048,576, with 100 values."""
    path = tmp_path / "declared.xlsx"
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>P-{r:04d}</t></is></c></row>'
        for r in range(1, 101)
    )
    rows += '<row r="1048576" s="1" customFormat="1" ht="15"><c r="M1048576" s="1"/></row>'
    sheet = (
        f'<worksheet {ns}><dimension ref="A1:XFD1048576"/><sheetData>{rows}</sheetData></worksheet>'
    )
    with (
        zipfile.ZipFile(write_xlsx(tmp_path / "base.xlsx", *clean_tabs())) as src,
        zipfile.ZipFile(path, "w") as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(
                info, sheet.encode() if info.filename == "xl/worksheets/sheet6.xml" else data
            )
    code = (
        "import resource, sys; from pathlib import Path\n"
        "from kspo_sheets.stores.xlsx.store import read_workbook\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "snap = read_workbook(Path(sys.argv[1]))\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(max(len(t.rows) for t in snap.tabs.values()), (after - before) // 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    longest, grown_mib = map(int, done.stdout.split())
    assert longest == 100
    assert grown_mib < 20
