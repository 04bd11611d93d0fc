"""The validation engine on small registers typed the way staff type them."""

from __future__ import annotations

import datetime as dt
import gc

from helpers import PRODUCER, VILLAGE, phuket, row, snapshot, tab

from kspo_sheets.checks.validate import validate
from kspo_sheets.model import CellError, Formula, RawTab

AS_OF = dt.date(2019, 9, 10)


def run(*tabs: RawTab, registers: list[str] | None = None):
    return validate(snapshot(*tabs), phuket(), as_of=AS_OF, registers=registers)


def codes(result, register: str | None = None) -> list[tuple[str, str, str]]:
    return [
        (f.row_id, f.column_key, f.code)
        for f in result.findings
        if register is None or f.register == register
    ]


def test_clean_rows_give_no_findings():
    r = run(
        tab("villages", row("villages", **VILLAGE)),
        tab("producers", row("producers", **PRODUCER)),
        registers=["villages", "producers"],
    )
    assert r.findings == []
    rec = r.registers["producers"].records[0]
    assert rec.values["area_rai"] == 5.575
    assert rec.values["cert_expiry"] == dt.date(2020, 9, 30)
    assert rec.values["monthly_kg"] == 1200


def test_header_found_below_title_rows_with_odd_spacing():
    t = tab("villages", row("villages", **VILLAGE), title_rows=2)
    hdr = t.rows[2]
    hdr[1] = "  ชื่อหมู่บ้าน/\nชุมชน\u00a0"
    hdr[5] = "ชุมชนท่องเที่ยว\u200b OTOP  นวัตวิถี"
    t.rows.insert(2, [None] * 3)  # a blank row between title and header
    r = run(t, registers=["villages"])
    assert r.findings == []
    assert r.registers["villages"].header_row == 4
    assert r.registers["villages"].records[0].row == 5


def test_missing_required_column_is_one_finding_not_a_crash():
    t = tab("villages", row("villages", **VILLAGE))
    for line in t.rows:
        del line[4]  # drop อำเภอ
    r = run(t, registers=["villages"])
    assert codes(r) == [("", "amphoe", "header.missing")]
    assert r.findings[0].severity.value == "error"
    assert "อำเภอ" in r.findings[0].message_th


def test_missing_optional_column_is_a_warning():
    t = tab("villages", row("villages", **VILLAGE))
    for line in t.rows:
        del line[11]  # หมายเหตุ
    r = run(t, registers=["villages"])
    assert [(f.code, f.severity.value) for f in r.findings] == [("header.missing", "warning")]


def test_missing_register_is_reported():
    r = run(registers=["buyers"])
    assert codes(r) == [("", "", "register.missing")]
    assert "ผู้ซื้อ 4 ร" in r.findings[0].message_th


def test_tab_name_with_trailing_space_is_found():
    t = tab("villages", row("villages", **VILLAGE))
    t.title = "หมู่บ้าน "
    assert run(t, registers=["villages"]).findings == []


def test_blank_and_trailing_rows_are_skipped_and_extra_columns_ignored():
    t = tab("villages", row("villages", **VILLAGE))
    t.rows[0].append("คอลัมน์ของเจ้าหน้าที่")
    t.rows.append([None, "", "  "])
    t.rows.append(row("villages", **{**VILLAGE, "village_id": "83020202", "moo": "2"}))
    t.rows.extend([[None] * 12] * 5)
    r = run(t, registers=["villages"])
    assert r.findings == []
    assert [x.row for x in r.registers["villages"].records] == [2, 4]


def test_formula_and_error_cells_are_reported_not_crashed_on():
    v = row("villages", **VILLAGE)
    v[1] = Formula('=CONCAT("บ้าน","ป่าตอง")', "บ้านป่าตอง")
    v[10] = CellError("#REF!")
    r = run(tab("villages", v), registers=["villages"])
    assert codes(r) == [("83020201", "name", "cell.formula"), ("83020201", "phone", "cell.error")]
    assert r.registers["villages"].records[0].values["name"] == "บ้านป่าตอง"


def test_required_and_conditionally_required():
    r = run(
        tab(
            "villages",
            row("villages", **{**VILLAGE, "name": " ", "joined_on": None}),
        ),
        registers=["villages"],
    )
    assert codes(r) == [
        ("83020201", "name", "required.missing"),
        ("83020201", "joined_on", "required.missing"),
    ]
    # not in the network: no date needed
    r = run(
        tab(
            "villages",
            row("villages", **{**VILLAGE, "safe_food_network": "ไม่ใช่", "joined_on": None}),
        ),
        registers=["villages"],
    )
    assert r.findings == []


def test_joined_on_in_the_future_is_an_error():
    r = run(
        tab("villages", row("villages", **{**VILLAGE, "joined_on": "11/09/2562"})),
        registers=["villages"],
    )
    assert codes(r) == [("83020201", "joined_on", "date.future")]


def test_duplicate_ids_flag_every_row():
    r = run(
        tab("villages", row("villages", **VILLAGE), row("villages", **VILLAGE)),
        registers=["villages"],
    )
    assert codes(r) == [("83020201", "village_id", "id.duplicate")] * 2
    assert "3" in r.findings[0].message_th and "2" in r.findings[1].message_th


def test_reference_to_a_missing_row():
    r = run(
        tab("villages", row("villages", **VILLAGE)),
        tab("producers", row("producers", **{**PRODUCER, "village_id": "83020299"})),
        registers=["villages", "producers"],
    )
    assert codes(r) == [("P-0001", "village_id", "ref.missing")]


def test_village_code_disagreements():
    r = run(
        tab(
            "villages",
            row("villages", **{**VILLAGE, "moo": "3"}),
            row("villages", **{**VILLAGE, "village_id": "83020102", "moo": "2"}),
        ),
        registers=["villages"],
    )
    assert codes(r) == [
        ("83020201", "moo", "village.moo_mismatch"),
        ("83020102", "tambon", "village.code_tambon"),
    ]


def test_tambon_of_another_amphoe_and_near_miss():
    r = run(
        tab(
            "villages",
            row("villages", **{**VILLAGE, "tambon": "ต.ป่าตอ"}),
            row(
                "villages",
                **{**VILLAGE, "village_id": "83030301", "tambon": "ป่าตอง", "amphoe": "อ.ถลาง"},
            ),
        ),
        registers=["villages"],
    )
    assert [c for _, _, c in codes(r)] == ["place.tambon_unknown", "place.tambon_unknown"]
    assert "ป่าตอง" in r.findings[0].message_th


def test_certificate_expired_and_expiring():
    prods = [
        row(
            "producers",
            **{
                **PRODUCER,
                "producer_id": "P-0001",
                "national_id": None,
                "kind": "วิสาหกิจชุมชน",
                "cert_expiry": "09/09/2562",
            },
        ),
        row(
            "producers",
            **{
                **PRODUCER,
                "producer_id": "P-0002",
                "national_id": None,
                "kind": "วิสาหกิจชุมชน",
                "cert_expiry": "10/09/2562",
            },
        ),
        row(
            "producers",
            **{
                **PRODUCER,
                "producer_id": "P-0003",
                "national_id": None,
                "kind": "วิสาหกิจชุมชน",
                "cert_expiry": "09/12/2562",
            },
        ),
        row(
            "producers",
            **{
                **PRODUCER,
                "producer_id": "P-0004",
                "national_id": None,
                "kind": "วิสาหกิจชุมชน",
                "cert_expiry": "10/12/2562",
            },
        ),
        row(
            "producers",
            **{
                **PRODUCER,
                "producer_id": "P-0005",
                "national_id": None,
                "kind": "วิสาหกิจชุมชน",
                "certification": "อยู่ระหว่างขอรับรอง",
                "cert_expiry": "01/01/2560",
            },
        ),
    ]
    r = run(
        tab("villages", row("villages", **VILLAGE)),
        tab("producers", *prods),
        registers=["villages", "producers"],
    )
    assert codes(r) == [
        ("P-0001", "cert_expiry", "cert.expired"),
        ("P-0002", "cert_expiry", "cert.expiring"),
        ("P-0003", "cert_expiry", "cert.expiring"),
    ]
    assert r.findings[0].severity.value == "warning"
    assert r.findings[1].severity.value == "notice"


def test_personal_values_are_masked_in_findings():
    r = run(
        tab("villages", row("villages", **VILLAGE)),
        tab(
            "producers",
            row("producers", **{**PRODUCER, "national_id": "1-1012-00001-86-1", "phone": "0812"}),
            row(
                "producers",
                **{
                    **PRODUCER,
                    "producer_id": "P-0002",
                    "national_id": "1101200001866",
                    "phone": "0812345678",
                },
            ),
            row(
                "producers",
                **{**PRODUCER, "producer_id": "P-0003", "national_id": "1 1012 00001 86 6"},
            ),
        ),
        registers=["villages", "producers"],
    )
    found = {(f.row_id, f.code): f for f in r.findings}
    assert found[("P-0001", "national_id.checksum")].value == "x-xxxx-xxxxx-xx-1"
    assert (
        found[("P-0001", "phone.invalid")].value == "xx"
        or "0812" not in found[("P-0001", "phone.invalid")].value
    )
    dup = found[("P-0002", "value.duplicate")]
    assert "1101200001866" not in dup.value and dup.value.endswith("6")
    for f in r.findings:
        assert "1101200001866" not in f.message_th + f.message_en
        assert "0812345678" not in f.value


def test_same_organisation_twice_in_a_fiscal_year():
    h = dict(
        organisation="สำนักงานพัฒนาชุมชนจังหวัดภูเก็ต",
        sector="ภาครัฐ",
        contribution="สนับสนุนงบประมาณ",
        fiscal_year="2562",
    )
    r = run(
        tab(
            "honorees",
            row("honorees", honoree_id="H-001", **h),
            row(
                "honorees", honoree_id="H-002", **{**h, "organisation": "สำนักงานพัฒนาชุมชน จังหวัดภูเก็ต"}
            ),
            row("honorees", honoree_id="H-003", **{**h, "fiscal_year": "2563"}),
        ),
        registers=["honorees"],
    )
    assert codes(r) == [("H-002", "organisation", "honoree.duplicate")]


def test_id_format_suggests_the_canonical_form():
    r = run(
        tab("buyers", row("buyers", buyer_id="b-7", name="โรงพยาบาลถลาง", buyer_type="รพ.")),
        registers=["buyers"],
    )
    assert codes(r) == [("b-7", "buyer_id", "id.format")]
    assert "B-007" in r.findings[0].message_th
    assert r.registers["buyers"].records[0].values["buyer_type"] == "โรงพยาบาล"


def test_finding_json_shape_is_stable():
    r = run(registers=["buyers"])
    assert list(r.findings[0].as_json()) == [
        "register",
        "tab",
        "row",
        "row_id",
        "column",
        "cell",
        "value",
        "severity",
        "code",
        "message_th",
        "message_en",
    ]


def test_cell_reference_is_a1_as_staff_see_it():
    r = run(
        tab("villages", row("villages", **{**VILLAGE, "phone": "12"}), title_rows=1),
        registers=["villages"],
    )
    assert r.findings[0].cell == "K3"
    assert r.findings[0].row == 3


def test_an_individuals_name_is_masked_even_in_findings_on_the_name_cell():
    long_name = "นางสมศรี " + "ก" * 60_000
    r = run(
        tab("villages", row("villages", **VILLAGE)),
        tab(
            "producers",
            row("producers", **{**PRODUCER, "name": long_name}),
            row(
                "producers",
                **{
                    **PRODUCER,
                    "producer_id": "P-0002",
                    "national_id": None,
                    "kind": "วิสาหกิจชุมชน",
                    "name": "วิสาหกิจ " + "ข" * 60_000,
                },
            ),
        ),
        registers=["villages", "producers"],
    )
    found = {(f.row_id, f.code): f for f in r.findings}
    assert found[("P-0001", "text.too_long")].value == "นxxxx"
    assert found[("P-0002", "text.too_long")].value.startswith("วิสาหกิจ ข")


def test_validation_leaves_the_collector_on_and_no_garbage_for_it():
    def once():
        return run(
            tab("villages", row("villages", **VILLAGE)),
            tab("producers", row("producers", **PRODUCER)),
            registers=["villages", "producers"],
        )

    once()
    gc.collect()
    before = gc.get_freeze_count()
    result = once()
    assert gc.isenabled() and gc.get_freeze_count() == before == 0
    assert gc.collect() == 0  # a run makes no reference cycles, so nothing for the collector
    assert result.registers["producers"].records[0].values["monthly_kg"] == 1200


def test_validation_leaves_frozen_objects_frozen():
    frozen = [object() for _ in range(3)]  # noqa: F841 - kept alive while frozen
    gc.freeze()
    try:
        count = gc.get_freeze_count()
        r = run(tab("villages", row("villages", **VILLAGE)), registers=["villages"])
        assert r.findings == []
        assert gc.get_freeze_count() == count and gc.isenabled()
    finally:
        gc.unfreeze()


def test_a_dash_is_how_offices_write_none():
    # "-" in a cell means "nothing to put here": the same as a blank, never a value to parse
    # (a lone "-" was the most common phone "error" in real registers, tests/data/real).
    v = dict(VILLAGE, phone="-", note="–")
    r = run(tab("villages", row("villages", **v)), registers=["villages"])
    assert r.findings == []
    assert r.registers["villages"].records[0].values["phone"] is None
    # where a value is required, a dash is a missing value and says so
    r = run(tab("villages", row("villages", **dict(VILLAGE, name=" - "))), registers=["villages"])
    assert codes(r) == [(VILLAGE["village_id"], "name", "required.missing")]
