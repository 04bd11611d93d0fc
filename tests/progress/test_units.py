"""Totals over target products measured in baht, kg and people: never a sum across units.

A field whose products carry different units shows how many reached their target and the
mean of the products' own percentages, in the indicators, the progress tab, the pack and
`kspo sync --json`; a sum only where every product shares one unit.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import PHUKET, phuket, row, snapshot, tab, write_xlsx
from openpyxl import load_workbook

from kspo_sheets.checks.validate import validate
from kspo_sheets.cli import cli
from kspo_sheets.pack.build import build_pack
from kspo_sheets.pack.sheets import AGENDA_1, SUMMARY
from kspo_sheets.progress.indicators import compute
from kspo_sheets.progress.units import Item, total, unit_of
from kspo_sheets.status.tabs import progress_tab

AS_OF = dt.date(2019, 9, 10)


def product(i: int, field: str, indicator: str, target: str, actual: str) -> list[object]:
    return row(
        "target_products",
        product_id=f"T-{i:03d}",
        name=f"สินค้า {i}",
        field=field,
        indicator=indicator,
        target=target,
        actual=actual,
        fiscal_year="2562",
    )


# เกษตร: baht, kg and people. Own percentages: 120, 50, 80, 110 and 60 -> 2 of 5 reached,
# mean (120 + 50 + 80 + 110 + 60) / 5 = 84.0. The sum that must never appear is
# 250,000 + 12,000 + 25 + 400,000 + 3,000 = 665,025 (against actuals summing 613,220).
AGRI = [
    product(1, "เกษตร", "รายได้ (บาท)", "250,000", "300,000"),
    product(2, "เกษตร", "ปริมาณผลผลิต (กก.)", "12,000", "6,000"),
    product(3, "เกษตร", "จำนวนสมาชิก (คน)", "25", "20"),
    product(4, "เกษตร", "ยอดขาย (บาท)", "400,000", "440,000"),
    product(5, "เกษตร", "ปริมาณ (กิโลกรัม)", "3,000", "1,800"),
]
# แปรรูป: all baht. 100,000 + 50,000 = 150,000 against 90,000 + 60,000 = 150,000: 100.0%,
# yet one product (90%) missed: 1 of 2 reached, so the field is not achieved.
PROCESSING = [
    product(6, "แปรรูป", "รายได้ (บาท)", "100,000", "90,000"),
    product(7, "แปรรูป", "รายได้ (บาท)", "50,000", "60,000"),
]


@pytest.fixture(scope="module")
def figures():
    result = validate(snapshot(tab("target_products", *AGRI, *PROCESSING)), phuket(), as_of=AS_OF)
    assert [f for f in result.findings if f.register == "target_products"] == []
    progress = compute(phuket(), result)
    by = {r.group: r for r in progress.indicators if r.id == "target_products"}
    return result, progress, by


def test_units_are_read_from_the_indicator_text() -> None:
    assert unit_of("รายได้ (บาท)") == "บาท"
    assert unit_of("ยอดขาย ( บาท )") == "บาท"
    assert unit_of("ปริมาณ (กิโลกรัม)") == unit_of("ปริมาณผลผลิต (กก.)") == "กก."
    assert unit_of("จำนวนสมาชิก (คน)") == unit_of("สมาชิก (ราย)") == "คน"
    assert unit_of("ครั้ง") == "ครั้ง"
    assert unit_of(None) == unit_of("  ") == "(ไม่ระบุหน่วย)"


def test_a_total_is_a_sum_only_within_one_unit() -> None:
    same = total([Item(90, 100, "บาท"), Item(60, 50, "บาท")])
    assert (same.method, same.actual, same.target, same.percent) == ("sum", 150, 150, 100.0)
    assert (same.achieved, same.items, same.status) == (1, 2, "not_achieved")
    mixed = total([Item(120, 100, "บาท"), Item(5, 10, "กก.")])
    assert (mixed.method, mixed.actual, mixed.target, mixed.percent) == ("mean", None, None, 85.0)


def test_mixed_units_give_achieved_k_of_n_and_the_mean_percent(figures) -> None:
    _, _, by = figures
    agri = by["เกษตร"]
    assert (agri.method, agri.actual, agri.target) == ("mean", None, None)
    assert (agri.items_achieved, agri.items, agri.percent) == (2, 5, 84.0)
    assert agri.status == "not_achieved"
    processing = by["แปรรูป"]
    assert (processing.method, processing.actual, processing.target) == ("sum", 150_000, 150_000)
    assert (processing.percent, processing.items_achieved, processing.status) == (
        100.0,
        1,
        "not_achieved",
    )
    # all seven: 3 reached; mean of 120, 50, 80, 110, 60, 90, 120 = 630 / 7 = 90.0
    everything = by["รวม"]
    assert (everything.method, everything.actual, everything.target) == ("mean", None, None)
    assert (everything.items_achieved, everything.items, everything.percent) == (3, 7, 90.0)
    assert by["ท่องเที่ยวโดยชุมชน"].status == "no_data"


SUMS_ACROSS_UNITS = ("665,025", "665025", "613,220", "613220", "815,025", "815025")


def test_the_progress_tab_shows_k_of_n_and_no_sum_across_units(figures) -> None:
    _, progress, _ = figures
    tab_ = progress_tab(phuket(), progress)
    rows = {(r[8], r[1]): r for r in tab_.rows if len(r) > 10 and r[8] == "target_products"}
    agri = rows[("target_products", "เกษตร")]
    assert (agri[2], agri[3], agri[4], agri[10]) == ("–", "–", 84, "บรรลุ 2 จาก 5")
    assert rows[("target_products", "แปรรูป")][2:5] == [150000, 150000, 100]
    text = json.dumps(tab_.rows, ensure_ascii=False)
    assert not any(s in text for s in SUMS_ACROSS_UNITS)
    assert any("ค่าเฉลี่ยของร้อยละ" in str(r[0]) for r in tab_.rows if r)


def test_the_pack_shows_k_of_n_and_no_sum_across_units(figures, tmp_path: Path) -> None:
    result, progress, _ = figures
    path = build_pack(phuket(), result, progress, out_dir=tmp_path)
    wb = load_workbook(path, read_only=True)
    agenda = [r for r in wb[AGENDA_1].iter_rows(values_only=True)]
    agri = next(r for r in agenda if r[2] == "รวมด้านเกษตร")
    assert agri[3:9] == ("บรรลุ 2 จาก 5", "หลายหน่วย: ร้อยละเฉลี่ย", None, None, 84, "ยังไม่บรรลุ")
    processing = next(r for r in agenda if r[2] == "รวมด้านแปรรูป")
    assert processing[3:9] == ("บรรลุ 1 จาก 2", "บาท", 150000, 150000, 100, "ยังไม่บรรลุ")
    summary = [r for r in wb[SUMMARY].iter_rows(values_only=True)]
    agri = next(r for r in summary if r[2] == "เกษตร")
    assert agri[3:10] == ("–", "–", 84, 100, "ร้อยละเฉลี่ย (หลายหน่วย)", "2 จาก 5", "ยังไม่บรรลุ")
    cells = {
        str(v) for sheet in wb.worksheets for r in sheet.iter_rows(values_only=True) for v in r
    }
    for n in (665025, 613220, 815025, 753220):  # no sum of baht, kg and people anywhere
        assert str(n) not in cells and f"{n:,}" not in cells


def test_sync_json_shows_k_of_n_and_counts_only_figures_with_a_target(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "products.xlsx", tab("target_products", *AGRI, *PROCESSING))
    res = CliRunner().invoke(
        cli,
        ["sync", "--config", str(PHUKET), "--source", str(path), "--as-of", "2019-09-10", "--json"],
        catch_exceptions=False,
    )
    doc = json.loads(res.output.splitlines()[-1])
    by = {(i["id"], i["group"]): i for i in doc["indicators"]}
    agri = by[("target_products", "เกษตร")]
    assert (agri["actual"], agri["target"], agri["percent"]) == (None, None, 84.0)
    assert (agri["items"], agri["items_achieved"], agri["method"]) == (5, 2, "mean")
    assert by[("target_products", "แปรรูป")]["method"] == "sum"
    assert by[("target_products", "รวม")]["actual"] is None
    # honours have no target: they are not among the figures "N of M" counts
    with_target = [i for i in doc["indicators"] if i["has_target"]]
    assert {i["id"] for i in doc["indicators"] if not i["has_target"]} == {
        "honorees_nominated",
        "honorees_approved",
    }
    assert doc["indicators_with_target"] == len(with_target) < len(doc["indicators"])
    assert doc["indicators_achieved"] == sum(i["status"] == "achieved" for i in with_target)
    res = CliRunner().invoke(
        cli,
        ["sync", "--config", str(PHUKET), "--source", str(path), "--as-of", "2019-09-10", "-v"],
        catch_exceptions=False,
    )
    line = next(x for x in res.output.splitlines() if "indicators:" in x)
    info = len(doc["indicators"]) - len(with_target)
    assert (
        f"indicators: {doc['indicators_achieved']} of {len(with_target)} with a target achieved"
        f" ({info} more without a target)"
    ) in line
