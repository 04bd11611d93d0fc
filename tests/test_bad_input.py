"""Whatever is in the cells, the tool answers with findings, never with a crash.

Random cells of every type through the whole validator; cells at and past Google's
50,000-character limit through validate and both syncs; a 100,000-row register; broken
headers, missing registers, empty sources; formula and error cells; control characters
and lone surrogates on their way to the status tab; configs with wrong types.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import pytest
from click.testing import CliRunner, Result
from google_helpers import seed, store, user_values
from helpers import (
    PHUKET,
    PRODUCER,
    ROOT,
    VILLAGE,
    clean_tabs,
    headers,
    phuket,
    row,
    snapshot,
    tab,
    write_xlsx,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kspo_sheets.checks.report import format_csv, format_json, format_table
from kspo_sheets.checks.validate import validate
from kspo_sheets.cli import cli
from kspo_sheets.codes import CODES
from kspo_sheets.errors import EXIT_CONFIG, EXIT_FINDINGS, EXIT_OK, EXIT_SOURCE
from kspo_sheets.model import CellError, Formula, RawTab, Snapshot
from kspo_sheets.pipeline import run_sync
from kspo_sheets.progress.indicators import compute
from kspo_sheets.standin import StandIn
from kspo_sheets.status.tabs import build_plan, history_row
from kspo_sheets.stores.google.cells import cell_data
from kspo_sheets.stores.google.store import GoogleStore
from kspo_sheets.stores.xlsx.store import XlsxStore, read_workbook
from kspo_sheets.thai.gazetteer import Gazetteer

AS_OF = dt.date(2019, 9, 10)
FINDINGS, PROGRESS, HISTORY = "สถานะการตรวจสอบ", "สรุปความก้าวหน้า", "ประวัติการซิงก์"
OWNED = (FINDINGS, PROGRESS, HISTORY)
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def kspo(*args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--as-of", AS_OF.isoformat()])


def codes(result: Any) -> set[str]:
    return {f.code for f in result.findings}


# --- random cells, every type, every register ---------------------------------------------

GAZETTEER = Gazetteer(phuket().province_code)
NASTY = ["\x00", "\x01", "\x1f", "\x7f", "\ud800", "\udfff", "\ufffe", "\u200b", "\xa0", "\n"]
NASTY += ["๒๕๖๒", "=", "+", "-", "@", "'", '"', "%", "ฯ", "\u0e31", " "]
TYPED = [  # shapes staff really type, so random cells reach deep into each parser
    *("1-1012-00001-86-6", "1101200001866", "1101200001865", "081-234-5678", "812345678"),
    *("+66 81 234 5678", "31/02/2562", "29/02/2561", "1 ก.ค. 62", "2019-09-10", "3105"),
    *("2562", "P-0001", "p 1", "B-001", "L-0001", "83020201", "83029999", "ป่าตอง"),
    *("กะทู้", "ใช่", "ไม่", "5-2-30", "1,200", "฿2,500.50", "-5", "ส่งประจำ", "โรงพยาบาล"),
    *("เกษตร", "GAP", "บุคคล", "#REF!", "=1+1"),
]
TEXT = st.one_of(
    st.sampled_from(TYPED),
    st.lists(st.one_of(st.characters(), st.sampled_from(NASTY)), max_size=12).map("".join),
)
CELL = st.one_of(
    TEXT,
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),  # nan and ±inf included
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.builds(Formula, TEXT, st.one_of(st.none(), st.integers(), TEXT, st.just(CellError("#N/A")))),
    st.sampled_from([CellError("#REF!"), CellError("#N/A"), CellError("#DIV/0!")]),
)
SPECS = list(phuket().registers.values())
ROWS = st.tuples(
    *[
        st.lists(st.lists(CELL, min_size=len(s.columns), max_size=len(s.columns)), max_size=4)
        for s in SPECS
    ]
)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(ROWS)
def test_random_cells_in_every_register_give_findings_never_exceptions(
    rows: tuple[list[list[Any]], ...],
) -> None:
    config = phuket()
    tabs = {s.tab: RawTab(s.tab, [headers(s.key), *r]) for s, r in zip(SPECS, rows, strict=True)}
    result = validate(Snapshot("memory", tabs), config, as_of=AS_OF, gazetteer=GAZETTEER)
    assert {f.code for f in result.findings} <= set(CODES)
    # and on through everything that turns findings into output
    progress = compute(config, result)
    history = history_row(config, result, progress, source="memory", outcome="ok")
    build_plan(config, result, progress, history=history)
    json.loads(format_json(result, config))
    format_table(result, config, "en")
    format_csv(result)


# --- cells at and past Google's 50,000-character limit -------------------------------------


def _long_cells(n: int) -> Snapshot:
    """A village note (free text) and a phone (parsed) of n characters each."""
    tabs = {t.title: t for t in clean_tabs()}
    village = {**VILLAGE, "note": "ก" * n, "phone": "0" * n}
    tabs["หมู่บ้าน"] = tab("villages", row("villages", **village))
    return snapshot(*tabs.values())


@pytest.mark.parametrize(("n", "too_long"), [(50_000, False), (60_000, True)])
def test_a_cell_of_50000_characters_is_fine_and_60000_is_too_long(n: int, too_long: bool) -> None:
    result = validate(_long_cells(n), phuket(), as_of=AS_OF, gazetteer=GAZETTEER)
    long = [f for f in result.findings if f.code == "text.too_long"]
    assert [f.column_key for f in long] == (["phone", "note"] if too_long else [])
    assert all(len(f.value) <= 201 for f in result.findings)  # shown cut short, not whole


@pytest.mark.parametrize("n", [50_000, 60_000])
def test_huge_cells_through_an_xlsx_sync(tmp_path: Path, n: int) -> None:
    path = write_xlsx(tmp_path / "long.xlsx", *_long_cells(n).tabs.values())
    wb = openpyxl.load_workbook(path)
    for c in wb["หมู่บ้าน"][2]:  # openpyxl cuts text at Excel's 32,767 on assignment
        if isinstance(c.value, str) and len(c.value) == 32_767:
            c._value = c.value[0] * n
    wb.save(path)
    res = kspo("sync", "--config", str(PHUKET), "--source", str(path))
    assert res.exit_code == EXIT_OK, res.output
    wb = openpyxl.load_workbook(path)
    note_col = headers("villages").index("หมายเหตุ") + 1
    assert wb["หมู่บ้าน"].cell(row=2, column=note_col).value == "ก" * n  # kept whole
    status = [r for r in wb[FINDINGS].iter_rows(min_row=3, values_only=True)]
    assert ("text.too_long" in {r[7] for r in status}) == (n > 50_000)
    assert all(len(str(v)) <= 50_000 for r in status for v in r if v is not None)


@pytest.mark.parametrize("n", [50_000, 60_000])
def test_huge_cells_through_a_google_sync(sheets_standin: StandIn, n: int) -> None:
    snap = _long_cells(n)
    key = seed(sheets_standin, snap)
    before = user_values(sheets_standin, key, list(snap.tabs))
    out = run_sync(phuket(), None, as_of=AS_OF, store=store(sheets_standin, key))
    assert ("text.too_long" in codes(out.result)) == (n > 50_000)
    assert user_values(sheets_standin, key, list(snap.tabs)) == before
    status = sheets_standin.state.values(key, FINDINGS)
    assert len(status) == len(out.result.findings) + 2
    assert all(len(v) <= 50_000 for r in status for v in r)


# --- a register of 100,000 rows ------------------------------------------------------------


def _fast_xlsx(path: Path, title: str, rows: list[list[str]]) -> Path:
    """A minimal .xlsx written directly (openpyxl would take longer than the test itself)."""

    def cell(v: str) -> str:
        return f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>'

    sheet = "".join(f"<row>{''.join(cell(v) for v in r)}</row>" for r in rows)
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{pkg}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} xmlns:r="{rel}"><sheets>'
            f'<sheet name="{escape(title)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{pkg}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f"<worksheet {ns}><sheetData>{sheet}</sheetData></worksheet>",
        )
    return path


def test_a_register_of_100000_rows_is_read_and_validated(tmp_path: Path) -> None:
    """Correctness at size only: how fast is measured by scripts/bench_xlsx.py (the read)
    and scripts/bench_validate.py (validation), never by a timed test."""
    body = [[f"P-{i % 10_000:04d}", "83020201", f"กลุ่ม {i}", "กลุ่มเกษตรกร"] for i in range(100_000)]
    # Four columns, headers included: openpyxl reads a sheet as a full rectangle.
    path = _fast_xlsx(tmp_path / "big.xlsx", "ผู้ผลิต", [headers("producers")[:4], *body])
    result = validate(read_workbook(path), phuket(), as_of=AS_OF, gazetteer=GAZETTEER)
    assert result.registers["producers"].rows_total == 100_000
    assert codes(result) <= set(CODES) and "id.duplicate" in codes(result)


# --- broken layouts: headers, missing registers, empty sources -----------------------------


def test_duplicate_and_empty_headers(tmp_path: Path) -> None:
    head = headers("producers")
    head = [*head[:3], "", head[1], None, *head[3:]]  # an empty header, a repeat, a blank
    line = row("producers", **PRODUCER)
    line = [*line[:3], "ค่าที่ไม่มีหัว", "99999999", "อีกค่า", *line[3:]]
    tabs = {t.title: t for t in clean_tabs()}
    tabs["ผู้ผลิต"] = RawTab("ผู้ผลิต", [head, line])
    path = write_xlsx(tmp_path / "heads.xlsx", *tabs.values())
    res = kspo("validate", "--config", str(PHUKET), "--source", str(path), "--format", "json")
    assert res.exit_code == EXIT_OK, res.output  # a duplicate header is a warning
    found = json.loads(res.output)["findings"]
    assert [f["code"] for f in found] == ["header.duplicate"]
    assert found[0]["column"] == "รหัสหมู่บ้าน"
    res = kspo("sync", "--config", str(PHUKET), "--source", str(path))
    assert res.exit_code == EXIT_OK, res.output
    assert openpyxl.load_workbook(path)["ผู้ผลิต"]["D2"].value == "ค่าที่ไม่มีหัว"


def test_a_missing_register(tmp_path: Path) -> None:
    tabs = [t for t in clean_tabs() if t.title != "ผู้ซื้อ 4 ร"]
    path = write_xlsx(tmp_path / "missing.xlsx", *tabs)
    res = kspo("validate", "--config", str(PHUKET), "--source", str(path), "--lang", "en")
    assert res.exit_code == EXIT_FINDINGS and "register.missing" in res.output
    assert "tab missing" in res.output
    res = kspo("sync", "--config", str(PHUKET), "--source", str(path))
    assert res.exit_code == EXIT_OK, res.output
    status = list(openpyxl.load_workbook(path)[FINDINGS].iter_rows(min_row=3, values_only=True))
    assert ("ผู้ซื้อ 4 ร", "register.missing") in {(r[0], r[7]) for r in status}
    assert "ผู้ซื้อ 4 ร" not in openpyxl.load_workbook(path).sheetnames  # never made for staff


def test_an_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)  # one blank sheet, as a new file has
    res = kspo("validate", "--config", str(PHUKET), "--source", str(path), "--format", "json")
    assert res.exit_code == EXIT_FINDINGS
    assert {f["code"] for f in json.loads(res.output)["findings"]} == {"register.missing"}
    res = kspo("sync", "--config", str(PHUKET), "--source", str(path))
    assert res.exit_code == EXIT_OK, res.output
    assert set(OWNED) <= set(openpyxl.load_workbook(path).sheetnames)


def test_an_empty_spreadsheet_and_a_clean_one_sync_to_google(sheets_standin: StandIn) -> None:
    empty = sheets_standin.state.create_spreadsheet("ใหม่", {"Sheet1": []})
    out = run_sync(phuket(), None, as_of=AS_OF, store=store(sheets_standin, empty))
    assert codes(out.result) == {"register.missing"}
    assert set(OWNED) <= set(sheets_standin.state.get(empty).titles())
    # No findings at all: the status tab is its two header rows (Google refuses to
    # freeze every row of a sheet, so it still needs a row below them).
    clean = seed(sheets_standin, snapshot(*clean_tabs()))
    out = run_sync(phuket(), None, as_of=AS_OF, store=store(sheets_standin, clean))
    assert out.result.findings == [] and out.report.changed
    assert len(sheets_standin.state.values(clean, FINDINGS)) == 2


def test_a_workbook_openpyxl_cannot_parse_is_source_unreadable(tmp_path: Path) -> None:
    good = _fast_xlsx(tmp_path / "good.xlsx", "ผู้ผลิต", [["x"]])
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for name in src.namelist():  # what a lone surrogate once saved made: invalid XML
            broken = name == "xl/worksheets/sheet1.xml"
            dst.writestr(name, "<worksheet><sheetData>&#55296;" if broken else src.read(name))
    res = kspo("validate", "--config", str(PHUKET), "--source", str(path))
    assert res.exit_code == EXIT_SOURCE, res.output
    assert "save it again" in res.output


# --- formula and error cells (.xlsx through openpyxl) -------------------------------------


def test_formula_and_error_cells_in_a_workbook(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "formulas.xlsx", *clean_tabs())
    wb = openpyxl.load_workbook(path)
    ws = wb["ผู้ผลิต"]
    ws["L2"] = "=1000+200"  # monthly_kg as a formula: no cached value in an openpyxl file
    ws["K2"] = "#REF!"
    ws["J2"] = "#N/A"
    wb.save(path)
    assert (ws["L2"].data_type, ws["K2"].data_type) == ("f", "e")
    res = kspo("validate", "--config", str(PHUKET), "--source", str(path), "--format", "json")
    found = {(f["cell"], f["code"]) for f in json.loads(res.output)["findings"]}
    assert {("L2", "cell.formula"), ("K2", "cell.error"), ("J2", "cell.error")} <= found
    assert res.exit_code == EXIT_FINDINGS
    res = kspo("sync", "--config", str(PHUKET), "--source", str(path))
    assert res.exit_code == EXIT_OK, res.output
    ws = openpyxl.load_workbook(path)["ผู้ผลิต"]
    assert (ws["L2"].value, ws["L2"].data_type) == ("=1000+200", "f")  # staff's formula stays
    assert (ws["K2"].value, ws["J2"].value) == ("#REF!", "#N/A")


# --- control characters and lone surrogates on their way to the status tab -----------------

DIRTY_ID = "P-\x01\ud800"
DIRTY_PHONE = "08\x0212\ud83d\x1f"


def _dirty(snap: Snapshot) -> Snapshot:
    """What no file can hold but a reader might hand over: control chars, lone surrogates."""
    rows = snap.tabs["ผู้ผลิต"].rows
    rows[1][0] = DIRTY_ID
    rows[1][5] = DIRTY_PHONE
    rows[1][7] = "ผัก\x00\x1b[31m"
    return snap


def test_control_characters_and_surrogates_reach_the_xlsx_status_tab_safely(
    tmp_path: Path,
) -> None:
    class Dirty(XlsxStore):
        def read(self) -> Snapshot:
            return _dirty(super().read())

    path = write_xlsx(tmp_path / "dirty.xlsx", *clean_tabs())
    out = run_sync(phuket(), str(path), as_of=AS_OF, store=Dirty(path))
    assert out.result.findings and out.report.changed
    wb = openpyxl.load_workbook(path)  # the saved workbook opens again
    texts = [str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r if v]
    texts += [c.comment.text for c in wb["ผู้ผลิต"]["A2":"M2"][0] if c.comment]
    assert not [t for t in texts if UNSAFE.search(t)]
    assert any("P-\ufffd\ufffd" in t for t in texts)
    assert wb["ผู้ผลิต"]["A2"].value == "P-0001"  # staff's own cell untouched


def test_control_characters_and_surrogates_reach_the_google_status_tab_safely(
    sheets_standin: StandIn,
) -> None:
    # Control characters can be typed (pasted) into a Google cell; a lone surrogate cannot
    # come over the API, so it is added after the read, where only the phone shows it.
    class Dirty(GoogleStore):
        def read(self) -> Snapshot:
            snap = super().read()
            snap.tabs["ผู้ผลิต"].rows[1][5] += "\ud800"
            return snap

    snap = snapshot(*clean_tabs())
    rows = snap.tabs["ผู้ผลิต"].rows
    rows[1][0], rows[1][5], rows[1][7] = "P-\x01", "08\x0212\x1f", "ผัก\x00\x1b[31m"
    key = seed(sheets_standin, snap)
    before = user_values(sheets_standin, key, list(snap.tabs))
    dirty = Dirty(key, root=sheets_standin.url, policy=store(sheets_standin, key)._policy)
    out = run_sync(phuket(), None, as_of=AS_OF, store=dirty)
    assert out.result.findings and out.report.changed
    status = sheets_standin.state.values(key, FINDINGS)
    assert not [v for r in status for v in r if UNSAFE.search(v)]
    assert any(v == "P-\ufffd" for r in status for v in r)
    notes = [
        c["note"]
        for line in sheets_standin.state.sheet(key, "ผู้ผลิต").rows
        for c in line
        if c and "note" in c
    ]
    assert notes and not [n for n in notes if UNSAFE.search(n)]
    assert user_values(sheets_standin, key, list(snap.tabs)) == before
    assert cell_data("a\x01\ud800")["userEnteredValue"] == {"stringValue": "a\ufffd\ufffd"}


# --- configs with wrong types --------------------------------------------------------------

PROVINCE = (ROOT / "configs" / "phuket.yaml").read_text(encoding="utf-8")


def _swap(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


WRONG = {
    "province-code-a-number": ("phuket.yaml", 'code: "83"', "code: 83", "province.code"),
    "backups-a-word": ("phuket.yaml", "overrides: {}", "overrides: {}\nbackups: five", "backups"),
    "target-a-word": (
        "phuket.yaml",
        "overrides: {}",
        "overrides: {}\ntargets: {network_villages: ten}",
        "targets.network_villages",
    ),
    "source-a-number": (
        "phuket.yaml",
        "xlsx: ../sample/kspo-phuket-sample.xlsx",
        "xlsx: 5",
        "source.xlsx",
    ),
    # YAML keeps the last of two equal keys: this meeting replaces the config's own
    "meeting-a-list": (
        "phuket.yaml",
        "overrides: {}",
        "overrides: {}\nmeeting: [4, 2562]",
        "meeting",
    ),
    "override-tab-a-number": (
        "phuket.yaml",
        "overrides: {}",
        "overrides: {villages: {tab: 5}}",
        "overrides.villages.tab",
    ),
    "column-required-a-word": (
        "registers.yaml",
        "required: true",
        "required: sure",
        "registers.villages.columns.0.required",
    ),
    "indicator-target-a-word": (
        "indicators.yaml",
        "    target: 10\n",
        "    target: ten\n",
        "indicators.0.target",
    ),
}


@pytest.mark.parametrize(("name", "old", "new", "key"), WRONG.values(), ids=list(WRONG))
def test_a_config_with_wrong_types_names_file_and_key(
    tmp_path: Path, name: str, old: str, new: str, key: str
) -> None:
    for f in ("phuket.yaml", "registers.yaml", "indicators.yaml"):
        (tmp_path / f).write_text((ROOT / "configs" / f).read_text(encoding="utf-8"), "utf-8")
    target = tmp_path / name
    target.write_text(_swap(target.read_text(encoding="utf-8"), old, new), encoding="utf-8")
    clean = write_xlsx(tmp_path / "clean.xlsx", *clean_tabs())
    for command in ("validate", "sync"):
        res = kspo(command, "--config", str(tmp_path / "phuket.yaml"), "--source", str(clean))
        assert res.exit_code == EXIT_CONFIG, res.output
        assert name in res.output and key in res.output, res.output
        assert "Traceback" not in res.output
