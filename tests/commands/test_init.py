"""`kspo init` lays out a new workbook; a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import PHUKET, phuket
from package_diff import parts, stored, tool_only_changes

from kspo_sheets.cli import cli
from kspo_sheets.commands.init import google_requests
from kspo_sheets.pipeline import run_sync
from kspo_sheets.stores.xlsx.store import read_workbook


def test_init_xlsx_creates_every_tab_with_dropdowns_and_is_idempotent(tmp_path):
    path = tmp_path / "new.xlsx"
    res = CliRunner().invoke(cli, ["init", "--config", str(PHUKET), "--xlsx", str(path)])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [r.tab for r in phuket().registers.values()] + list(
        phuket().owned_tabs.values()
    )
    ws = wb["หมู่บ้าน"]
    assert ws.freeze_panes == "A2"
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert any("เมืองภูเก็ต" in f and "กะทู้" in f and "ถลาง" in f for f in lists.values())
    assert any("ใช่" in f for f in lists.values())
    before = path.read_bytes()
    res = CliRunner().invoke(cli, ["init", "--config", str(PHUKET), "--xlsx", str(path)])
    assert "nothing changed" in res.output
    assert path.read_bytes() == before
    # a provisioned workbook syncs: its status tabs carry the tool's marker
    out = run_sync(phuket(), str(path), as_of=dt.date(2019, 9, 10))
    assert out.report.changed


def test_init_completes_a_workbook_without_touching_staff_tabs(tmp_path):
    path = tmp_path / "partial.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "หมู่บ้าน"
    wb.active["A1"] = "ของเจ้าหน้าที่"
    wb.save(path)
    CliRunner().invoke(cli, ["init", "--config", str(PHUKET), "--xlsx", str(path)])
    wb = openpyxl.load_workbook(path)
    assert wb["หมู่บ้าน"]["A1"].value == "ของเจ้าหน้าที่"
    assert "ผู้ผลิต" in wb.sheetnames


def test_google_init_requests_cover_layout_and_skip_existing_tabs():
    requests, added = google_requests(phuket(), {})
    kinds = [next(iter(r)) for r in requests]
    assert kinds.count("addSheet") == 9
    assert kinds.count("addProtectedRange") == 3
    assert "setDataValidation" in kinds
    font = next(r for r in requests if "repeatCell" in r)["repeatCell"]["cell"]["userEnteredFormat"]
    assert font["textFormat"]["fontFamily"] == "Sarabun"
    every = {t: i for i, t in enumerate(added)}
    again, added2 = google_requests(phuket(), every)
    assert again == [] and added2 == []


def test_init_xlsx_types_ids_and_phones_as_text_in_the_headers_font(tmp_path):
    path = tmp_path / "new.xlsx"
    CliRunner().invoke(cli, ["init", "--config", str(PHUKET), "--xlsx", str(path)])
    wb = openpyxl.load_workbook(path)
    ws = wb["ผู้ผลิต"]
    spec = phuket().registers["producers"]
    for j, col in enumerate(spec.columns, start=1):
        dim = ws.column_dimensions[openpyxl.utils.get_column_letter(j)]
        text_like = col.type in ("id", "village_code", "phone", "national_id", "text", "enum")
        if text_like:
            # typing 0812345678 or 83010101 keeps its leading zero
            assert dim.number_format == "@", col.key
        if col.type in ("number", "money"):
            assert dim.number_format == "General", col.key
        header = ws.cell(row=1, column=j)
        # data cells take the column's font: the header's font and size, not Calibri 11
        font = dim.font if dim.font is not None and dim.font.name else wb._fonts[0]
        assert (font.name, font.sz) == (header.font.name, header.font.sz) == ("TH Sarabun New", 16)
    # a new workbook's default font is the registers' own (cells staff add anywhere)
    assert (wb._fonts[0].name, wb._fonts[0].sz) == ("TH Sarabun New", 16)
    # dropdowns reach the last row of the sheet, not row 1001
    sqrefs = [str(dv.sqref) for dv in ws.data_validations.dataValidation]
    assert sqrefs and all(s.endswith("1048576") for s in sqrefs)
    # wrapped headers break between words, and the header row is tall enough for them
    villages = wb["หมู่บ้าน"]
    headers = [c.value for c in villages[1]]
    assert "วันที่เข้าร่วม\nเครือข่าย" in headers
    lines = max(h.count("\n") + 1 for h in headers)
    assert villages.row_dimensions[1].height >= (lines - 1) * 27.44 + 25.9
    assert villages.sheet_format.defaultRowHeight >= 25.9  # a 16 pt Thai line, marks and all
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"


def test_init_xlsx_headers_with_line_breaks_are_still_found(tmp_path):
    path = tmp_path / "new.xlsx"
    CliRunner().invoke(cli, ["init", "--config", str(PHUKET), "--xlsx", str(path)])
    from kspo_sheets.checks.validate import validate
    from kspo_sheets.stores.xlsx.store import read_workbook

    result = validate(read_workbook(path), phuket(), as_of=dt.date(2019, 9, 10))
    assert not [f for f in result.findings if f.code.startswith(("header.", "register."))]
    assert result.registers["villages"].headers["joined_on"] == "วันที่เข้าร่วม เครือข่าย"


def test_google_init_formats_text_columns_over_ten_thousand_rows():
    requests, _ = google_requests(phuket(), {})
    adds = {
        r["addSheet"]["properties"]["sheetId"]: r["addSheet"]["properties"]
        for r in requests
        if "addSheet" in r
    }
    villages = next(p for p in adds.values() if p["title"] == "หมู่บ้าน")
    sid = villages["sheetId"]
    assert villages["gridProperties"]["rowCount"] >= 10_001
    text = [
        r["repeatCell"]["range"]
        for r in requests
        if "repeatCell" in r
        and r["repeatCell"]["range"].get("sheetId") == sid
        and r["repeatCell"]["cell"]["userEnteredFormat"].get("numberFormat", {}).get("type")
        == "TEXT"
    ]
    phone_col = [c.key for c in phuket().registers["villages"].columns].index("phone")
    assert any(r["startColumnIndex"] == phone_col and r["endRowIndex"] >= 10_001 for r in text)
    rules = [
        r["setDataValidation"]["range"]
        for r in requests
        if "setDataValidation" in r and r["setDataValidation"]["range"]["sheetId"] == sid
    ]
    assert rules and all(r["endRowIndex"] >= 10_001 for r in rules)
    # headers and data cells: one font, one size
    base = next(
        r["repeatCell"]["cell"]["userEnteredFormat"]["textFormat"]
        for r in requests
        if "repeatCell" in r and r["repeatCell"]["range"] == {"sheetId": sid}
    )
    cells = next(
        r["updateCells"]["rows"][0]["values"]
        for r in requests
        if "updateCells" in r and r["updateCells"]["start"]["sheetId"] == sid
    )
    for c in cells:
        tf = c["userEnteredFormat"]["textFormat"]
        assert (tf["fontFamily"], tf["fontSize"]) == (base["fontFamily"], base["fontSize"])
    # the header row is as tall as its wrapped headers
    heights = [
        r["updateDimensionProperties"]
        for r in requests
        if "updateDimensionProperties" in r
        and r["updateDimensionProperties"]["range"]["sheetId"] == sid
        and r["updateDimensionProperties"]["range"]["dimension"] == "ROWS"
    ]
    lines = max(c["userEnteredValue"]["stringValue"].count("\n") + 1 for c in cells)
    assert heights[0]["properties"]["pixelSize"] >= lines * 17


def test_google_init_against_the_stand_in_then_sync(sheets_standin, monkeypatch):
    from google_helpers import store

    from kspo_sheets.commands.init import init_google
    from kspo_sheets.stores.google.http import RetryPolicy

    # the stand-in builds 10,000-row grids in Python: give it time a real Google would not need
    slow = RetryPolicy(base=0.01, cap=0.05, budget=120.0, timeout=120.0)

    key = sheets_standin.state.create_spreadsheet("ใหม่", {"Sheet1": []})
    added = init_google(phuket(), store(sheets_standin, key, policy=slow))
    assert "ผู้ผลิต" in added
    sheet = sheets_standin.state.sheet(key, "ผู้ผลิต")
    assert sheet.row_count >= 10_001
    header = [c["userEnteredValue"]["stringValue"] for c in sheet.rows[0]]
    assert [h.replace("\n", "") for h in header] == [
        c.header.replace(" ", "") if "\n" in h else c.header
        for c, h in zip(phuket().registers["producers"].columns, header, strict=True)
    ]
    assert init_google(phuket(), store(sheets_standin, key, policy=slow)) == []
    out = run_sync(
        phuket(), key, as_of=dt.date(2019, 9, 10), store=store(sheets_standin, key, policy=slow)
    )
    assert out.report.changed
    assert not [f for f in out.result.findings if f.code.startswith(("header.", "register."))]


CORPUS = sorted(
    p
    for p in (Path(__file__).parents[1] / "data" / "xlsx-corpus").iterdir()
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xltx")
)
# Parts whose XML the patcher must edit to add a tab and cannot edit safely here.
INIT_REFUSED = {
    "poi-workbookProtection_workbook_structure_protected.xlsx": "structure is protected",
    "poi-style-alternate-content.xlsx": "AlternateContent",
}


@pytest.mark.parametrize("original", CORPUS, ids=[p.name for p in CORPUS])
def test_init_on_a_workbook_staff_made_adds_tabs_and_loses_nothing(original, tmp_path):
    """Init completes a workbook by patching its package, as a sync does: every part staff
    made is the same stored bytes, the parts it must touch differ only by the new tabs."""
    work = tmp_path / original.name
    shutil.copy(original, work)
    res = CliRunner().invoke(cli, ["init", "--config", str(PHUKET), "--xlsx", str(work)])
    if original.name in INIT_REFUSED:
        assert res.exit_code == 4, res.output
        assert INIT_REFUSED[original.name] in res.output and "left as it is" in res.output
        assert work.read_bytes() == original.read_bytes()
        return
    assert res.exit_code == 0, res.output
    assert tool_only_changes(original, work) == []
    old_names, old = parts(original)
    new = parts(work)[1]
    raw_old, raw_new = stored(original), stored(work)
    touched = {n for n in old_names if new[n] != old[n]}
    assert all(raw_new[n] == raw_old[n] for n in old_names if n not in touched)
    assert {n.lower().rsplit("/", 1)[-1] for n in touched} <= {
        "[content_types].xml",
        "workbook.xml",
        "workbook.xml.rels",
        "styles.xml",
    }
    with zipfile.ZipFile(work) as z:
        assert z.testzip() is None
    snapshot = read_workbook(work)
    for spec in phuket().registers.values():
        header = [h.replace("\n", " ") for h in snapshot.tabs[spec.tab].rows[0]]
        assert header == [c.header for c in spec.columns] or all(
            h.replace(" ", "") == c.header.replace(" ", "")
            for h, c in zip(header, spec.columns, strict=True)
        )
    for title in phuket().owned_tabs.values():
        assert snapshot.tabs[title].rows[0][0].startswith("สร้างโดย kspo-sheets")
    before = work.read_bytes()
    res = CliRunner().invoke(cli, ["init", "--config", str(PHUKET), "--xlsx", str(work)])
    assert res.exit_code == 0 and "nothing changed" in res.output
    assert work.read_bytes() == before


def test_init_through_a_link_writes_the_real_file(tmp_path):
    real = tmp_path / "real.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "ของเจ้าหน้าที่"
    wb.save(real)
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    res = CliRunner().invoke(cli, ["init", "--config", str(PHUKET), "--xlsx", str(link)])
    assert res.exit_code == 0, res.output
    assert link.is_symlink() and "ผู้ผลิต" in openpyxl.load_workbook(real).sheetnames


def test_init_never_lists_a_dropdown_excel_would_refuse(tmp_path):
    """Excel drops every rule of a sheet whose typed list passes 255 characters: such a
    column gets no dropdown, and init says so."""
    from kspo_sheets.stores.xlsx.blank import list_formula

    assert list_formula(["ใช่", "ไม่ใช่"]) == '"ใช่,ไม่ใช่"'
    assert list_formula(["ก" * 100, "ข" * 100, "ค" * 60]) is None
    assert list_formula(["a,b"]) is None
