"""PDPA masks: personal values never leave the spreadsheet in clear."""

from __future__ import annotations

import re

_DIGIT = re.compile(r"[0-9๐-๙]")


def mask_national_id(value: str) -> str:
    """1-2345-67890-12-3 -> x-xxxx-xxxxx-xx-3 (only the last digit shows)."""
    digits = _DIGIT.findall(value)
    if not digits:
        return "x" if value.strip() else ""
    return "x-xxxx-xxxxx-xx-" + digits[-1]


def mask_phone(value: str) -> str:
    """081-234-5678 -> xxx-xxx-xx78 (at most the last two digits show)."""
    digits = _DIGIT.findall(value)
    if not digits:
        return "x" if value.strip() else ""
    if len(digits) <= 2:
        return "x" * len(digits)
    tail = "".join(digits[-2:])
    return "xxx-xxx-xx" + tail


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
