"""Thai phone numbers as typed: 081-234-5678, 076 211 234, +66 81 234 5678, ต่อ 12, หรือ.

Phone numbers are personal data (PDPA): messages describe what is wrong and the expected
shape but never quote the number; the finding's value column is masked by the caller.
"""

from __future__ import annotations

import re

from kspo_sheets.codes import severity_of
from kspo_sheets.model import Issue, Parsed
from kspo_sheets.thai.text import normalise

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Canonical forms: mobile 0[689] + 8 digits; landline 0 + area code 2, 3x, 4x, 5x or 7x
# + the rest, 9 digits in all (no landline area code starts with 6: 06 is mobile).
_MOBILE = frozenset("689")
_LANDLINE = frozenset("23457")
_FAST = re.compile(r"0(?:[689][0-9]{8}|[2-57][0-9]{7})")
_SPLIT = re.compile(r"[,;/|\n\r]|หรือ|และ|\bor\b|\band\b", re.IGNORECASE)
_LABEL = re.compile(
    r"(?:โทรศัพท์|โทรสาร|โทร|มือถือ|มถ|แฟกซ์|tel|phone|mobile|mob|fax)\s*\.?\s*:?\s*",
    re.IGNORECASE,
)
_EXT = re.compile(r"\s*(?:ต่อ|ext|x|#|กด)\s*\.?\s*:?\s*[0-9]{1,5}\s*$", re.IGNORECASE)
_NOTE = re.compile(r"\([^0-9()]*\)")  # (มือถือ), (คุณสมชาย): a note, not part of the number
_PUNCT = str.maketrans("", "", " -.()–—")

_EXPECTED_TH = "มือถือ 10 หลัก เช่น 081-234-5678 หรือโทรศัพท์บ้าน 9 หลัก เช่น 02-123-4567"
_EXPECTED_EN = "a 10-digit mobile such as 081-234-5678 or a 9-digit landline such as 02-123-4567"

# Outcomes of one number.
_OK, _ZERO = "ok", "zero"


def format_phone(canonical: str) -> str:
    """0812345678 -> 081-234-5678, 076211234 -> 076-211-234, 021234567 -> 02-123-4567."""
    c = canonical
    if len(c) == 10:
        return f"{c[:3]}-{c[3:6]}-{c[6:]}"
    if len(c) == 9 and c.startswith("02"):
        return f"{c[:2]}-{c[2:5]}-{c[5:]}"
    if len(c) == 9:
        return f"{c[:3]}-{c[3:6]}-{c[6:]}"
    return c  # a hotline such as 1111, or anything not canonical: left as it is


def _invalid(reason_th: str, reason_en: str) -> Issue:
    return Issue(
        severity_of("phone.invalid"),
        "phone.invalid",
        f"เบอร์โทรศัพท์ไม่ถูกต้อง ({reason_th}) ให้พิมพ์{_EXPECTED_TH}",
        f"Not a Thai phone number ({reason_en}); type {_EXPECTED_EN}",
    )


def _missing_zero_issue(mobile: bool) -> Issue:
    if mobile:
        shape_th, shape_en = "มือถือ 10 หลัก รูปแบบ 0xx-xxx-xxxx", "a 10-digit mobile, 0xx-xxx-xxxx"
    else:
        shape_th, shape_en = "โทรศัพท์บ้าน 9 หลัก รูปแบบ 0x-xxx-xxxx", "a 9-digit landline, 0x-xxx-xxxx"
    return Issue(
        severity_of("phone.missing_zero"),
        "phone.missing_zero",
        f"เบอร์โทรศัพท์ขาดเลข 0 ข้างหน้า (เซลล์ถูกแปลงเป็นตัวเลข) ให้เติม 0 เป็น{shape_th}"
        " และตั้งรูปแบบเซลล์เป็นข้อความธรรมดา",
        f"The phone number lost its leading zero (the cell was turned into a number): add the 0"
        f" to make {shape_en}, and format the cell as plain text",
    )


# Issues are frozen: the two missing-zero warnings are made once and shared.
_MISSING_ZERO_MOBILE = _missing_zero_issue(True)
_MISSING_ZERO_LANDLINE = _missing_zero_issue(False)


def _missing_zero(canonical: str) -> Issue:
    return _MISSING_ZERO_MOBILE if len(canonical) == 10 else _MISSING_ZERO_LANDLINE


def _digits(digits: str) -> tuple[str | None, str]:
    """Canonical digits and how they were read (_OK, _ZERO or a reason for an error)."""
    if digits.startswith("660"):  # +66 0812345678: the 0 kept after the country code
        digits = digits[2:]
    elif digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    n, first = len(digits), digits[:1]
    if first == "0":
        second = digits[1:2]
        if (n == 10 and second in _MOBILE) or (n == 9 and second in _LANDLINE):
            return digits, _OK
    elif n == 4 and first == "1":
        return digits, _OK
    elif (n == 9 and first in _MOBILE) or (n == 8 and first in _LANDLINE):
        return "0" + digits, _ZERO
    return None, f"{n}"


def _one(part: str) -> tuple[str | None, str]:
    part = _LABEL.sub("", part, count=1).strip()
    part = _NOTE.sub("", part)
    part = _EXT.sub("", part)
    digits = part.translate(_PUNCT)
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits:
        return None, "none"
    if not digits.isascii() or not digits.isdigit():
        return None, "letters"
    return _digits(digits)


def _reason(outcome: str) -> tuple[str, str]:
    if outcome == "letters":
        return "มีตัวอักษรหรือเครื่องหมายที่ไม่ใช่ตัวเลข", "it has letters or other signs"
    if outcome == "none":
        return "ไม่มีตัวเลข", "there are no digits"
    return f"พบตัวเลข {outcome} หลัก", f"it has {outcome} digits"


# outcome -> its phone.invalid issue: a handful of outcomes ("letters", "none", digit counts).
_INVALID_BY_OUTCOME: dict[str, Issue] = {}


def _invalid_reason(outcome: str) -> Issue:
    issue = _INVALID_BY_OUTCOME.get(outcome)
    if issue is None:
        issue = _invalid(*_reason(outcome))
        if len(_INVALID_BY_OUTCOME) < 1000:
            _INVALID_BY_OUTCOME[outcome] = issue
    return issue


def _parse_str(raw: str) -> Parsed:
    text = normalise(raw.replace("\n", ",")) if "\n" in raw else normalise(raw)
    if not text:
        return None, None
    if len(text) > 200:
        return None, _invalid("ข้อความยาวเกินไป", "the text is far too long")
    first: str | None = None
    warning: Issue | None = None
    for part in _SPLIT.split(text):
        part = part.strip()
        if not part:
            continue
        canonical, outcome = _one(part)
        if canonical is None:
            # 02-123-4567/8: a second number written as its last digit or two
            if first is not None and outcome in ("1", "2"):
                continue
            return None, _invalid_reason(outcome)
        if outcome == _ZERO and warning is None:
            warning = _missing_zero(canonical)
        if first is None:
            first = canonical
    if first is None:
        return None, _invalid("ไม่มีตัวเลข", "there are no digits")
    return first, warning


def parse_phone(value: object) -> Parsed:
    """A Thai phone number as canonical digits ("0812345678", "021234567", "1111").

    Several numbers (, / หรือ) are each checked and the first is returned; an extension is
    dropped. A number that lost its leading zero (812345678 as a number or text) returns the
    corrected digits with a phone.missing_zero warning; anything else unusable: phone.invalid.
    """
    if type(value) is str:
        if len(value) <= 40:
            # 0812345678, 081-234-5678, 02 123 4567, +66 81 234 5678, Thai digits: one number
            # of digits, dashes and spaces reads the same as on the general path below,
            # without it (and a number already canonical comes back as it is).
            digits = value.replace("-", "").replace(" ", "")
            if _FAST.fullmatch(digits):
                return digits, None
            if not digits.isascii():
                digits = digits.translate(_THAI_DIGITS)
            if digits[:1] == "+":
                digits = digits[1:]
            if digits.isdigit() and digits.isascii():
                canonical, outcome = _digits(digits)
                if canonical is None:
                    return None, _invalid_reason(outcome)
                return canonical, _missing_zero(canonical) if outcome == _ZERO else None
        return _parse_str(value)
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, _invalid("เป็นค่า TRUE/FALSE", "it is TRUE/FALSE")
    if isinstance(value, float):
        if not value.is_integer():  # also NaN and infinities
            return None, _invalid("มีทศนิยม", "it has decimals")
        if not 0 < value < 1e15:
            return None, _invalid("ไม่ใช่เบอร์โทรศัพท์", "it is not a phone number")
        value = int(value)
    if isinstance(value, int):
        if not 0 < value < 10**15:
            return None, _invalid("ไม่ใช่เบอร์โทรศัพท์", "it is not a phone number")
        canonical, outcome = _digits(str(value))
        if canonical is None:
            return None, _invalid_reason(outcome)
        return canonical, _missing_zero(canonical) if outcome == _ZERO else None
    if isinstance(value, str):
        return _parse_str(str(value))
    return None, _invalid("ไม่ใช่เบอร์โทรศัพท์", "it is not a phone number")
