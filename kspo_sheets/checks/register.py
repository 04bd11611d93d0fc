"""One register's cell and row checks: the tab and its header row, then every row, a
column's parser per cell (memoised for repeated text), required and conditionally required
values. Cross-row and cross-register rules come after, in rules.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from kspo_sheets.checks.columns import MEMO_LIMIT, ColumnParser, clean_text, column_parser
from kspo_sheets.checks.headers import HeaderMatch, find_header
from kspo_sheets.checks.sink import FindingSink
from kspo_sheets.config.contract import ColumnSpec, Condition, RegisterSpec
from kspo_sheets.model import (
    CellError,
    CellValue,
    Finding,
    Formula,
    Parsed,
    RawTab,
    Record,
    RegisterResult,
    Severity,
    with_error,
)
from kspo_sheets.thai.display import display
from kspo_sheets.thai.gazetteer import Gazetteer

GOOGLE_CELL_LIMIT = 50_000
_DICT_BATCH = 4096  # rows' values dicts made at a time
_ROW_TYPES: dict[tuple[str, tuple[str, ...]], type] = {}  # see _rows
_ERR = Severity.ERROR


# Thai offices fill a cell they have nothing for with a dash ("-", "–", "—"): it means "none",
# the same as a blank, never a value to parse (in real registers a lone "-" was the most
# common phone "error").
NONE_MARKS = frozenset({"-", "--", "---", "–", "—", "―", "−"})


def _is_blank(value: CellValue) -> bool:
    if value is None:
        return True
    if value.__class__ is str:
        stripped = value.strip()
        return not stripped or stripped in NONE_MARKS
    return False


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


def _header(
    spec: RegisterSpec, tab: RawTab | None, findings: list[Finding]
) -> tuple[FindingSink | None, HeaderMatch | None]:
    """Find the register's tab and header row, reporting what is missing or doubled there."""
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
        return None, None
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
        return sink, None
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
    return sink, match


@dataclass
class _Plan:
    """How each present column of a register is read, worked out once before the rows."""

    # Per column: key, index, memo (None: not memoised) and (parser, required, plain text),
    # which only a cell the memo does not hold needs.
    columns: list[tuple[str, int, dict[Any, Parsed] | None, tuple[ColumnParser, bool, bool]]]
    tambon_cols: list[tuple[ColumnSpec, int]]
    amphoe_key: str | None
    tambon: Callable[[CellValue, str | None], Any]
    id_index: int | None
    conditional: list[tuple[str, int, Condition]]


def _plan(spec: RegisterSpec, match: HeaderMatch, gazetteer: Gazetteer, as_of: dt.date) -> _Plan:
    """Each present column's parser, memo and rules, in the order the row loop reads them."""
    present = [c for c in spec.columns if c.key in match.columns]
    # Columns that decide whether another is personal are parsed first, so a finding on
    # the personal one is masked by what the row says (an individual's name, say).
    deciders = {c.personal_if.column for c in present if c.personal_if is not None}
    present.sort(key=lambda c: c.key not in deciders)
    plan: list[tuple[str, int, dict[Any, Parsed] | None, tuple[ColumnParser, bool, bool]]] = []
    for c in present:
        if c.type != "tambon":
            parse, memoise = column_parser(c, gazetteer, as_of)
            plan.append(
                (
                    c.key,
                    match.columns[c.key],
                    {} if memoise else None,
                    (parse, c.required, c.type == "text"),
                )
            )
    tambon_cols = [(c, match.columns[c.key]) for c in present if c.type == "tambon"]
    amphoe_key = next((c.key for c in present if c.type == "amphoe"), None)
    conditional = [
        (c.key, match.columns[c.key], cond) for c in present if (cond := c.required_if) is not None
    ]
    return _Plan(
        plan,
        tambon_cols,
        amphoe_key,
        _tambon_parser(gazetteer),
        match.columns.get(spec.id_key),
        conditional,
    )


def validate_register(
    spec: RegisterSpec,
    tab: RawTab | None,
    *,
    gazetteer: Gazetteer,
    as_of: dt.date,
    findings: list[Finding],
) -> RegisterResult:
    """Cell and row checks of one register (cross-row rules come later, in rules.py)."""
    sink, match = _header(spec, tab, findings)
    if tab is None or sink is None:
        return RegisterResult(spec.key, spec.tab, False, [])
    if match is None:
        return RegisterResult(spec.key, tab.title, True, [])
    records = _rows(spec, tab, match, sink, _plan(spec, match, gazetteer, as_of))
    return RegisterResult(
        spec.key,
        tab.title,
        True,
        records,
        header_row=match.row + 1,
        columns=dict(match.columns),
        headers=dict(sink.headers),
    )


def _formula_or_error(
    sink: FindingSink, rownum: int, row_id: str, key: str, raw: CellValue
) -> tuple[CellValue, bool]:
    """Report a formula or error cell; the value to parse and whether there is one."""

    def report(code: str, th: str, en: str) -> None:
        sink.add(row=rownum, row_id=row_id, column_key=key, raw=raw, code=code, th=th, en=en)

    if isinstance(raw, CellError):
        report(
            "cell.error",
            f"เซลล์แสดงข้อผิดพลาด {raw.code} แก้สูตรหรือพิมพ์ค่าแทน",
            f"The cell shows the error {raw.code}; fix the formula or type the value.",
        )
        return None, False
    assert isinstance(raw, Formula)
    cached = raw.cached
    if isinstance(cached, CellError):
        report(
            "cell.error",
            f"สูตรในเซลล์ให้ผลเป็นข้อผิดพลาด {cached.code} แก้สูตรหรือพิมพ์ค่าแทน",
            f"The formula gives the error {cached.code}; fix it or type the value.",
        )
        return None, False
    report(
        "cell.formula",
        "เซลล์นี้เป็นสูตร ระบบใช้ค่าที่คำนวณได้ล่าสุด ควรพิมพ์ค่าโดยตรงในทะเบียน",
        "The cell holds a formula; its last computed value is used. Registers should hold typed values.",
    )
    return cached, True


def _rows(
    spec: RegisterSpec, tab: RawTab, match: HeaderMatch, sink: FindingSink, p: _Plan
) -> list[Record]:
    """Every non-blank row below the header: its values parsed, its findings reported."""
    plan, tambon_cols, amphoe_key, tambon = p.columns, p.tambon_cols, p.amphoe_key, p.tambon
    id_index, conditional = p.id_index, p.conditional
    header_row = match.row + 1
    used = sorted(match.columns.values())
    last_used = used[-1] if used else -1
    headers = sink.headers

    def missing(rownum: int, row_id: str, key: str, raw: CellValue) -> None:
        sink.add(
            row=rownum,
            row_id=row_id,
            column_key=key,
            raw=raw,
            code="required.missing",
            th=f"ต้องกรอก '{headers[key]}'",
            en=f"'{headers[key]}' is required.",
        )

    def too_long(rownum: int, row_id: str, key: str, raw: str, values: dict[str, Any]) -> None:
        sink.add(
            row=rownum,
            row_id=row_id,
            column_key=key,
            raw=raw,
            values=values,
            code="text.too_long",
            th=f"ข้อความยาว {len(raw):,} ตัวอักษร เกินขีดจำกัดของ Google Sheets (50,000) ย่อให้สั้นลง",
            en=f"Text of {len(raw):,} characters exceeds Google Sheets' 50,000 limit; shorten it.",
        )

    # Each row's values dict is a fresh instance's __dict__ of one class per register, so
    # all of them share one table of keys (PEP 412): under half a plain dict's memory, and
    # still a plain dict to everyone who reads or adds to it. The class is kept for the next
    # run with the same columns (a class is a reference cycle: one per run would be garbage
    # for the cycle collector to find).
    keys = (*(p[0] for p in plan), *(c.key for c, _ in tambon_cols))
    row_type = _ROW_TYPES.get((spec.key, keys))
    if row_type is None:
        if len(_ROW_TYPES) >= 256:
            _ROW_TYPES.clear()
        row_type = _ROW_TYPES[(spec.key, keys)] = type(f"{spec.key}_values", (), {})
    # The dicts and the records are made a batch at a time, so that they lie together in
    # memory for the rules and the collector that walk them later (a record is filled in as
    # Record.__init__ would: its four fields and nothing else). The keys go into the shared
    # table first, in the order every row sets them: a dict made before its keys are known
    # would not share.
    template = row_type().__dict__
    for key in keys:
        template[key] = None
    del template
    batch: Iterator[dict[str, Any]] = iter(())
    rec_batch: Iterator[Record] = iter(())
    new_record = object.__new__
    records: list[Record] = []

    # The hot loop: a million rows of a dozen cells each. Locals, no call per cell where a
    # memo hit or a plain text cell will do, and the memo checked before anything else.
    issue_at = sink.issue
    err = _ERR
    str_ = str
    limit = GOOGLE_CELL_LIMIT
    memo_limit = MEMO_LIMIT
    none_marks = NONE_MARKS
    rownum = header_row
    for cells in islice(tab.rows, match.row + 1, None):
        rownum += 1
        n = len(cells)
        # Blank rows (and trailing empty rows) are skipped, not reported.
        for j in used:
            if j < n:
                v = cells[j]
                if v is not None and (v.__class__ is not str_ or v.strip()):
                    break
        else:
            continue
        if n <= last_used:
            cells = list(cells) + [None] * (last_used + 1 - n)
        raw_id = cells[id_index] if id_index is not None else None
        if raw_id.__class__ is str_:
            row_id = raw_id.strip()
        else:
            row_id = display(raw_id).strip() if raw_id is not None else ""
        values: dict[str, Any] | None = next(batch, None)
        if values is None:
            # No more than the rows left to read (blank rows among them leave a few unused).
            left = min(_DICT_BATCH, len(tab.rows) - (rownum - header_row + match.row))
            batch = iter([row_type().__dict__ for _ in range(left)])
            rec_batch = iter([new_record(Record) for _ in range(left)])
            values = next(batch)
        errors: Mapping[str, str] | None = None  # see Record.errors; set on a few rows only
        for key, j, memo, rest in plan:
            raw = cells[j]
            if memo is not None:
                # Only text is memoised, so a hit is text (or equal to it: a str subclass,
                # which the column's parser reads as that text).
                try:
                    hit = memo.get(raw)
                except TypeError:  # a cell that cannot be a key is in no memo
                    hit = None
                if hit is not None:
                    value, issue = hit
                    values[key] = value
                    if issue is not None:
                        issue_at(rownum, row_id, key, raw, issue, values)
                        if issue.severity is err:
                            errors = with_error(errors, key, issue.code)
                    continue
            parse, required, plain = rest
            if raw.__class__ is str_:
                stripped = raw.strip()
                if not stripped or stripped in none_marks:
                    values[key] = None
                    if required:
                        missing(rownum, row_id, key, raw)
                        errors = with_error(errors, key, "required.missing")
                    continue
                if plain:
                    # clean_text(), inline: most names need nothing but the strip done above.
                    values[key] = (
                        stripped if raw.isprintable() and "  " not in raw else clean_text(raw)
                    )
                    if len(raw) > limit:
                        too_long(rownum, row_id, key, raw, values)
                    continue
                parsed = parse(raw)
                if memo is not None and len(memo) < memo_limit and len(raw) <= limit:
                    memo[raw] = parsed
                value, issue = parsed
            elif raw is None:
                values[key] = None
                if required:
                    missing(rownum, row_id, key, raw)
                    errors = with_error(errors, key, "required.missing")
                continue
            else:
                if raw.__class__ is Formula or raw.__class__ is CellError:
                    raw, ok = _formula_or_error(sink, rownum, row_id, key, raw)
                    if not ok:
                        values[key] = None
                        errors = with_error(errors, key, "cell.error")
                        continue
                    if _is_blank(raw):
                        values[key] = None
                        continue
                value, issue = parse(raw)
            values[key] = value
            if issue is not None:
                issue_at(rownum, row_id, key, raw, issue, values)
                if issue.severity is err:
                    errors = with_error(errors, key, issue.code)
            if raw.__class__ is str_ and len(raw) > limit:
                too_long(rownum, row_id, key, raw, values)
        for col, j in tambon_cols:
            raw = cells[j]
            if _is_blank(raw):
                values[col.key] = None
                continue
            amphoe = values.get(amphoe_key) if amphoe_key else None
            value, issue = tambon(raw, getattr(amphoe, "code", None))
            values[col.key] = value
            if issue is not None:
                issue_at(rownum, row_id, col.key, raw, issue, values)
                if issue.severity is err:
                    errors = with_error(errors, col.key, issue.code)
        for key, j, cond in conditional:
            if values[key] is not None:
                continue  # a blank cell has no value: this one is not blank
            raw = cells[j]
            if _is_blank(raw) and values.get(cond.column) in cond.values:
                shown = display(cells[match.columns[cond.column]])
                sink.add(
                    row=rownum,
                    row_id=row_id,
                    column_key=key,
                    raw=None,
                    code="required.missing",
                    th=f"ต้องกรอก '{headers[key]}' เมื่อ '{headers[cond.column]}' เป็น '{shown}'",
                    en=f"'{headers[key]}' is required when '{headers[cond.column]}' is '{shown}'.",
                    values=values,
                )
                errors = with_error(errors, key, "required.missing")
        rec = next(rec_batch)
        rec.row = rownum
        rec.row_id = row_id
        rec.values = values
        rec.errors = errors
        records.append(rec)
    return records
