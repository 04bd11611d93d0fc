"""The Google read gives every value exactly as typed, whichever way it reads the sheet.

The reference is the read this project made before it read values through the values API:
one spreadsheets.get of grid data with every cell's userEnteredValue, effectiveValue and
number format, each cell turned into a value by ``read.cell_value``. For any cells (text
that looks like a formula, an error or a number; numbers under every number format, dates,
times and durations among them; formulas with each kind of last value; typed error values)
both designs must give what that read gives, and the values design must read again, or
fall back to one call, when the sheet changes under it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import requests
from google_helpers import FAST, calls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kspo_sheets.model import CellError, Formula
from kspo_sheets.standin import StandIn
from kspo_sheets.stores.base import ReadScope
from kspo_sheets.stores.google.read import parse_spreadsheet
from kspo_sheets.stores.google.store import GoogleStore

# What the read asked for before the values design: every cell whole, in one call.
REFERENCE_FIELDS = (
    "sheets(properties(sheetId,title),data(startRow,startColumn,rowData(values("
    "userEnteredValue,effectiveValue,userEnteredFormat(numberFormat(type))))))"
)
TITLES = ("ผู้ผลิต", "หมู่บ้าน", "บันทึก'ของฉัน")
VALUES_READ = "valueRenderOption=FORMULA"  # the values read, not its check

FORMATS = {
    "DATE": ("d/m/yyyy", "yyyy-mm-dd", "d mmm", "d/m/yy"),
    "DATE_TIME": ("d/m/yyyy h:mm:ss",),
    "TIME": ("h:mm:ss am/pm",),
    "DURATION": ("[h]:mm:ss",),
    "NUMBER": ("#,##0", "#,##0.00"),
    "PERCENT": ("0%",),
    "CURRENCY": ("[$฿]#,##0.00",),
    "TEXT": ("@",),
}
TEXTS = st.one_of(
    st.sampled_from(
        [
            "ผู้ผลิต",
            "0812345678",
            "=1+1",
            '=HYPERLINK("https://x.example","เพจ")',
            "'=x",
            "#N/A",
            "#REF!",
            "#hashtag",
            " ",
            "=",
            "#",
            "'",
            "P-0001",
            "10/09/2562",
            "TRUE",
        ]
    ),
    st.text(min_size=1, max_size=6),
)
NUMBERS = st.one_of(
    st.integers(-5, 3_000_000),
    st.sampled_from([0, 1, 2958465, 2958466, 812345678, 1101200001865, 43718, 0.5, 1.25]),
    st.floats(min_value=-1e6, max_value=1e7, allow_nan=False, allow_infinity=False),
)
SERIALS = st.one_of(
    st.integers(-1000, 2958465),
    st.floats(min_value=-1000, max_value=2958465, allow_nan=False),
    st.sampled_from([43718, 43718.75, 0.4375, 1.5, 241_000]),
)
ERRORS = st.sampled_from(["N_A", "REF", "DIVIDE_BY_ZERO", "VALUE", "NAME"])


def _text(t: str) -> dict[str, Any]:
    return {"userEnteredValue": {"stringValue": t}}


def _formatted(kind: str, pattern: str, n: float) -> dict[str, Any]:
    return {
        "userEnteredValue": {"numberValue": n},
        "userEnteredFormat": {"numberFormat": {"type": kind, "pattern": pattern}},
    }


def _formula(effective: dict[str, Any], fmt: str | None) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "userEnteredValue": {"formulaValue": "=VLOOKUP(A2,'หมู่บ้าน'!A:C,3,FALSE)"},
        "effectiveValue": effective,
    }
    if fmt:
        cell["userEnteredFormat"] = {"numberFormat": {"type": fmt, "pattern": "d/m/yyyy"}}
    return cell


EFFECTIVE = st.one_of(
    NUMBERS.map(lambda n: {"numberValue": n}),
    TEXTS.map(lambda t: {"stringValue": t}),
    st.booleans().map(lambda b: {"boolValue": b}),
    ERRORS.map(lambda e: {"errorValue": {"type": e, "message": "x"}}),
)
CELL = st.one_of(
    st.none(),
    TEXTS.map(_text),
    NUMBERS.map(lambda n: {"userEnteredValue": {"numberValue": n}}),
    st.booleans().map(lambda b: {"userEnteredValue": {"boolValue": b}}),
    st.sampled_from(sorted(FORMATS)).flatmap(
        lambda kind: st.builds(
            _formatted,
            st.just(kind),
            st.sampled_from(FORMATS[kind]),
            SERIALS if kind in ("DATE", "DATE_TIME", "TIME", "DURATION") else NUMBERS,
        )
    ),
    st.builds(_formula, EFFECTIVE, st.none()),
    st.builds(_formula, SERIALS.map(lambda n: {"numberValue": n}), st.just("DATE")),
    ERRORS.map(lambda e: {"userEnteredValue": {"errorValue": {"type": e, "message": "x"}}}),
    st.just({"userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "d/m/yyyy"}}}),
    st.just({"note": "staff note only"}),
)
TABS = st.lists(st.lists(CELL, max_size=6), max_size=6)


def trimmed(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows without trailing blanks, and without trailing empty rows (what both reads drop)."""
    out = []
    for line in rows:
        line = list(line)
        while line and line[-1] is None:
            line.pop()
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def reference(standin: StandIn, key: str) -> dict[str, list[list[Any]]]:
    answer = requests.get(
        f"{standin.url}/v4/spreadsheets/{key}",
        params={"includeGridData": "true", "fields": REFERENCE_FIELDS},
        timeout=10,
    )
    answer.raise_for_status()
    snap = parse_spreadsheet(answer.json(), "reference")
    return {t.title: trimmed(t.rows) for t in snap.tabs.values()}


def read(standin: StandIn, key: str, design: str, **kw: Any) -> dict[str, list[list[Any]]]:
    snap = GoogleStore(key, root=standin.url, policy=FAST, design=design, **kw).read()
    return {t.title: trimmed(t.rows) for t in snap.tabs.values()}


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.tuples(TABS, TABS, TABS))
def test_both_designs_read_what_the_whole_grid_shows(
    sheets_standin: StandIn, tabs: tuple[list[list[Any]], ...]
) -> None:
    key = sheets_standin.state.create_spreadsheet("ทะเบียน", dict(zip(TITLES, tabs, strict=True)))
    want = reference(sheets_standin, key)
    for design in ("values", "snapshot"):
        sheets_standin.reset_counts()
        assert read(sheets_standin, key, design) == want, design
        assert ("snapshot" in calls(sheets_standin)) == (design == "snapshot")


def test_the_kinds_of_cell_come_as_the_model_says(sheets_standin: StandIn) -> None:
    """One of each, spelled out: what validation is handed for each kind of cell."""
    row = [
        _text("0812345678"),
        {"userEnteredValue": {"numberValue": 812345678}},
        _formatted("DATE", "d/m/yyyy", 43718),
        _formatted("DATE_TIME", "d/m/yyyy h:mm:ss", 43718.75),
        _formatted("TIME", "h:mm:ss am/pm", 0.4375),
        _formatted("DATE", "d mmm", 43718),
        _formula({"numberValue": 12}, None),
        _formula({"errorValue": {"type": "REF"}}, None),
        {"userEnteredValue": {"errorValue": {"type": "N_A"}}},
        _text('=HYPERLINK("x")'),
        _text("#N/A"),
        {"userEnteredValue": {"boolValue": True}},
    ]
    key = sheets_standin.state.create_spreadsheet("ทะเบียน", {"ผู้ผลิต": [row]})
    formula = "=VLOOKUP(A2,'หมู่บ้าน'!A:C,3,FALSE)"
    expected = [
        "0812345678",
        812345678,
        dt.date(2019, 9, 10),
        dt.date(2019, 9, 10),
        0.4375,
        dt.date(2019, 9, 10),
        Formula(formula, 12),
        Formula(formula, CellError("REF")),
        CellError("N_A"),
        '=HYPERLINK("x")',
        "#N/A",
        True,
    ]
    for design in ("values", "snapshot"):
        assert read(sheets_standin, key, design)["ผู้ผลิต"] == [expected], design


def _sheet(standin: StandIn) -> str:
    return standin.state.create_spreadsheet(
        "ทะเบียน",
        {
            "ผู้ผลิต": [["รหัส", "ไร่", "วันหมดอายุ"], ["P-0001", 5, dt.date(2024, 1, 31)]],
            "หมู่บ้าน": [["รหัส"], ["83020201"]],
        },
    )


def test_a_cell_changed_during_the_read_means_reading_again(sheets_standin: StandIn) -> None:
    key = _sheet(sheets_standin)

    def staff(state: Any) -> None:  # types over the area between the read and its check
        state.set_values(key, "ผู้ผลิต", 1, 1, [[7]])

    sheets_standin.between(staff, after_path=VALUES_READ, before_method="GET")
    got = read(sheets_standin, key, "values")
    assert got["ผู้ผลิต"][1] == ["P-0001", 7, dt.date(2024, 1, 31)]
    assert calls(sheets_standin) == ["meta", "values", "dates"] * 2


def test_a_formula_changed_before_its_check_means_reading_again(sheets_standin: StandIn) -> None:
    key = sheets_standin.state.create_spreadsheet(
        "ทะเบียน", {"ผู้ผลิต": [["รหัส", "ยอด"], ["P-0001", _text("=ข้อความ")]]}
    )

    def staff(state: Any) -> None:  # the text becomes a formula before the cells are checked
        state.set_values(key, "ผู้ผลิต", 1, 1, [[_formula({"numberValue": 3}, None)]])

    sheets_standin.between(staff, after_path=VALUES_READ, before_method="GET")
    got = read(sheets_standin, key, "values")
    assert got["ผู้ผลิต"][1] == ["P-0001", Formula("=VLOOKUP(A2,'หมู่บ้าน'!A:C,3,FALSE)", 3)]
    assert calls(sheets_standin) == ["meta", "values", "cells", "meta", "values", "cells"]


def test_a_sheet_that_keeps_changing_is_read_in_one_call(sheets_standin: StandIn) -> None:
    key = _sheet(sheets_standin)
    edits = iter(range(6, 9))

    def staff(state: Any) -> None:
        n = next(edits, None)
        if n is None:
            return
        state.set_values(key, "ผู้ผลิต", 1, 1, [[n]])
        sheets_standin.between(staff, after_path=VALUES_READ, before_method="GET")

    sheets_standin.between(staff, after_path=VALUES_READ, before_method="GET")
    got = read(sheets_standin, key, "values")
    assert got["ผู้ผลิต"][1] == ["P-0001", 8, dt.date(2024, 1, 31)]
    assert calls(sheets_standin) == ["meta", "values", "dates"] * 3 + ["snapshot"]


def test_a_tab_renamed_during_the_read_means_reading_again(sheets_standin: StandIn) -> None:
    key = _sheet(sheets_standin)

    def staff(state: Any) -> None:
        state.rename_sheet(key, "หมู่บ้าน", "หมู่บ้าน (เก่า)")

    sheets_standin.between(staff, after_path="fields=spreadsheetId", before_method="GET")
    got = read(sheets_standin, key, "values")
    assert got["หมู่บ้าน (เก่า)"] == [["รหัส"], ["83020201"]]
    assert calls(sheets_standin)[:3] == ["meta", "values", "meta"]


@pytest.mark.parametrize("design", ["values", "snapshot"])
def test_only_what_the_run_needs_is_read(sheets_standin: StandIn, design: str) -> None:
    """The registers whole (a tab name with odd spaces still counts), the tool's own tab to
    its first cell, other staff tabs not at all; every sheet is still in the snapshot with
    the ID and grid size the write needs."""
    key = sheets_standin.state.create_spreadsheet(
        "ทะเบียน",
        {
            "ผู้ผลิต ": [["รหัส"], ["P-0001"]],
            "สถานะการตรวจสอบ": [["สร้างโดย kspo-sheets"], ["หัวตาราง"], ["แถว"]],
            "บันทึกการประชุม": [["วาระ", 1], ["เรื่อง", 2]],
        },
    )
    scope = ReadScope(registers=("ผู้ผลิต",), owned=("สถานะการตรวจสอบ",))
    snap = GoogleStore(key, root=sheets_standin.url, policy=FAST, design=design, scope=scope).read()
    assert snap.tabs["ผู้ผลิต "].rows == [["รหัส"], ["P-0001"]]
    assert snap.tabs["สถานะการตรวจสอบ"].rows == [["สร้างโดย kspo-sheets"]]
    other = snap.tabs["บันทึกการประชุม"]
    assert other.rows == [] and other.sheet_id is not None
    assert other.meta["grid"]["rowCount"] >= 2
