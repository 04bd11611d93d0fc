"""PDPA masks: personal values never leave the spreadsheet in clear."""

from __future__ import annotations

import re

from kspo_sheets.thai.phones import read_phones

_DIGIT = re.compile(r"[0-9๐-๙]")


def mask_national_id(value: str) -> str:
    """1-2345-67890-12-3 -> x-xxxx-xxxxx-xx-3 (only the last digit shows)."""
    digits = _DIGIT.findall(value)
    if not digits:
        return "x" if value.strip() else ""
    return "x-xxxx-xxxxx-xx-" + digits[-1]


_WHOLE = "xxx-xxx-xxxx"


def mask_phone(value: str) -> str:
    """081-234-5678 -> xxx-xxx-xx78: one number shows at most its last two digits.

    A cell of several numbers or a block of lines (081-234-5678, 02-123-4560-9) is masked
    whole, one xxx-xxx-xxxx per number as typed, so no part of a second number shows; so
    is a cell too odd to read that holds more digits than one number has.
    """
    digits = _DIGIT.findall(value)
    if not digits:
        return "x" if value.strip() else ""
    cell = read_phones(value, service_numbers=True)
    items = cell.items if cell is not None else ()
    if len(items) > 1 or any(it.last is not None for it in items):
        shown = [_WHOLE + ("-xx" if it.last is not None else "") for it in items[:5]]
        return ", ".join(shown) + (", …" if len(items) > 5 else "")
    if len(items) == 1 and items[0].first is not None:
        return "xxx-xxx-xx" + items[0].first[-2:]
    if len(digits) > 10:
        return _WHOLE
    if len(digits) <= 2:
        return "x" * len(digits)
    return "xxx-xxx-xx" + "".join(digits[-2:])


def mask_text(value: str) -> str:
    """A personal name or other text: the first character and a fixed-length mask."""
    value = value.strip()
    if not value:
        return ""
    return value[0] + "xxxx"


def mask(value: str, kind: str) -> str:
    """Mask by the column's personal kind: 'national_id', 'phone' or anything else (text)."""
    if kind == "national_id":
        return mask_national_id(value)
    if kind == "phone":
        return mask_phone(value)
    return mask_text(value)
