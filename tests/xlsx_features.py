"""A registers workbook with what staff workbooks hold besides values, written with XlsxWriter.

The six registers are the sample's (kspo_sheets.commands.sample), cell for cell, with:
- the villages' network column computed by formulas, each with the value Excel stored;
- on the producers tab: a form button, a note pinned visible, resized and coloured, a
  dropdown list that points at another tab, "ignore error" settings, sparklines, a text box;
- on a tab of staff's own: a dynamic-array formula (a UNIQUE spill), checkbox cells and
  Excel 2010 data bars;
- optionally a macro project (.xlsm), taken from XlsxWriter's own test files.
XlsxWriter writes these the way Excel does (its test suite compares it with Excel's files).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import xlsxwriter

from kspo_sheets.commands.sample import build_sample
from kspo_sheets.model import Formula
from kspo_sheets.stores.xlsx.store import read_workbook

ROOT = Path(__file__).resolve().parents[1]
MACROS = ROOT / "tests" / "data" / "xlsx-corpus" / "xw-macro01.xlsm"
VISIBLE_NOTE = "โทรยืนยันราคาวันจันทร์"  # the staff note pinned visible on ผู้ผลิต!C5


def build(path: Path, *, macros: bool = False) -> Path:
    """Write the workbook to `path` (.xlsx, or .xlsm with `macros`)."""
    sample = path.with_name(f"{path.stem}-sample.xlsx")
    build_sample(sample)
    tabs = read_workbook(sample).tabs
    sample.unlink()
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_calc_mode("manual")  # keep the stored values as they are when Excel opens it
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    for title, tab in tabs.items():
        ws = wb.add_worksheet(title)
        for r, row in enumerate(tab.rows):
            for c, v in enumerate(row):
                _put(ws, r, c, v, date)
        if title == "หมู่บ้าน":
            _network_formulas(ws, tab.rows)
        if title == "ผู้ผลิต":
            _producer_extras(wb, ws, len(tab.rows))
    _own_tab(wb)
    if macros:
        with zipfile.ZipFile(MACROS) as z:
            vba = path.with_name("vbaProject.bin")
            vba.write_bytes(z.read("xl/vbaProject.bin"))
        wb.add_vba_project(str(vba))
    wb.close()
    return path


def _put(ws: Any, r: int, c: int, v: Any, date: Any) -> None:
    if v is None:
        return
    if isinstance(v, str):
        ws.write_string(r, c, v)
    elif isinstance(v, (dt.date, dt.datetime)):
        ws.write_datetime(r, c, v, date)
    elif isinstance(v, Formula):
        ws.write_formula(r, c, v.text, None, v.cached)
    else:
        ws.write(r, c, v)


def _network_formulas(ws: Any, rows: list[list[Any]]) -> None:
    """เครือข่ายอาหารปลอดภัย (column G) as staff compute it: yes when there is a join date."""
    for r, row in enumerate(rows):
        if r < 3 or len(row) < 7 or row[6] is None:
            continue
        ws.write_formula(r, 6, f'=IF(H{r + 1}<>"","ใช่","ไม่ใช่")', None, row[6])


def _producer_extras(wb: Any, ws: Any, nrows: int) -> None:
    ws.write_comment(
        "C5",
        VISIBLE_NOTE,
        {"author": "สมศรี", "visible": True, "x_scale": 2, "y_scale": 1.5, "color": "#ccffcc"},
    )
    ws.insert_button("P3", {"macro": "say_hello", "caption": "ส่งรายงาน", "width": 100})
    ws.data_validation(
        f"G4:G{nrows}",
        {"validate": "list", "source": "='ค่าที่เลือกได้'!$A$1:$A$7", "ignore_blank": True},
    )
    ws.ignore_errors({"number_stored_as_text": f"A1:M{nrows}"})
    for r in range(3, 8):
        ws.write_number(r, 16, r * 3)
        ws.write_number(r, 17, r * 5)
        ws.add_sparkline(r, 18, {"range": f"'ผู้ผลิต'!Q{r + 1}:R{r + 1}", "markers": True})
    ws.insert_textbox("P10", "สรุปการตรวจประจำเดือน", {"width": 240, "height": 60})


def _own_tab(wb: Any) -> None:
    ws = wb.add_worksheet("ค่าที่เลือกได้")
    for i, v in enumerate(("พืชผัก", "ผลไม้", "ประมง", "ปศุสัตว์", "ข้าว", "อื่นๆ", "พืชผัก")):
        ws.write_string(i, 0, v)
    ws.write_dynamic_array_formula("C1:C6", "=_xlfn.UNIQUE(A1:A7)", None, "พืชผัก")
    for i in range(5):
        ws.insert_checkbox(i, 4, i % 2 == 0)
        ws.write_number(i, 6, (i + 1) * 10)
    ws.conditional_format("G1:G5", {"type": "data_bar", "data_bar_2010": True})
