"""One parser per configured column, built once per run: type, options and a memo."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from kspo_sheets.choices import EnumParser, parse_yesno
from kspo_sheets.config import ColumnSpec
from kspo_sheets.fiscal import parse_be_year
from kspo_sheets.gazetteer import Gazetteer
from kspo_sheets.model import CellValue, Issue, Parsed, Severity
from kspo_sheets.national_id import parse_national_id
from kspo_sheets.numbers import parse_area, parse_money, parse_number
from kspo_sheets.phones import parse_phone
from kspo_sheets.thai_dates import format_be, parse_date
from kspo_sheets.thai_text import clean, normalise

ColumnParser = Callable[[CellValue], Parsed]

# A memo per column stops growing here: enough for every distinct date or choice a
# register really holds, bounded for a million unique IDs.
MEMO_LIMIT = 20_000
_LOOSE_ID = re.compile(r"[\s\-_./]+")


def _memoised(fn: ColumnParser) -> ColumnParser:
    memo: dict[str, Parsed] = {}

    def parse(value: CellValue) -> Parsed:
        if value.__class__ is str:
            hit = memo.get(value)
            if hit is not None:
                return hit
            out = fn(value)
            if len(memo) < MEMO_LIMIT:
                memo[value] = out
            return out
        return fn(value)

    return parse


def _text(value: CellValue) -> Parsed:
    if isinstance(value, str):
        return clean(value), None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    if isinstance(value, dt.date):
        return format_be(value), None
    return str(value), None


def _id_parser(col: ColumnSpec) -> ColumnParser:
    pattern = re.compile(col.pattern or r"^\S+$")
    example = col.example or ""

    def parse(value: CellValue) -> Parsed:
        text = normalise(value) if isinstance(value, str) else _text(value)[0]
        if pattern.match(text):
            return text, None
        # Suggest the canonical form for the usual slips: lower case, missing or odd dash.
        guess = None
        m = re.match(r"^([A-Za-z]+)[\s\-_./]*(\d+)$", text)
        if m and example:
            prefix = m.group(1).upper()
            width = len(example.split("-")[-1])
            cand = f"{prefix}-{m.group(2).zfill(width)}"
            if pattern.match(cand):
                guess = cand
        hint_th = f" หมายถึง {guess} ใช่หรือไม่" if guess else f" (รูปแบบ เช่น {example})"
        hint_en = f" Did you mean {guess}?" if guess else f" (expected a form like {example})"
        return None, Issue(
            Severity.ERROR,
            "id.format",
            f"รหัส '{text[:40]}' ไม่ถูกรูปแบบ{hint_th}",
            f"ID '{text[:40]}' is not in the register's form.{hint_en}",
        )

    return parse


def _date_parser(col: ColumnSpec, as_of: dt.date) -> ColumnParser:
    def parse(value: CellValue) -> Parsed:
        d, issue = parse_date(value, as_of=as_of)
        if d is not None and col.not_future and d > as_of:
            return d, Issue(
                Severity.ERROR,
                "date.future",
                f"วันที่ {format_be(d)} อยู่หลังวันที่ตรวจ ({format_be(as_of)}) ตรวจสอบปี พ.ศ. อีกครั้ง",
                f"{format_be(d)} is after the run date ({format_be(as_of)}); check the BE year.",
            )
        return d, issue

    return parse


def make_parser(col: ColumnSpec, gazetteer: Gazetteer, as_of: dt.date) -> ColumnParser:
    """The parser for one column; tambon columns are parsed per row (they need the amphoe)."""
    t = col.type
    if t == "text":
        return _text
    if t == "id":
        return _id_parser(col)
    if t == "village_code":
        return gazetteer.check_village_code
    if t == "integer":
        return _memoised(
            lambda v: parse_number(v, minimum=col.minimum, maximum=col.maximum, integer=True)
        )
    if t == "number":
        return _memoised(
            lambda v: parse_number(
                v, minimum=col.minimum, maximum=col.maximum, positive=col.positive
            )
        )
    if t == "money":
        return _memoised(lambda v: parse_money(v, minimum=col.minimum))
    if t == "area":
        return _memoised(lambda v: parse_area(v, minimum=col.minimum))
    if t == "date":
        return _memoised(_date_parser(col, as_of))
    if t == "yesno":
        return _memoised(parse_yesno)
    if t == "enum":
        return _memoised(EnumParser(col.values, col.aliases))
    if t == "phone":
        return parse_phone
    if t == "national_id":
        return parse_national_id
    if t == "amphoe":
        return _memoised(gazetteer.parse_amphoe)
    if t == "tambon":
        return _memoised(lambda v: gazetteer.parse_tambon(v, None))
    if t == "be_year":
        return _memoised(parse_be_year)
    raise ValueError(f"unknown column type {t!r}")  # the config schema prevents this


def display(value: CellValue) -> str:
    """A raw cell value as staff see it, for findings and status text."""
    from kspo_sheets.model import CellError, Formula

    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_be(value)
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, CellError):
        return value.code
    return str(value)
