"""Agenda item 2, the safe-food network, as tables: villages, 4 ร coverage, linkages.

Villages and linkages list every row of their register, grouped as the figures count them
(network villages, villages not in the network, rows whose ID or status cannot be read),
so each heading's count is the one the summary and the charts show. Producers are in
producers.py.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kspo_sheets.model import Record
from kspo_sheets.pack.tables import (
    BUYER_TYPES,
    HIDDEN,
    STATUSES,
    Col,
    PackData,
    Row,
    Styled,
    Table,
    as_number,
    name_of,
)
from kspo_sheets.progress.breakdowns import regular_links, village_counts
from kspo_sheets.progress.wording import why_text
from kspo_sheets.thai.collation import thai_key

# --- agenda 2: the safe-food network -------------------------------------------


def villages_table(d: PackData) -> Table:
    cols = [
        Col("ที่", "center", 6, 7),
        Col("รหัสหมู่บ้าน", "center", 15, 17),
        Col("หมู่บ้าน/ชุมชน", "wrap", 18, 28),
        Col("ตำบล", "text", 10, 20),
        Col("อำเภอ", "text", 10, 18),
        Col("คณะทำงาน", "wrap", 12, 26),
        Col("OTOP\nนวัตวิถี", "center", 10, 11),
        Col("เครือข่าย\nอาหาร\nปลอดภัย", "center", 10, 12),
        Col("วันที่\nเข้าร่วม", "date", 18, 20),
        Col("ผู้ผลิต\n(ราย)", "int", 9, 10),
        Col("ได้รับ\nรอง\nมาตรฐาน", "int", 9, 10),
        Col("ส่ง\nประจำ\n(รายการ)", "int", 10, 11),
        Col("หมายเหตุ", "wrap", 14, 26),
        Col("ข้อผิดพลาด", "wrap", 16, 30),
    ]
    reg = "villages"
    counts = village_counts(d.records)
    network: list[Record] = []
    others: list[Record] = []
    broken: list[Record] = []
    for v in d.all(reg):
        code = d.value(reg, v, "village_id")
        if code is None or d.villages.get(code) is not v:
            broken.append(v)  # no usable code, or a repeat of one: not a village of its own
        elif d.records.why(reg, v, "safe_food_network") is not None:
            broken.append(v)
        elif d.value(reg, v, "safe_food_network") is True:
            network.append(v)
        else:
            others.append(v)

    def key(v: Record) -> tuple[Any, ...]:
        amphoe = d.value(reg, v, "amphoe") or ""
        return (thai_key(str(amphoe)), thai_key(v.values.get("name")), v.row)

    rows: list[Row] = []
    n = 0
    totals: Counter[str] = Counter()
    groups = (
        ("หมู่บ้านในเครือข่ายอาหารปลอดภัย", network),
        ("หมู่บ้านที่ยังไม่เข้าร่วมเครือข่าย", others),
        ("แถวที่อ่านรหัสหมู่บ้านหรือสถานะเครือข่ายไม่ได้ (ไม่นับ จนกว่าจะแก้ในทะเบียน)", broken),
    )
    for label, group in groups:
        if not group:
            continue
        unit = "แถว" if group is broken else "หมู่บ้าน"
        rows.append(Row([f"{label} ({len(group):,} {unit})"], "group"))
        for v in sorted(group, key=key):
            n += 1
            code = d.value(reg, v, "village_id")
            c = counts.get(code, Counter()) if group is not broken else Counter()
            totals.update(c)
            rows.append(
                Row(
                    [
                        n,
                        name_of(d.shown(reg, v, "village_id")),
                        d.shown(reg, v, "name"),
                        name_of(d.shown(reg, v, "tambon")),
                        name_of(d.shown(reg, v, "amphoe")),
                        d.shown(reg, v, "working_group"),
                        d.shown(reg, v, "nawatwithi"),
                        d.shown(reg, v, "safe_food_network"),
                        d.shown(reg, v, "joined_on"),
                        c["producers"] if group is not broken else "–",
                        c["certified"] if group is not broken else "–",
                        c["regular"] if group is not broken else "–",
                        v.values.get("note"),
                        d.problems(reg, v),
                    ]
                )
            )
    villages = len(network) + len(others)
    label = f"รวม {n:,} แถว: หมู่บ้าน {villages:,} (ในเครือข่าย {len(network):,})"
    rows.append(
        Row(
            [
                "",
                "",
                label,
                *[""] * 6,
                totals["producers"],
                totals["certified"],
                totals["regular"],
                "",
                "",
            ],
            "total",
        )
    )
    notes = [
        "ผู้ผลิตนับทุกรายในหมู่บ้าน รวมผู้ที่ไม่ยินยอมเปิดเผยข้อมูล; ได้รับรองมาตรฐาน = ใบรับรองยังไม่หมดอายุ"
        " ณ วันที่ข้อมูล; ข้อผิดพลาดในคอลัมน์อื่น (เช่น ตำบล เบอร์โทรศัพท์ วันที่เข้าร่วม) ไม่ทำให้หมู่บ้านถูกตัดออก",
    ]
    unplaced = counts.get(None, Counter())
    if unplaced["producers"] or unplaced["regular"]:
        notes.append(
            f"ผู้ผลิต {unplaced['producers']:,} ราย และการเชื่อมโยงส่งประจำ {unplaced['regular']:,} รายการ"
            " ระบุหมู่บ้านไม่ได้ (รหัสหมู่บ้านของผู้ผลิตมีข้อผิดพลาด) จึงไม่อยู่ในตารางนี้"
        )
    return Table(cols, rows, notes)


def coverage_table(d: PackData) -> tuple[Table, list[tuple[str, int, int]]]:
    """Network village x buyer type (regular linkages); and per type: linkages, villages."""
    types = d.values_of("buyers", "buyer_type", BUYER_TYPES)
    cols = [
        Col("ที่", "center", 6, 7),
        Col("รหัสหมู่บ้าน", "center", 15, 17),
        Col("หมู่บ้าน/ชุมชน", "text", 18, 34),
        Col("อำเภอ", "text", 10, 20),
        *[Col(t, "count0", 12, 18) for t in types],
        Col("ครอบคลุม\n(ประเภท)", "int", 12, 16),
    ]
    matrix = sorted(
        d.progress.breakdowns.get("coverage_4r", []),
        key=lambda m: (thai_key(m.get("amphoe")), thai_key(m.get("name"))),
    )
    rows: list[Row] = []
    per_type = {t: [0, 0] for t in types}
    for n, m in enumerate(matrix, start=1):
        cells: list[Any] = [n, m.get("village_id"), m.get("name"), m.get("amphoe")]
        for t in types:
            k = int(m.get(t, 0) or 0)
            per_type[t][0] += k
            per_type[t][1] += bool(k)
            cells.append(Styled(k, "covered") if k else k)
        covered = int(m.get("types_covered", 0) or 0)
        cells.append(Styled(covered, "achieved") if covered == len(types) else covered)
        rows.append(Row(cells))
    covered_types = sum(1 for t in types if per_type[t][0])
    rows.append(
        Row(
            [
                "",
                "",
                "รวมการเชื่อมโยงส่งประจำ",
                "",
                *[per_type[t][0] for t in types],
                covered_types,
            ],
            "total",
        )
    )
    rows.append(
        Row(
            ["", "", "หมู่บ้านที่ส่งให้ผู้ซื้อประเภทนี้", "", *[per_type[t][1] for t in types], ""],
            "subtotal",
        )
    )
    notes = [
        "ตัวเลข = จำนวนการเชื่อมโยงที่มีสถานะส่งประจำ จากผู้ผลิตในหมู่บ้านถึงผู้ซื้อแต่ละประเภท"
        " (โรงพยาบาล โรงเรียน โรงแรม ร้านอาหาร: 4 ร)",
    ]
    _, left = regular_links(d.records)
    if left.counts:
        why = why_text(d.config, left.as_dict())
        notes.append(
            f"ไม่นับการเชื่อมโยง {sum(left.counts.values()):,} รายการ ที่ค่าที่ใช้ (สถานะ ผู้ผลิตและหมู่บ้าน"
            f" ผู้ซื้อและประเภท) มีข้อผิดพลาด: {why}"
        )
    series = [(t, per_type[t][0], per_type[t][1]) for t in types]
    return Table(cols, rows, notes), series


def linkages_table(d: PackData) -> Table:
    cols = [
        Col("ที่", "center", 6, 9),
        Col("รหัส", "center", 12, 14),
        Col("รหัส\nผู้ผลิต", "center", 12, 18),
        Col("ผู้ผลิต", "wrap", 14, 26),
        Col("หมู่บ้าน", "wrap", 14, 24),
        Col("ผู้ซื้อ", "wrap", 18, 32),
        Col("ประเภท\nผู้ซื้อ", "text", 12, 18),
        Col("สินค้า", "wrap", 14, 24),
        Col("ปริมาณ/\nเดือน (กก.)", "kg", 12, 16),
        Col("มูลค่า/\nเดือน (บาท)", "baht", 14, 20),
        Col("วันที่เริ่ม", "date", 18, 20),
        Col("ข้อผิดพลาด", "wrap", 16, 30),
    ]
    reg = "linkages"
    statuses = [s for s in STATUSES if s in d.values_of(reg, "status", STATUSES)]
    statuses += [s for s in d.values_of(reg, "status", ()) if s not in statuses]
    type_rank = {t: i for i, t in enumerate(d.values_of("buyers", "buyer_type", BUYER_TYPES))}
    own = d.records.by_id(reg)
    by_status: dict[str, list[Record]] = {s: [] for s in statuses}
    broken: list[Record] = []
    for r in d.all(reg):
        status = d.value(reg, r, "status")
        code = d.value(reg, r, d.records.id_key(reg))
        if status not in by_status or code is None or own.get(code) is not r:
            broken.append(r)
        else:
            by_status[status].append(r)

    def buyer(r: Record) -> Record | None:
        return d.buyers.get(d.value(reg, r, "buyer_id"))

    def order(r: Record) -> tuple[Any, ...]:
        b = buyer(r)
        btype = str(d.value("buyers", b, "buyer_type") or "") if b else ""
        return (
            type_rank.get(btype, len(type_rank)),
            thai_key(str(b.values.get("name") or "") if b else ""),
            thai_key(d.village_name(d.value(reg, r, "village_id"))),
            r.row_id,
        )

    rows: list[Row] = []
    n = 0
    grand = [0.0, 0.0]
    groups = [(s, f"รวม{s}", items) for s, items in by_status.items()]
    groups.append(("อ่านรหัสหรือสถานะไม่ได้ (ข้อมูลผิดพลาด)", "รวมแถวที่มีข้อผิดพลาด", broken))
    for label, sub, items in groups:
        if not items:
            continue
        items.sort(key=order)
        unit = "แถว" if items is broken else "รายการ"
        rows.append(Row([f"{label} ({len(items):,} {unit})"], "group"))
        kg = baht = 0.0
        for r in items:
            n += 1
            row, k, b = _linkage_row(d, n, r, buyer(r))
            kg += k
            baht += b
            rows.append(row)
        rows.append(Row(["", "", "", sub, *[""] * 4, kg, baht, "", ""], "subtotal"))
        grand[0] += kg
        grand[1] += baht
    rows.append(Row(["", "", "", f"รวมทั้งหมด {n:,} รายการ", *[""] * 4, *grand, "", ""], "total"))
    notes = [
        f"ผู้ผลิตที่ไม่ยินยอมเปิดเผยข้อมูลแสดงเป็น {HIDDEN}; ปริมาณและมูลค่ารวมเฉพาะค่าที่อ่านได้"
        " (ค่าที่มีข้อผิดพลาดแสดงตามที่พิมพ์ แต่ไม่รวม)",
    ]
    return Table(cols, rows, notes)


def _linkage_row(d: PackData, n: int, r: Record, b: Record | None) -> tuple[Row, float, float]:
    reg = "linkages"
    v = r.values
    p = d.producers.get(d.value(reg, r, "producer_id"))
    shown_p = d.consented(p)
    if p is not None:
        shown = shown_p
        producer_id: Any = v.get("producer_id") if shown else HIDDEN
        producer: Any = (d.producer_name(p) or "–") if shown else HIDDEN
    else:
        producer_id, producer = d.shown(reg, r, "producer_id"), "–"
    kg = d.value(reg, r, "monthly_kg")
    baht = d.value(reg, r, "monthly_baht")
    village = d.value(reg, r, "village_id")
    row = Row(
        [
            n,
            r.row_id,
            producer_id,
            producer,
            d.village_name(village) if village else "–",
            b.values.get("name") if b else d.shown(reg, r, "buyer_id"),
            (d.value("buyers", b, "buyer_type") or d.shown("buyers", b, "buyer_type")) if b else "",
            d.shown(reg, r, "product"),
            d.shown(reg, r, "monthly_kg"),
            d.shown(reg, r, "monthly_baht"),
            d.shown(reg, r, "started_on"),
            d.problems(
                reg,
                r,
                d.problem_in("buyers", b, "buyer_type", "ผู้ซื้อ"),
                d.problem_in("producers", p, "village_id", "ผู้ผลิต") if shown_p else "",
            ),
        ]
    )
    return row, as_number(kg), as_number(baht)
