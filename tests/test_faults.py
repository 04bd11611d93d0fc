"""Real faults, end to end, as cron sees them.

For every fault: the run ends with the documented exit code and a message that says what
to do; nothing staff typed is lost or changed; the status tabs are as they were or wholly
rewritten, never half; and the next run succeeds. Google faults run against the Sheets API
stand-in over real HTTP, workbook faults against a real .xlsx on disk, and every run goes
through the CLI, so the exit codes are the ones cron gets.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from google_helpers import calls, seed, store, user_values
from helpers import PHUKET, PRODUCER, ROOT, clean_tabs, phuket, row, snapshot, tab, write_xlsx

from kspo_sheets.cli import cli
from kspo_sheets.errors import EXIT_OK, EXIT_REMOTE, EXIT_WRITE
from kspo_sheets.model import Snapshot
from kspo_sheets.pipeline import run_validation
from kspo_sheets.standin import StandIn
from kspo_sheets.stores.base import MARKER
from kspo_sheets.stores.google import http as google_http

AS_OF = "2019-09-10"
FINDINGS, PROGRESS, HISTORY = "สถานะการตรวจสอบ", "สรุปความก้าวหน้า", "ประวัติการซิงก์"
OWNED = (FINDINGS, PROGRESS, HISTORY)
# What every RemoteError tells the operator to do next.
RUN_AGAIN = ("next scheduled run will retry", "Run the sync again", "Run again later")
FREE_SPACE = ("Free disk space",)


def registers() -> Snapshot:
    """One clean row per register, plus two producers with findings, so notes exist."""
    tabs = {t.title: t for t in clean_tabs()}
    producers = tab(
        "producers",
        row("producers", **PRODUCER),
        row("producers", **{**PRODUCER, "producer_id": "P-0002", "national_id": "1101200001865"}),
        row("producers", **{**PRODUCER, "producer_id": "P-0003", "phone": "0812"}),
    )
    tabs[producers.title] = producers
    return snapshot(*tabs.values())


STAFF_TITLES = list(registers().tabs)


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's retry policy with short back-offs; the budget still comes from the env."""
    fast = functools.partial(google_http.RetryPolicy, base=0.01, cap=0.05, timeout=1.0)
    monkeypatch.setattr(google_http, "RetryPolicy", fast)
    monkeypatch.setenv("KSPO_RETRY_BUDGET", "3")


def kspo(*args: str) -> Result:
    return CliRunner().invoke(cli, ["sync", "--config", str(PHUKET), "--as-of", AS_OF, *args])


def expect(res: Result, code: int, words: tuple[str, ...] = ()) -> None:
    """The exit code cron gets, and on failure a hint line saying what to do."""
    detail = res.output + (repr(res.exception) if res.exception else "")
    assert res.exit_code == code, detail
    if code:
        assert "Error: " in res.output and "\n  → " in res.output, detail
        assert any(w in res.output for w in words), detail


# --- Google --------------------------------------------------------------------------------


@dataclass
class Sheet:
    """A seeded spreadsheet in the stand-in, and what a run should leave in it."""

    standin: StandIn
    key: str
    expected: list[tuple[str, str, str]]  # (tab, row ID, code) of every finding

    def staff(self) -> dict[str, list[list[Any]]]:
        return user_values(self.standin, self.key, STAFF_TITLES)

    def owned(self) -> dict[str, list[list[str]] | None]:
        titles = set(self.standin.state.get(self.key).titles())
        return {t: self.standin.state.values(self.key, t) if t in titles else None for t in OWNED}

    def settle(self, timeout: float = 10) -> None:
        """Wait until the stand-in has finished every request (a slowed one lags behind)."""
        deadline = time.monotonic() + timeout
        while any(r.duration == 0 for r in list(self.standin.requests)):
            assert time.monotonic() < deadline, "the stand-in never finished a request"
            time.sleep(0.02)

    def assert_old_or_new(self, before: dict[str, list[list[str]] | None]) -> str:
        """The status tabs are exactly as before, or wholly written by one more run."""
        self.settle()
        after = self.owned()
        if after == before:
            return "old"
        findings, progress, history = after[FINDINGS], after[PROGRESS], after[HISTORY]
        assert findings and progress and history, after
        assert MARKER in findings[0][0] and MARKER in progress[0][0] and MARKER in history[0][0]
        assert [(r[0], r[2], r[7]) for r in findings[2:]] == self.expected
        assert {i["id"] for i in phuket().indicators} <= {r[8] for r in progress if len(r) > 8}
        assert _runs(history) == _runs(before[HISTORY]) + 1
        assert history[-1][9].startswith("สำเร็จ")
        return "new"

    def expect_current_findings(self) -> None:
        """After staff edits: what a run over the spreadsheet as it is now finds."""
        result, _ = run_validation(
            phuket(), None, as_of=dt.date.fromisoformat(AS_OF), store=store(self.standin, self.key)
        )
        self.expected = [(f.tab, f.row_id, f.code) for f in result.findings]

    def next_run_succeeds(self) -> None:
        self.standin.faults.clear()
        self.settle()
        before = self.owned()
        expect(kspo("--source", self.key), EXIT_OK)
        assert self.assert_old_or_new(before) == "new"


def _runs(history: list[list[str]] | None) -> int:
    return len([r for r in (history or [])[2:] if r and r[0]])


@pytest.fixture
def sheet(sheets_standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> Sheet:
    monkeypatch.setenv("KSPO_SHEETS_API_ROOT", sheets_standin.url)
    key = seed(sheets_standin, registers())
    result, _ = run_validation(
        phuket(), None, as_of=dt.date.fromisoformat(AS_OF), store=store(sheets_standin, key)
    )
    sheets_standin.reset_counts()
    return Sheet(sheets_standin, key, [(f.tab, f.row_id, f.code) for f in result.findings])


def test_google_429_storm_then_recovery(sheet: Sheet, fast_retries: None) -> None:
    sheet.standin.fail(429, retry_after=0.05, times=3, method="GET")
    sheet.standin.fail(429, retry_after=0.05, times=2, method="POST")
    staff, owned = sheet.staff(), sheet.owned()
    expect(kspo("--source", sheet.key), EXIT_OK)
    assert [r.status for r in sheet.standin.requests].count(429) == 5
    assert sheet.staff() == staff
    assert sheet.assert_old_or_new(owned) == "new"
    sheet.next_run_succeeds()


def test_google_429_storm_past_the_retry_budget_exits_6(
    sheet: Sheet, fast_retries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KSPO_RETRY_BUDGET", "0.3")
    sheet.standin.fail(429, retry_after=0.1, times=1000)
    staff, owned = sheet.staff(), sheet.owned()
    res = kspo("--source", sheet.key)
    expect(res, EXIT_REMOTE, RUN_AGAIN)
    assert "gave up" in res.output and "HTTP 429" in res.output
    assert sheet.staff() == staff
    assert sheet.assert_old_or_new(owned) == "old"
    monkeypatch.setenv("KSPO_RETRY_BUDGET", "3")
    sheet.next_run_succeeds()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_google_500s_exit_6_and_apply_nothing(
    sheet: Sheet, fast_retries: None, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    monkeypatch.setenv("KSPO_RETRY_BUDGET", "0.3")
    sheet.standin.fail(500, times=1000, method=method)
    staff, owned = sheet.staff(), sheet.owned()
    res = kspo("--source", sheet.key)
    expect(res, EXIT_REMOTE, RUN_AGAIN)
    assert "HTTP 500" in res.output
    if method == "GET":
        assert sheet.standin.count(method="POST") == 0  # a failed read never writes
    assert sheet.staff() == staff
    assert sheet.assert_old_or_new(owned) == "old"
    monkeypatch.setenv("KSPO_RETRY_BUDGET", "3")
    sheet.next_run_succeeds()


def test_google_read_slower_than_the_run_timeout_exits_6(sheet: Sheet) -> None:
    sheet.standin.slow(1.6, method="GET")
    staff, owned = sheet.staff(), sheet.owned()
    res = kspo("--source", sheet.key, "--timeout", "1")
    expect(res, EXIT_REMOTE, ("--timeout",))
    assert sheet.standin.count(method="POST") == 0
    assert sheet.staff() == staff
    assert sheet.assert_old_or_new(owned) == "old"
    sheet.next_run_succeeds()


def test_google_read_timeout_is_retried(sheet: Sheet, fast_retries: None) -> None:
    sheet.standin.slow(1.5, method="GET")  # longer than the 1 s request timeout
    staff, owned = sheet.staff(), sheet.owned()
    expect(kspo("--source", sheet.key), EXIT_OK)
    # The read's first call timed out and was sent once more; no other call was repeated.
    reads = [c for c in calls(sheet.standin) if c != "write"]
    assert reads[:2] == ["meta", "meta"] and len(set(reads[1:])) == len(reads[1:])
    assert sheet.staff() == staff
    assert sheet.assert_old_or_new(owned) == "new"
    sheet.next_run_succeeds()


def test_google_write_timeout_exits_6_and_the_late_write_is_whole(
    sheet: Sheet, fast_retries: None
) -> None:
    # The write is not retried (it may have been applied); Google applies it whole, late.
    sheet.standin.slow(1.5, method="POST")
    staff, owned = sheet.staff(), sheet.owned()
    res = kspo("--source", sheet.key)
    expect(res, EXIT_REMOTE, RUN_AGAIN)
    assert "did not answer the write in time" in res.output
    assert sheet.standin.count(method="POST") == 1
    assert sheet.assert_old_or_new(owned) == "new"
    assert sheet.staff() == staff
    sheet.next_run_succeeds()


def test_google_connection_refused_exits_6(
    sheet: Sheet, fast_retries: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as s:  # a loopback port nobody listens on once closed
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    monkeypatch.setenv("KSPO_SHEETS_API_ROOT", f"http://127.0.0.1:{closed}")
    monkeypatch.setenv("KSPO_RETRY_BUDGET", "0.3")
    staff, owned = sheet.staff(), sheet.owned()
    res = kspo("--source", sheet.key)
    expect(res, EXIT_REMOTE, RUN_AGAIN)
    assert "connection failed" in res.output
    assert sheet.standin.request_count == 0
    assert sheet.staff() == staff and sheet.owned() == owned
    monkeypatch.setenv("KSPO_SHEETS_API_ROOT", sheet.standin.url)
    monkeypatch.setenv("KSPO_RETRY_BUDGET", "3")
    sheet.next_run_succeeds()


@pytest.mark.parametrize(
    ("method", "times", "code", "state"),
    [("GET", 1, EXIT_OK, "new"), ("GET", 3, EXIT_REMOTE, "old"), ("POST", 1, EXIT_REMOTE, "old")],
    ids=["read-once", "read-always", "write"],
)
def test_google_malformed_json(
    sheet: Sheet, fast_retries: None, method: str, times: int, code: int, state: str
) -> None:
    sheet.standin.malformed(method=method, times=times)
    staff, owned = sheet.staff(), sheet.owned()
    res = kspo("--source", sheet.key)
    expect(res, code, RUN_AGAIN)
    if code:
        assert "malformed" in res.output
    assert sheet.staff() == staff
    assert sheet.assert_old_or_new(owned) == state
    sheet.next_run_succeeds()


@pytest.mark.parametrize(
    ("method", "times", "code", "state", "words"),
    [
        ("GET", 1, EXIT_OK, "new", ""),
        ("GET", 3, EXIT_REMOTE, "old", "cut-off"),
        ("POST", 1, EXIT_REMOTE, "new", "the write was applied"),
    ],
    ids=["read-once", "read-always", "write"],
)
def test_google_connection_cut_while_the_answer_streams_in(
    sheet: Sheet, fast_retries: None, method: str, times: int, code: int, state: str, words: str
) -> None:
    """Half of the answer arrives, then the connection closes: a read is retried; a write
    (applied by then) is never sent again, and the message says it was applied."""
    sheet.standin.cut(method=method, times=times)
    staff, owned = sheet.staff(), sheet.owned()
    res = kspo("--source", sheet.key)
    expect(res, code, RUN_AGAIN)
    assert words in res.output
    if method == "POST":
        assert sheet.standin.count(method="POST") == 1
    assert sheet.staff() == staff
    assert sheet.assert_old_or_new(owned) == state
    sheet.next_run_succeeds()


def test_google_answer_lost_after_the_write_was_applied(sheet: Sheet, fast_retries: None) -> None:
    sheet.standin.drop(method="POST", processed=True)
    staff, owned = sheet.staff(), sheet.owned()
    res = kspo("--source", sheet.key)
    expect(res, EXIT_REMOTE, RUN_AGAIN)
    assert "dropped after the write was sent" in res.output
    assert sheet.standin.count(method="POST") == 1  # never sent twice
    assert sheet.assert_old_or_new(owned) == "new"
    assert sheet.staff() == staff
    sheet.next_run_succeeds()


def _notes(sheet: Sheet, title: str) -> dict[tuple[int, int], str]:
    rows = sheet.standin.state.sheet(sheet.key, title).rows
    return {
        (r, c): cell["note"]
        for r, line in enumerate(rows)
        for c, cell in enumerate(line)
        if cell and str(cell.get("note", "")).startswith(f"[{MARKER}]")
    }


def test_google_staff_sort_and_fix_a_noted_value_between_read_and_write(sheet: Sheet) -> None:
    """Staff sort the producers and correct the phone the tool is about to note, mid-run."""
    title = "ผู้ผลิต"
    spec = phuket().registers["producers"]
    phone = [c.key for c in spec.columns].index("phone")
    typed: dict[str, Any] = {}

    def staff_edit(state: Any) -> None:
        state.sort_rows(sheet.key, title, 1, 0, descending=True)  # P-0003 now first
        state.set_values(sheet.key, title, 1, phone, [["0899999999"]])
        typed.update(user_values(sheet.standin, sheet.key, STAFF_TITLES))

    sheet.standin.between(staff_edit, after_path="spreadsheets/", before_method="POST")
    expect(kspo("--source", sheet.key), EXIT_OK)
    assert typed and sheet.staff() == typed  # the staff's edit stands, as typed
    ids = [r[0] if r else "" for r in sheet.standin.state.values(sheet.key, title)]
    notes = _notes(sheet, title)
    assert notes
    for (r, _c), text in notes.items():
        assert text.splitlines()[0] == f"[{MARKER}] {ids[r]}"  # on the row it names
    assert ids[1] == "P-0003" and (1, phone) in notes  # noted as read: stale until next run
    sheet.expect_current_findings()
    sheet.next_run_succeeds()
    assert (1, phone) not in _notes(sheet, title)
    assert sheet.staff() == typed


SYNC_MODULE = [sys.executable, "-m", "kspo_sheets", "sync", "--config", str(PHUKET)]


def test_google_sigkill_during_the_write(sheet: Sheet, tmp_path: Path) -> None:
    """Killed after the batchUpdate went out and before its answer came back."""
    sheet.standin.slow(1.5, method="POST")
    staff, owned = sheet.staff(), sheet.owned()
    env = {**os.environ, "KSPO_SHEETS_API_ROOT": sheet.standin.url}
    proc = subprocess.Popen(
        [*SYNC_MODULE, "--source", sheet.key, "--as-of", AS_OF],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while sheet.standin.count(method="POST") == 0:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the sync never sent its write"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    sheet.assert_old_or_new(owned)  # Google applies a batch whole or not at all
    assert sheet.staff() == staff
    sheet.next_run_succeeds()  # the dead run's lock is taken over


# --- The workbook and the meeting pack: a disk that fills ----------------------------------


def _full(*_: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "registers.xlsx", *registers().tabs.values())


def _leftovers(folder: Path) -> list[str]:
    found = [p.name for p in folder.glob(".*kspo-tmp*")]
    found += [p.name for p in (folder / ".kspo-backups").glob("*") if p.stat().st_size < 100]
    return found


@pytest.mark.parametrize("where", ["save", "replace", "backup"])
def test_workbook_disk_full_exits_4_and_keeps_the_workbook(
    workbook: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    import shutil

    from kspo_sheets.stores.xlsx.package import Package

    real_replace, real_copy = os.replace, shutil.copy2

    def save(self: Any, out: Any, **parts: Any) -> None:
        Path(out).write_bytes(b"PK\x03\x04 half a workbook")
        _full()

    def replace(src: Any, dst: Any) -> None:
        if Path(dst) == workbook:
            _full()
        real_replace(src, dst)

    def copy(src: Any, dst: Any) -> Any:
        if Path(src) == workbook:
            Path(dst).write_bytes(b"PK\x03\x04 half a backup")
            _full()
        return real_copy(src, dst)

    before = workbook.read_bytes()
    with monkeypatch.context() as m:
        if where == "save":
            m.setattr(Package, "write", save)
        elif where == "replace":
            m.setattr(os, "replace", replace)
        else:
            m.setattr(shutil, "copy2", copy)
        res = kspo("--source", str(workbook))
    expect(res, EXIT_WRITE, FREE_SPACE)
    assert "No space left on device" in res.output
    assert workbook.read_bytes() == before  # old: every staff cell and tab as it was
    assert not _leftovers(workbook.parent)
    expect(kspo("--source", str(workbook)), EXIT_OK)
    wb = openpyxl.load_workbook(workbook)
    assert set(OWNED) <= set(wb.sheetnames)
    assert _runs([[c.value for c in r] for r in wb[HISTORY].iter_rows()]) == 1


def test_pack_disk_full_exits_4_and_keeps_the_previous_pack(
    workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("kspo_sheets.pack")
    import xlsxwriter

    out = tmp_path / "packs"
    args = ["pack", "--config", str(PHUKET), "--source", str(workbook), "--as-of", AS_OF]
    args += ["--out-dir", str(out), "--force"]
    expect(CliRunner().invoke(cli, args), EXIT_OK)
    (first,) = out.iterdir()
    before = first.read_bytes()

    def close(self: Any) -> None:
        Path(self.filename).write_bytes(b"PK\x03\x04 half a pack")
        _full()

    with monkeypatch.context() as m:
        m.setattr(xlsxwriter.Workbook, "close", close)
        res = CliRunner().invoke(cli, args)
    expect(res, EXIT_WRITE, ("disk space",))
    assert "No space left on device" in res.output
    assert list(out.iterdir()) == [first] and first.read_bytes() == before
    expect(CliRunner().invoke(cli, args), EXIT_OK)
    assert openpyxl.load_workbook(first).sheetnames


def test_sigkill_and_disk_full_leave_the_repository_clean() -> None:
    """The faults above write only under tmp: nothing strays into the checkout."""
    assert not list(ROOT.glob(".*kspo-tmp*")) and not (ROOT / ".kspo-backups").exists()
