"""Agenda item 2, the safe-food network, as tables: villages, 4 ร coverage, producers, linkages.

Producers are personal data where the producer is a person (บุคคล): names, national IDs and
phones are masked unless the caller asks for them, and a producer who has not said yes to
sharing (consent) is never listed, only counted.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from kspo_sheets.model import Record
from kspo_sheets.pack.tables import (
    BUYER_TYPES,
    HIDDEN,
    REGULAR,
    STATUSES,
    Col,
    PackData,
    Row,
    Styled,
    Table,
    as_number,
    excluded_note,
    name_of,
)
from kspo_sheets.thai.collation import thai_key
from kspo_sheets.thai.dates import format_be

# --- agenda 2: the safe-food network -------------------------------------------


def village_counts(d: PackData) -> dict[str, Counter[str]]:
    """Per village code: producers, certified producers, regular linkages (clean rows)."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for p in d.producers.values():
        code = name_of(p.values.get("village_id"))
        out[code]["producers"] += 1
        out[code]["certified"] += bool(p.values.get("certificate_valid"))
    for link in d.clean("linkages"):
        if link.values.get("status") == REGULAR and link.values.get("village_id"):
            out[str(link.values["village_id"])]["regular"] += 1
    return out


def villages_table(d: PackData) -> Table:
    cols = [
        Col("ที่", "center", 6, 7),
        Col("รหัสหมู่บ้าน", "center", 15, 17),
        Col("หมู่บ้าน/ชุมชน", "wrap", 18, 30),
        Col("ตำบล", "text", 10, 22),
        Col("อำเภอ", "text", 10, 20),
        Col("คณะทำงาน", "wrap", 12, 30),
        Col("OTOP\nนวัตวิถี", "center", 10, 11),
        Col("เครือข่าย\nอาหาร\nปลอดภัย", "center", 10, 12),
        Col("วันที่\nเข้าร่วม", "date", 19, 20),
        Col("ผู้ผลิต\n(ราย)", "int", 9, 10),
        Col("ได้รับ\nรอง\nมาตรฐาน", "int", 9, 10),
        Col("ส่ง\nประจำ\n(รายการ)", "int", 10, 11),
        Col("หมายเหตุ", "wrap", 16, 28),
    ]
    counts = village_counts(d)

    def key(v: Record) -> tuple[Any, ...]:
        return (thai_key(name_of(v.values.get("amphoe"))), thai_key(v.values.get("name")))

    villages = sorted(d.villages.values(), key=key)
    network = [v for v in villages if v.values.get("safe_food_network")]
    others = [v for v in villages if not v.values.get("safe_food_network")]
    rows: list[Row] = []
    n = 0
    totals: Counter[str] = Counter()
    for label, group in (
        ("หมู่บ้านในเครือข่ายอาหารปลอดภัย", network),
        ("หมู่บ้านที่ยังไม่เข้าร่วมเครือข่าย", others),
    ):
        if not group:
            continue
        rows.append(Row([f"{label} ({len(group)} หมู่บ้าน)"], "group"))
        for v in group:
            n += 1
            code = name_of(v.values.get("village_id"))
            c = counts.get(code, Counter())
            totals.update(c)
            rows.append(
                Row(
                    [
                        n,
                        code,
                        v.values.get("name"),
                        name_of(v.values.get("tambon")),
                        name_of(v.values.get("amphoe")),
                        v.values.get("working_group"),
                        v.values.get("nawatwithi"),
                        v.values.get("safe_food_network"),
                        v.values.get("joined_on"),
                        c["producers"],
                        c["certified"],
                        c["regular"],
                        v.values.get("note"),
                    ]
                )
            )
    rows.append(
        Row(
            [
                "",
                "",
                f"รวม {n} หมู่บ้าน (ในเครือข่าย {len(network)})",
                *[""] * 6,
                totals["producers"],
                totals["certified"],
                totals["regular"],
                "",
            ],
            "total",
        )
    )
    notes = [
        "ผู้ผลิตนับทุกรายในหมู่บ้าน รวมผู้ที่ไม่ยินยอมเปิดเผยข้อมูล; ได้รับรองมาตรฐาน = ใบรับรองยังไม่หมดอายุ ณ วันที่ข้อมูล",
        *excluded_note(d.excluded("villages")),
    ]
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
        *excluded_note(d.excluded("linkages") + d.excluded("buyers")),
    ]
    series = [(t, per_type[t][0], per_type[t][1]) for t in types]
    return Table(cols, rows, notes), series


def producers_table(d: PackData) -> Table:
    cols = [
        Col("ที่", "center", 6, 9),
        Col("รหัส\nผู้ผลิต", "center", 12, 14),
        Col("หมู่บ้าน", "wrap", 14, 24),
        Col("ชื่อผู้ผลิต/กลุ่ม", "wrap", 14, 30),
        Col("ประเภท", "wrap", 12, 24),
        Col("เลขประจำตัว\nประชาชน", "center", 20, 28),
        Col("โทรศัพท์", "center", 16, 22),
        Col("ผลผลิต", "wrap", 16, 28),
        Col("มาตรฐาน", "wrap", 12, 22),
        Col("ใบรับรอง", "wrap", 18, 32),
        Col("ผลผลิต/\nเดือน (กก.)", "kg", 12, 16),
    ]
    listed = [p for p in d.producers.values() if d.consented(p)]
    hidden = len(d.producers) - len(listed)
    listed.sort(
        key=lambda p: (
            thai_key(d.village_name(p.values.get("village_id"))),
            str(p.values.get("producer_id") or ""),
        )
    )
    as_of = d.result.as_of
    rows: list[Row] = []
    kg = 0.0
    for n, p in enumerate(listed, start=1):
        v = p.values
        kg += as_number(v.get("monthly_kg"))
        rows.append(
            Row(
                [
                    n,
                    v.get("producer_id"),
                    d.village_name(v.get("village_id")),
                    d.producer_name(p),
                    v.get("kind"),
                    d.national_id(v.get("national_id")),
                    d.phone(v.get("phone")),
                    v.get("products"),
                    v.get("certification"),
                    _cert_status(d, v.get("certificate_valid"), v.get("cert_expiry"), as_of),
                    v.get("monthly_kg"),
                ]
            )
        )
    rows.append(
        Row(["", "", f"รวม {len(listed):,} ราย", *[""] * 7, kg], "total"),
    )
    notes = []
    if hidden:
        notes.append(
            f"ไม่แสดงรายชื่อผู้ผลิต {hidden:,} ราย ที่ไม่ยินยอมหรือยังไม่ระบุความยินยอม"
            " ให้เปิดเผยข้อมูล (นับรวมในจำนวนผู้ผลิตของหมู่บ้านแล้ว)"
        )
    if not d.personal:
        notes.append(
            "ปกปิดข้อมูลส่วนบุคคล (ชื่อบุคคล เลขประจำตัวประชาชน โทรศัพท์)"
            " ตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562"
        )
    notes.extend(excluded_note(d.excluded("producers")))
    return Table(cols, rows, notes)


def _cert_status(d: PackData, valid: Any, expiry: Any, as_of: dt.date) -> Any:
    """ใช้ได้ถึง 14 ม.ค. 2564 (green), ใกล้หมดอายุ (amber), หมดอายุ (red), or a dash."""
    if not isinstance(expiry, dt.date):
        return "–"
    when = format_be(expiry, "abbr")
    if valid:
        if (expiry - as_of).days <= d.notice_days:
            return Styled(f"ใกล้หมดอายุ {when}", "pending")
        return Styled(f"ใช้ได้ถึง {when}", "achieved")
    if expiry < as_of:
        return Styled(f"หมดอายุ {when}", "not_achieved")
    return when


def linkages_table(d: PackData) -> Table:
    cols = [
        Col("ที่", "center", 6, 9),
        Col("รหัส", "center", 12, 14),
        Col("รหัส\nผู้ผลิต", "center", 12, 18),
        Col("ผู้ผลิต", "wrap", 14, 26),
        Col("หมู่บ้าน", "wrap", 14, 24),
        Col("ผู้ซื้อ", "wrap", 18, 34),
        Col("ประเภท\nผู้ซื้อ", "text", 12, 18),
        Col("สินค้า", "wrap", 14, 26),
        Col("ปริมาณ/\nเดือน (กก.)", "kg", 12, 16),
        Col("มูลค่า/\nเดือน (บาท)", "baht", 14, 20),
        Col("วันที่เริ่ม", "date", 19, 20),
    ]
    statuses = [s for s in STATUSES if s in d.values_of("linkages", "status", STATUSES)]
    statuses += [s for s in d.values_of("linkages", "status", ()) if s not in statuses]
    type_rank = {t: i for i, t in enumerate(d.values_of("buyers", "buyer_type", BUYER_TYPES))}
    links = d.clean("linkages")
    rows: list[Row] = []
    n = 0
    grand = [0.0, 0.0]
    for status in statuses:
        items = [r for r in links if r.values.get("status") == status]
        if not items:
            continue

        def order(r: Record) -> tuple[Any, ...]:
            b = d.buyers.get(r.values.get("buyer_id"))
            btype = str(b.values.get("buyer_type")) if b else ""
            return (
                type_rank.get(btype, len(type_rank)),
                thai_key(str(b.values.get("name") or "") if b else ""),
                thai_key(d.village_name(r.values.get("village_id"))),
                r.row_id,
            )

        items.sort(key=order)
        rows.append(Row([f"{status} ({len(items):,} รายการ)"], "group"))
        kg = baht = 0.0
        for r in items:
            n += 1
            v = r.values
            p = d.producers.get(v.get("producer_id"))
            b = d.buyers.get(v.get("buyer_id"))
            shown = d.consented(p)
            kg += as_number(v.get("monthly_kg"))
            baht += as_number(v.get("monthly_baht"))
            rows.append(
                Row(
                    [
                        n,
                        r.row_id,
                        v.get("producer_id") if shown else HIDDEN,
                        d.producer_name(p) if shown and p else HIDDEN,
                        d.village_name(d.producer_village.get(v.get("producer_id"))),
                        b.values.get("name") if b else v.get("buyer_id"),
                        b.values.get("buyer_type") if b else "",
                        v.get("product"),
                        v.get("monthly_kg"),
                        v.get("monthly_baht"),
                        v.get("started_on"),
                    ]
                )
            )
        rows.append(Row(["", "", "", f"รวม{status}", *[""] * 4, kg, baht, ""], "subtotal"))
        grand[0] += kg
        grand[1] += baht
    rows.append(Row(["", "", "", f"รวมทั้งหมด {n:,} รายการ", *[""] * 4, *grand, ""], "total"))
    notes = [
        f"ผู้ผลิตที่ไม่ยินยอมเปิดเผยข้อมูลแสดงเป็น {HIDDEN}",
        *excluded_note(d.excluded("linkages")),
    ]
    return Table(cols, rows, notes)
