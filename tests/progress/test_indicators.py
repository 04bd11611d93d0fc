"""Indicators against targets, on small registers; fiscal-year edges; empty registers."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import PRODUCER, VILLAGE, phuket, row, snapshot, tab

from kspo_sheets.checks.validate import validate
from kspo_sheets.progress.indicators import compute


def village(i: int, **kw):
    return row(
        "villages",
        **{**VILLAGE, "village_id": f"830202{i:02d}", "moo": str(i), "name": f"บ้าน {i}", **kw},
    )


def producer(i: int, village_no: int, **kw):
    return row(
        "producers",
        **{
            **PRODUCER,
            "producer_id": f"P-{i:04d}",
            "village_id": f"830202{village_no:02d}",
            "kind": "กลุ่มเกษตรกร",
            "national_id": None,
            **kw,
        },
    )


def buyer(i: int, kind: str):
    return row("buyers", buyer_id=f"B-{i:03d}", name=f"ผู้ซื้อ {i}", buyer_type=kind, amphoe="กะทู้")


def link(i: int, p: int, b: int, status: str = "ส่งประจำ"):
    return row(
        "linkages",
        linkage_id=f"L-{i:04d}",
        producer_id=f"P-{p:04d}",
        buyer_id=f"B-{b:03d}",
        product="ผัก",
        status=status,
    )


def product(i: int, field: str, target: str, actual: str, fy: str = "2562"):
    return row(
        "target_products",
        product_id=f"T-{i:03d}",
        name=f"สินค้า {i}",
        field=field,
        target=target,
        actual=actual,
        fiscal_year=fy,
    )


def progress(*tabs, as_of=dt.date(2019, 9, 10)):
    result = validate(snapshot(*tabs), phuket(), as_of=as_of)
    return result, {(r.id, r.group): r for r in compute(phuket(), result).indicators}


def test_empty_registers_mean_no_data_not_division_by_zero():
    _, ind = progress(*(tab(k) for k in phuket().registers))
    assert ind[("network_villages", "")].status == "no_data"
    assert ind[("network_nawatwithi", "")].status == "no_data"
    assert ind[("network_certified", "")].percent is None
    assert ind[("target_products", "เกษตร")].status == "no_data"
    assert ind[("data_quality", "หมู่บ้าน")].status == "no_data"
    assert ind[("honorees_nominated", "ภาครัฐ")].status == "no_data"


def test_missing_registers_mean_no_data():
    _, ind = progress()
    assert {r.status for r in ind.values() if r.id != "buyer_types_4r"} == {"no_data"}


def test_network_coverage_and_4r():
    villages = [village(i) for i in range(1, 11)] + [
        village(11, safe_food_network="ไม่ใช่", joined_on=None)
    ]
    villages[0][5] = "ไม่ใช่"  # not Nawatwithi
    producers = [producer(i, i) for i in range(1, 11)]
    producers[1][8] = "ไม่มี"  # village 2: no certificate
    producers[1][9] = None
    producers[2][9] = "01/09/2562"  # village 3: expired certificate
    buyers = [buyer(1, "โรงพยาบาล"), buyer(2, "โรงเรียน"), buyer(3, "โรงแรม"), buyer(4, "ร้านอาหาร")]
    links = [link(i, i, 1 + i % 3) for i in range(1, 9)] + [link(9, 9, 4, "เจรจา")]
    _, ind = progress(
        tab("villages", *villages),
        tab("producers", *producers),
        tab("buyers", *buyers),
        tab("linkages", *links),
    )
    nv = ind[("network_villages", "")]
    assert (nv.actual, nv.target, nv.percent, nv.status) == (10, 10, 100.0, "achieved")
    assert (ind[("network_nawatwithi", "")].actual, ind[("network_nawatwithi", "")].target) == (
        9,
        10,
    )
    assert ind[("network_nawatwithi", "")].status == "not_achieved"
    cert = ind[("network_certified", "")]
    assert (cert.actual, cert.target, cert.percent) == (8, 10, 80.0)
    assert ind[("network_regular_linkage", "")].actual == 8
    four = ind[("buyer_types_4r", "")]
    assert (four.actual, four.target, four.status) == (3, 4, "not_achieved")


def test_rows_are_left_out_only_for_errors_in_what_they_read():
    villages = [village(i) for i in range(1, 11)]
    villages[3][10] = "0812"  # a bad phone: the row has an error the count does not read
    villages[4][0] = "8302025"  # a village code of 7 digits: the count reads the ID
    _, ind = progress(tab("villages", *villages))
    nv = ind[("network_villages", "")]
    assert nv.actual == 9 and nv.excluded_rows == 1 and nv.status == "not_achieved"
    assert nv.left_out == {"villages": {"village.code_format": 1}}
    dq = ind[("data_quality", "หมู่บ้าน")]
    assert (dq.actual, dq.target, dq.percent) == (8, 10, 80.0)


@pytest.mark.parametrize(
    ("as_of", "fy", "counted"),
    [
        (dt.date(2019, 9, 30), 2562, True),
        (dt.date(2019, 10, 1), 2563, False),
        (dt.date(2018, 10, 1), 2562, True),
    ],
)
def test_fiscal_year_edges(as_of, fy, counted):
    products = [product(1, "เกษตร", "100", "50"), product(2, "แปรรูป", "200", "250")]
    result, ind = progress(tab("target_products", *products), as_of=as_of)
    assert compute(phuket(), result).fiscal_year == fy
    agri = ind[("target_products", "เกษตร")]
    if counted:
        assert (agri.actual, agri.target, agri.percent, agri.status) == (
            50,
            100,
            50.0,
            "not_achieved",
        )
        assert ind[("target_products", "แปรรูป")].status == "achieved"
        total = ind[("target_products", "รวม")]
        assert (total.actual, total.target) == (300, 300)
    else:
        assert agri.status == "no_data"


def test_honorees_per_sector_in_the_fiscal_year():
    h = dict(sector="ภาครัฐ", contribution="สนับสนุน", fiscal_year="2562", decision="อนุมัติ")
    rows = [
        row("honorees", honoree_id="H-001", organisation="ก", **h),
        row("honorees", honoree_id="H-002", organisation="ข", **{**h, "decision": "รอพิจารณา"}),
        row("honorees", honoree_id="H-003", organisation="ค", **{**h, "sector": "ภาคเอกชน"}),
        row("honorees", honoree_id="H-004", organisation="ง", **{**h, "fiscal_year": "2561"}),
    ]
    _, ind = progress(tab("honorees", *rows))
    assert ind[("honorees_nominated", "ภาครัฐ")].actual == 2
    assert ind[("honorees_approved", "ภาครัฐ")].actual == 1
    assert ind[("honorees_nominated", "รวม")].actual == 3
    assert ind[("honorees_nominated", "ภาคเอกชน")].status == "info"


def test_breakdowns_by_amphoe_and_4r_matrix():
    villages = [village(1), village(2)]
    producers = [producer(1, 1), producer(2, 2)]
    buyers = [buyer(1, "โรงพยาบาล"), buyer(2, "โรงแรม")]
    links = [link(1, 1, 1), link(2, 1, 2), link(3, 2, 2, "ยุติ")]
    result, _ = progress(
        tab("villages", *villages),
        tab("producers", *producers),
        tab("buyers", *buyers),
        tab("linkages", *links),
    )
    b = compute(phuket(), result).breakdowns
    counts = {
        "villages": 2,
        "network_villages": 2,
        "producers": 2,
        "certified_producers": 2,
        "regular_linkages": 2,
    }
    assert b["by_amphoe"] == [
        {"amphoe": "กะทู้", **counts},
        {"amphoe": "รวมทั้งจังหวัด", **counts},  # the province's total closes the table
    ]
    m = {r["village_id"]: r for r in b["coverage_4r"]}
    assert m["83020201"]["โรงพยาบาล"] == 1 and m["83020201"]["types_covered"] == 2
    assert m["83020202"]["types_covered"] == 0
