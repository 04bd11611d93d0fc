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


# --- writing: owned tabs as new parts, and what the patcher will not touch -------------------


def _plan(title: str = "สถานะการตรวจสอบ", **hints):
    from kspo_sheets.stores.base import OwnedTab, WritePlan

    rows = [["ผู้ผลิต", 5, "=ไม่ใช่สูตร", 1234.5], ["หมู่บ้าน", 7, "ข้อความยาว", 3]]
    tab = OwnedTab(
        "findings", title, ["ทะเบียน", "แถว", "ข้อความ", "ค่า"], rows, widths=[20, 8, 40, 12], **hints
    )
    return WritePlan(owned=[tab], marks=[])


def test_owned_tabs_carry_heights_widths_freeze_filter_and_print_setup(tmp_path):
    from helpers import clean_tabs, write_xlsx

    from kspo_sheets.stores.base import PrintSetup
    from kspo_sheets.stores.xlsx.store import XlsxStore
    from kspo_sheets.thai.wrap import CALIBRI_DIGIT_PT, units_for

    path = write_xlsx(tmp_path / "w.xlsx", *clean_tabs())
    store = XlsxStore(path, backups=0)
    plan = _plan(
        heights={0: 42.5},
        header_height=30,
        wrap={2},
        autofilter=True,
        print_setup=PrintSetup(),
    )
    store.write(store.read(), plan)
    wb = openpyxl.load_workbook(path)
    ws = wb["สถานะการตรวจสอบ"]
    assert ws.freeze_panes == "A3"
    assert ws.row_dimensions[3].height == 42.5 and ws.row_dimensions[2].height == 30
    # widths are points of text (OwnedTab.widths), written in digits of the workbook's
    # default font (Calibri 11 here)
    assert ws.column_dimensions["C"].width == pytest.approx(
        units_for(40, CALIBRI_DIGIT_PT), abs=0.01
    )
    assert ws.auto_filter.ref == "A2:D4"
    assert ws["C3"].alignment.wrap_text and ws["C3"].alignment.vertical == "top"
    assert (ws["C3"].value, ws["C3"].data_type) == ("=ไม่ใช่สูตร", "s")  # text, never a formula
    assert ws["D3"].number_format == "#,##0.0#_)_)"  # room after it: never glued to the next column
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$2"
    assert ws.oddFooter.center.text == "หน้า &P จาก &N"


def test_owned_tabs_default_to_how_they_always_looked(tmp_path):
    from helpers import clean_tabs, write_xlsx

    from kspo_sheets.stores.xlsx.store import XlsxStore

    path = write_xlsx(tmp_path / "w.xlsx", *clean_tabs())
    store = XlsxStore(path, backups=0)
    store.write(store.read(), _plan())
    ws = openpyxl.load_workbook(path)["สถานะการตรวจสอบ"]
    assert ws.freeze_panes == "A3" and not ws.auto_filter.ref and ws.print_title_rows is None
    assert ws["A1"].font.i and ws["A2"].font.b and ws["A2"].alignment.wrap_text
    assert ws["A3"].font.name == "TH Sarabun New" and ws["A3"].font.sz == 14


def test_an_element_the_patcher_does_not_know_where_it_must_write_means_a_sidecar(tmp_path):
    """Detected by what the package holds: here an element no schema version names, right
    where the tool's highlights would go."""
    import zipfile

    from helpers import clean_tabs, phuket, write_xlsx

    from kspo_sheets.pipeline import run_sync

    tabs = {t.title: t for t in clean_tabs()}
    tabs["ผู้ผลิต"].rows[1][5] = "081-234-567"  # a finding to highlight on that sheet
    base = write_xlsx(tmp_path / "base.xlsx", *tabs.values())
    path = tmp_path / "w.xlsx"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":  # ผู้ผลิต
                data = data.replace(
                    b"</sheetData>", b'</sheetData><k:future xmlns:k="urn:example"/>'
                )
            dst.writestr(info, data)
    before = path.read_bytes()
    out = run_sync(phuket(), str(path), as_of=dt.date(2019, 9, 10))
    assert path.read_bytes() == before
    assert out.report.sidecar and "sheet2.xml" in out.report.details[0]
    assert "<future>" in out.report.details[0] and len(out.report.details[0].splitlines()) == 1


def test_a_template_keeps_its_content_type(tmp_path):
    import shutil
    import zipfile

    from helpers import ROOT

    from kspo_sheets.stores.xlsx.store import XlsxStore

    path = tmp_path / "t.xltx"
    shutil.copy(ROOT / "tests/data/xlsx-corpus/poi-test.xltx", path)
    store = XlsxStore(path, backups=0)
    store.write(store.read(), _plan())
    with zipfile.ZipFile(path) as z:
        types = z.read("[Content_Types].xml")
    assert (
        b'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"'
        in types
    )


def test_owned_tabs_link_to_web_addresses_and_only_https(tmp_path):
    from helpers import clean_tabs, write_xlsx

    from kspo_sheets.stores.xlsx.store import XlsxStore

    path = write_xlsx(tmp_path / "w.xlsx", *clean_tabs())
    store = XlsxStore(path, backups=0)
    plan = _plan()
    plan.owned[0].urls = {
        (0, 0): "https://drive.google.com/file/d/abc/view",
        (1, 0): "javascript:alert(1)",
    }
    store.write(store.read(), plan)
    ws = openpyxl.load_workbook(path)["สถานะการตรวจสอบ"]
    assert ws["A3"].hyperlink.target == "https://drive.google.com/file/d/abc/view"
    assert ws["A4"].hyperlink is None
    store.write(store.read(), plan)  # again: the tab's relationships part is rewritten, not grown
    assert openpyxl.load_workbook(path)["สถานะการตรวจสอบ"]["A3"].hyperlink.target.startswith(
        "https://"
    )
