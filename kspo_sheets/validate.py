"""Validate every register of a snapshot: per cell, per row, then across rows and registers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from kspo_sheets.columns import ColumnParser, display, make_parser
from kspo_sheets.config import ColumnSpec, Config, RegisterSpec
from kspo_sheets.gazetteer import Gazetteer
from kspo_sheets.headers import find_header
from kspo_sheets.model import (
    CellError,
    CellValue,
    Finding,
    Formula,
    RawTab,
    Record,
    RegisterResult,
    Severity,
    Snapshot,
    ValidationResult,
)
from kspo_sheets.rules import apply_rules
from kspo_sheets.thai_text import header_key
from kspo_sheets.validate_sink import FindingSink

GOOGLE_CELL_LIMIT = 50_000
_ERR = Severity.ERROR


def find_tab(snapshot: Snapshot, title: str) -> RawTab | None:
    """The tab titled `title`, forgiving odd spaces and invisible characters in the tab name."""
    tab = snapshot.tabs.get(title)
    if tab is not None:
        return tab
    want = header_key(title)
    for name, t in snapshot.tabs.items():
        if header_key(name) == want:
            return t
    return None


def _is_blank(value: CellValue) -> bool:
    return value is None or (value.__class__ is str and not value.strip())


def _tambon_parser(gaz: Gazetteer) -> Callable[[CellValue, str | None], Any]:
    memo: dict[tuple[str, str | None], Any] = {}

    def parse(value: CellValue, amphoe_code: str | None) -> Any:
        if isinstance(value, str):
            key = (value, amphoe_code)
            hit = memo.get(key)
            if hit is None:
                hit = gaz.parse_tambon(value, amphoe_code)
                if len(memo) < 20_000:
                    memo[key] = hit
            return hit
        return gaz.parse_tambon(value, amphoe_code)

    return parse


def validate_register(
    spec: RegisterSpec,
    tab: RawTab | None,
    *,
    gazetteer: Gazetteer,
    as_of: dt.date,
    findings: list[Finding],
) -> RegisterResult:
    """Cell and row checks of one register (cross-row rules come later, in rules.py)."""
    if tab is None:
        sink = FindingSink(spec, spec.tab, findings)
        sink.add(
            row=None,
            row_id="",
            column_key="",
            raw=None,
            code="register.missing",
            th=f"ไม่พบแท็บ '{spec.tab}' ในไฟล์ เพิ่มแท็บนี้ หรือแก้ชื่อแท็บใน config (overrides)",
            en=f"Tab '{spec.tab}' not found. Add it, or map your tab name in the config (overrides.{spec.key}.tab).",
        )
        return RegisterResult(spec.key, spec.tab, False, [])
    sink = FindingSink(spec, tab.title, findings)
    match = find_header(tab.rows, spec)
    if match is None:
        sink.add(
            row=None,
            row_id="",
            column_key=spec.id_key,
            raw=None,
            code="header.missing",
            th=f"ไม่พบแถวหัวตารางในแท็บ '{tab.title}' (ต้องมีหัวคอลัมน์ เช่น '{spec.columns[0].header}')",
            en=f"No header row found in tab '{tab.title}' (expected headers such as '{spec.columns[0].header}').",
        )
        return RegisterResult(spec.key, tab.title, True, [])
    sink.col_index = dict(match.columns)
    sink.headers.update(match.headers)
    header_row = match.row + 1
    for key in match.missing:
        col = spec.column(key)
        essential = col.required or col.required_if is not None or col.ref or key == spec.id_key
        sink.add(
            row=header_row,
            row_id="",
            column_key=key,
            raw=None,
            code="header.missing",
            severity=Severity.ERROR if essential else Severity.WARNING,
            th=f"ไม่พบคอลัมน์ '{col.header}' ในแถวหัวตาราง (แถว {header_row}) เพิ่มคอลัมน์หรือแก้ชื่อหัวคอลัมน์ให้ตรง",
            en=f"Column '{col.header}' not found in the header row (row {header_row}); add it or fix the header text.",
        )
    for key, j in match.duplicates:
        sink.add(
            row=header_row,
            row_id="",
            column_key=key,
            raw=tab.rows[match.row][j],
            code="header.duplicate",
            th=f"หัวคอลัมน์ '{sink.headers[key]}' ซ้ำกันสองคอลัมน์ ระบบใช้คอลัมน์แรก ลบหรือเปลี่ยนชื่อคอลัมน์ที่ซ้ำ",
            en=f"Header '{sink.headers[key]}' appears twice; the first column is used. Remove or rename the other.",
        )

    present = [c for c in spec.columns if c.key in match.columns]
    parsers: list[tuple[ColumnSpec, int, ColumnParser]] = [
        (c, match.columns[c.key], make_parser(c, gazetteer, as_of))
        for c in present
        if c.type != "tambon"
    ]
    tambon_cols = [(c, match.columns[c.key]) for c in present if c.type == "tambon"]
    amphoe_key = next((c.key for c in present if c.type == "amphoe"), None)
    tambon = _tambon_parser(gazetteer)
    id_index = match.columns.get(spec.id_key)
    conditional = [c for c in present if c.required_if is not None]
    records: list[Record] = []
    used = sorted(match.columns.values())
    last_used = used[-1] if used else -1

    for offset, cells in enumerate(tab.rows[match.row + 1 :]):
        # Blank rows (and trailing empty rows) are skipped, not reported.
        if all(_is_blank(cells[j]) for j in used if j < len(cells)):
            continue
        rownum = header_row + 1 + offset
        if len(cells) <= last_used:
            cells = list(cells) + [None] * (last_used + 1 - len(cells))
        raw_id = cells[id_index] if id_index is not None else None
        row_id = display(raw_id).strip() if raw_id is not None else ""
        values: dict[str, Any] = {}
        has_error = False
        for col, j, parse in parsers:
            raw = cells[j]
            if raw is None or (raw.__class__ is str and not raw.strip()):
                values[col.key] = None
                if col.required:
                    sink.add(
                        row=rownum,
                        row_id=row_id,
                        column_key=col.key,
                        raw=raw,
                        code="required.missing",
                        th=f"ต้องกรอก '{sink.headers[col.key]}'",
                        en=f"'{sink.headers[col.key]}' is required.",
                    )
                    has_error = True
                continue
            if raw.__class__ is Formula or raw.__class__ is CellError:
                raw, ok = _formula_or_error(sink, rownum, row_id, col, raw)
                if not ok:
                    values[col.key] = None
                    has_error = True
                    continue
                if _is_blank(raw):
                    values[col.key] = None
                    continue
            value, issue = parse(raw)
            values[col.key] = value
            if issue is not None:
                sink.issue(rownum, row_id, col.key, raw, issue, values)
                if issue.severity is _ERR:
                    has_error = True
            if raw.__class__ is str and len(raw) > GOOGLE_CELL_LIMIT:
                sink.add(
                    row=rownum,
                    row_id=row_id,
                    column_key=col.key,
                    raw=raw,
                    code="text.too_long",
                    th=f"ข้อความยาว {len(raw):,} ตัวอักษร เกินขีดจำกัดของ Google Sheets (50,000) ย่อให้สั้นลง",
                    en=f"Text of {len(raw):,} characters exceeds Google Sheets' 50,000 limit; shorten it.",
                )
        for col, j in tambon_cols:
            raw = cells[j]
            if _is_blank(raw):
                values[col.key] = None
                continue
            amphoe = values.get(amphoe_key) if amphoe_key else None
            value, issue = tambon(raw, getattr(amphoe, "code", None))
            values[col.key] = value
            if issue is not None:
                sink.issue(rownum, row_id, col.key, raw, issue, values)
                has_error = has_error or issue.severity is _ERR
        for col in conditional:
            cond = col.required_if
            assert cond is not None
            if _is_blank(cells[match.columns[col.key]]) and values.get(cond.column) in cond.values:
                shown = display(cells[match.columns[cond.column]])
                sink.add(
                    row=rownum,
                    row_id=row_id,
                    column_key=col.key,
                    raw=None,
                    code="required.missing",
                    th=f"ต้องกรอก '{sink.headers[col.key]}' เมื่อ '{sink.headers[cond.column]}' เป็น '{shown}'",
                    en=f"'{sink.headers[col.key]}' is required when '{sink.headers[cond.column]}' is '{shown}'.",
                    values=values,
                )
                has_error = True
        records.append(Record(rownum, row_id, values, has_error))
    result = RegisterResult(
        spec.key,
        tab.title,
        True,
        records,
        header_row=header_row,
        columns=dict(match.columns),
        headers=dict(sink.headers),
    )
    return result


def _formula_or_error(
    sink: FindingSink, rownum: int, row_id: str, col: ColumnSpec, raw: CellValue
) -> tuple[CellValue, bool]:
    if isinstance(raw, CellError):
        sink.add(
            row=rownum,
            row_id=row_id,
            column_key=col.key,
            raw=raw,
            code="cell.error",
            th=f"เซลล์แสดงข้อผิดพลาด {raw.code} แก้สูตรหรือพิมพ์ค่าแทน",
            en=f"The cell shows the error {raw.code}; fix the formula or type the value.",
        )
        return None, False
    assert isinstance(raw, Formula)
    cached = raw.cached
    if isinstance(cached, CellError):
        sink.add(
            row=rownum,
            row_id=row_id,
            column_key=col.key,
            raw=raw,
            code="cell.error",
            th=f"สูตรในเซลล์ให้ผลเป็นข้อผิดพลาด {cached.code} แก้สูตรหรือพิมพ์ค่าแทน",
            en=f"The formula gives the error {cached.code}; fix it or type the value.",
        )
        return None, False
    sink.add(
        row=rownum,
        row_id=row_id,
        column_key=col.key,
        raw=raw,
        code="cell.formula",
        th="เซลล์นี้เป็นสูตร ระบบใช้ค่าที่คำนวณได้ล่าสุด ควรพิมพ์ค่าโดยตรงในทะเบียน",
        en="The cell holds a formula; its last computed value is used. Registers should hold typed values.",
    )
    return cached, True


def validate(
    snapshot: Snapshot,
    config: Config,
    *,
    as_of: dt.date,
    gazetteer: Gazetteer | None = None,
    registers: Iterable[str] | None = None,
) -> ValidationResult:
    """Validate the registers of a snapshot; findings come sorted by register order, row, column."""
    gaz = gazetteer or Gazetteer(config.province_code)
    findings: list[Finding] = []
    results: dict[str, RegisterResult] = {}
    keys = list(registers) if registers is not None else list(config.registers)
    for key in keys:
        spec = config.registers[key]
        results[key] = validate_register(
            spec, find_tab(snapshot, spec.tab), gazetteer=gaz, as_of=as_of, findings=findings
        )
    apply_rules(config, results, findings, gazetteer=gaz, as_of=as_of)
    order = {k: i for i, k in enumerate(keys)}
    col_order: dict[tuple[str, str], int] = {}
    for k in keys:
        for i, c in enumerate(config.registers[k].columns):
            col_order[(k, c.key)] = i
    findings.sort(
        key=lambda f: (
            order.get(f.register, 99),
            f.row or 0,
            col_order.get((f.register, f.column_key), -1),
            f.code,
        )
    )
    return ValidationResult(results, findings, as_of)
