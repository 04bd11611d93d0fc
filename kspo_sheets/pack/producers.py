"""Agenda item 2.3, producers: a summary, and the groups and enterprises by name.

Most producers are people (บุคคล), whose names, ID numbers and phones are personal data: a
meeting needs how many there are, where, of what and how certified, not who. So the
summary counts producers per village and per category (kind, certification, validity),
and the list names only groups, community enterprises and cooperatives that consented to
share their data; people appear in it only with --include-personal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from kspo_sheets.model import Record
from kspo_sheets.pack.tables import Col, PackData, Row, Styled, Table, as_number
from kspo_sheets.thai.collation import thai_key
from kspo_sheets.thai.dates import format_be

PERSON = "บุคคล"
CERTS = ("GAP", "เกษตรอินทรีย์", "PGS", "อยู่ระหว่างขอรับรอง", "ไม่มี")
CERTIFIED = ("GAP", "เกษตรอินทรีย์", "PGS")
CATEGORIES = ("พืชผัก", "ผลไม้", "ประมง", "ปศุสัตว์", "ข้าว", "อื่นๆ")
NO_VILLAGE = "ระบุหมู่บ้านไม่ได้ (ข้อมูลผิดพลาด)"
NO_CATEGORY = "ระบุหมวดไม่ได้ (ข้อมูลผิดพลาด)"
# Summary columns: key in the frame, header.
COUNTS = [
    ("producers", "ผู้ผลิต\n(ราย)"),
    ("person", "บุคคล"),
    ("group", "กลุ่ม/\nวิสาหกิจ/\nสหกรณ์"),
]
VALIDITY = [
    ("valid", "ใบรับรอง\nใช้ได้"),
    ("expired", "ใบรับรอง\nหมดอายุ"),
    ("errors", "มีข้อ\nผิดพลาด"),
]


def _frame(d: PackData) -> Any:
    """One row per producer counted (a usable ID, a repeated one once), as 0/1 columns."""
    import pandas as pd  # aggregation: the summary's counts per village and per category

    reg = "producers"
    certs = d.values_of(reg, "certification", CERTS)
    certified = set(_certified(d))
    as_of = d.result.as_of
    rows = []
    for p in d.producers.values():
        village = d.value(reg, p, "village_id")
        category = d.value(reg, p, "category")
        kind = d.value(reg, p, "kind")
        cert = d.value(reg, p, "certification")
        expiry = d.value(reg, p, "cert_expiry")
        rows.append(
            {
                "village": d.village_name(village) if village in d.villages else NO_VILLAGE,
                "category": str(category) if category is not None else NO_CATEGORY,
                "producers": 1,
                "person": int(kind == PERSON),
                "group": int(kind is not None and kind != PERSON),
                **{f"cert:{c}": int(cert == c) for c in certs},
                "valid": int(d.value(reg, p, "certificate_valid") is True),
                "expired": int(
                    cert in certified and isinstance(expiry, dt.date) and expiry < as_of
                ),
                "errors": int(p.has_error),
            }
        )
    columns = ["village", "category", *(k for k, _ in COUNTS)]
    columns += [f"cert:{c}" for c in certs] + [k for k, _ in VALIDITY]
    return pd.DataFrame(rows, columns=columns), certs


def _certified(d: PackData) -> tuple[str, ...]:
    spec = d.config.registers.get("producers")
    for rule in spec.rules if spec else ():
        if rule.get("rule") == "cert_expiry":
            return tuple(rule.get("certified", ()))
    return CERTIFIED


def summary_table(d: PackData) -> Table:
    """Producers per category and per village: kind, certification and its validity (one
    table, a section for each, so its header repeats right on every printed page)."""
    frame, certs = _frame(d)
    keys = [k for k, _ in COUNTS] + [f"cert:{c}" for c in certs] + [k for k, _ in VALIDITY]
    cols = [
        Col("ที่", "center", 6, 7),
        Col("หมวดผลผลิต / หมู่บ้าน", "wrap", 20, 32),
        *(Col(h, "int", 9, 11) for _, h in COUNTS),
        *(Col(_short(c), "count0", 9, 13) for c in certs),
        *(Col(h, "int", 9, 11) for _, h in VALIDITY),
    ]
    present = set(frame["village"])
    village_order = sorted((v for v in present if v != NO_VILLAGE), key=thai_key)
    village_order += [NO_VILLAGE] if NO_VILLAGE in present else []
    categories = list(d.values_of("producers", "category", CATEGORIES))
    present = set(frame["category"])
    category_order = [c for c in categories if c in present]
    category_order += sorted((c for c in present if c not in categories), key=thai_key)
    rows: list[Row] = []
    for by, head, order in (
        ("category", "หมวดผลผลิต", category_order),
        ("village", "หมู่บ้าน", village_order),
    ):
        rows.append(Row([f"ผู้ผลิตจำแนกตาม{head}"], "group"))
        sums = frame.groupby(by)[keys].sum()
        rows += [
            Row([n, name, *(int(sums.loc[name, k]) for k in keys)])
            for n, name in enumerate(order, start=1)
        ]
        rows.append(Row(["", "รวม", *(int(frame[k].sum()) for k in keys)], "subtotal"))
    return Table(cols, rows, summary_notes(d))


def summary_notes(d: PackData) -> list[str]:
    reg = "producers"
    id_key = d.records.id_key(reg)
    left = [r for r in d.all(reg) if d.records.why(reg, r, id_key) is not None]
    notes = [
        "นับผู้ผลิตทุกราย รวมผู้ที่ไม่ยินยอมเปิดเผยข้อมูล (นับได้ แต่ไม่แสดงชื่อ); ใบรับรองใช้ได้ ="
        f" มาตรฐาน {', '.join(_certified(d))} ที่ยังไม่หมดอายุ ณ วันที่ข้อมูล",
        "ค่าที่อ่านไม่ได้ (ข้อมูลผิดพลาด) ไม่นับในคอลัมน์ของค่านั้น ผลรวมของประเภทหรือมาตรฐานจึงอาจน้อยกว่า"
        " จำนวนผู้ผลิต; คอลัมน์มีข้อผิดพลาด = ผู้ผลิตที่มีข้อผิดพลาดในแถว (ดูรายการที่ต้องแก้ไขในภาคผนวก)",
    ]
    if left:
        # A row ID is shown only where the producer consented to share their data.
        shown = ", ".join(
            f"แถว {r.row} ({r.row_id if d.consented(r) and r.row_id else '-'}:"
            f" {_why(d, r, id_key)})"
            for r in left[:10]
        )
        more = f" และอีก {len(left) - 10:,} แถว" if len(left) > 10 else ""
        notes.append(f"ไม่นับ {len(left):,} แถวที่อ่านรหัสผู้ผลิตไม่ได้หรือรหัสซ้ำกับแถวก่อนหน้า: {shown}{more}")
    return notes


def _why(d: PackData, r: Record, key: str) -> str:
    from kspo_sheets.codes import short_th

    why = d.records.why("producers", r, key)
    return short_th(why[1]) if why else ""


def _short(cert: str) -> str:
    return {"เกษตรอินทรีย์": "เกษตร\nอินทรีย์", "อยู่ระหว่างขอรับรอง": "ระหว่าง\nขอรับรอง"}.get(cert, cert)


def list_table(d: PackData) -> Table:
    """Groups, community enterprises and cooperatives by name (people too, with
    --include-personal): only those who consented to share their data."""
    reg = "producers"
    personal = d.personal
    cols = [
        Col("ที่", "center", 6, 9),
        Col("รหัส\nผู้ผลิต", "center", 12, 14),
        Col("ชื่อผู้ผลิต/กลุ่ม", "wrap", 20, 40),
        Col("ประเภท", "wrap", 12, 20),
        Col("หมู่บ้าน", "wrap", 14, 24),
        *(
            [Col("เลขประจำตัว\nประชาชน", "center", 20, 24), Col("โทรศัพท์", "center", 16, 20)]
            if personal
            else []
        ),
        Col("หมวด", "text", 9, 12),
        Col("ผลผลิต", "wrap", 16, 28),
        Col("มาตรฐาน", "wrap", 10, 18),
        Col("ใบรับรอง", "wrap", 18, 28),
        Col("ผลผลิต/\nเดือน (กก.)", "kg", 12, 16),
        Col("ข้อผิดพลาด", "wrap", 16, 30),
    ]
    people: list[Record] = []
    groups: list[Record] = []
    unknown = hidden = 0
    for p in d.all(reg):
        kind = d.value(reg, p, "kind")
        if kind is None:
            unknown += 1  # cannot tell whether a person: never named
        elif kind == PERSON and not personal:
            continue
        elif not d.consented(p):
            hidden += 1
        else:
            (people if kind == PERSON else groups).append(p)
    rows: list[Row] = []
    n = 0
    kg = 0.0
    sections: list[tuple[str, list[Record]]] = [("กลุ่ม วิสาหกิจชุมชน และสหกรณ์", groups)]
    if personal:
        sections.append(("บุคคล", people))
    by_name: Callable[[Record], Any] = lambda p: (thai_key(p.values.get("name")), p.row)  # noqa: E731
    for label, items in sections:
        rows.append(Row([f"{label} ({len(items):,} ราย)"], "group"))
        for p in sorted(items, key=by_name):
            n += 1
            kg += as_number(d.value(reg, p, "monthly_kg"))
            rows.append(_producer_row(d, n, p))
    rows.append(Row(["", "", f"รวม {n:,} ราย", *[""] * (len(cols) - 5), kg, ""], "total"))
    notes = []
    if not personal:
        # as the summary counts them: a producer with a usable ID, a repeated one once
        people_n = sum(1 for p in d.producers.values() if d.value(reg, p, "kind") == PERSON)
        notes.append(
            f"ผู้ผลิตที่เป็นบุคคล {people_n:,} ราย แสดงเฉพาะจำนวน (ดูตารางสรุปผู้ผลิต) ไม่แสดงชื่อ"
            " ตามพระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562"
        )
    if hidden:
        notes.append(
            f"ไม่แสดงรายชื่อผู้ผลิต {hidden:,} ราย ที่ไม่ยินยอมหรือยังไม่ระบุความยินยอม"
            " ให้เปิดเผยข้อมูล (นับรวมในตารางสรุปผู้ผลิตแล้ว)"
        )
    if unknown:
        notes.append(
            f"ไม่แสดงชื่อผู้ผลิต {unknown:,} ราย ที่ระบุประเภทผู้ผลิตไม่ได้ (อาจเป็นบุคคล) จนกว่าจะแก้ในทะเบียน"
        )
    return Table(cols, rows, notes)


def _producer_row(d: PackData, n: int, p: Record) -> Row:
    reg = "producers"
    v = p.values
    village = d.value(reg, p, "village_id")
    personal = [d.national_id(v.get("national_id")), d.phone(v.get("phone"))] if d.personal else []
    return Row(
        [
            n,
            d.shown(reg, p, "producer_id"),
            d.producer_name(p),
            d.shown(reg, p, "kind"),
            d.village_name(village) if village else d.shown(reg, p, "village_id"),
            *personal,
            d.shown(reg, p, "category"),
            v.get("products"),
            d.shown(reg, p, "certification"),
            cert_status(d, p),
            d.shown(reg, p, "monthly_kg"),
            d.problems(reg, p),
        ]
    )


def cert_status(d: PackData, p: Record) -> Any:
    """ใช้ได้ถึง 14 ม.ค. 2564 (green), ใกล้หมดอายุ (amber), หมดอายุ (red), or a dash."""
    expiry = d.value("producers", p, "cert_expiry")
    if not isinstance(expiry, dt.date) or d.value(
        "producers", p, "certification"
    ) not in _certified(d):
        return "–"
    as_of = d.result.as_of
    when = format_be(expiry, "abbr")
    if expiry >= as_of:
        if (expiry - as_of).days <= d.notice_days:
            return Styled(f"ใกล้หมดอายุ {when}", "pending")
        return Styled(f"ใช้ได้ถึง {when}", "achieved")
    return Styled(f"หมดอายุ {when}", "not_achieved")
