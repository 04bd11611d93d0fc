"""The meeting pack's tables as plain data: rows chosen, ordered, totalled and masked.

This module holds the table model, the data every table reads (PackData) and the
summary and appendix tables; pack_agenda and pack_network hold the agenda items.
Nothing here knows xlsxwriter; pack_sheets lays the tables out on pages. Rows with
errors are left out of every table, as they are of every indicator, and counted in a
note that points at the data-quality appendix. Personal values are masked here
(PDPA) unless the caller asks for them, and producers who did not consent to share
their data appear only in counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kspo_sheets.checks.masking import mask_national_id, mask_phone, mask_text
from kspo_sheets.config.province import Config
from kspo_sheets.model import Progress, Record, Severity, ValidationResult
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


def excluded_note(n: int) -> list[str]:
    if not n:
        return []
    return [f"ไม่รวม {n:,} แถวที่มีข้อผิดพลาด (ดูภาคผนวก รายการที่ต้องแก้ไข)"]


class PackData:
    """What every table of the pack reads: clean records, lookups and the masking rules."""

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
        self.villages = {name_of(r.values.get("village_id")): r for r in self.clean("villages")}
        self.producer_village = {
            r.values.get("producer_id"): r.values.get("village_id") for r in self.all("producers")
        }
        # Names for display come from every row: a village with an error elsewhere in its
        # row still has a name, and a producer's table reads better with it than a code.
        self.village_names: dict[str, str] = {}
        for r in self.all("villages"):
            code = name_of(r.values.get("village_id"))
            if code and r.values.get("name"):
                self.village_names.setdefault(code, str(r.values["name"]))
        self.producers = {r.values.get("producer_id"): r for r in self.clean("producers")}
        self.buyers = {r.values.get("buyer_id"): r for r in self.clean("buyers")}
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

    def clean(self, register: str) -> list[Record]:
        return [r for r in self.all(register) if not r.has_error]

    def excluded(self, register: str) -> int:
        return sum(1 for r in self.all(register) if r.has_error)

    def values_of(self, register: str, column: str, default: Sequence[str]) -> tuple[str, ...]:
        """An enum column's values in the contract's order (the order tables group by)."""
        spec = self.config.registers.get(register)
        if spec is not None:
            try:
                values = spec.column(column).values
            except KeyError:
                values = ()
            if values:
                return tuple(values)
        return tuple(default)

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
        Col("ตัวชี้วัด", "wrap", 40, 64),
        Col("กลุ่ม/ด้าน/ทะเบียน", "wrap", 16, 36),
        Col("ผลการ\nดำเนินงาน", "num", 14, 18),
        Col("เป้าหมาย\n/ ฐาน", "num", 14, 18),
        Col("ร้อยละ", "pct", 10, 12),
        Col("เกณฑ์\n(ร้อยละ)", "pct", 12, 14),
        Col("หน่วย", "center", 10, 18),
        Col("สถานะ", "center", 15, 18),
        Col("แถว\nที่ไม่นับ", "int", 10, 12),
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
        rows.append(
            Row(
                [
                    n if first else "",
                    ind.label_th if first else "",
                    ind.group,
                    ind.actual,
                    ind.target,
                    ind.percent,
                    ind.threshold,
                    ind.unit_th,
                    status,
                    ind.excluded_rows,
                ],
                style,
            )
        )
    notes = [
        "ตัวชี้วัดที่มีเกณฑ์ร้อยละ: ผลการดำเนินงาน = จำนวนที่ผ่าน, ฐาน = จำนวนทั้งหมด, บรรลุเมื่อร้อยละถึงเกณฑ์",
        "แถวที่ไม่นับ = แถวในทะเบียนที่มีข้อผิดพลาด ซึ่งไม่นำมาคำนวณ (ดูภาคผนวก)",
    ]
    return Table(cols, rows, notes)


def amphoe_series(d: PackData) -> list[tuple[str, int, int]]:
    rows = d.progress.breakdowns.get("by_amphoe", [])
    out = [
        (str(r.get("amphoe") or "ไม่ระบุ"), int(r["villages"]), int(r["network_villages"]))
        for r in rows
        if r["villages"]
    ]
    return sorted(out, key=lambda t: thai_key(t[0]))
