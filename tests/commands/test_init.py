"""`kspo init` lays out a new workbook; a second run changes nothing."""

from __future__ import annotations

import datetime as dt

import openpyxl
from click.testing import CliRunner
from helpers import PHUKET, phuket

from kspo_sheets.cli import cli
from kspo_sheets.commands.init import google_requests
from kspo_sheets.pipeline import run_sync


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
