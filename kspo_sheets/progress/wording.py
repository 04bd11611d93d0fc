"""How a figure is told in Thai beside its number: rows left out and why, items achieved,
and how a total was made. Shared by the progress tab, the meeting pack and the CLI."""

from __future__ import annotations

from typing import Any

from kspo_sheets.codes import short_th
from kspo_sheets.config.province import Config
from kspo_sheets.model import IndicatorResult

MEAN_NOTE = (
    "ร้อยละของกลุ่มที่ผลิตภัณฑ์ใช้หน่วยต่างกัน (บาท กก. คน ...) เป็นค่าเฉลี่ยของร้อยละ"
    "ของแต่ละผลิตภัณฑ์ ไม่ใช่ผลรวม ซึ่งบวกค่าต่างหน่วยกันไม่ได้; กลุ่มที่ทุกผลิตภัณฑ์ใช้หน่วยเดียวกัน"
    " = ผลรวมผลการดำเนินงาน ÷ ผลรวมเป้าหมาย; กลุ่มบรรลุเมื่อทุกผลิตภัณฑ์บรรลุเป้าหมายของตน"
)
LEFT_OUT_NOTE = (
    "แถวที่ไม่นับ = แถวที่ค่าในคอลัมน์ที่ตัวชี้วัดนั้นใช้มีข้อผิดพลาด (เช่น รหัสผิดรูปแบบ รหัสซ้ำ"
    " อ้างรหัสที่ไม่มี ค่าไม่อยู่ในรายการ) จำแนกตามเหตุ; ข้อผิดพลาดในคอลัมน์อื่นของแถว"
    " (เช่น เบอร์โทรศัพท์) และคำเตือนไม่ทำให้แถวถูกตัดออก ดูรายการที่ต้องแก้ไขในภาคผนวก"
)


def tab_of(config: Config, register: str) -> str:
    spec = config.registers.get(register)
    return spec.tab if spec is not None else register


def left_out_text(config: Config, ind: IndicatorResult) -> str:
    """'ผู้ผลิต: วันที่อ่านไม่ได้ 2, ไม่ได้กรอก 1 · หมู่บ้าน: รหัสหมู่บ้านผิดรูปแบบ 1', '' when none.

    By the register the error is in (a linkage may be left out for its producer's error).
    """
    return why_text(config, ind.left_out)


def why_text(config: Config, left_out: dict[str, dict[str, int]]) -> str:
    """Rows left out, as left_out_text tells them: register -> finding code -> rows."""
    parts = []
    for register, codes in left_out.items():
        why = ", ".join(
            f"{short_th(code)} {n:,}"
            for code, n in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        parts.append(f"{tab_of(config, register)}: {why}")
    return " · ".join(parts)


def items_text(ind: IndicatorResult) -> str:
    """'บรรลุ 3 จาก 5' for a total over items, else ''."""
    if ind.items is None:
        return ""
    return f"บรรลุ {ind.items_achieved or 0} จาก {ind.items}"


def as_json(
    ind: IndicatorResult, has_target: bool, reads: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """One figure for programs (`kspo sync --json`, the log)."""
    out: dict[str, Any] = {
        "id": ind.id,
        "group": ind.group,
        "actual": ind.actual,
        "target": ind.target,
        "percent": ind.percent,
        "status": ind.status,
        "has_target": has_target,
        "unit": ind.unit_en,
        "excluded_rows": ind.excluded_rows,
        "left_out": ind.left_out,
    }
    if ind.items is not None:
        out["items"] = ind.items
        out["items_achieved"] = ind.items_achieved
        out["method"] = ind.method  # "sum": of one unit; "mean": of the items' percentages
    if reads is not None:
        out["reads"] = reads
    return out
