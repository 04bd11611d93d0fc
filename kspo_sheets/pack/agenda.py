"""Agenda items 1 and 3 as tables: target products by field, honours by sector."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from kspo_sheets.model import STATUS_TH, Record
from kspo_sheets.pack.tables import (
    DECISION_STYLE,
    FIELDS,
    SECTORS,
    Col,
    PackData,
    Row,
    Styled,
    Table,
    as_number,
    excluded_note,
    percent_of,
)
from kspo_sheets.thai.collation import thai_key

# --- agenda 1: target products --------------------------------------------------


def target_products(d: PackData) -> tuple[Table, dict[str, float | None]]:
    """Products of the current fiscal year by field, with subtotals; and percent by field."""
    cols = [
        Col("ที่", "center", 6, 7),
        Col("รหัส", "center", 9, 11),
        Col("ผลิตภัณฑ์", "wrap", 24, 44),
        Col("หมู่บ้าน", "wrap", 14, 28),
        Col("ตัวชี้วัด", "wrap", 16, 38),
        Col("เป้าหมาย", "num", 12, 16),
        Col("ผลการ\nดำเนินงาน", "num", 12, 16),
        Col("ร้อยละ", "pct", 10, 11),
        Col("สถานะ", "center", 15, 18),
    ]
    fields = d.values_of("target_products", "field", FIELDS)
    recs = d.clean("target_products")
    current = [r for r in recs if r.values.get("fiscal_year") == d.fy]
    rows: list[Row] = []
    percent: dict[str, float | None] = {}
    n = 0
    all_a = all_t = 0.0
    all_hit = 0
    for f in fields:
        items = sorted(
            (r for r in current if r.values.get("field") == f),
            key=lambda r: (thai_key(r.values.get("name")), r.row_id),
        )
        rows.append(Row([f"ด้าน{f} ({len(items)} ผลิตภัณฑ์)"], "group"))
        sum_a = sum_t = 0.0
        hit = 0
        for r in items:
            n += 1
            a, t = as_number(r.values.get("actual")), as_number(r.values.get("target"))
            sum_a += a
            sum_t += t
            ok = t > 0 and a >= t
            hit += ok
            status = "achieved" if ok else "not_achieved"
            rows.append(
                Row(
                    [
                        n,
                        r.row_id,
                        r.values.get("name"),
                        d.village_name(r.values.get("village_id"))
                        if r.values.get("village_id")
                        else "–",
                        r.values.get("indicator"),
                        r.values.get("target"),
                        r.values.get("actual"),
                        percent_of(a, t),
                        Styled(STATUS_TH[status], status),
                    ]
                )
            )
        rows.append(_products_total(f"รวมด้าน{f}", items, sum_a, sum_t, hit, "subtotal"))
        percent[f] = percent_of(sum_a, sum_t)
        all_a, all_t, all_hit = all_a + sum_a, all_t + sum_t, all_hit + hit
    rows.append(_products_total("รวมทุกด้าน", current, all_a, all_t, all_hit, "total"))
    percent["รวม"] = percent_of(all_a, all_t)
    notes = [
        "ร้อยละของแต่ละด้าน = ผลรวมผลการดำเนินงาน ÷ ผลรวมเป้าหมาย"
        " (วิธีเดียวกับตัวชี้วัดในหน้าสรุป); ผลรวมแสดงเฉพาะเมื่อทุกรายการใช้หน่วยเดียวกัน",
        *excluded_note(d.excluded("target_products")),
    ]
    other = len(recs) - len(current)
    if other:
        notes.append(f"ไม่รวม {other:,} ผลิตภัณฑ์ของปีงบประมาณอื่น")
    return Table(cols, rows, notes), percent


def _products_total(
    label: str, items: Sequence[Record], a: float, t: float, hit: int, style: str
) -> Row:
    units = {r.values.get("indicator") for r in items}
    same = len(units) == 1
    pct = percent_of(a, t)
    status = "no_data" if pct is None else ("achieved" if a >= t else "not_achieved")
    return Row(
        [
            "",
            "",
            label,
            f"บรรลุ {hit} จาก {len(items)}",
            next(iter(units)) if same else "(หลายหน่วย)",
            t if same else None,
            a if same else None,
            pct,
            Styled(STATUS_TH[status], status),
        ],
        style,
    )


# --- agenda 3: honours ------------------------------------------------------------


def honorees_table(d: PackData) -> Table:
    cols = [
        Col("ที่", "center", 6, 7),
        Col("รหัส", "center", 10, 12),
        Col("หน่วยงาน/องค์กร", "wrap", 24, 50),
        Col("ผลงานการสนับสนุน", "wrap", 40, 90),
        Col("เสนอโดย\nคณะทำงาน", "wrap", 14, 30),
        Col("วันที่เสนอ", "date", 19, 20),
        Col("ผลการ\nพิจารณา", "center", 16, 18),
    ]
    recs = d.clean("honorees")
    current = [r for r in recs if r.values.get("fiscal_year") == d.fy]
    rows: list[Row] = []
    n = 0
    decisions: Counter[str] = Counter()
    for sector in d.values_of("honorees", "sector", SECTORS):
        items = sorted(
            (r for r in current if r.values.get("sector") == sector),
            key=lambda r: (thai_key(r.values.get("organisation")), r.row_id),
        )
        if not items:
            continue
        got = Counter(str(r.values.get("decision") or "") for r in items)
        decisions.update(got)
        rows.append(Row([f"{sector} ({len(items)} หน่วยงาน){_decided(got)}"], "group"))
        for r in items:
            n += 1
            v = r.values
            decision = v.get("decision")
            style = DECISION_STYLE.get(str(decision), "")
            rows.append(
                Row(
                    [
                        n,
                        r.row_id,
                        v.get("organisation"),
                        v.get("contribution"),
                        v.get("nominated_by"),
                        v.get("nominated_on"),
                        Styled(decision, style) if style else decision,
                    ]
                )
            )
    rows.append(Row(["", "", f"รวม {n} หน่วยงาน{_decided(decisions)}"], "total"))
    notes = [f"หน่วยงานที่เสนอในปีงบประมาณ {d.fy}", *excluded_note(d.excluded("honorees"))]
    other = len(recs) - len(current)
    if other:
        notes.append(f"ไม่รวม {other:,} รายการของปีงบประมาณอื่น")
    return Table(cols, rows, notes)


def _decided(d: Counter[str]) -> str:
    parts = [f"{k} {d[k]}" for k in ("อนุมัติ", "ไม่อนุมัติ", "รอพิจารณา") if d[k]]
    return ": " + " · ".join(parts) if parts else ""
