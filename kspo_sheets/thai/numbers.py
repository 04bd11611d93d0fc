"""Numbers, money and land areas as typed: 1,234.5, 30 คน, ฿12,500.-, 5-2-30 (ไร่-งาน-ตารางวา)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from kspo_sheets.codes import severity_of
from kspo_sheets.model import Issue, Parsed
from kspo_sheets.thai.text import normalise, safe_text

_FAST = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,15})?")
# Digits with thousands grouped by commas or single spaces ("1,234", "1 234") or not at all.
_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+"
_NUMBER = re.compile(rf"([+-]?)\s*({_NUM})\.?\s*([^0-9]*)")
# A unit after a number: words and abbreviations such as กก., คน, ลูก/เดือน, kg.
_UNIT = re.compile(r"[\u0e01-\u0e4eA-Za-z][\u0e01-\u0e4eA-Za-z. /]*")
# Words that multiply: "1.5 ล้าน" is not 1.5, so such a value is refused, not stripped.
_MULTIPLIER = re.compile(r"(?:ล้าน|แสน|หมื่น|พัน(?!ธ)|[kKmM](?![a-zA-Z]))")
_MONEY = re.compile(
    rf"(?:฿|thb|บาท)?\s*([+-]?)\s*(?:฿|thb)?\s*({_NUM})\s*(?:\.-|-|=)?\s*"
    r"(?:บาท(?:ถ้วน)?|บ\.?|฿|thb)?\s*(?:\.-|-|=)?\s*(?:(?:/|ต่อ)\s*(?:เดือน|ด\.|ปี|วัน))?",
)
_AREA_DASHED = re.compile(r"([0-9]+)\s*-\s*([0-9]+)\s*-\s*([0-9]+(?:\.[0-9]+)?)")
_AREA_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+"
_AREA_WORDS = re.compile(
    rf"(?:({_AREA_NUM})\s*ไร่)?\s*(?:({_AREA_NUM})\s*งาน)?\s*"
    rf"(?:({_AREA_NUM})\s*(?:ตร\.?\s*ว\.?|ตารางวา|ตาราง\s*วา|วา))?",
)
_AREA_PLAIN = re.compile(_AREA_NUM)
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\uff0d": "-"})
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# The usual typed numbers past _FAST, tried on the text with Thai digits as Arabic: digits
# grouped by commas, and a plain number followed by one of a few common units. Matching it
# means the text is its own normalised form and _number_text reads it as this number.
_UNITS_FAST = ("กก.", "กก", "กิโลกรัม", "กิโล", "คน", "ตัว", "ลูก", "ตัน", "ไร่", "บาท")
_FAST_TYPED = re.compile(
    r"(-?(?:[0-9]{1,3}(?:,[0-9]{3}){1,4}|[0-9]{1,15})(?:\.[0-9]{1,15})?)"
    r"(?: ?(?:" + "|".join(re.escape(u) for u in sorted(_UNITS_FAST, key=len, reverse=True)) + "))?"
)
# Areas as usually typed (5-2-30, 5 ไร่ 2 งาน, 12 ไร่): text that is its own normalised form.
_FAST_AREA = re.compile(
    r"[0-9]+-[0-9]+-[0-9]+(?:\.[0-9]+)?"
    r"|[0-9]{1,15}(?:\.[0-9]{1,15})? ?(?:ไร่(?: [0-9]{1,15}(?:\.[0-9]{1,15})? ?งาน)?|งาน)"
)


def _shown(text: str) -> str:
    if len(text) > 40:
        text = text[:40] + "…"
    return safe_text(text)


def _fmt(x: float) -> str:
    """A number for a message: no trailing .0, thousands grouped."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    return f"{x:,.6g}" if abs(x) >= 1e15 else f"{x:,}"


def _issue(code: str, th: str, en: str) -> Issue:
    return Issue(severity_of(code), code, th, en)


def _shown_value(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return _shown(normalise(value))
    if isinstance(value, float):
        return _shown(repr(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return _shown(str(value)) if -(10**40) < value < 10**40 else "…"
    return _shown(str(value))


def _real(value: object) -> float | None:
    """An int or float cell as a finite float; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return None
    return None


def _number_text(text: str) -> tuple[float | None, bool]:
    """A plain number with an optional trailing unit; (value, had a multiplier word)."""
    m = _NUMBER.fullmatch(text)
    if m is None:
        return None, False
    unit = m[3].strip()
    if unit:
        if _MULTIPLIER.match(unit):
            return None, True
        if not _UNIT.fullmatch(unit):
            return None, False
    x = float(m[2].replace(",", "").replace(" ", ""))
    if not math.isfinite(x):
        return None, False
    return (-x if m[1] == "-" else x), False


def _bounds(
    x: float,
    value: object,
    minimum: float | None,
    maximum: float | None,
    positive: bool = False,
    integer: bool = False,
) -> Issue | None:
    if integer and not x.is_integer():
        shown = _shown_value(value)
        return _issue(
            "number.range",
            f"ต้องเป็นจำนวนเต็ม: {shown}",
            f"Must be a whole number: {shown}",
        )
    if positive and x <= 0:
        shown = _shown_value(value)
        return _issue(
            "number.not_positive",
            f"ต้องมากกว่า 0: {shown}",
            f"Must be above zero: {shown}",
        )
    if minimum is not None and x < minimum:
        shown = _shown_value(value)
        if minimum == 0:
            return _issue(
                "number.negative",
                f"ต้องไม่ติดลบ: {shown}",
                f"Must not be negative: {shown}",
            )
        return _range(shown, minimum, maximum)
    if maximum is not None and x > maximum:
        return _range(_shown_value(value), minimum, maximum)
    return None


def _range(shown: str, minimum: float | None, maximum: float | None) -> Issue:
    if minimum is not None and maximum is not None:
        th, en = (
            f"ระหว่าง {_fmt(minimum)} ถึง {_fmt(maximum)}",
            f"between {_fmt(minimum)} and {_fmt(maximum)}",
        )
    elif minimum is not None:
        th, en = f"ไม่น้อยกว่า {_fmt(minimum)}", f"at least {_fmt(minimum)}"
    else:
        th, en = f"ไม่เกิน {_fmt(maximum or 0)}", f"at most {_fmt(maximum or 0)}"
    return _issue("number.range", f"ค่าต้อง{th}: {shown}", f"The value must be {en}: {shown}")


def parse_number(
    value: object,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    positive: bool = False,
    integer: bool = False,
) -> Parsed:
    """A number as float (int when integer=True): 1,234.5, "1 234", ๑๒, "12 กก.", "30 คน".

    Errors: number.invalid; number.range (non-integer when integer=True, or outside
    minimum/maximum); number.not_positive (positive=True and <= 0); number.negative
    (below a minimum of 0).
    """
    if type(value) is str:
        if _FAST.fullmatch(value):
            x: float | None = float(value)
        elif m := _FAST_TYPED.fullmatch(
            value if value.isascii() else value.translate(_THAI_DIGITS)
        ):
            x = float(m[1].replace(",", ""))
        else:
            text = normalise(value).translate(_MINUS)
            if not text:
                return None, None
            x, multiplied = _number_text(text) if len(text) <= 100 else (None, False)
            if x is None:
                return None, _number_invalid(_shown(text), multiplied)
    elif value is None:
        return None, None
    else:
        x = _real(value)
        if x is None:
            if isinstance(value, str):
                return parse_number(
                    str(value), minimum=minimum, maximum=maximum, positive=positive, integer=integer
                )
            return None, _number_invalid(_shown_value(value), False)
    assert x is not None
    issue = _bounds(x, value, minimum, maximum, positive, integer)
    if issue is not None:
        return None, issue
    return (int(x) if integer else x), None


def _number_invalid(shown: str, multiplied: bool) -> Issue:
    if multiplied:
        return _issue(
            "number.invalid",
            f'ไม่ใช่ตัวเลข: "{shown}" ให้พิมพ์ตัวเลขเต็ม ไม่ใช้คำว่า พัน/หมื่น/แสน/ล้าน (เช่น 1500000)',
            f'Not a number: "{shown}". Type the full number without พัน/หมื่น/แสน/ล้าน or k/M'
            " (e.g. 1500000)",
        )
    return _issue(
        "number.invalid",
        f'ไม่ใช่ตัวเลข: "{shown}" ให้พิมพ์ตัวเลข เช่น 1234 หรือ 1,234.5',
        f'Not a number: "{shown}". Type a number such as 1234 or 1,234.5',
    )


def _money_invalid(shown: str) -> Issue:
    return _issue(
        "money.invalid",
        f'ไม่ใช่จำนวนเงิน: "{shown}" ให้พิมพ์ตัวเลขจำนวนบาท เช่น 12500 หรือ 12,500.50',
        f'Not an amount of money: "{shown}". Type the amount in baht, e.g. 12500 or 12,500.50',
    )


def parse_money(value: object, *, minimum: float | None = None) -> Parsed:
    """Baht as float: 12500, "12,500.50", "12,500 บาท", "฿12,500", "12500.-", "12,500 บาท/เดือน".

    Errors: money.invalid; number.negative below a minimum of 0; number.range below another.
    """
    if type(value) is str:
        if _FAST.fullmatch(value):
            x: float | None = float(value)
        else:
            text = normalise(value).translate(_MINUS)
            if not text:
                return None, None
            m = _MONEY.fullmatch(text.casefold()) if len(text) <= 100 else None
            if m is None:
                return None, _money_invalid(_shown(text))
            x = float(m[2].replace(",", "").replace(" ", ""))
            if m[1] == "-":
                x = -x
    elif value is None:
        return None, None
    else:
        x = _real(value)
        if x is None:
            if isinstance(value, str):
                return parse_money(str(value), minimum=minimum)
            return None, _money_invalid(_shown_value(value))
    assert x is not None
    if not math.isfinite(x):
        return None, _money_invalid(_shown_value(value))
    issue = _bounds(x, value, minimum, None)
    return (None, issue) if issue is not None else (x, None)


def _area_invalid(shown: str, why_th: str = "", why_en: str = "") -> Issue:
    return _issue(
        "area.invalid",
        f'อ่านเป็นพื้นที่ไม่ได้: "{shown}"{why_th} ให้พิมพ์จำนวนไร่ เช่น 5.5 หรือ ไร่-งาน-ตารางวา เช่น 5-2-30',
        f'Not an area: "{shown}"{why_en}. Type rai (e.g. 5.5) or ไร่-งาน-ตารางวา (e.g. 5-2-30)',
    )


_NGAN_TH, _NGAN_EN = " (งานต้องเป็น 0-3 เพราะ 4 งาน = 1 ไร่)", " (งาน must be 0-3: 4 งาน = 1 ไร่)"
_WA_TH, _WA_EN = (
    " (ตารางวาต้องน้อยกว่า 100 เพราะ 100 ตารางวา = 1 งาน)",
    " (ตารางวา must be below 100: 100 ตารางวา = 1 งาน)",
)


def _area_text(text: str) -> tuple[float | None, Issue | None]:
    negative = text.startswith("-")
    body = text[1:].lstrip() if negative else text
    m = _AREA_DASHED.fullmatch(body)
    if m is not None:
        rai, ngan, wa = float(m[1]), float(m[2]), float(m[3])
        if ngan > 3:
            return None, _area_invalid(_shown(text), _NGAN_TH, _NGAN_EN)
        if wa >= 100:
            return None, _area_invalid(_shown(text), _WA_TH, _WA_EN)
        x = rai + ngan / 4 + wa / 400
        return (-x if negative else x), None
    m = _AREA_WORDS.fullmatch(body)
    if m is not None and (m[1] or m[2] or m[3]):
        rai, ngan, wa = (float(g.replace(",", "")) if g else 0.0 for g in m.groups())
        if m[1] and ngan >= 4:
            return None, _area_invalid(_shown(text), _NGAN_TH, _NGAN_EN)
        if (m[1] or m[2]) and wa >= 100:
            return None, _area_invalid(_shown(text), _WA_TH, _WA_EN)
        x = rai + ngan / 4 + wa / 400
        return (-x if negative else x), None
    m = _AREA_PLAIN.fullmatch(body)
    if m is None:
        return None, _area_invalid(_shown(text))
    x = float(m[0].replace(",", ""))
    return (-x if negative else x), None


def parse_area(value: object, *, minimum: float | None = None) -> Parsed:
    """An area in rai as float: 5.5, "5-2-30" (= 5.575), "5 ไร่ 2 งาน 30 ตร.ว.", "2 งาน".

    Errors: area.invalid (not an area, งาน over 3 or ตารางวา 100+ beside a larger unit);
    number.negative for a negative area; number.range below a non-zero minimum.
    """
    if type(value) is str:
        if _FAST.fullmatch(value):
            x: float | None = float(value)
        elif len(value) <= 100 and (
            _FAST.fullmatch(t := value if value.isascii() else value.translate(_THAI_DIGITS))
            or _FAST_AREA.fullmatch(t)
        ):
            # ๑๒, 5-2-30, 5 ไร่ 2 งาน: t is the normalised text, read as the general path would
            x, issue = _area_text(t)
            if issue is not None:
                return None, issue
        else:
            text = normalise(value).translate(_MINUS)
            if not text:
                return None, None
            if len(text) > 100:
                return None, _area_invalid(_shown(text))
            x, issue = _area_text(text)
            if issue is not None:
                return None, issue
    elif value is None:
        return None, None
    else:
        x = _real(value)
        if x is None:
            if isinstance(value, str):
                return parse_area(str(value), minimum=minimum)
            return None, _area_invalid(_shown_value(value))
    assert x is not None
    # An area is never below zero, whatever minimum the caller set.
    floor = 0.0 if minimum is None or minimum < 0 else minimum
    issue = _bounds(x, value, floor, None)
    return (None, issue) if issue is not None else (x, None)


# The fast forms above, tried on the text as typed: Thai digits match where _FAST and
# _FAST_TYPED see them translated, and float() reads them the same (it takes any decimal
# digit, and a Thai digit is the Arabic one it stands for).
_D = "[0-9๐-๙]"
_FAST_NUMBER = re.compile(
    rf"(-?(?:{_D}{{1,3}}(?:,{_D}{{3}}){{1,4}}|{_D}{{1,15}})(?:\.{_D}{{1,15}})?)"
    r"(?: ?(?:" + "|".join(re.escape(u) for u in sorted(_UNITS_FAST, key=len, reverse=True)) + "))?"
)
# An area as _FAST or _FAST_AREA takes it (Thai digits as above), with its parts as groups:
# 1 a plain number; 2-4 rai, ngan and wa of 5-2-30; 5 rai of "5 ไร่", 6 its ngan
# ("5 ไร่ 2 งาน"); 7 ngan alone ("2 งาน").
_NUM15 = rf"{_D}{{1,15}}(?:\.{_D}{{1,15}})?"
_FAST_AREA_PARTS = re.compile(
    rf"(-?{_NUM15})"
    rf"|({_D}+)-({_D}+)-({_D}+(?:\.{_D}+)?)"
    rf"|({_NUM15}) ?ไร่(?: ({_NUM15}) ?งาน)?"
    rf"|({_NUM15}) ?งาน"
)


def number_parser(
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    positive: bool = False,
    integer: bool = False,
) -> Callable[[object], Parsed]:
    """parse_number with these options, as one column's parser: the same results, sooner.

    A value as usually typed (1234, 1,234, ๑๒๓๔, 12 กก.) within the bounds is read here;
    anything else, and every value the bounds refuse, goes to parse_number.
    """
    lo = -math.inf if minimum is None else minimum
    hi = math.inf if maximum is None else maximum

    def general(value: object) -> Parsed:
        return parse_number(
            value, minimum=minimum, maximum=maximum, positive=positive, integer=integer
        )

    def parse(value: object) -> Parsed:
        if value.__class__ is str:
            m = _FAST_NUMBER.fullmatch(value)
            if m is not None:
                x = float(m[1].replace(",", ""))
                if lo <= x <= hi and (x > 0 or not positive) and (not integer or x.is_integer()):
                    return (int(x) if integer else x), None
        return general(value)

    return parse


def area_parser(*, minimum: float | None = None) -> Callable[[object], Parsed]:
    """parse_area with this minimum, as one column's parser: the same results, sooner.

    5.5, ๑๒, 5-2-30, 5 ไร่ 2 งาน and 2 งาน within range are read here; anything else, and
    every area that is refused, goes to parse_area.
    """
    floor = 0.0 if minimum is None or minimum < 0 else minimum

    def parse(value: object) -> Parsed:
        if value.__class__ is str and len(value) <= 100:
            m = _FAST_AREA_PARTS.fullmatch(value)
            if m is not None:
                # As parse_area reads the same text, through _area_text for all but the
                # first form (the fast forms but the first have no sign).
                ok = True
                if m[1] is not None:
                    x = float(m[1])
                else:
                    if m[2] is not None:
                        rai, ngan, wa = float(m[2]), float(m[3]), float(m[4])
                        ok = ngan <= 3 and wa < 100
                    elif m[5] is not None:
                        rai, ngan, wa = float(m[5]), float(m[6]) if m[6] else 0.0, 0.0
                        ok = ngan < 4
                    else:
                        rai, ngan, wa = 0.0, float(m[7]), 0.0
                    x = rai + ngan / 4 + wa / 400
                if ok and x >= floor:
                    return x, None
        return parse_area(value, minimum=minimum)

    return parse
