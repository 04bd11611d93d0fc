"""The sample workbook behind `kspo demo`: realistic, deterministic, and validating to exactly
the mistakes planted in it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kspo_sheets.checks.validate import validate
from kspo_sheets.codes import CODES
from kspo_sheets.commands.sample import LAYOUT, ROW_COUNTS, Planted, build_sample, describe
from kspo_sheets.config.province import load_config
from kspo_sheets.model import Formula
from kspo_sheets.stores.xlsx.store import XlsxStore
from kspo_sheets.thai.text import header_key

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "phuket.yaml"
AS_OF = dt.date(2019, 9, 10)
HEADER_ROW = 3  # a title row and a blank row sit above the headers

# Every code the sample must demonstrate at least once.
REQUIRED_CODES = {
    "date.invalid", "date.impossible", "date.ce_year", "date.double_converted", "date.future",
    "year.ce", "year.invalid", "number.invalid", "number.negative", "number.not_positive",
    "number.range", "money.invalid", "area.invalid", "phone.invalid", "phone.missing_zero",
    "national_id.invalid", "national_id.checksum", "yesno.invalid", "enum.invalid",
    "required.missing", "id.format", "id.duplicate", "ref.missing", "value.duplicate",
    "honoree.duplicate", "place.amphoe_unknown", "place.tambon_unknown", "village.code_format",
    "village.code_province", "village.code_tambon", "village.moo_mismatch", "cert.expired",
    "cert.expiring",
}  # fmt: skip

Key = tuple[str, str, str, str]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Planted]]:
    path = tmp_path_factory.mktemp("sample") / "kspo-phuket-sample.xlsx"
    return path, build_sample(path)


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = openpyxl.load_workbook(path)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    finally:
        wb.close()


def _data_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [r for r in rows[HEADER_ROW:] if any(v not in (None, "") for v in r)]


def test_same_seed_same_workbook(tmp_path: Path, sample: tuple[Path, list[Planted]]) -> None:
    path, planted = sample
    again = tmp_path / "again.xlsx"
    assert build_sample(again) == planted
    assert _cells(again) == _cells(path)
    # Fixed save and zip times, so the file itself is reproducible too.
    assert again.read_bytes() == path.read_bytes()
    other = tmp_path / "other.xlsx"
    build_sample(other, seed=7)
    assert _cells(other) != _cells(path)


def test_tabs_headers_and_row_counts(sample: tuple[Path, list[Planted]]) -> None:
    path, _ = sample
    config = load_config(CONFIG)
    cells = _cells(path)
    assert set(LAYOUT) == set(config.registers)
    for key, spec in config.registers.items():
        assert spec.tab in cells, f"tab {spec.tab!r} missing"
        rows = cells[spec.tab]
        assert "จังหวัดภูเก็ต" in str(rows[0][0])  # the title above the headers
        typed = [header_key(h) for h in rows[HEADER_ROW - 1] if h is not None]
        assert typed == [header_key(c.header) for c in spec.columns], key
        assert len(_data_rows(rows)) == ROW_COUNTS[key], key
    assert ROW_COUNTS["villages"] == 23  # Phuket's OTOP Nawatwithi villages
    assert ROW_COUNTS["buyers"] == 40 and ROW_COUNTS["linkages"] == 200


def test_headers_are_typed_untidily(sample: tuple[Path, list[Planted]]) -> None:
    path, _ = sample
    headers = [h for rows in _cells(path).values() for h in rows[HEADER_ROW - 1] if h]
    assert any("\n" in h for h in headers)
    assert any("  " in h for h in headers)
    assert any(h.endswith("\u00a0") for h in headers)


def test_formula_looking_text_is_stored_as_text(sample: tuple[Path, list[Planted]]) -> None:
    path, _ = sample
    wb = openpyxl.load_workbook(path)
    seen = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    seen[cell.value] = cell.data_type
    wb.close()
    assert any(v.startswith("=HYPERLINK(") for v in seen)
    assert any(v.startswith("+66 ") for v in seen)
    assert any(v.startswith("-5 ") for v in seen)
    assert any(v.startswith("@") for v in seen)
    assert set(seen.values()) == {"s"}, seen
    snapshot = XlsxStore(path).read()
    formulas = [v for t in snapshot.tabs.values() for r in t.rows for v in r if isinstance(v, Formula)]  # fmt: skip
    assert formulas == []


def test_staff_highlight_and_note_are_there(sample: tuple[Path, list[Planted]]) -> None:
    path, _ = sample
    wb = openpyxl.load_workbook(path)
    comments = [c.comment for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.comment]
    fills = [
        c
        for ws in wb.worksheets
        for r in ws.iter_rows(min_row=HEADER_ROW + 1)
        for c in r
        if c.fill.fgColor.rgb == "00FFFF00"
    ]
    wb.close()
    assert [c.author for c in comments] == ["สมศรี"]
    assert len(fills) == 1


def test_real_date_cells_and_thai_digits(sample: tuple[Path, list[Planted]]) -> None:
    path, _ = sample
    values = [v for rows in _cells(path).values() for r in rows for v in r]
    assert any(isinstance(v, dt.datetime) for v in values)
    assert any(isinstance(v, str) and "/๐๙/๒๕๖๒" in v for v in values)
    assert any(isinstance(v, str) and " ก.ย. " in v for v in values)


def test_planted_list_covers_every_code(sample: tuple[Path, list[Planted]]) -> None:
    _, planted = sample
    codes = {p.code for p in planted}
    assert codes <= set(CODES)
    assert REQUIRED_CODES <= codes, REQUIRED_CODES - codes
    assert 40 <= len(planted) <= 60
    assert all(p.note for p in planted)
    assert describe(planted).count("\n") == len(planted) + 1


def _diff(want: Counter[Key], got: Counter[Key], messages: dict[Key, str]) -> str:
    lines = []
    for k in sorted(want - got):
        lines.append(f"  planted, not found: {k}")
    for k in sorted(got - want):
        lines.append(f"  found, not planted: {k}  {messages.get(k, '')}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("seed", "as_of"), [(2562, AS_OF), (7, dt.date(2020, 11, 1))], ids=["default", "other"]
)
def test_validation_finds_exactly_the_planted_mistakes(
    tmp_path: Path, seed: int, as_of: dt.date
) -> None:
    path = tmp_path / "sample.xlsx"
    planted = build_sample(path, seed=seed, as_of=as_of)
    result = validate(XlsxStore(path).read(), load_config(CONFIG), as_of=as_of)
    got = Counter((f.register, f.row_id, f.column_key, f.code) for f in result.findings)
    want = Counter((p.register, p.row_id, p.column, p.code) for p in planted)
    messages = {
        (f.register, f.row_id, f.column_key, f.code): f"{f.value!r}: {f.message_en}"
        for f in result.findings
    }
    assert got == want, "findings differ from the planted mistakes:\n" + _diff(want, got, messages)
    assert {k: r.rows_total for k, r in result.registers.items()} == ROW_COUNTS
