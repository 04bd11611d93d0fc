"""Thai national ID numbers (เลขประจำตัวประชาชน): 13 digits, the last a check digit.

An ID is personal data (PDPA): no message here quotes it or any of its digits.

The check digit catches most single-digit slips but not all: the third digit weighs 11
(0 mod 11), so a change there is never seen, and a sum moving between 0 and 10 mod 11 keeps
the same check digit (about 2% of slips elsewhere). A valid checksum is not proof of a real ID.
"""

from __future__ import annotations

import re
from operator import mul

from kspo_sheets.codes import severity_of
from kspo_sheets.model import Issue, Parsed
from kspo_sheets.thai.text import normalise

# Digit i (0-based) of the first twelve weighs 13 - i.
_WEIGHTS = tuple(range(13, 1, -1))
_SEPARATORS = str.maketrans("", "", " -.–")
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE]\+?[0-9]+")


# The weighted sum of the first twelve digits, three at a time: for each group of three a
# table from its text to its part of the sum (4 x 1,000 entries), four lookups in place of
# twelve multiplications. Byte values times weights, less 48 (ord "0") times the weights'
# sum: no int() per digit while the tables are built.
_PART_SUMS: tuple[dict[str, int], ...] = tuple(
    {
        f"{i:03d}": sum(map(mul, f"{i:03d}".encode(), _WEIGHTS[g : g + 3]))
        - ord("0") * sum(_WEIGHTS[g : g + 3])
        for i in range(1000)
    }
    for g in range(0, 12, 3)
)
_P0, _P1, _P2, _P3 = _PART_SUMS
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _check(digits: str) -> int:
    # digits: at least 12 ASCII digits
    total = _P0[digits[0:3]] + _P1[digits[3:6]] + _P2[digits[6:9]] + _P3[digits[9:12]]
    return (11 - total % 11) % 10


def check_digit(first12: str) -> int:
    """The 13th digit for the first twelve: (11 - sum(d[i] * (13 - i)) % 11) % 10."""
    if len(first12) != 12 or not first12.isascii() or not first12.isdigit():
        raise ValueError("check_digit needs exactly 12 ASCII digits")
    return _check(first12)


def is_valid(digits13: str) -> bool:
    """True for 13 ASCII digits whose last digit is the right check digit."""
    return (
        len(digits13) == 13
        and digits13.isascii()
        and digits13.isdigit()
        and _check(digits13) == ord(digits13[12]) - 48
    )


def make_valid_id(first12: str) -> str:
    """The first twelve digits plus their check digit (for sample data and tests)."""
    return first12 + str(check_digit(first12))


def format_national_id(d13: str) -> str:
    """1234567890121 -> 1-2345-67890-12-1; anything not 13 characters is returned as it is."""
    if len(d13) != 13:
        return d13
    return f"{d13[0]}-{d13[1:5]}-{d13[5:10]}-{d13[10:12]}-{d13[12]}"


_CHECKSUM = Issue(
    severity_of("national_id.checksum"),
    "national_id.checksum",
    "เลขประจำตัวประชาชนไม่ถูกต้อง: หลักสุดท้าย (หลักตรวจสอบ) ไม่ตรงกับ 12 หลักแรก"
    " อาจพิมพ์ผิดหลักใดหลักหนึ่ง ให้ตรวจทานกับบัตรประชาชนอีกครั้ง",
    "The national ID's check digit does not match its first 12 digits: a digit is probably"
    " mistyped; re-check it against the ID card",
)


def _invalid(reason_th: str, reason_en: str) -> Issue:
    return Issue(
        severity_of("national_id.invalid"),
        "national_id.invalid",
        f"เลขประจำตัวประชาชนต้องมี 13 หลัก ({reason_th}) เช่น 1-2345-67890-12-1",
        f"A national ID has 13 digits ({reason_en}), e.g. 1-2345-67890-12-1",
    )


_SCIENTIFIC_ISSUE = _invalid(
    "เซลล์ถูกแปลงเป็นตัวเลขแบบ E+12 ทำให้ตัวเลขหาย พิมพ์ใหม่และตั้งรูปแบบเซลล์เป็นข้อความธรรมดา",
    "the cell became a number shown as E+12 and lost digits: retype it in a plain-text cell",
)


def _digits(digits: str) -> Parsed:
    if len(digits) != 13:
        return None, _invalid(f"พบตัวเลข {len(digits)} หลัก", f"found {len(digits)} digits")
    if _check(digits) != ord(digits[12]) - 48:
        return None, _CHECKSUM
    return digits, None


def _parse_str(raw: str) -> Parsed:
    text = normalise(raw)
    if not text:
        return None, None
    digits = text.translate(_SEPARATORS)
    if digits.isascii() and digits.isdigit():
        return _digits(digits)
    if len(text) < 40 and _SCIENTIFIC.fullmatch(text):
        return None, _SCIENTIFIC_ISSUE
    return None, _invalid("มีตัวอักษรหรือเครื่องหมายที่ไม่ใช่ตัวเลข", "it has letters or other signs")


def parse_national_id(value: object) -> Parsed:
    """A national ID as its 13 digits: dashes, spaces and Thai digits allowed, or an xlsx int.

    Returns (digits, None) or (None, national_id.invalid / national_id.checksum error).
    """
    if type(value) is str:
        if len(value) == 13 and value.isdigit() and value.isascii():
            digits = value
        elif len(value) <= 40:
            # 1-2345-67890-12-1, spaces, Thai digits: digits with dashes and spaces read the
            # same as on the general path below, without it.
            digits = value.replace("-", "").replace(" ", "")
            if not digits.isascii():
                digits = digits.translate(_THAI_DIGITS)
            if not (digits.isdigit() and digits.isascii()):
                return _parse_str(value)
            if len(digits) != 13:
                return _digits(digits)
        else:
            return _parse_str(value)
        # _check(), inline: the weighted sum of the first twelve digits, three at a time.
        total = _P0[digits[0:3]] + _P1[digits[3:6]] + _P2[digits[6:9]] + _P3[digits[9:12]]
        if (11 - total % 11) % 10 == ord(digits[12]) - 48:
            return digits, None
        return None, _CHECKSUM
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, _invalid("เป็นค่า TRUE/FALSE", "it is TRUE/FALSE")
    if isinstance(value, float):
        if not value.is_integer() or not 0 < value < 1e13:
            return None, _invalid("ไม่ใช่ตัวเลข 13 หลัก", "not a 13-digit number")
        value = int(value)
    if isinstance(value, int):
        if not 0 < value < 10**13:
            return None, _invalid("ไม่ใช่ตัวเลข 13 หลัก", "not a 13-digit number")
        return _digits(str(value))
    if isinstance(value, str):
        return _parse_str(str(value))
    return None, _invalid("ไม่ใช่ตัวเลข", "not a number")
