"""The Thai fiscal year: 1 October to 30 September, named by the BE year in which it ends."""

from __future__ import annotations

import datetime as dt
import math
import re

from kspo_sheets.codes import severity_of
from kspo_sheets.model import Issue, Parsed
from kspo_sheets.thai.text import normalise, safe_text

BE_OFFSET = 543
_BE_MIN, _BE_MAX = 2400, 2700
_CE_MIN, _CE_MAX = 1900, 2200

_FAST = re.compile(r"2[4-6][0-9]{2}")
# ปีงบประมาณ 2562, ปีงบ 62, ปีงบฯ 2562, พ.ศ. 2562, ปี 2562, 2562.0 (a number exported as text)
_YEAR = re.compile(
    r"(?:ปี\s*)?(?:งบ(?:ประมาณ|ฯ|\.)?\s*)?(?:พ\.?\s*ศ\.?\s*)?([0-9]{4}|[0-9]{2})(?:\.0+)?"
)


def fiscal_year(d: dt.date) -> int:
    """The BE fiscal year a date falls in: 30/09/2562 -> 2562, 01/10/2562 -> 2563."""
    return d.year + BE_OFFSET + (1 if d.month >= 10 else 0)


def fiscal_year_bounds(be_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of a BE fiscal year: 2563 -> (2019-10-01, 2020-09-30)."""
    ce = be_year - BE_OFFSET
    return dt.date(ce - 1, 10, 1), dt.date(ce, 9, 30)


def _shown(text: str) -> str:
    if len(text) > 40:
        text = text[:40] + "…"
    return safe_text(text)


def _invalid(shown: str, hint_th: str = "", hint_en: str = "") -> Issue:
    return Issue(
        severity_of("year.invalid"),
        "year.invalid",
        f'ไม่ใช่ปี พ.ศ.: "{shown}"{hint_th} ให้พิมพ์ปี พ.ศ. 4 หลัก เช่น 2562',
        f'Not a Buddhist Era year: "{shown}"{hint_en}. Type a 4-digit BE year, e.g. 2562',
    )


def _classify(year: int, shown: str) -> Parsed:
    if _BE_MIN <= year <= _BE_MAX:
        return year, None
    if _CE_MIN <= year <= _CE_MAX:
        be = year + BE_OFFSET
        return be, Issue(
            severity_of("year.ce"),
            "year.ce",
            f"ปีเป็น ค.ศ.: {shown} ช่องนี้ใช้ปี พ.ศ. ให้พิมพ์ {be}",
            f"The year looks like CE: {shown}. This column takes BE years: type {be}",
        )
    if _BE_MIN + BE_OFFSET <= year <= _BE_MAX + BE_OFFSET:
        fixed = year - BE_OFFSET
        return None, _invalid(
            shown,
            f" (ถูกบวก 543 ซ้ำสองครั้ง น่าจะเป็น {fixed})",
            f" (converted to BE twice; probably {fixed})",
        )
    return None, _invalid(shown)


def _parse_str(raw: str) -> Parsed:
    if _FAST.fullmatch(raw):
        return int(raw), None
    text = normalise(raw)
    if not text:
        return None, None
    shown = _shown(text)
    m = _YEAR.fullmatch(text) if len(text) <= 40 else None
    if m is None:
        return None, _invalid(shown)
    digits = m[1]
    return _classify(2500 + int(digits) if len(digits) == 2 else int(digits), shown)


def parse_be_year(value: object) -> Parsed:
    """A BE year: 2562, "2562", "๒๕๖๒", 2562.0, "ปีงบประมาณ 2562", "พ.ศ. 2562", "ปีงบ 62".

    Two-digit years mean 25yy. Returns (int, None); (year + 543, year.ce warning) for a
    CE-looking year 1900-2200; or (None, year.invalid error).
    """
    if type(value) is str:
        return _parse_str(value)
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, _invalid("TRUE" if value else "FALSE")
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None, _invalid(_shown(repr(value)))
        value = int(value)
    if isinstance(value, int):
        shown = _shown(str(value)) if abs(value) < 10**40 else "…"
        return _classify(2500 + value if 10 <= value <= 99 else value, shown)
    if isinstance(value, str):
        return _parse_str(str(value))
    return None, _invalid(_shown(str(value)))
