"""One parser per configured column, built once per run: type, options and a memo."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from kspo_sheets.config.contract import ColumnSpec
from kspo_sheets.model import CellValue, Issue, Parsed, Severity
from kspo_sheets.thai.choices import EnumParser, parse_yesno
from kspo_sheets.thai.dates import format_be, parse_date, parse_date_text
from kspo_sheets.thai.fiscal import parse_be_year
from kspo_sheets.thai.gazetteer import Gazetteer
from kspo_sheets.thai.national_id import parse_national_id
from kspo_sheets.thai.numbers import area_parser, number_parser, parse_money
from kspo_sheets.thai.phones import phone_parser
from kspo_sheets.thai.text import clean, normalise

ColumnParser = Callable[[CellValue], Parsed]

# A memo per column stops growing here: enough for every distinct date or choice a
# register really holds, bounded for a million unique IDs.
MEMO_LIMIT = 20_000
_LOOSE_ID = re.compile(r"[\s\-_./]+")


def clean_text(value: str) -> str:
    """clean(), short-cut for the usual cell: nothing invisible, no odd or doubled spaces."""
    # Every character clean() folds is unprintable, so a printable string needs only strip(),
    # which hands back the same object: a million names are not copied.
    if value.isprintable() and "  " not in value:
        return value.strip()
    return clean(value)


def _text(value: CellValue) -> Parsed:
    if isinstance(value, str):
        return clean_text(value), None
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), None
    if isinstance(value, dt.date):
        return format_be(value), None
    return str(value), None


def _id_parser(col: ColumnSpec) -> ColumnParser:
    pattern = re.compile(col.pattern or r"^\S+$")
    example = col.example or ""

    def parse(value: CellValue) -> Parsed:
        if value.__class__ is str and value.isascii() and value.isprintable() and "  " not in value:
            # What normalise() makes of printable ASCII: no Thai digits, NFC as it is.
            text = value.strip()
        else:
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
    not_future = col.not_future

    def parse(value: CellValue) -> Parsed:
        if value.__class__ is str:
            d, issue = parse_date_text(value)
        else:
            d, issue = parse_date(value, as_of=as_of)
        if d is not None and not_future and d > as_of:
            return d, Issue(
                Severity.ERROR,
                "date.future",
                f"วันที่ {format_be(d)} อยู่หลังวันที่ตรวจ ({format_be(as_of)}) ตรวจสอบปี พ.ศ. อีกครั้ง",
                f"{format_be(d)} is after the run date ({format_be(as_of)}); check the BE year.",
            )
        return d, issue

    return parse


def column_parser(
    col: ColumnSpec, gazetteer: Gazetteer, as_of: dt.date
) -> tuple[ColumnParser, bool]:
    """The bare parser for one column, and whether its results may be memoised by cell text.

    Memoised: columns whose values repeat (choices, dates, numbers, places). IDs, names,
    phones and national IDs are mostly unique, so a memo would only cost lookups and memory.
    Tambon columns are parsed per row (they need the amphoe), not here.
    """
    t = col.type
    if t == "text":
        return _text, False
    if t == "id":
        return _id_parser(col), False
    if t == "village_code":
        return gazetteer.check_village_code, True
    if t == "integer":
        return number_parser(minimum=col.minimum, maximum=col.maximum, integer=True), True
    if t == "number":
        return number_parser(minimum=col.minimum, maximum=col.maximum, positive=col.positive), True
    if t == "money":
        return (lambda v: parse_money(v, minimum=col.minimum)), True
    if t == "area":
        return area_parser(minimum=col.minimum), True
    if t == "date":
        return _date_parser(col, as_of), True
    if t == "yesno":
        return parse_yesno, True
    if t == "enum":
        return EnumParser(col.values, col.aliases), True
    if t == "phone":
        return phone_parser(service_numbers=col.service_numbers), False
    if t == "national_id":
        return parse_national_id, False
    if t == "amphoe":
        return gazetteer.parse_amphoe, True
    if t == "tambon":
        return (lambda v: gazetteer.parse_tambon(v, None)), True
    if t == "be_year":
        return parse_be_year, True
    raise ValueError(f"unknown column type {t!r}")  # the config schema prevents this
