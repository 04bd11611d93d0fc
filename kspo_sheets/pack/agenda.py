"""Agenda items 1 and 3 as tables: target products by field, honours by sector.

Both list every row of their register. Target products' subtotals are the indicator's own
figures (progress), so the pack, the progress tab and `kspo sync --json` agree: a sum only
where a field's products share one unit, else how many reached their target and the mean
of their percentages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from kspo_sheets.checks.rules import together_key
from kspo_sheets.model import STATUS_TH, IndicatorResult, Record
from kspo_sheets.pack.tables import (
    DECISION_STYLE,
    FIELDS,
    SECTORS,
    Col,
    PackData,
    Row,
    Styled,
    Table,
    counted_heading,
    percent_of,
)
from kspo_sheets.progress.indicators import TOTAL, ItemRow, sum_ratio_rows
from kspo_sheets.progress.records import OUTSIDE
from kspo_sheets.progress.units import MIXED_TH
from kspo_sheets.progress.wording import items_text
from kspo_sheets.thai.collation import thai_key

# The target-products indicator the pack shows when the config names none.
DEFAULT_PRODUCTS = {
    "id": "target_products",
    "label_th": "ผลการดำเนินงานผลิตภัณฑ์เป้าหมาย",
    "label_en": "Target products, actual against target",
    "computation": "sum_ratio",
    "params": {
        "register": "target_products",
        "actual": "actual",
        "target_column": "target",
        "group_by": "field",
        "unit": "indicator",
        "fiscal_year": "current",
    },
    "target": 100,
}
NOT_COUNTED = Styled("ไม่นับ", "no_data")

# --- agenda 1: target products --------------------------------------------------


def _products_indicator(d: PackData) -> Mapping[str, Any]:
    for ind in d.config.indicators:
        p = ind["params"]
        if ind["computation"] == "sum_ratio" and p.get("register") == "target_products":
            return ind
    return DEFAULT_PRODUCTS


def _results(d: PackData, ind_id: str) -> dict[str, IndicatorResult]:
    return {r.group: r for r in d.progress.indicators if r.id == ind_id}


def target_products(d: PackData) -> tuple[Table, dict[str, IndicatorResult]]:
    """Every target product: this fiscal year's by field with the indicator's subtotals,
    then those of other years; and the indicator's figure per field (and in total)."""
    cols = [
        Col("ที่", "center", 6, 7),
        Col("รหัส", "center", 9, 11),
        Col("ผลิตภัณฑ์", "wrap", 22, 40),
        Col("หมู่บ้าน", "wrap", 14, 26),
        Col("ตัวชี้วัด", "wrap", 16, 32),
        Col("เป้าหมาย", "num", 12, 16),
        Col("ผลการ\nดำเนินงาน", "num", 12, 16),
        Col("ร้อยละ", "pct", 10, 11),
        Col("สถานะ", "center", 15, 18),
        Col("ข้อผิดพลาด", "wrap", 16, 30),
    ]
    ind = _products_indicator(d)
    threshold = float(ind.get("target", 100))
    figures = _results(d, ind["id"])
    if not figures:  # the config's indicators leave target products out: work them out
        from kspo_sheets.progress.indicators import c_sum_ratio

        figures = {r.group: r for r in c_sum_ratio(d.records, ind)}
    reg = "target_products"
    in_scope = sum_ratio_rows(d.records, ind)
    scoped = {id(r.record) for r in in_scope}
    others = [r for r in d.all(reg) if id(r) not in scoped]
    fields = list(d.values_of(reg, "field", FIELDS))
    rows: list[Row] = []
    n = 0

    def listed(items: list[ItemRow]) -> None:
        nonlocal n
        for it in sorted(
            items, key=lambda it: (thai_key(it.record.values.get("name")), it.record.row_id)
        ):
            n += 1
            rows.append(_product_row(d, n, it, threshold))

    for f in fields:
        items = [it for it in in_scope if it.group == f]
        counted = sum(1 for it in items if it.item is not None)
        rows.append(Row([counted_heading(f"ด้าน{f}", len(items), counted, "ผลิตภัณฑ์")], "group"))
        listed(items)
        fig = figures.get(f)
        if fig is not None:
            rows.append(_products_total(f"รวมด้าน{f}", fig, "subtotal"))
    unplaced = [it for it in in_scope if not it.group]
    if unplaced:
        counted = sum(1 for it in unplaced if it.item is not None)
        label = "ระบุด้านไม่ได้ (ข้อมูลผิดพลาด: นับในรวมทุกด้านเท่านั้น)"
        rows.append(Row([counted_heading(label, len(unplaced), counted, "ผลิตภัณฑ์")], "group"))
        listed(unplaced)
    fig = figures.get(TOTAL)
    if fig is not None:
        rows.append(_products_total("รวมทุกด้าน", fig, "total"))
    if others:
        label = f"ผลิตภัณฑ์ของปีงบประมาณอื่น (ไม่นับในปีงบประมาณ {d.fy})"
        rows.append(Row([f"{label} ({len(others):,} ผลิตภัณฑ์)"], "group"))
        for r in sorted(others, key=lambda r: (str(r.values.get("fiscal_year")), r.row_id)):
            n += 1
            rows.append(_product_row(d, n, ItemRow(r, OUTSIDE, "", None, None), threshold))
    left = sum(1 for it in in_scope if it.item is None)
    notes = [
        "ร้อยละของแต่ละผลิตภัณฑ์ = ผลการดำเนินงาน ÷ เป้าหมาย; รวมของด้าน = ผลรวมผลการดำเนินงาน"
        " ÷ ผลรวมเป้าหมาย เฉพาะเมื่อทุกผลิตภัณฑ์ในด้านใช้หน่วยเดียวกัน มิฉะนั้น = ค่าเฉลี่ยของร้อยละ"
        " ของแต่ละผลิตภัณฑ์ (บวกบาท กก. และคน เข้าด้วยกันไม่ได้); ด้านบรรลุเมื่อทุกผลิตภัณฑ์บรรลุ"
        " (วิธีเดียวกับตัวชี้วัดในหน้าสรุป)",
    ]
    if left:
        notes.append(
            f"ผลิตภัณฑ์ {left:,} รายการมีข้อผิดพลาดในค่าที่ใช้คำนวณ (รหัส เป้าหมาย ผลการดำเนินงาน"
            " ตัวชี้วัด หรือปีงบประมาณ) แสดงไว้แต่ไม่นับ จนกว่าจะแก้ในทะเบียน"
        )
    return Table(cols, rows, notes), figures


def _product_row(d: PackData, n: int, it: ItemRow, threshold: float) -> Row:
    r = it.record
    reg = "target_products"
    if it.item is not None:
        ok = it.item.achieved(threshold)
        status: Any = Styled(
            STATUS_TH["achieved" if ok else "not_achieved"], "achieved" if ok else "not_achieved"
        )
        pct = percent_of(it.item.actual, it.item.target)
    elif it.why == OUTSIDE:
        status, pct = "–", None
    else:
        status, pct = NOT_COUNTED, None
    village = d.value(reg, r, "village_id")
    return Row(
        [
            n,
            r.row_id,
            d.shown(reg, r, "name"),
            d.village_name(village) if village else (d.shown(reg, r, "village_id") or "–"),
            r.values.get("indicator"),
            d.shown(reg, r, "target"),
            d.shown(reg, r, "actual"),
            pct,
            status,
            d.problems(reg, r),
        ]
    )


def _products_total(label: str, fig: IndicatorResult, style: str) -> Row:
    one_unit = fig.method == "sum"
    return Row(
        [
            "",
            "",
            label,
            items_text(fig),
            fig.unit_th if one_unit else f"{MIXED_TH}: ร้อยละเฉลี่ย",
            fig.target if one_unit else None,
            fig.actual if one_unit else None,
            fig.percent,
            Styled(fig.status_th, fig.status),
            "",
        ],
        style,
    )


# --- agenda 3: honours ------------------------------------------------------------


def honorees_table(d: PackData) -> Table:
    """Every nomination: this fiscal year's by sector, then the rest; each with a column for
    what the meeting decides, and a nomination of an organisation twice in one year marked."""
    cols = [
        Col("ที่", "center", 6, 7),
        Col("รหัส", "center", 10, 12),
        Col("หน่วยงาน/องค์กร", "wrap", 22, 40),
        Col("ผลงานการสนับสนุน", "wrap", 34, 70),
        Col("เสนอโดย\nคณะทำงาน", "wrap", 14, 24),
        Col("วันที่เสนอ", "date", 18, 20),
        Col("ผลการ\nพิจารณา", "center", 14, 18),
        Col("ข้อสังเกต", "wrap", 18, 32),
        Col("มติที่ประชุม", "wrap", 28, 40),
    ]
    reg = "honorees"
    twice = _nominated_twice(d)
    current, unknown, other = [], [], []
    for r in d.all(reg):
        if d.records.why(reg, r, "fiscal_year") is not None:
            unknown.append(r)
        elif r.values.get("fiscal_year") == d.fy:
            current.append(r)
        else:
            other.append(r)
    counted_ids = {
        id(r)
        for r in current
        if d.records.why(reg, r, d.records.id_key(reg)) is None
        and d.records.why(reg, r, "sector") is None
    }
    rows: list[Row] = []
    n = 0
    decisions: Counter[str] = Counter()

    def listed(items: list[Record]) -> None:
        nonlocal n
        for r in sorted(items, key=lambda r: (thai_key(r.values.get("organisation")), r.row_id)):
            n += 1
            rows.append(_honoree_row(d, n, r, twice.get(id(r))))

    for sector in d.values_of(reg, "sector", SECTORS):
        items = [r for r in current if d.value(reg, r, "sector") == sector]
        if not items:
            continue
        got = Counter(str(d.value(reg, r, "decision") or "") for r in items)
        decisions.update(got)
        counted = sum(1 for r in items if id(r) in counted_ids)
        head = counted_heading(sector, len(items), counted, "หน่วยงาน")
        rows.append(Row([head + _decided(got)], "group"))
        listed(items)
    groups = [
        ("ระบุภาคไม่ได้ (ข้อมูลผิดพลาด)", [r for r in current if d.records.why(reg, r, "sector")]),
        ("ระบุปีงบประมาณไม่ได้ (ข้อมูลผิดพลาด)", unknown),
    ]
    for label, items in groups:
        if items:
            decisions.update(str(d.value(reg, r, "decision") or "") for r in items)
            rows.append(Row([f"{label} ({len(items):,} แถว)"], "group"))
            listed(items)
    id_key = d.records.id_key(reg)
    counted = sum(1 for r in current if d.records.why(reg, r, id_key) is None)
    head = counted_heading("รวม", len(current) + len(unknown), counted, "หน่วยงาน")
    rows.append(Row(["", "", head + _decided(decisions)], "total"))
    if other:
        rows.append(
            Row([f"เสนอในปีงบประมาณอื่น ({len(other):,} แถว ไม่นับในปีงบประมาณ {d.fy})"], "group")
        )
        listed(other)
    notes = [
        f"หน่วยงานที่เสนอในปีงบประมาณ {d.fy} จำแนกตามภาค; คอลัมน์มติที่ประชุมเว้นไว้ให้ที่ประชุมบันทึก",
    ]
    if twice:
        notes.append(
            "ข้อสังเกต 'เสนอซ้ำ' = หน่วยงานเดียวกันได้รับการเสนอมากกว่าหนึ่งครั้งในปีงบประมาณเดียวกัน"
            " ที่ประชุมควรพิจารณาเพียงรายการเดียว"
        )
    return Table(cols, rows, notes)


def _nominated_twice(d: PackData) -> dict[int, str]:
    """id(record) -> 'เสนอซ้ำ: H-002, H-010' for nominations of one organisation in one year
    (the registers' unique_together rules of honorees, as validation applies them)."""
    spec = d.config.registers.get("honorees")
    out: dict[int, str] = {}
    for rule in spec.rules if spec else ():
        if rule.get("rule") != "unique_together":
            continue
        groups: dict[Any, list[Record]] = {}
        for r in d.all("honorees"):
            key = together_key(r.values, list(rule["columns"]))
            if key is not None:
                groups.setdefault(key, []).append(r)
        for recs in groups.values():
            if len(recs) > 1:
                text = "เสนอซ้ำในปีงบประมาณเดียวกัน: " + ", ".join(
                    r.row_id or f"แถว {r.row}" for r in recs
                )
                for r in recs:
                    out[id(r)] = text
    return out


def _honoree_row(d: PackData, n: int, r: Record, twice: str | None) -> Row:
    reg = "honorees"
    decision = d.value(reg, r, "decision")
    style = DECISION_STYLE.get(str(decision), "")
    problems = d.problems(reg, r)
    note: Any = problems
    if twice:
        text = twice + (f"; {problems.value}" if isinstance(problems, Styled) else "")
        note = Styled(text, "error" if problems else "pending")
    return Row(
        [
            n,
            r.row_id,
            d.shown(reg, r, "organisation"),
            d.shown(reg, r, "contribution"),
            d.shown(reg, r, "nominated_by"),
            d.shown(reg, r, "nominated_on"),
            Styled(decision, style) if style else d.shown(reg, r, "decision"),
            note,
            "",
        ]
    )


def _decided(d: Counter[str]) -> str:
    parts = [f"{k} {d[k]}" for k in ("อนุมัติ", "ไม่อนุมัติ", "รอพิจารณา") if d[k]]
    return ": " + " · ".join(parts) if parts else ""
