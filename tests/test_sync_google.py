"""The Google store against the project's Sheets API stand-in, over real HTTP."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from google_helpers import FAST, calls, seed, store, tool_notes, user_values
from helpers import phuket

from kspo_sheets.commands.sample import build_sample
from kspo_sheets.errors import EXIT_REMOTE, OwnedTabError, RemoteError
from kspo_sheets.model import RawTab, Snapshot
from kspo_sheets.pipeline import run_sync, run_validation
from kspo_sheets.stores.google.http import RetryPolicy
from kspo_sheets.stores.google.store import GoogleStore
from kspo_sheets.stores.sources import read_scope
from kspo_sheets.stores.xlsx.store import read_workbook

AS_OF = dt.date(2019, 9, 10)
OWNED = ["สถานะการตรวจสอบ", "สรุปความก้าวหน้า", "ประวัติการซิงก์"]
# How the sample is read (stores/google/reader.py): the sheets, then every value in one
# call; it has numbers and date cells (so a check of which are dates), and text typed with
# a leading "=" (so a look at those cells' grid data).
SAMPLE_READ = ["meta", "values", "dates", "cells"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, Snapshot]:
    path = tmp_path_factory.mktemp("g") / "sample.xlsx"
    build_sample(path)
    return path, read_workbook(path)


def key_of(f):
    return (f.register, f.row, f.row_id, f.column_key, f.code)


def sync(standin, key, **kw):
    return run_sync(phuket(), None, as_of=AS_OF, store=store(standin, key), **kw)


def staff_titles(snapshot: Snapshot) -> list[str]:
    return list(snapshot.tabs)


def test_same_findings_as_the_workbook_store(sheets_standin, sample):
    path, snap = sample
    key = seed(sheets_standin, snap)
    local, _ = run_validation(phuket(), str(path), as_of=AS_OF)
    remote, _ = run_validation(phuket(), None, as_of=AS_OF, store=store(sheets_standin, key))
    assert [key_of(f) for f in remote.findings] == [key_of(f) for f in local.findings]
    assert calls(sheets_standin) == SAMPLE_READ


def test_sync_writes_owned_tabs_in_one_call_and_never_touches_staff_values(sheets_standin, sample):
    _, snap = sample
    key = seed(sheets_standin, snap)
    before = user_values(sheets_standin, key, staff_titles(snap))
    result, _ = run_validation(phuket(), None, as_of=AS_OF, store=store(sheets_standin, key))
    sheets_standin.reset_counts()
    sync(sheets_standin, key)
    assert calls(sheets_standin) == [*SAMPLE_READ, "notes", "write"]
    assert {r.status for r in sheets_standin.requests} == {200}
    assert user_values(sheets_standin, key, staff_titles(snap)) == before
    rows = sheets_standin.state.values(key, "สถานะการตรวจสอบ")
    assert "kspo-sheets" in rows[0][0]
    assert [(r[0], r[2], r[7]) for r in rows[2:]] == [
        (f.tab, f.row_id, f.code) for f in result.findings
    ]
    # links are the tool's own formulas; everything staff typed went in as text
    link = sheets_standin.state.cell(key, "สถานะการตรวจสอบ", 2, 4)
    assert link["userEnteredValue"]["formulaValue"].startswith('=HYPERLINK("#gid=')
    value = sheets_standin.state.cell(key, "สถานะการตรวจสอบ", 2, 5)
    assert (
        value["userEnteredValue"]
        == {"stringValue": '=HYPERLINK("https://www.facebook.com/bangtao.otop","เพจชุมชน")'}
        or "stringValue" in value["userEnteredValue"]
    )
    for r, line in enumerate(sheets_standin.state.sheet(key, "สถานะการตรวจสอบ").rows):
        for c, cell in enumerate(line):
            if cell and "formulaValue" in cell.get("userEnteredValue", {}):
                assert c == 4 and r >= 2, (r, c)


def test_second_sync_changes_nothing_but_history(sheets_standin, sample):
    _, snap = sample
    key = seed(sheets_standin, snap)
    sync(sheets_standin, key)
    export1 = sheets_standin.state.export(key)
    sync(sheets_standin, key)
    export2 = sheets_standin.state.export(key)

    def strip(doc):
        return [s for s in doc["sheets"] if s["properties"]["title"] != "ประวัติการซิงก์"]

    assert json.dumps(strip(export1), sort_keys=True) == json.dumps(strip(export2), sort_keys=True)
    assert len(sheets_standin.state.values(key, "ประวัติการซิงก์")) == 4


def test_highlights_are_anchored_on_row_ids_and_notes_name_the_row(sheets_standin, sample):
    _, snap = sample
    key = seed(sheets_standin, snap)
    out = sync(sheets_standin, key)
    f = next(f for f in out.result.findings if f.code == "national_id.checksum")
    sheet = sheets_standin.state.sheet(key, f.tab)
    formulas = [
        v["userEnteredValue"]
        for rule in sheet.conditional_formats
        for v in rule["booleanRule"]["condition"]["values"]
    ]
    assert any(f'"{f.row_id}"' in x and "kspo-sheets" in x for x in formulas)
    notes = tool_notes(sheets_standin, key, f.tab)
    assert any(
        f.message_th in n and n.startswith(f"[kspo-sheets] {f.row_id}") for n in notes.values()
    )


def _id_col(standin, key, title):
    return [
        ((line[0] or {}).get("userEnteredValue") or {}).get("stringValue") if line else None
        for line in standin.state.sheet(key, title).rows
    ]


@pytest.mark.parametrize("edit", ["insert", "delete", "sort"])
def test_staff_edit_between_read_and_write(sheets_standin, sample, edit):
    _, snap = sample
    key = seed(sheets_standin, snap)
    title = "ผู้ผลิต"

    def staff(state):
        if edit == "insert":
            state.insert_rows(
                key, title, 3, 2, values=[["P-0900", "83030301", "แถวใหม่"], ["P-0901"]]
            )
        elif edit == "delete":
            state.delete_rows(key, title, 4, 1)
        else:
            state.sort_rows(key, title, 3, 2, descending=True)

    sheets_standin.between(staff, after_path="spreadsheets/", before_method="POST")
    out = sync(sheets_standin, key)
    ids = _id_col(sheets_standin, key, title)
    notes = tool_notes(sheets_standin, key, title)
    assert notes
    for (r, _c), text in notes.items():
        meant = text.splitlines()[0].removeprefix("[kspo-sheets]").strip()
        assert ids[r] == meant, (r, meant, ids[r])
    expected = {
        (f.row_id, f.column) for f in out.result.findings if f.tab == title and f.cell and f.row_id
    }
    if edit == "delete":
        gone = snap.tabs[title].rows[4][0]
        expected = {e for e in expected if e[0] != gone}
    landed = {
        (text.splitlines()[0].removeprefix("[kspo-sheets]").strip()) for text in notes.values()
    }
    assert {e[0] for e in expected} <= landed
    # the read, the write, and the one correction
    assert calls(sheets_standin) == [*SAMPLE_READ, "notes", "write", "write"]


def wide_id_config(tmp_path: Path):
    """The default contract with room for a million IDs, for registers of 100,000 rows."""
    import shutil

    from helpers import ROOT

    from kspo_sheets.config.province import load_config

    for f in (ROOT / "configs").glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    contract = tmp_path / "registers.yaml"
    text = (
        contract.read_text(encoding="utf-8")
        .replace("'^P-\\d{4}$'", "'^P-\\d{4,6}$'")
        .replace("'^B-\\d{3}$'", "'^B-\\d{3,6}$'")
    )
    contract.write_text(text, encoding="utf-8")
    return load_config(tmp_path / "phuket.yaml")


@pytest.mark.parametrize(("tabs", "rows"), [(1, 10), (6, 10), (20, 10), (6, 100_000)])
def test_four_http_calls_per_sync_whatever_the_size(sheets_standin, tabs, rows, tmp_path):
    """Text only (no formulas, numbers or dates to check): the sheets, the values, the notes
    and the write. Other staff tabs are not read (the store as the CLI opens it)."""
    config = wide_id_config(tmp_path)
    registers = list(config.registers.values())[: min(tabs, 6)]
    snapshot_tabs = {}
    for spec in registers:
        header = [c.header for c in spec.columns]
        body: list[list[object]] = []
        if spec.key == "villages":
            body = [["83020201", "บ้านป่าตอง", "1", "ป่าตอง", "กะทู้", "ใช่", "ไม่ใช่"]]
        elif spec.key == "buyers":
            body = [[f"B-{i % 1000:03d}", f"ผู้ซื้อ {i}", "โรงแรม", "กะทู้"] for i in range(rows)]
        elif spec.key == "producers":
            body = [
                [f"P-{i % 10000:04d}", "83020201", f"กลุ่ม {i}", "กลุ่มเกษตรกร"] for i in range(rows)
            ]
        snapshot_tabs[spec.tab] = RawTab(spec.tab, [header, *body])
    key = seed(sheets_standin, Snapshot("mem", snapshot_tabs), extra_tabs=max(0, tabs - 6))
    sheets_standin.reset_counts()
    patient = RetryPolicy(base=0.01, cap=0.05, budget=600, timeout=600)
    scoped = store(sheets_standin, key, policy=patient, scope=read_scope(config))
    run_sync(config, None, as_of=AS_OF, store=scoped)
    assert calls(sheets_standin) == ["meta", "values", "notes", "write"]


def test_a_staff_tab_with_an_owned_name_is_refused(sheets_standin, sample):
    _, snap = sample
    tabs = dict(snap.tabs)
    tabs["สรุปความก้าวหน้า"] = RawTab("สรุปความก้าวหน้า", [["สรุปของเจ้าหน้าที่"]])
    key = seed(sheets_standin, Snapshot("mem", tabs))
    before = sheets_standin.state.export(key)
    with pytest.raises(OwnedTabError):
        sync(sheets_standin, key)
    assert sheets_standin.state.export(key) == before
    assert sheets_standin.count(method="POST") == 0


def test_retries_429_with_retry_after_then_succeeds(sheets_standin, sample):
    _, snap = sample
    key = seed(sheets_standin, snap)
    sheets_standin.fail(429, retry_after=0.2, times=2, method="GET")
    sheets_standin.fail(503, times=1, method="POST")
    waits = []
    s = GoogleStore(key, root=sheets_standin.url, policy=FAST, sleep=waits.append)
    run_sync(phuket(), None, as_of=AS_OF, store=s)
    assert waits[0] >= 0.2 and waits[1] >= 0.2  # Retry-After honoured
    assert "สถานะการตรวจสอบ" in [t.title for t in sheets_standin.state.get(key).sheets]


def test_gives_up_after_the_budget_with_its_own_exit_code(sheets_standin, sample):
    _, snap = sample
    key = seed(sheets_standin, snap)
    sheets_standin.fail(429, retry_after=0.5, times=100)
    with pytest.raises(RemoteError, match="gave up") as err:
        sync(sheets_standin, key)
    assert err.value.exit_code == EXIT_REMOTE


def test_a_failed_write_applies_nothing(sheets_standin, sample):
    _, snap = sample
    key = seed(sheets_standin, snap)
    before = sheets_standin.state.export(key)
    sheets_standin.fail(500, times=100, method="POST")
    with pytest.raises(RemoteError):
        sync(sheets_standin, key)
    assert sheets_standin.state.export(key) == before


@pytest.mark.parametrize("fault", ["slow", "drop", "malformed"])
def test_read_faults_are_retried(sheets_standin, sample, fault):
    _, snap = sample
    key = seed(sheets_standin, snap)
    if fault == "slow":
        sheets_standin.slow(5, method="GET")  # longer than the 2.5 s request timeout below
    else:
        getattr(sheets_standin, fault)(method="GET")
    policy = RetryPolicy(base=0.01, cap=0.05, budget=30, timeout=2.5)
    run_sync(phuket(), None, as_of=AS_OF, store=store(sheets_standin, key, policy=policy))
    assert "สถานะการตรวจสอบ" in [t.title for t in sheets_standin.state.get(key).sheets]


def test_no_real_token_reaches_a_non_google_root(sheets_standin, sample, tmp_path):
    _, snap = sample
    key = seed(sheets_standin, snap)
    cred = tmp_path / "key.json"
    cred.write_text(
        json.dumps(
            {
                "type": "service_account",
                "client_email": "kspo@example.iam.gserviceaccount.com",
                "private_key": "x",
                "token_uri": "https://oauth2.googleapis.com/token",
            }
        )
    )
    os.chmod(cred, 0o600)
    s = GoogleStore(key, root=sheets_standin.url, credentials=str(cred), policy=FAST)
    run_sync(phuket(), None, as_of=AS_OF, store=s)
    assert sheets_standin.requests and not any(r.authorization for r in sheets_standin.requests)


def test_fixed_finding_loses_its_mark_and_staff_notes_and_colours_stay(sheets_standin, sample):
    _, snap = sample
    key = seed(sheets_standin, snap)
    out = sync(sheets_standin, key)
    f = next(
        f for f in out.result.findings if f.code == "phone.invalid" and f.register == "producers"
    )
    r, c = f.row - 1, out.result.registers["producers"].columns["phone"]
    assert (r, c) in tool_notes(sheets_standin, key, f.tab)
    # a staff note and a staff colour elsewhere on the same tab
    sheets_standin.state.set_note(key, f.tab, r + 1, c, "โทรกลับหลังเที่ยง")
    sheet = sheets_standin.state.sheet(key, f.tab)
    staff_cell = sheet.cell_for_write(r + 1, 2)
    staff_cell["userEnteredFormat"] = {"backgroundColor": {"red": 1, "green": 1, "blue": 0}}
    sheets_standin.state.set_values(
        key, f.tab, r, c, [[{"userEnteredValue": {"stringValue": "0812345678"}}]]
    )
    sync(sheets_standin, key)
    assert (r, c) not in tool_notes(sheets_standin, key, f.tab)
    on_phone_column = [
        v["userEnteredValue"]
        for rule in sheets_standin.state.sheet(key, f.tab).conditional_formats
        if rule["ranges"][0]["startColumnIndex"] == c
        for v in rule["booleanRule"]["condition"]["values"]
    ]
    assert not any(f'"{f.row_id}"' in x for x in on_phone_column)
    assert sheets_standin.state.cell(key, f.tab, r + 1, c)["note"] == "โทรกลับหลังเที่ยง"
    assert (
        sheets_standin.state.cell(key, f.tab, r + 1, 2)["userEnteredFormat"]["backgroundColor"][
            "blue"
        ]
        == 0
    )


def _grid_cells(standin, key):
    return standin.state.get(key).cell_count()


def test_the_findings_list_is_shortened_to_stay_within_googles_cell_limit(
    sheets_standin, sample, monkeypatch
):
    """Every grid cell counts against Google's limit: when the status tabs would take the
    spreadsheet past it, the findings list is cut short and says so; the write goes through."""
    import kspo_sheets.stores.google.batch as gr

    _, snap = sample
    key = seed(sheets_standin, snap)
    result, _ = run_validation(phuket(), None, as_of=AS_OF, store=store(sheets_standin, key))
    staff = user_values(sheets_standin, key, staff_titles(snap))
    # the findings tab's first 20 or so rows, the progress tab (about 63 rows of 11 cells:
    # why rows were left out and items achieved) and the history tab
    room = 20 * 12 + 600
    limit = _grid_cells(sheets_standin, key) + room
    monkeypatch.setattr(gr, "CELL_LIMIT", limit)
    sheets_standin.state.cell_limit = limit
    outcome = sync(sheets_standin, key)
    assert _grid_cells(sheets_standin, key) <= limit
    rows = sheets_standin.state.values(key, "สถานะการตรวจสอบ")
    shown = rows[2:-1]
    assert 0 < len(shown) < len(result.findings)
    assert [(r[0], r[2], r[7]) for r in shown] == [
        (f.tab, f.row_id, f.code) for f in result.findings[: len(shown)]
    ]
    assert f"อีก {len(result.findings) - len(shown):,} รายการไม่ได้แสดง" in rows[-1][0]
    assert any("left out to stay within Google's" in d for d in outcome.report.details)
    assert user_values(sheets_standin, key, staff_titles(snap)) == staff


def test_no_room_for_the_status_tabs_is_a_clear_error_and_nothing_is_written(
    sheets_standin, sample, monkeypatch
):
    import kspo_sheets.stores.google.batch as gr
    from kspo_sheets.errors import WriteError

    _, snap = sample
    key = seed(sheets_standin, snap)
    limit = _grid_cells(sheets_standin, key) + 10
    monkeypatch.setattr(gr, "CELL_LIMIT", limit)
    before = [s.title for s in sheets_standin.state.get(key).sheets]
    sheets_standin.reset_counts()
    with pytest.raises(WriteError, match="limit") as err:
        sync(sheets_standin, key)
    assert "empty rows and columns" in err.value.hint
    assert {r.method for r in sheets_standin.requests} == {"GET"}  # read, never written
    assert [s.title for s in sheets_standin.state.get(key).sheets] == before


def test_the_findings_list_is_shortened_to_fit_googles_payload_limit(
    sheets_standin, sample, monkeypatch
):
    """Google refuses a request body over 10 MiB; the write stays under it by cutting the
    findings list short (lowered here to a few kilobytes), still in one call."""
    import kspo_sheets.stores.google.batch as gr

    _, snap = sample
    key = seed(sheets_standin, snap)
    result, _ = run_validation(phuket(), None, as_of=AS_OF, store=store(sheets_standin, key))
    full = run_sync(
        phuket(), None, as_of=AS_OF, store=store(sheets_standin, key), dry_run=True
    ).plan
    whole = len(gr.build_batch(store(sheets_standin, key).read(), full)[1])
    budget = whole - 4000
    monkeypatch.setattr(gr, "PAYLOAD_BUDGET", budget)
    sheets_standin.state.payload_limit = budget
    sheets_standin.reset_counts()
    outcome = sync(sheets_standin, key)
    posts = [r for r in sheets_standin.requests if r.method == "POST"]
    assert len(posts) == 1 and posts[0].body_size <= budget
    rows = sheets_standin.state.values(key, "สถานะการตรวจสอบ")
    shown = rows[2:-1]
    assert 0 < len(shown) < len(result.findings)
    assert f"อีก {len(result.findings) - len(shown):,} รายการไม่ได้แสดง" in rows[-1][0]
    assert "10 MB" in rows[-1][0]
    assert any("10 MB limit on one request" in d for d in outcome.report.details)


def test_the_standin_refuses_a_body_over_the_payload_limit(sheets_standin, sample, monkeypatch):
    """Without the cut the same write is refused by the stand-in as Google refuses it."""
    import kspo_sheets.stores.google.batch as gr
    from kspo_sheets.errors import WriteError

    _, snap = sample
    key = seed(sheets_standin, snap)
    sheets_standin.state.payload_limit = 5000
    monkeypatch.setattr(gr, "PAYLOAD_BUDGET", 10**9)
    with pytest.raises(WriteError, match="Request payload size exceeds the limit: 5000 bytes"):
        sync(sheets_standin, key)
