"""The meeting pack's tables as plain data: rows chosen, ordered, totalled and masked.

This module holds the table model, the data every table reads (PackData) and the
summary and appendix tables; agenda, network and producers hold the agenda items.
Nothing here knows xlsxwriter; sheets lays the tables out on pages. Lists show every
row of their register, a row with an error marked and its finding in a short column;
a figure leaves a row out only for an error in a value it reads, as the indicators do,
and says so. Personal values are masked here (PDPA) unless the caller asks for them,
phone numbers and IDs typed into free text too, and producers who did not consent to
share their data appear only in counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kspo_sheets.checks.masking import mask_free_text, mask_national_id, mask_phone, mask_text
from kspo_sheets.codes import short_th
from kspo_sheets.config.province import Config
from kspo_sheets.model import Finding, Progress, Record, Severity, ValidationResult
from kspo_sheets.progress.breakdowns import PROVINCE, UNPLACED, choices_of
from kspo_sheets.progress.records import Records
from kspo_sheets.progress.wording import LEFT_OUT_NOTE, MEAN_NOTE, items_text, left_out_text
from kspo_sheets.thai.collation import thai_key
from kspo_sheets.thai.national_id import format_national_id
from kspo_sheets.thai.phones import format_phone

BUYER_TYPES = ("โรงพยาบาล", "โรงเรียน", "โรงแรม", "ร้านอาหาร")
REGULAR = "ส่งประจำ"
FIELDS = ("เกษตร", "แปรรูป", "ท่องเที่ยวโดยชุมชน")
SECTORS = ("ภาครัฐ", "ภาคเอกชน", "ภาคประชาสังคม", "สถาบันการศึกษา", "รัฐวิสาหกิจ")
STATUSES = ("ส่งประจำ", "ทดลองส่ง", "เจรจา", "ยุติ")  # the order a meeting reads them
DECISION_STYLE = {"อนุมัติ": "achieved", "ไม่อนุมัติ": "not_achieved", "รอพิจารณา": "pending"}
HIDDEN = "(ไม่เปิดเผย)"


@dataclass(frozen=True)
class Col:
    """A table column: header (may hold line breaks), kind and width bounds in Excel units."""

    header: str
    kind: str = "text"  # text | wrap | center | date | int | count0 | num | kg | baht | pct
    min_width: float = 5.0
    max_width: float = 40.0


@dataclass(frozen=True)
class Styled:
    """A cell value with its own style (a status colour, muted text)."""

    value: Any
    style: str


@dataclass(frozen=True)
class Link:
    """A cell linking to a place in the pack, e.g. "'สรุป'!A1"."""

    text: str
    target: str


@dataclass
class Row:
    """A table row; style is "" or group | subtotal | total."""

    values: Sequence[Any]
    style: str = ""


@dataclass
class Table:
    cols: list[Col]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)


def name_of(value: Any) -> str:
    """A parsed value as text: a place by its Thai name, a village code by its 8 digits."""
    if value is None:
        return ""
    for attr in ("name_th", "code8"):
        got = getattr(value, attr, None)
        if got is not None:
            return str(got)
    return str(value)


def percent_of(a: float, b: float) -> float | None:
    return round(a / b * 100, 1) if b else None


def as_number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def counted_heading(label: str, rows: int, counted: int, unit: str) -> str:
    """'ภาครัฐ (5 หน่วยงาน)', or with rows not counted: '... (5 แถว, นับ 4 หน่วยงาน)'."""
    if counted == rows:
        return f"{label} ({rows:,} {unit})"
    return f"{label} ({rows:,} แถว นับ {counted:,} {unit})"


class PackData:
    """What every table of the pack reads: records, their findings, lookups, masking rules.

    Tables list every row of a register. A value is used in a figure only where it is
    usable (progress.records); a row with an error shows it in a short column.
    """

    def __init__(
        self,
        config: Config,
        result: ValidationResult,
        progress: Progress,
        *,
        include_personal: bool = False,
    ) -> None:
        self.config = config
        self.result = result
        self.progress = progress
        self.personal = include_personal
        self.fy = progress.fiscal_year
        self.records = Records(config, result)
        self.findings: dict[tuple[str, int], list[Finding]] = defaultdict(list)
        for f in result.findings:
            if f.row is not None:
                self.findings[(f.register, f.row)].append(f)
        self.villages = self.records.by_id("villages")
        self.producers = self.records.by_id("producers")
        self.buyers = self.records.by_id("buyers")
        # Names for display come from every row: a village with an error elsewhere in its
        # row still has a name, and a producer's table reads better with it than a code.
        self.village_names: dict[str, str] = {}
        for r in self.all("villages"):
            code = name_of(r.values.get("village_id"))
            if code and r.values.get("name"):
                self.village_names.setdefault(code, str(r.values["name"]))
        notice = 90
        spec = config.registers.get("producers")
        for rule in spec.rules if spec else ():
            if rule.get("rule") == "cert_expiry":
                notice = int(rule.get("notice_days", notice))
        self.notice_days = notice

    # --- records ---------------------------------------------------------------------

    def all(self, register: str) -> list[Record]:
        reg = self.result.registers.get(register)
        return reg.records if reg else []

    def values_of(self, register: str, column: str, default: Sequence[str]) -> tuple[str, ...]:
        """An enum column's values in the contract's order (the order tables group by)."""
        return choices_of(self.config, register, column, default)

    def value(self, register: str, rec: Record, key: str) -> Any:
        """The row's value of `key` where it is usable (a place by its name), else None."""
        return self.records.value(register, rec, key)

    def shown(self, register: str, rec: Record, key: str) -> Any:
        """What a table shows for a value: as parsed, or where it could not be parsed, as
        typed (masked where personal, as the findings show it)."""
        v = rec.values.get(key)
        if v is not None:
            if hasattr(v, "code8") or hasattr(v, "name_th"):
                return name_of(v)  # a village code by its digits, a place by its name
            return v
        for f in self.findings.get((register, rec.row), ()):
            if f.column_key == key and f.value:
                return f.value
        return None

    def problems(self, register: str, rec: Record, *also: str) -> Any:
        """The row's errors in a few words, on a red cell ('' for a row without one); `also`
        adds what is wrong in rows it refers to (a linkage's buyer, say)."""
        errors = [
            f for f in self.findings.get((register, rec.row), ()) if f.severity is Severity.ERROR
        ]
        parts: list[str] = []
        for f in errors:
            text = f"{f.column}: {short_th(f.code)}" if f.column else short_th(f.code)
            if text not in parts:
                parts.append(text)
        parts += [a for a in also if a]
        return Styled("; ".join(parts), "error") if parts else ""

    def problem_in(self, register: str, rec: Record | None, key: str, label: str) -> str:
        """'ผู้ซื้อ B-009 ประเภท: ค่าไม่อยู่ในรายการ' where another row's value is in error."""
        if rec is None:
            return ""
        for f in self.findings.get((register, rec.row), ()):
            if f.column_key == key and f.severity is Severity.ERROR:
                return f"{label} {rec.row_id} {f.column}: {short_th(f.code)}"
        return ""

    @staticmethod
    def consented(producer: Record | None) -> bool:
        """Only an explicit yes lets a producer be listed (a blank is not consent)."""
        return bool(producer is not None and producer.values.get("consent") is True)

    # --- personal values -------------------------------------------------------------

    def producer_name(self, p: Record) -> str:
        name = str(p.values.get("name") or "")
        if p.values.get("kind") == "บุคคล" and not self.personal:
            return mask_text(name)
        return name

    def national_id(self, value: Any) -> str:
        if not value:
            return ""
        return format_national_id(str(value)) if self.personal else mask_national_id(str(value))

    def phone(self, value: Any) -> str:
        if not value:
            return ""
        return format_phone(str(value)) if self.personal else mask_phone(str(value))

    def village_name(self, code: Any) -> str:
        return self.village_names.get(name_of(code)) or name_of(code)


def masked(table: Table) -> Table:
    """The table with every phone- or ID-shaped run in its text masked (free text included)."""

    def cell(v: Any) -> Any:
        if isinstance(v, str):
            return mask_free_text(v)
        if isinstance(v, Styled) and isinstance(v.value, str):
            return Styled(mask_free_text(v.value), v.style)
        if isinstance(v, Link):
            return Link(mask_free_text(v.text), v.target)
        return v

    rows = [Row([cell(v) for v in r.values], r.style) for r in table.rows]
    return Table(table.cols, rows, [mask_free_text(n) for n in table.notes])


# --- summary and appendix tables -----------------------------------------------------


# --- appendix: data quality -------------------------------------------------------


def quality_table(d: PackData) -> Table:
    cols = [
        Col("ทะเบียน (แท็บ)", "text", 20, 44),
        Col("แถว\nทั้งหมด", "int", 12, 16),
        Col("แถวที่ไม่มี\nข้อผิดพลาด", "int", 14, 18),
        Col("ร้อยละ", "pct", 10, 12),
        *[Col(s.th, "int", 14, 20) for s in Severity],
        Col("รวม\nรายการ", "int", 12, 16),
    ]
    by_reg: dict[str, Counter[str]] = defaultdict(Counter)
    for f in d.result.findings:
        by_reg[f.register][f.severity.value] += 1
    keys = list(d.config.registers)
    keys += sorted(k for k in by_reg if k not in keys)
    rows: list[Row] = []
    tot: Counter[str] = Counter()
    for key in keys:
        reg = d.result.registers.get(key)
        spec = d.config.registers.get(key)
        tab = reg.tab if reg else (spec.tab if spec else key)
        total = reg.rows_total if reg else 0
        clean = reg.rows_clean if reg else 0
        c = by_reg.get(key, Counter())
        tot.update(c)
        tot["rows"] += total
        tot["clean"] += clean
        sev = [c[s.value] for s in Severity]
        rows.append(Row([tab, total, clean, percent_of(clean, total), *sev, sum(sev)]))
    sev = [tot[s.value] for s in Severity]
    rows.append(
        Row(
            [
                "รวม",
                tot["rows"],
                tot["clean"],
                percent_of(tot["clean"], tot["rows"]),
                *sev,
                sum(sev),
            ],
            "total",
        )
    )
    return Table(cols, rows)


def findings_table(d: PackData) -> Table:
    cols = [
        Col("ที่", "center", 6, 9),
        Col("ทะเบียน\n(แท็บ)", "wrap", 12, 24),
        Col("แถว", "int", 8, 10),
        Col("รหัสแถว", "wrap", 12, 18),
        Col("คอลัมน์", "wrap", 12, 24),
        Col("เซลล์", "center", 8, 10),
        Col("ค่าที่พิมพ์", "wrap", 14, 28),
        Col("ระดับ", "center", 14, 18),
        Col("รายละเอียด", "wrap", 40, 72),
        Col("รหัสปัญหา", "text", 14, 42),
    ]
    rows = [
        Row(
            [
                n,
                f.tab,
                f.row,
                f.row_id,
                f.column,
                f.cell,
                f.value,
                Styled(f.severity.th, f.severity.value),
                f.message_th,
                f.code,
            ]
        )
        for n, f in enumerate(d.result.findings, start=1)
    ]
    notes = ["ค่าที่เป็นข้อมูลส่วนบุคคลถูกปกปิดไว้ แก้ไขได้ที่แถวและเซลล์ที่ระบุในทะเบียนต้นฉบับ"]
    return Table(cols, rows, notes)


# --- summary -----------------------------------------------------------------------


def indicators_table(d: PackData) -> Table:
    cols = [
        Col("ที่", "center", 6, 7),
        Col("ตัวชี้วัด", "wrap", 36, 56),
        Col("กลุ่ม/ด้าน/ทะเบียน", "wrap", 16, 30),
        Col("ผลการ\nดำเนินงาน", "num", 14, 18),
        Col("เป้าหมาย\n/ ฐาน", "num", 14, 18),
        Col("ร้อยละ", "pct", 10, 12),
        Col("เกณฑ์\n(ร้อยละ)", "pct", 12, 14),
        Col("หน่วย", "wrap", 10, 20),
        Col("บรรลุ\n(รายการ)", "center", 12, 16),
        Col("สถานะ", "center", 15, 18),
        Col("แถว\nที่ไม่นับ", "int", 10, 12),
        Col("เหตุที่ไม่นับ", "wrap", 20, 44),
    ]
    rows: list[Row] = []
    n = 0
    last = None
    for ind in d.progress.indicators:
        first = ind.id != last
        last = ind.id
        n += first
        style = "subtotal" if ind.group == "รวม" else ""
        status: Any = Styled(ind.status_th, ind.status) if ind.status != "info" else "–"
        mean = ind.method == "mean"
        rows.append(
            Row(
                [
                    n if first else "",
                    ind.label_th if first else "",
                    ind.group,
                    "–" if mean else ind.actual,
                    "–" if mean else ind.target,
                    ind.percent,
                    ind.threshold,
                    ind.unit_th,
                    items_text(ind).removeprefix("บรรลุ "),
                    status,
                    ind.excluded_rows,
                    left_out_text(d.config, ind),
                ],
                style,
            )
        )
    notes = [
        "ตัวชี้วัดที่มีเกณฑ์ร้อยละ: ผลการดำเนินงาน = จำนวนที่ผ่าน, ฐาน = จำนวนทั้งหมด, บรรลุเมื่อร้อยละถึงเกณฑ์",
        LEFT_OUT_NOTE,
    ]
    if any(ind.method == "mean" for ind in d.progress.indicators):
        notes.append(MEAN_NOTE)
    if any(ind.items is not None for ind in d.progress.indicators):
        notes.append("บรรลุ (รายการ) = จำนวนผลิตภัณฑ์ที่ถึงเป้าหมายของตน จากผลิตภัณฑ์ที่นับ")
    return Table(cols, rows, notes)


def amphoe_series(d: PackData) -> list[tuple[str, int, int]]:
    """Villages and network villages per amphoe, as the breakdown counts them (no total)."""
    rows = d.progress.breakdowns.get("by_amphoe", [])
    named = [r for r in rows if r["amphoe"] not in (PROVINCE, UNPLACED) and r["villages"]]
    out = sorted(
        ((str(r["amphoe"]), int(r["villages"]), int(r["network_villages"])) for r in named),
        key=lambda t: thai_key(t[0]),
    )
    out += [
        (UNPLACED, int(r["villages"]), int(r["network_villages"]))
        for r in rows
        if r["amphoe"] == UNPLACED and r["villages"]
    ]
    return out
