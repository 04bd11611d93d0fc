"""Thai phone numbers as offices type them: 081-234-5678, 0-7621-1234, +66 81 234 5678, a block
of lines 02-123-4560-9, several numbers (, / ; หรือ, line breaks), extensions (ต่อ 12, ext. 12,
#12), notes in brackets ((สายด่วน 1669), (ฝ่ายจัดซื้อ)), labels (โทร., มือถือ, Fax), Thai digits.

Every number in a cell is checked against the numbering plan (numbering_plan.py); the cell is
fine when all are, and a finding names the one that is not ("the 2nd number of 3"). The first
number is the row's primary phone: it is the parsed value.

Phone numbers are personal data (PDPA): messages describe what is wrong and the expected shape
but never quote the number; the finding's value column is masked by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kspo_sheets.codes import severity_of
from kspo_sheets.model import Issue, Parsed, Severity
from kspo_sheets.thai import numbering_plan as plan
from kspo_sheets.thai import phone_messages as msg
from kspo_sheets.thai.phone_reading import (
    NotNumbers,
    PhoneItem,
    checked,
    drop_extensions,
    parts,
    read_part,
    tokens,
)
from kspo_sheets.thai.text import normalise

__all__ = [
    "PhoneCell",
    "PhoneItem",
    "cell_issue",
    "format_phone",
    "parse_phone",
    "phone_parser",
    "read_phones",
]

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# One valid number of digits alone, as most cells hold it: the fast path in parse_phone.
_FAST = re.compile(r"0(?:[689][0-9]{8}|2[0-9]{7}|(?:3[2-9]|4[2-5]|5[2-6]|7[3-7])[0-9]{6})")


@dataclass(frozen=True, slots=True)
class PhoneCell:
    """Everything in one phone cell, in the order typed."""

    items: tuple[PhoneItem, ...]

    @property
    def primary(self) -> str | None:
        return self.items[0].first if self.items else None

    def numbers(self) -> list[str]:
        """Every number the cell gives, a block's lines each (what a round trip compares)."""
        out: list[str] = []
        for it in self.items:
            if it.first is None:
                continue
            if it.last is None:
                out.append(it.first)
            else:
                width = len(it.first)
                out.extend(str(n).zfill(width) for n in range(int(it.first), int(it.last) + 1))
        return out


def format_phone(canonical: str) -> str:
    """0812345678 -> 081-234-5678, 076211234 -> 076-211-234, 021234567 -> 02-123-4567."""
    c = canonical
    if len(c) == 10 and c.startswith("1800"):
        return f"{c[:4]}-{c[4:7]}-{c[7:]}"
    if len(c) == 10:
        return f"{c[:3]}-{c[3:6]}-{c[6:]}"
    if len(c) == 9 and c.startswith("02"):
        return f"{c[:2]}-{c[2:5]}-{c[5:]}"
    if len(c) == 9:
        return f"{c[:3]}-{c[3:6]}-{c[6:]}"
    return c  # a hotline such as 1111, or anything not canonical: left as it is


def read_phones(value: object, *, service_numbers: bool = False) -> PhoneCell | None:
    """Every number in a phone cell, or None for a blank cell.

    A cell that is no list of numbers at all (letters, no digits) gives one item with its
    problem. With service_numbers, 4-digit 1xxx hotlines and 1800 toll-free numbers are
    numbers; without, they are a problem.
    """
    if isinstance(value, bool):
        return _one_problem(msg.invalid("เป็นค่า TRUE/FALSE", "it is TRUE/FALSE"))
    if isinstance(value, float):
        if not value.is_integer():  # also NaN and infinities
            return _one_problem(msg.invalid("มีทศนิยม", "it has decimals"))
        if not 0 < value < 1e15:
            return _one_problem(msg.NOT_A_PHONE)
        value = int(value)
    if isinstance(value, int):
        if not 0 < value < 10**15:
            return _one_problem(msg.NOT_A_PHONE)
        digits = str(value)
        if digits.startswith("660"):
            digits = digits[2:]
        elif digits.startswith("66") and len(digits) in (10, 11):
            digits = "0" + digits[2:]
        return PhoneCell((checked(plan.read_digits(digits), service_numbers),))
    if not isinstance(value, str):
        return _one_problem(msg.NOT_A_PHONE)
    text = normalise(value.replace("\n", ",")) if "\n" in value else normalise(value)
    if not text:
        return None
    if len(text) > 300:
        return _one_problem(msg.invalid("ข้อความยาวเกินไป", "the text is far too long"))
    try:
        pieces = parts(drop_extensions(tokens(text)))
    except NotNumbers:
        return _one_problem(
            msg.invalid("มีตัวอักษรหรือเครื่องหมายที่ไม่ใช่ตัวเลข", "it has letters or other signs")
        )
    if not pieces:
        return _one_problem(msg.invalid("ไม่มีตัวเลข", "there are no digits"))
    items: list[PhoneItem] = []
    for part in pieces:
        previous = next((it.first for it in reversed(items) if it.first), None)
        items.extend(read_part(part, previous, service_numbers))
    return PhoneCell(tuple(items))


def _one_problem(problem: msg.Problem) -> PhoneCell:
    return PhoneCell((PhoneItem(None, problem=problem),))


# --- the finding ------------------------------------------------------------------------


def _ordinal(k: int) -> str:
    return f"{k}" + ("th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th"))


def cell_issue(cell: PhoneCell) -> Issue | None:
    """The cell's finding: the first wrong number's error, else the first correction's
    warning; in a cell of several numbers it says which one ("the 2nd of 3")."""
    chosen: tuple[int, msg.Problem] | None = None
    for k, it in enumerate(cell.items, start=1):
        if it.problem is not None:
            chosen = (k, it.problem)
            break
        if chosen is None and it.first and it.kind in (plan.MISSING_ZERO, plan.OLD_MOBILE):
            fix = (
                msg.missing_zero(it.first)
                if it.kind == plan.MISSING_ZERO
                else msg.old_mobile(it.first)
            )
            chosen = (k, fix)
    if chosen is None:
        return None
    k, (code, th, en) = chosen
    total = len(cell.items)
    if total > 1:
        th = f"เบอร์ที่ {k} จาก {total} เบอร์ในเซลล์: {th}"
        en = f"The {_ordinal(k)} of the {total} numbers in the cell: {en[:1].lower()}{en[1:]}"
    return _issue(code, th, en)


_ISSUES: dict[tuple[str, str, str], Issue] = {}


def _issue(code: str, th: str, en: str) -> Issue:
    # A handful of distinct messages: each made once and shared (Issues are frozen).
    key = (code, th, en)
    hit = _ISSUES.get(key)
    if hit is None:
        hit = Issue(severity_of(code), code, th, en)
        if len(_ISSUES) < 1000:
            _ISSUES[key] = hit
    return hit


def parse_phone(value: object, *, service_numbers: bool = False) -> Parsed:
    """A Thai phone cell: the primary (first) number as canonical digits ("0812345678",
    "021234567"; "1669" where service numbers are allowed) and the cell's finding.

    A number that lost its leading zero (812345678 as a number or text) or an old 9-digit
    mobile comes back corrected with a warning. Any other unusable number is an error that
    names the number in the cell that is wrong, and the cell gives no value (None), as any
    parser's wrong value does. A blank cell is (None, None).
    """
    if type(value) is str and len(value) <= 40:
        # 0812345678, 081-234-5678, 02 123 4567: one valid number of digits, dashes and
        # spaces reads the same as on the general path below, without it.
        digits = value.replace("-", "").replace(" ", "")
        if _FAST.fullmatch(digits):
            return digits, None
        one = _one_number(value, digits, service_numbers)
        if one is not None:
            return one
    if value is None:
        return None, None
    cell = read_phones(value, service_numbers=service_numbers)
    if cell is None:
        return None, None
    issue = cell_issue(cell)
    if issue is not None and issue.severity is Severity.ERROR:
        return None, issue  # one wrong number makes the cell unusable, as any wrong value
    return cell.primary, issue


def _one_number(value: str, digits: str, service: bool) -> Parsed | None:
    """+66 81 234 5678, 81-234-5678, Thai digits: one number of digits, dashes and spaces
    (and a leading +66), read as the general path reads it, where it gives a number."""
    if not digits.isascii():
        digits = digits.translate(_THAI_DIGITS)
    plus = digits[:1] == "+"
    if plus:
        digits = digits[1:]
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
        return None
    if digits.startswith("66"):
        # +66 in any grouping, or 66812345678 as one group: the general path's two rules.
        if not (plus or (digits == value and len(digits) in (10, 11, 12))):
            return None
        digits = digits[2:] if digits[2:3] == "0" else "0" + digits[2:]
    elif plus:
        return None  # another country's number
    item = checked(plan.read_digits(digits), service)
    if item.first is None:
        return None  # errors are worded by the general path
    return item.first, cell_issue(PhoneCell((item,)))


def phone_parser(*, service_numbers: bool = False) -> Callable[[object], Parsed]:
    """parse_phone for a column, with or without service numbers (the contract's
    `service_numbers: true`)."""
    if not service_numbers:
        return parse_phone
    return lambda value: parse_phone(value, service_numbers=True)
