"""Buddhist Era dates as Thai staff type them: 10/09/2562, 10 ก.ย. 62, ๑๐/๐๙/๒๕๖๒, date cells.

Two-digit years are always BE and mean 25yy (BE 2500-2599 = CE 1957-2056): every date these
registers hold (joining, certificate expiry, linkage start, nomination) falls in that window,
and a two-digit CE year (19 for 2019) is not a form Thai staff use in a BE column.
"""

from __future__ import annotations

import datetime as dt
import re

from kspo_sheets.codes import severity_of
from kspo_sheets.model import Issue, Parsed
from kspo_sheets.thai.text import normalise, safe_text

BE_OFFSET = 543

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Spoken short forms (กันยา) and the usual misspellings, besides full names and abbreviations.
_INFORMAL = (
    ("มกรา",),
    ("กุมภา", "กุมภาพันธ"),
    ("มีนา",),
    ("เมษา",),
    ("พฤษภา",),
    ("มิถุนา",),
    ("กรกฎา", "กรกฏาคม", "กรกฏา"),
    ("สิงหา",),
    ("กันยา",),
    ("ตุลา",),
    ("พฤศจิกา", "พฤศจิ"),
    ("ธันวา",),
)
# Month text with dots and spaces removed -> month number.
_MONTH_KEYS: dict[str, int] = {}
for _i, (_full, _abbr, _more) in enumerate(
    zip(THAI_MONTHS, THAI_MONTHS_ABBR, _INFORMAL, strict=True)
):
    for _name in (_full, _abbr, *_more):
        _MONTH_KEYS[_name.replace(".", "")] = _i + 1

# Sheets and Excel count days from 1899-12-30; 20000..80000 is 1954-10-03..2119-01-10.
_SERIAL_EPOCH = dt.date(1899, 12, 30).toordinal()
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000

_BE_MIN, _BE_MAX = 2400, 2700
_CE_MIN, _CE_MAX = 1900, 2200

_EXAMPLE_TH = "เช่น 10/09/2562 หรือ 10 ก.ย. 2562"
_EXAMPLE_EN = "e.g. 10/09/2562 or 10 ก.ย. 2562"

_CANON = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_TIME = r"(?:\s*[ T]\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_DMY = re.compile(r"([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{4}|[0-9]{2})" + _TIME)
_YMD = re.compile(r"([0-9]{4})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})" + _TIME)
_NAMED = re.compile(
    r"([0-9]{1,2})\s*[-/]?\s*([\u0e01-\u0e4e][\u0e01-\u0e4e. ]*?)\s*[-/]?\s*([0-9]{4}|[0-9]{2})"
)
# Fast paths for the usual layouts, tried on the text with Thai digits as Arabic; each reads
# a value exactly as the general path would (see _parse_str): digits and separators only,
# or a month name spelt as in THAI_MONTHS / THAI_MONTHS_ABBR between single spaces.
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_TIGHT_DMY = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4}|[0-9]{2})")
_TYPED_MONTHS: dict[str, int] = {
    name: _MONTH_KEYS[name.replace(".", "")] for name in (*THAI_MONTHS, *THAI_MONTHS_ABBR)
}
_TIGHT_NAMED = re.compile(
    r"([0-9]{1,2}) ("
    + "|".join(re.escape(n) for n in sorted(_TYPED_MONTHS, key=len, reverse=True))
    + r") ([0-9]{4}|[0-9]{2})"
)
# The three forms above in one, tried on the text as typed (int() reads a Thai digit as the
# Arabic one it stands for): 1 day, 2 month number or 3 month name, 4 year.
_TD = "[0-9\u0e50-\u0e59]"
_FAST = re.compile(
    rf"({_TD}{{1,2}})(?:[/.\-]({_TD}{{1,2}})[/.\-]| ("
    + "|".join(re.escape(n) for n in sorted(_TYPED_MONTHS, key=len, reverse=True))
    + rf") )({_TD}{{4}}|{_TD}{{2}})"
)
_PREFIX = re.compile(r"(?:ณ\s*)?วัน(?:จันทร์|อังคาร|พุธ|พฤหัสบดี|พฤหัส|ศุกร์|เสาร์|อาทิตย์)?\s*ที่\s*")
_YEAR_MARKS = ("พศ", "ปี")


def _shown(text: str) -> str:
    """A value as quoted in a message: at most 40 characters, nothing unprintable."""
    if len(text) > 40:
        text = text[:40] + "…"
    return safe_text(text)


def _issue(code: str, th: str, en: str) -> Issue:
    return Issue(severity_of(code), code, th, en)


def _invalid(shown: str) -> Issue:
    return _issue(
        "date.invalid",
        f'อ่านเป็นวันที่ไม่ได้: "{shown}" ให้พิมพ์ วัน/เดือน/ปี พ.ศ. {_EXAMPLE_TH}',
        f'Not a date: "{shown}". Type day/month/Buddhist Era year, {_EXAMPLE_EN}',
    )


def _numeric(day: int, month: int, year: int) -> str:
    return f"{day:02d}/{month:02d}/{year}"


def _days_in_month(month: int, ce_year: int) -> int:
    if month == 2:
        leap = ce_year % 4 == 0 and (ce_year % 100 != 0 or ce_year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _impossible(day: int, month: int, year: int, ce_year: int, shown: str) -> Issue:
    head_th, head_en = f"วันที่ไม่มีอยู่จริง: {shown}", f"No such date: {shown}"
    if not 1 <= month <= 12:
        swap = ""
        if 1 <= day <= 12 and 1 <= month <= _days_in_month(day, ce_year):
            swap = _numeric(month, day, year)
        if swap:
            return _issue(
                "date.impossible",
                f"{head_th} (ไม่มีเดือนที่ {month} น่าจะพิมพ์ เดือน/วัน สลับกัน ให้พิมพ์ {swap})",
                f"{head_en} (there is no month {month}; day and month look swapped: type {swap})",
            )
        return _issue(
            "date.impossible",
            f"{head_th} (ไม่มีเดือนที่ {month} ให้พิมพ์ วัน/เดือน/ปี {_EXAMPLE_TH})",
            f"{head_en} (there is no month {month}; type day/month/year, {_EXAMPLE_EN})",
        )
    if day == 0:
        return _issue(
            "date.impossible",
            f"{head_th} (ไม่มีวันที่ 0)",
            f"{head_en} (there is no day 0)",
        )
    if month == 2 and day == 29:
        return _issue(
            "date.impossible",
            f"{head_th} (ปี {year} เดือนกุมภาพันธ์มี 28 วัน)",
            f"{head_en} (February {year} has 28 days)",
        )
    if month == 2:
        return _issue(
            "date.impossible",
            f"{head_th} (เดือนกุมภาพันธ์มีไม่ถึง {day} วัน)",
            f"{head_en} (February has fewer than {day} days)",
        )
    days = _days_in_month(month, ce_year)
    return _issue(
        "date.impossible",
        f"{head_th} (เดือน{THAI_MONTHS[month - 1]}มี {days} วัน)",
        f"{head_en} ({_MONTHS_EN[month - 1]} has {days} days)",
    )


def _from_parts(day: int, month: int, year: int, shown: str) -> Parsed:
    """A date from day, month and a 4-digit year of either era, judged as this column is BE."""
    if _BE_MIN <= year <= _BE_MAX:
        ce_year = year - BE_OFFSET
        try:
            return dt.date(ce_year, month, day), None
        except ValueError:
            return None, _impossible(day, month, year, ce_year, shown)
    if _CE_MIN <= year <= _CE_MAX:
        try:
            d = dt.date(year, month, day)
        except ValueError:
            return None, _impossible(day, month, year, year, shown)
        be = _numeric(day, month, year + BE_OFFSET)
        return d, _issue(
            "date.ce_year",
            f"ปีเป็น ค.ศ.: {shown} ช่องนี้ใช้ปี พ.ศ. ให้พิมพ์ {be}",
            f"The year looks like CE: {shown}. This column takes Buddhist Era years: type {be}",
        )
    if _BE_MIN + BE_OFFSET <= year <= _BE_MAX + BE_OFFSET:
        fixed = _numeric(day, month, year - BE_OFFSET)
        return None, _issue(
            "date.double_converted",
            f"ปี พ.ศ. ถูกบวก 543 ซ้ำสองครั้ง: {shown} น่าจะเป็น {fixed}",
            f"The year was converted to BE twice: {shown}; it is probably {fixed}",
        )
    return None, _issue(
        "date.invalid",
        f"ปีไม่อยู่ในช่วงที่เป็นไปได้: {shown} ให้พิมพ์ปี พ.ศ. 4 หลัก {_EXAMPLE_TH}",
        f"The year is out of range: {shown}. Type a 4-digit Buddhist Era year, {_EXAMPLE_EN}",
    )


def _year(text: str) -> int:
    year = int(text)
    return 2500 + year if len(text) == 2 else year


def parse_date_text(raw: str) -> Parsed:
    """parse_date of a str: a pure function of the string, so callers may memoise it."""
    m = _FAST.fullmatch(raw)
    if m is not None:
        # A date of the usual forms (_CANON, _TIGHT_DMY, _TIGHT_NAMED) in a BE year: read
        # here as _from_parts reads it; any other year or an impossible day goes there.
        year_text = m[4]
        year = int(year_text) + (2500 if len(year_text) == 2 else 0)
        if _BE_MIN <= year <= _BE_MAX:
            day = int(m[1])
            month = int(m[2]) if m[2] is not None else _TYPED_MONTHS[m[3]]
            try:
                return dt.date(year - BE_OFFSET, month, day), None
            except ValueError:
                pass
    return _parse_str(raw)


def _parse_str(raw: str) -> Parsed:
    """The text path: a pure function of the string, so callers may memoise it."""
    m = _CANON.fullmatch(raw)
    if m is not None:
        return _from_parts(int(m[1]), int(m[2]), int(m[3]), raw)
    if len(raw) <= 40:
        # Here the text is its own normalised form, and short and printable: its own shown.
        text = raw if raw.isascii() else raw.translate(_THAI_DIGITS)
        m = _TIGHT_DMY.fullmatch(text)
        if m is not None:
            return _from_parts(int(m[1]), int(m[2]), _year(m[3]), text)
        m = _TIGHT_NAMED.fullmatch(text)
        if m is not None:
            return _from_parts(int(m[1]), _TYPED_MONTHS[m[2]], _year(m[3]), text)
    text = normalise(raw)
    if not text:
        return None, None
    shown = _shown(text)
    if len(text) > 80:  # no date form is this long; spare the regexes a 50,000-char cell
        return None, _invalid(shown)
    p = _PREFIX.match(text)
    body = text[p.end() :] if p else text
    m = _DMY.fullmatch(body)
    if m is not None:
        return _from_parts(int(m[1]), int(m[2]), _year(m[3]), shown)
    m = _YMD.fullmatch(body)
    if m is not None:
        return _from_parts(int(m[3]), int(m[2]), int(m[1]), shown)
    m = _NAMED.fullmatch(body)
    if m is not None:
        key = m[2].replace(".", "").replace(" ", "")
        if key.startswith("เดือน"):
            key = key[len("เดือน") :]
        stripped = True
        while stripped:
            stripped = False
            for mark in _YEAR_MARKS:
                if key.endswith(mark) and key != mark:
                    key, stripped = key[: -len(mark)], True
        month = _MONTH_KEYS.get(key)
        if month is not None:
            return _from_parts(int(m[1]), month, _year(m[3]), shown)
    return None, _invalid(shown)


def _from_date(d: dt.date) -> Parsed:
    if _CE_MIN <= d.year <= _CE_MAX:
        return d, None
    # A sheet in a non-Thai locale stores a typed 10/09/2562 as a date in CE 2562: read the
    # year as BE (or catch the double conversion) exactly as if it had been typed as text.
    return _from_parts(d.day, d.month, d.year, _numeric(d.day, d.month, d.year))


def _from_number(value: float) -> Parsed:
    if _SERIAL_MIN <= value < _SERIAL_MAX + 1:  # False for NaN; fine for huge ints
        return dt.date.fromordinal(_SERIAL_EPOCH + int(value)), None
    if isinstance(value, float):
        shown = repr(value)
    else:
        shown = str(value) if -(10**40) < value < 10**40 else "…"
    return None, _invalid(_shown(shown))


def parse_date(value: object, *, as_of: dt.date | None = None) -> Parsed:
    """A cell as a date: text in BE, a date/datetime cell, or a Sheets/Excel serial number.

    Returns (date, None); (date, date.ce_year warning) for a CE-looking year such as
    10/09/2019; or (None, error) with date.invalid, date.impossible or date.double_converted.
    `as_of` is accepted for rules to come; "not in the future" is the caller's check.
    """
    if type(value) is str:
        return parse_date_text(value)
    if value is None:
        return None, None
    if isinstance(value, dt.datetime):
        return _from_date(value.date())
    if isinstance(value, dt.date):
        return _from_date(value)
    if isinstance(value, bool):
        return None, _invalid("TRUE" if value else "FALSE")
    if isinstance(value, int | float):
        return _from_number(value)
    if isinstance(value, str):  # a str subclass
        return _parse_str(str(value))
    return None, _invalid(_shown(str(value.__class__.__name__)))


def format_be(d: dt.date, style: str = "numeric") -> str:
    """A date in BE: "numeric" 10/09/2562, "long" 10 กันยายน 2562, "abbr" 10 ก.ย. 2562."""
    year = d.year + BE_OFFSET
    if style == "numeric":
        return _numeric(d.day, d.month, year)
    if style == "long":
        return f"{d.day} {THAI_MONTHS[d.month - 1]} {year}"
    if style == "abbr":
        return f"{d.day} {THAI_MONTHS_ABBR[d.month - 1]} {year}"
    raise ValueError(f"unknown date style {style!r}: use 'numeric', 'long' or 'abbr'")
