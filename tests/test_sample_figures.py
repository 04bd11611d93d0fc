"""On the sample workbook, the figures a committee reads are the counts a person makes from
the registers, and the pack, the progress tab and `kspo sync --json` all say the same.

Every expected number below is a literal, derived in the comments from the sample's rows
(`kspo demo --out sample.xlsx`, seed 2562, run date 10/09/2562) and the mistakes planted
in them (kspo_sheets/commands/sample.py) - never computed by the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import PHUKET

from kspo_sheets.cli import cli
from kspo_sheets.commands.sample import build_sample
from kspo_sheets.pack.sheets import AGENDA_1, AGENDA_2_1, AGENDA_2_4, AGENDA_3, CHARTS, SUMMARY

AS_OF = dt.date(2019, 9, 10)

# (indicator, group) -> (actual, target, percent, rows left out, {register: {code: rows}})
#
# หมู่บ้าน (23 rows). เครือข่ายอาหารปลอดภัย = ใช่ on 13: 83030301 บางเทา, 83030302 เชิงทะเล,
# 83030403 บางโรง, 83030405 ผักฉีด, 83030504 ในยาง, 83030601 สาคู, 83030103 ดอน (ถลาง);
# 83020303 กมลา (กะทู้); 83010404 กู้กู, 83010302 สะปำ, 83010403 เกาะสิเหร่, 83010702 ราไวย์,
# 83010801 กะรน (เมืองภูเก็ต). Their codes are all good; the two broken codes (8303041
# ป่าคลอก, 84030604 หาดสุรินทร์) are not in the network. 83010801 has no joining date and
# 83010403 a date in the future: errors in a column the count does not read. So 13 of 10.
# Of the 13, 83030302 is not OTOP Nawatwithi (ไม่ใช่): 12 of 13 = 92.3%.
# Certified: each network village has a GAP producer certified past the run date (the
# sample anchors one in each): 13 of 13. Three producers in network villages have a
# certificate whose date cannot be read, and are left out: P-0084 (83010403, GAP,
# "ไม่ทราบ": date.invalid), P-0111 (83030301, PGS, 31/02/2563: date.impossible),
# P-0138 (83030103, GAP, no date: required.missing).
# Regular linkages: 83030103 and 83010403 have none (the sample leaves them without):
# 11 of 13 = 84.6%. Left out: L-0155 (ส่งประจำ from P-9999, no such producer:
# ref.missing) and L-0117 (status "รอ": enum.invalid; its producer P-0120 is in สาคู).
# 4 ร: regular linkages reach hospitals, schools, hotels and restaurants: 4 of 4. Left out:
# the three regular linkages to B-009, whose type "ตลาด" is not a 4 ร type (L-0045,
# L-0052, L-0157: buyers' enum.invalid), and L-0117 (status "รอ").
EXPECTED: dict[tuple[str, str], tuple[Any, Any, Any, int, dict[str, dict[str, int]]]] = {
    ("network_villages", ""): (13, 10, 130.0, 0, {}),
    ("network_nawatwithi", ""): (12, 13, 92.3, 0, {}),
    ("network_certified", ""): (
        13,
        13,
        100.0,
        3,
        {"producers": {"date.impossible": 1, "date.invalid": 1, "required.missing": 1}},
    ),
    ("network_regular_linkage", ""): (
        11,
        13,
        84.6,
        2,
        {"linkages": {"enum.invalid": 1, "ref.missing": 1}},
    ),
    ("buyer_types_4r", ""): (
        4,
        4,
        100.0,
        4,
        {"buyers": {"enum.invalid": 3}, "linkages": {"enum.invalid": 1}},
    ),
    # Target products of fiscal 2562, each its own actual / target (units in brackets):
    # เกษตร: T-001 12,430/12,000 กก. = 103.58 ✓, T-002 154,396/250,000 บาท = 61.76
    #   (fiscal year typed 2019: a warning, still 2562), T-003 443,101/400,000 บาท =
    #   110.78 ✓, T-005 8/25 คน = 32.00, T-006 1,121,719/900,000 บาท = 124.64 ✓;
    #   T-004 is of 2561. Baht, kg and people: no sum; 3 of 5 reached; mean 432.75/5 = 86.6.
    # แปรรูป: T-007 59,106/180,000 บาท = 32.84, T-009 24,764/20,000 ชิ้น = 123.82 ✓,
    #   T-011 1,222/1,500 กก. = 81.47, T-012 63,010/120,000 บาท = 52.51; T-010 is of 2561;
    #   T-008's year "2562-2563" cannot be read (year.invalid): left out. 1 of 4;
    #   mean 290.64/4 = 72.7.
    # ท่องเที่ยวโดยชุมชน: T-013 3,417/3,000 คน = 113.90 ✓, T-014 2,692/2,500 คน = 107.68 ✓,
    #   T-016 3,053/5,000 คน = 61.06, T-017 1,038/1,200 คน = 86.50, T-018 227,428/500,000
    #   บาท = 45.49; T-015's target is 0 (number.not_positive): left out. 2 of 5;
    #   mean 414.63/5 = 82.9.
    # All 14: 6 reached; mean 1,138.02/14 = 81.3. No field reached every target.
    ("target_products", "เกษตร"): (None, None, 86.6, 0, {}),
    ("target_products", "แปรรูป"): (None, None, 72.7, 1, {"target_products": {"year.invalid": 1}}),
    ("target_products", "ท่องเที่ยวโดยชุมชน"): (
        None,
        None,
        82.9,
        1,
        {"target_products": {"number.not_positive": 1}},
    ),
    ("target_products", "รวม"): (
        None,
        None,
        81.3,
        2,
        {"target_products": {"number.not_positive": 1, "year.invalid": 1}},
    ),
    # Nominations of fiscal 2562 (all 15): ภาครัฐ H-001, H-007, H-011, H-015; ภาคเอกชน
    # H-004, H-005, H-006; ภาคประชาสังคม H-008; สถาบันการศึกษา H-002, H-010 (the same
    # university again: a warning, still counted), H-012; รัฐวิสาหกิจ H-003, H-009, H-014.
    # H-013's sector "ภาคประชาชน" is not in the list: counted in the total, left out of
    # every sector. Approved: H-007, H-011; H-006; none (H-008 pending); H-010, H-012;
    # H-009, H-014; and H-013: 8.
    ("honorees_nominated", "ภาครัฐ"): (4, None, None, 1, {"honorees": {"enum.invalid": 1}}),
    ("honorees_nominated", "ภาคประชาสังคม"): (1, None, None, 1, {"honorees": {"enum.invalid": 1}}),
    ("honorees_nominated", "รวม"): (15, None, None, 0, {}),
    ("honorees_approved", "ภาคประชาสังคม"): (0, None, None, 1, {"honorees": {"enum.invalid": 1}}),
    ("honorees_approved", "รวม"): (8, None, None, 0, {}),
    # Rows with no error finding: หมู่บ้าน 23 less the 9 with an error (8303041, 84030604,
    # 83010601 tambon, 83030202 moo, 83020104 moo 104, 83020203 and 83020306 tambon,
    # 83010801 no date, 83010403 future date; 83030402's phone is only a warning) = 14.
    ("data_quality", "หมู่บ้าน"): (14, 23, 60.9, 0, {}),
    # ผลิตภัณฑ์เป้าหมาย: 18 less T-008 and T-015 = 16 (T-002's CE year is a warning).
    ("data_quality", "ผลิตภัณฑ์เป้าหมาย"): (16, 18, 88.9, 0, {}),
}
# Items reached / counted, for the target products' rows (see above).
ITEMS = {"เกษตร": (3, 5), "แปรรูป": (1, 4), "ท่องเที่ยวโดยชุมชน": (2, 5), "รวม": (6, 14)}


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample synced (with --json) and its meeting pack built."""
    folder = tmp_path_factory.mktemp("figures")
    source = folder / "sample.xlsx"
    build_sample(source, as_of=AS_OF)
    pristine = folder / "pristine.xlsx"
    shutil.copy(source, pristine)
    args = ["--config", str(PHUKET), "--source", str(source), "--as-of", "2019-09-10"]
    res = CliRunner().invoke(cli, ["sync", *args, "--json"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output.splitlines()[-1])
    packs = folder / "packs"
    pack = ["pack", "--config", str(PHUKET), "--source", str(pristine), "--as-of", "2019-09-10"]
    res = CliRunner().invoke(cli, [*pack, "--out-dir", str(packs)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return {"json": doc, "workbook": source, "pack": next(packs.glob("*.xlsx"))}


def test_sync_json_says_what_a_person_counts(synced: dict[str, Any]) -> None:
    by = {(i["id"], i["group"]): i for i in synced["json"]["indicators"]}
    for key, (actual, target, percent, left, why) in EXPECTED.items():
        got = by[key]
        assert (got["actual"], got["target"], got["percent"]) == (actual, target, percent), key
        assert (got["excluded_rows"], got["left_out"]) == (left, why), key
    for group, (k, n) in ITEMS.items():
        got = by[("target_products", group)]
        assert (got["items_achieved"], got["items"], got["method"]) == (k, n, "mean"), group
    assert by[("network_villages", "")]["reads"] == {
        "villages": ["village_id", "safe_food_network"]
    }


def test_the_progress_tab_says_the_same(synced: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(synced["workbook"], read_only=True)
    rows = list(wb["สรุปความก้าวหน้า"].iter_rows(values_only=True))
    by = {(r[8], r[1] or ""): r for r in rows if len(r) > 10 and r[8]}
    for key, (actual, target, percent, left, _) in EXPECTED.items():
        r = by[key]
        assert r[2] == (actual if actual is not None else "–"), key
        assert (r[4] or None) == percent, key  # (130.0 is written as 130)
        assert r[7] == left, key
        if target is not None:
            assert str(r[3]).startswith(str(target)), key  # "13 (≥100%)" for a share
    # Why, in Thai, by the register the errors are in.
    assert by[("network_certified", "")][9] == ("ผู้ผลิต: วันที่ไม่มีจริง 1, วันที่อ่านไม่ได้ 1, ไม่ได้กรอก 1")
    assert by[("buyer_types_4r", "")][9] == (
        "ผู้ซื้อ 4 ร: ค่าไม่อยู่ในรายการ 3 · การเชื่อมโยง: ค่าไม่อยู่ในรายการ 1"
    )
    for group, (k, n) in ITEMS.items():
        assert by[("target_products", group)][10] == f"บรรลุ {k} จาก {n}"


def test_the_pack_summary_says_the_same(synced: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(synced["pack"], read_only=True)
    rows = list(wb[SUMMARY].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[:2] == ("ที่", "ตัวชี้วัด"))
    current = ""
    seen = {}

    def flat(v: Any) -> str:
        # the pack breaks long text between words: compared without the breaks
        return "".join(str(v or "").split())

    for r in rows[head + 1 :]:
        if r[1]:
            current = flat(r[1])
        if r[0] is None and r[1] is None and r[2] is None:
            continue
        seen[(current, flat(r[2]))] = r
    labels = {
        "network_villages": "หมู่บ้านในเครือข่ายอาหารปลอดภัย",
        "network_nawatwithi": "หมู่บ้านเครือข่ายที่เป็นชุมชนท่องเที่ยว OTOP นวัตวิถี",
        "target_products": "ผลการดำเนินงานผลิตภัณฑ์เป้าหมาย",
        "data_quality": "สัดส่วนแถวที่ไม่มีข้อผิดพลาด",
    }
    for (ind, group), (actual, target, percent, left, _) in EXPECTED.items():
        if ind not in labels:
            continue
        r = seen[(flat(labels[ind]), flat(group))]
        assert r[3:6] == (
            actual if actual is not None else "–",
            target if target is not None else "–",
            percent,
        ), (ind, group)
        assert r[10] == left, (ind, group)
    for group, (k, n) in ITEMS.items():
        assert flat(seen[(flat(labels["target_products"]), flat(group))][8]) == f"{k}จาก{n}"


def test_the_pack_lists_every_row_and_its_headings_add_up(synced: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(synced["pack"], read_only=True)

    def listed(sheet: str) -> list[tuple[Any, ...]]:
        return [r for r in wb[sheet].iter_rows(values_only=True) if isinstance(r[0], int)]

    # Every row of the register, numbered: 23 villages, 18 products, 200 linkages, 15
    # nominations (the sample's row counts).
    assert len(listed(AGENDA_2_1)) == 23
    assert len(listed(AGENDA_1)) == 18
    assert len(listed(AGENDA_2_4)) == 200
    assert len(listed(AGENDA_3)) == 15
    groups = [
        str(r[0])
        for r in wb[AGENDA_2_1].iter_rows(values_only=True)
        if r[0] and not isinstance(r[0], int) and "(" in str(r[0])
    ]
    # 13 network villages; 8 usable villages outside it; the 2 broken codes on their own.
    assert groups[:3] == [
        "หมู่บ้านในเครือข่ายอาหารปลอดภัย (13 หมู่บ้าน)",
        "หมู่บ้านที่ยังไม่เข้าร่วมเครือข่าย (8 หมู่บ้าน)",
        "แถวที่อ่านรหัสหมู่บ้านหรือสถานะเครือข่ายไม่ได้ (ไม่นับ จนกว่าจะแก้ในทะเบียน) (2 แถว)",
    ]
    # Parsed values are shown as people write them, never as the program's objects.
    cells = [str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r]
    assert not [c for c in cells if "code8=" in c or "name_th=" in c]
    # A row with an error carries its finding in the last column: 9 villages (see above).
    marked = [r for r in listed(AGENDA_2_1) if r[-1]]
    assert len(marked) == 9
    assert any("ตำบล:ตำบลไม่อยู่ในอำเภอ" in "".join(str(r[-1]).split()) for r in marked)


def test_the_charts_use_the_tables_counts(synced: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(synced["pack"], read_only=True)
    rows = [r for r in wb[CHARTS].iter_rows(values_only=True) if any(v is not None for v in r)]
    # Network villages: 13 against 10 (as the summary). Villages by amphoe, from the codes
    # that can be read (see above): กะทู้ 83020104, 83020203, 83020303, 83020306 = 4, one in
    # the network (83020303); ถลาง 10 of which 7 in the network; เมืองภูเก็ต 7, 5 in it.
    # 4 + 10 + 7 = 21 = the villages table's 13 + 8.
    assert ("ผลการดำเนินงาน", 13) in [r[:2] for r in rows]
    assert ("เป้าหมาย", 10) in [r[:2] for r in rows]
    by_amphoe = {r[0]: r[1:3] for r in rows if r[0] in ("กะทู้", "ถลาง", "เมืองภูเก็ต")}
    assert by_amphoe == {"กะทู้": (4, 1), "ถลาง": (10, 7), "เมืองภูเก็ต": (7, 5)}
    fields = {r[0]: r[1] for r in rows if str(r[0]).startswith("ด้าน")}
    assert fields == {"ด้านเกษตร": 86.6, "ด้านแปรรูป": 72.7, "ด้านท่องเที่ยวโดยชุมชน": 82.9}


def test_agenda_3_has_a_decision_column_and_flags_a_double_nomination(
    synced: dict[str, Any],
) -> None:
    wb = openpyxl.load_workbook(synced["pack"], read_only=True)
    rows = list(wb[AGENDA_3].iter_rows(values_only=True))
    head = next(r for r in rows if r[0] == "ที่")
    assert head[-1] == "มติที่ประชุม"
    listed = {r[1]: r for r in rows if isinstance(r[0], int)}
    assert all(r[-1] is None for r in listed.values())  # left for the meeting to fill in
    # มหาวิทยาลัยราชภัฏภูเก็ต (H-002) and "มหาวิทยาลัยราชภัฏ ภูเก็ต" (H-010), both 2562.
    flagged = {rid for rid, r in listed.items() if r[-2] and "เสนอซ้ำ" in str(r[-2])}
    assert flagged == {"H-002", "H-010"}
    assert "H-002, H-010" in str(listed["H-010"][-2])
