"""Reading staff workbooks: merged cells, formulas, error values, odd files."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from helpers import VILLAGE, headers, phuket, row

from kspo_sheets.checks.validate import validate
from kspo_sheets.errors import SourceError
from kspo_sheets.model import CellError, Formula
from kspo_sheets.stores.xlsx.store import read_workbook


def test_vertically_merged_cells_read_as_their_top_left_value(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "หมู่บ้าน"
    ws.append(headers("villages"))
    for i in (1, 2, 3):
        ws.append(row("villages", **{**VILLAGE, "village_id": f"8302020{i}", "moo": str(i)}))
    ws.merge_cells("E2:E4")  # อำเภอ typed once for three villages
    wb.save(tmp_path / "m.xlsx")
    snap = read_workbook(tmp_path / "m.xlsx")
    assert [r[4] for r in snap.tabs["หมู่บ้าน"].rows[1:]] == ["กะทู้"] * 3
    result = validate(snap, phuket(), as_of=dt.date(2019, 9, 10), registers=["villages"])
    assert result.findings == []


def test_formulas_and_error_values_are_kept_as_such(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "=1+1"
    ws["B1"] = "#REF!"
    ws["B1"].data_type = "e"
    ws["C1"] = "=HYPERLINK(1)"
    ws["C1"].data_type = "s"  # text that looks like a formula stays text
    ws["D1"] = dt.date(2019, 9, 10)
    wb.save(tmp_path / "f.xlsx")
    cells = read_workbook(tmp_path / "f.xlsx").tabs["Sheet"].rows[0]
    assert cells[0] == Formula("=1+1", None)
    assert cells[1] == CellError("#REF!")
    assert cells[2] == "=HYPERLINK(1)"
    assert cells[3] == dt.datetime(2019, 9, 10)


@pytest.mark.parametrize(
    ("name", "content"),
    [("x.xls", b"\xd0\xcf\x11\xe0"), ("x.xlsx", b"PK\x03\x04broken"), ("x.csv", b"a,b")],
)
def test_unreadable_files_say_what_to_do(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as err:
        read_workbook(path)
    assert err.value.hint
