"""A row leaves an indicator only for an error in a value that indicator reads.

Table-driven: a small province where every row counts for every indicator, then one error
planted at a time. An error in a column the indicator reads leaves the row out (and is
counted under its code); an error anywhere else changes nothing; repeated IDs count once;
warnings and notices never leave a row out; a breakdown by amphoe keeps a row whose
amphoe is unusable in the province's total.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from helpers import VILLAGE, phuket, row, snapshot, tab

from kspo_sheets.checks.validate import validate
from kspo_sheets.config.indicators import columns_read
from kspo_sheets.model import CellError, IndicatorResult, Severity
from kspo_sheets.progress.indicators import compute

AS_OF = dt.date(2019, 9, 10)
TYPES = ("โรงพยาบาล", "โรงเรียน", "โรงแรม", "ร้านอาหาร")
FIELDS = ("เกษตร", "แปรรูป", "ท่องเที่ยวโดยชุมชน")
SECTORS = ("ภาครัฐ", "ภาคเอกชน", "ภาคประชาสังคม")


def base() -> dict[str, list[list[Any]]]:
    """Three network villages in Patong, each with a certified group producer, a regular
    linkage from each producer (and a fourth, so every buyer type is covered), a target
    product per field and an approved nomination per sector: every row counts everywhere."""
    villages = [
        row(
            "villages",
            **{**VILLAGE, "village_id": f"830202{i:02d}", "name": f"บ้าน {i}", "moo": str(i)},
            note="ตลาดนัดทุกวันอาทิตย์",
        )
        for i in (1, 2, 3)
    ]
    producers = [
        row(
            "producers",
            producer_id=f"P-000{i}",
            village_id=f"830202{i:02d}",
            name=f"กลุ่มเกษตรกรบ้าน {i}",
            kind="กลุ่มเกษตรกร",
            phone="0812345678",
            category="พืชผัก",
            products="ผักบุ้ง",
            certification="GAP",
            cert_expiry="30/09/2563",
            area_rai="5-2-30",
            monthly_kg="1,200",
            consent="ใช่",
        )
        for i in (1, 2, 3)
    ]
    buyers = [
        row(
            "buyers",
            buyer_id=f"B-00{i}",
            name=f"ผู้ซื้อ {i}",
            buyer_type=t,
            amphoe="กะทู้",
            contact="ฝ่ายจัดซื้อ",
            phone="076-123-456",
        )
        for i, t in enumerate(TYPES, start=1)
    ]
    pairs = [(1, 1), (2, 2), (3, 3), (1, 4)]
    linkages = [
        row(
            "linkages",
            linkage_id=f"L-000{n}",
            producer_id=f"P-000{p}",
            buyer_id=f"B-00{b}",
            product="ผักบุ้ง",
            monthly_kg="100",
            monthly_baht="2,500",
            started_on="1 ก.ค. 62",
            status="ส่งประจำ",
        )
        for n, (p, b) in enumerate(pairs, start=1)
    ]
    products = [
        row(
            "target_products",
            product_id=f"T-00{i}",
            name=f"สินค้า {i}",
            field=f,
            village_id=f"830202{i:02d}",
            indicator="รายได้ (บาท)",
            target="100",
            actual="120",
            fiscal_year="2562",
        )
        for i, f in enumerate(FIELDS, start=1)
    ]
    honorees = [
        row(
            "honorees",
            honoree_id=f"H-00{i}",
            organisation=f"หน่วยงาน {i}",
            sector=s,
            contribution="สนับสนุนชุมชน",
            nominated_by="เกษตร",
            nominated_on="30/08/2562",
            decision="อนุมัติ",
            fiscal_year="2562",
        )
        for i, s in enumerate(SECTORS, start=1)
    ]
    return {
        "villages": villages,
        "producers": producers,
        "buyers": buyers,
        "linkages": linkages,
        "target_products": products,
        "honorees": honorees,
    }


def run(rows: dict[str, list[list[Any]]]) -> tuple[Any, dict[str, list[IndicatorResult]]]:
    result = validate(snapshot(*(tab(k, *v) for k, v in rows.items())), phuket(), as_of=AS_OF)
    by_id: dict[str, list[IndicatorResult]] = {}
    for r in compute(phuket(), result).indicators:
        by_id.setdefault(r.id, []).append(r)
    return result, by_id


def figures(results: list[IndicatorResult]) -> list[tuple[Any, ...]]:
    return [(r.group, r.actual, r.target, r.percent, r.status) for r in results]


def column_index(register: str, key: str) -> int:
    return [c.key for c in phuket().registers[register].columns].index(key)


INDICATORS = [i for i in phuket().indicators if i["computation"] != "clean_share"]
CLEAN_RESULT, CLEAN = run(base())


def test_the_base_is_clean_and_every_row_counts() -> None:
    assert CLEAN_RESULT.findings == []
    for results in CLEAN.values():
        for r in results:
            assert r.left_out == {}, r
            assert r.status != "no_data", r


def test_what_each_indicator_reads_comes_from_its_configuration() -> None:
    """The columns, as a person reads them off configs/indicators.yaml (IDs first: every
    row counts once; derived columns replaced by the columns they are made from)."""
    got = {i["id"]: columns_read(i, phuket().registers) for i in phuket().indicators}
    assert got == {
        "network_villages": {"villages": ["village_id", "safe_food_network"]},
        "network_nawatwithi": {"villages": ["village_id", "safe_food_network", "nawatwithi"]},
        "network_certified": {
            "villages": ["village_id", "safe_food_network"],
            # certificate_valid: certification and its expiry date
            "producers": ["producer_id", "village_id", "certification", "cert_expiry"],
        },
        "network_regular_linkage": {
            "villages": ["village_id", "safe_food_network"],
            # linkages.village_id: the linkage's producer, and that producer's village
            "linkages": ["linkage_id", "producer_id", "status"],
            "producers": ["producer_id", "village_id"],
        },
        "buyer_types_4r": {
            "linkages": ["linkage_id", "status", "buyer_id"],
            "buyers": ["buyer_id", "buyer_type"],
        },
        "target_products": {
            "target_products": [
                "product_id",
                "fiscal_year",
                "actual",
                "target",
                "field",
                "indicator",
            ],
        },
        "honorees_nominated": {"honorees": ["honoree_id", "fiscal_year", "sector"]},
        "honorees_approved": {"honorees": ["honoree_id", "decision", "fiscal_year", "sector"]},
        "data_quality": {},
    }


CASES = [
    (register, c.key, ind["id"])
    for ind in INDICATORS
    for register in phuket().registers
    for c in phuket().registers[register].columns
]


@pytest.mark.parametrize(("register", "column", "indicator"), CASES)
def test_an_error_leaves_a_row_out_only_where_the_indicator_reads_it(
    register: str, column: str, indicator: str
) -> None:
    """#REF! in one cell of the first row. Out: the indicator's left-out rows say why. In:
    its figures are the clean ones and it leaves nothing out. An error can spread by
    reference (a village whose code is #REF! leaves its producer's village unknown): what
    is read is every column that then carries an error."""
    rows = base()
    rows[register][0][column_index(register, column)] = CellError("#REF!")
    result, got = run(rows)
    ind = next(i for i in INDICATORS if i["id"] == indicator)
    reads = columns_read(ind, phuket().registers)
    in_error = {(f.register, f.column_key) for f in result.findings if f.severity is Severity.ERROR}
    assert (register, column) in in_error
    read = any(col in reads.get(reg, []) for reg, col in in_error)
    left = [r.left_out for r in got[indicator]]
    if read:
        assert any(left), (register, column, indicator)
        codes = {code for lo in left for codes in lo.values() for code in codes}
        assert codes <= {f.code for f in result.findings}
        assert "cell.error" in codes or "ref.missing" in codes
    else:
        assert not any(left), (register, column, indicator, left)
        assert figures(got[indicator]) == figures(CLEAN[indicator])


def test_a_phone_tambon_or_join_date_typo_never_removes_a_network_village() -> None:
    rows = base()
    vi = rows["villages"]
    vi[0][column_index("villages", "phone")] = "0812"  # phone.invalid
    vi[1][column_index("villages", "tambon")] = "ป่าตอ"  # place.tambon_unknown
    vi[2][column_index("villages", "joined_on")] = None  # required.missing
    result, got = run(rows)
    assert {f.code for f in result.findings} == {
        "phone.invalid",
        "place.tambon_unknown",
        "required.missing",
    }
    nv = got["network_villages"][0]
    assert (nv.actual, nv.excluded_rows, nv.left_out) == (3, 0, {})
    assert got["data_quality"][0].actual == 0  # yet no village row is free of errors


def test_a_broken_village_code_leaves_the_village_out_and_says_why() -> None:
    rows = base()
    rows["villages"][0][column_index("villages", "village_id")] = "8302021"  # 7 digits
    rows["villages"][1][column_index("villages", "village_id")] = "84020202"  # Surat Thani
    _, got = run(rows)
    nv = got["network_villages"][0]
    assert (nv.actual, nv.excluded_rows) == (1, 2)
    assert nv.left_out == {"villages": {"village.code_format": 1, "village.code_province": 1}}
    # their producers' villages no longer resolve: left out of coverage, by that reason
    cert = got["network_certified"][0]
    assert (cert.actual, cert.target) == (1, 1)
    assert cert.left_out == {
        "villages": {"village.code_format": 1, "village.code_province": 1},
        "producers": {"ref.missing": 2},
    }


def test_a_repeated_id_counts_once_at_its_first_row() -> None:
    rows = base()
    twin = list(rows["villages"][0])
    twin[column_index("villages", "name")] = "บ้าน 1 (พิมพ์ซ้ำ)"
    rows["villages"].append(twin)
    result, got = run(rows)
    assert sum(f.code == "id.duplicate" for f in result.findings) == 2  # both rows shown
    nv = got["network_villages"][0]
    assert (nv.actual, nv.left_out) == (3, {"villages": {"id.duplicate": 1}})
    first, second = result.registers["villages"].records[0], result.registers["villages"].records[3]
    assert first.has_error and first.errors == {}  # a finding, every value usable
    assert second.errors == {"village_id": "id.duplicate"}
    dq = got["data_quality"][0]  # both rows carry an error finding
    assert (dq.actual, dq.target) == (2, 4)


def test_warnings_and_notices_never_leave_a_row_out() -> None:
    rows = base()
    rows["villages"][0][column_index("villages", "phone")] = 812345678  # phone.missing_zero
    rows["producers"][0][column_index("producers", "cert_expiry")] = "30/10/2562"  # expiring
    rows["target_products"][0][column_index("target_products", "fiscal_year")] = "2019"
    rows["linkages"][0][column_index("linkages", "started_on")] = "01/07/2019"  # CE year
    twice = list(rows["honorees"][0])
    twice[column_index("honorees", "honoree_id")] = "H-009"
    rows["honorees"].append(twice)  # honoree.duplicate, a warning: both count
    result, got = run(rows)
    assert {f.severity for f in result.findings} == {Severity.WARNING, Severity.NOTICE}
    for results in got.values():
        for r in results:
            assert r.left_out == {}, r
    assert figures(got["network_villages"]) == figures(CLEAN["network_villages"])
    assert figures(got["target_products"]) == figures(CLEAN["target_products"])
    nominated = {r.group: r.actual for r in got["honorees_nominated"]}
    assert nominated["ภาครัฐ"] == 2 and nominated["รวม"] == 4


def test_a_row_outside_the_figure_is_not_left_out() -> None:
    """A village not in the network with a broken code is simply not a network village."""
    rows = base()
    v = rows["villages"][0]
    v[column_index("villages", "safe_food_network")] = "ไม่ใช่"
    v[column_index("villages", "joined_on")] = None
    v[column_index("villages", "village_id")] = "8302021"
    _, got = run(rows)
    nv = got["network_villages"][0]
    assert (nv.actual, nv.left_out) == (2, {})


def test_an_unusable_group_counts_in_the_total_and_is_left_out_of_every_group() -> None:
    rows = base()
    rows["honorees"][0][column_index("honorees", "sector")] = "ภาคประชาชน"  # enum.invalid
    _, got = run(rows)
    by = {r.group: r for r in got["honorees_nominated"]}
    assert by["รวม"].actual == 3 and by["รวม"].left_out == {}
    assert by["ภาครัฐ"].actual == 0
    for sector in SECTORS:
        assert by[sector].left_out == {"honorees": {"enum.invalid": 1}}


def test_amphoe_breakdown_keeps_a_row_with_an_unusable_amphoe_in_the_province_total() -> None:
    rows = base()
    rows["villages"][0][column_index("villages", "amphoe")] = "หาดใหญ่"  # not in Phuket
    result, _ = run(rows)
    assert [f.code for f in result.findings] == ["place.amphoe_unknown"]
    by = {r["amphoe"]: r for r in compute(phuket(), result).breakdowns["by_amphoe"]}
    assert list(by) == ["กะทู้", "ระบุอำเภอไม่ได้ (ข้อมูลผิดพลาด)", "รวมทั้งจังหวัด"]
    assert (by["กะทู้"]["villages"], by["กะทู้"]["producers"]) == (2, 2)
    unplaced = by["ระบุอำเภอไม่ได้ (ข้อมูลผิดพลาด)"]
    assert (unplaced["villages"], unplaced["producers"], unplaced["regular_linkages"]) == (1, 1, 2)
    total = by["รวมทั้งจังหวัด"]
    assert (total["villages"], total["network_villages"], total["producers"]) == (3, 3, 3)
    assert total["regular_linkages"] == 4


def test_a_producer_error_the_linkage_reads_through_leaves_the_linkage_out() -> None:
    """linkages.village_id is the producer's village: a broken producer village code leaves
    that producer's linkages out of the regular-linkage coverage, by the producer's error."""
    rows = base()
    rows["producers"][1][column_index("producers", "village_id")] = "830202"  # 6 digits
    _, got = run(rows)
    regular = got["network_regular_linkage"][0]
    assert (regular.actual, regular.target) == (2, 3)
    assert regular.left_out == {"producers": {"village.code_format": 1}}
    # ... and the 4 ร types, which do not read the village, are untouched
    assert figures(got["buyer_types_4r"]) == figures(CLEAN["buyer_types_4r"])


def test_every_finding_code_has_a_few_thai_words_for_why() -> None:
    """The progress tab and the pack say why a row was left out in Thai, never as a code."""
    from kspo_sheets.codes import CODES, SHORT_TH

    assert sorted(set(CODES) - set(SHORT_TH)) == []
    assert sorted(set(SHORT_TH) - set(CODES)) == []
