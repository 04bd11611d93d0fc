"""PDPA masks: personal values never leave the spreadsheet in clear.

Personal columns are masked by their kind. Free text (a note, a contribution) is not
personal as a column, but staff type phone numbers and ID numbers into it ("+66 81 234
5678 (ไลน์กลุ่ม)"): mask_free_text finds every run shaped like one and masks it the way
the personal columns are masked, leaving the rest of the text as typed.
"""

from __future__ import annotations

import re

from kspo_sheets.thai.phones import read_phones

_DIGIT = re.compile(r"[0-9๐-๙]")
_TO_ASCII = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# A run of digits that may hold a number people write in groups: digits (ASCII or Thai)
# with at most two separators between two of them (spaces of any kind, dashes, dots,
# brackets: "(076) 123-456", "081 234 5678", "1-2345-67890-12-3"), maybe led by + or (.
# Commas and slashes end a run: they separate thousands and the parts of a date, never the
# groups of a phone number or an ID.
_SEP = "\\s\u00a0\u200b\u2010-\u2015\\-.()"
_RUN = re.compile(rf"[+(]{{0,2}}\d(?:[{_SEP}]{{0,2}}\d)*")
_GROUP = re.compile(r"\d+")
_ID_BOUNDS = {1, 5, 10, 12}  # where the groups of 1-2345-67890-12-3 end
_MIN_DIGITS = 9  # the shortest Thai phone number (a landline: 0 and 8 digits)


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


def _personal_run(digits: str) -> str | None:
    """'phone' or 'national_id' when a group of digits is shaped like one, else None.

    Phones: 0 and 8 digits (a fixed line, 02-07) or 9 (a mobile, 06, 08, 09), the same
    after the country code 66, or a mobile that lost its 0 (9 digits from 6, 8 or 9).
    IDs: 13 digits, not from 0. Shorter runs
    (years, amounts, counts, dates) stay as typed.
    """
    n = len(digits)
    if n < _MIN_DIGITS:
        return None
    if n == 13 and digits[0] != "0":  # an ID's first digit is the holder's kind, 1 to 8
        return "national_id"
    if digits.startswith("66") and n in (10, 11):
        digits, n = "0" + digits[2:], n - 1
    if digits[0] == "0":
        # The numbering plan: 0 and 8 digits for a fixed line (02-07), 9 for a mobile.
        mobile = digits[1] in "689"
        return "phone" if n == (10 if mobile else 9) else None
    if n == 9 and digits[0] in "689":
        return "phone"
    return None


def _stretch(digits: list[str], i: int) -> tuple[tuple[int, str] | None, int | None]:
    """From group i on, the longest stretch of whole groups shaped like a phone or an ID
    grouped as the card prints it (1-2345-67890-12-3): (last group, kind); and the last
    group of 13 digits grouped otherwise, if any."""
    found = None
    odd = None
    joined = ""
    bounds: set[int] = set()
    for j in range(i, len(digits)):
        joined += digits[j]
        if len(joined) > 13:
            break
        kind = _personal_run(joined)
        if kind == "national_id" and not bounds <= _ID_BOUNDS:
            odd = j
        elif kind is not None:
            found = (j, kind)
        bounds.add(len(joined))
    return found, odd


def find_personal(text: str) -> list[tuple[int, int, str]]:
    """Where a free text holds something shaped like a phone number or an ID: (start, end, kind).

    Within a run of digit groups ("หมู่ 5 081 234 5678" holds 5, 081, 234, 5678) the
    longest stretch of whole groups shaped like a phone or an ID is taken from each group
    on, so a number typed beside another is still found. Thirteen digits grouped unlike an
    ID card are an ID only when no phone number lies within them.
    """
    if len(_DIGIT.findall(text)) < _MIN_DIGITS:
        return []
    ascii_text = text.translate(_TO_ASCII)  # the same length: positions stay
    out: list[tuple[int, int, str]] = []
    for m in _RUN.finditer(ascii_text):
        groups = [(g.start(), g.end()) for g in _GROUP.finditer(ascii_text, m.start(), m.end())]
        digits = [ascii_text[a:b] for a, b in groups]
        if sum(map(len, digits)) < _MIN_DIGITS:
            continue
        i = 0
        while i < len(groups):
            found, odd = _stretch(digits, i)
            if found is None and odd is not None:
                inner = (_stretch(digits, k)[0] for k in range(i + 1, odd + 1))
                if not any(f is not None and f[1] == "phone" for f in inner):
                    found = (odd, "national_id")  # no phone number within: an ID
            if found is None:
                i += 1
                continue
            j, kind = found
            start = m.start() if i == 0 else groups[i][0]
            end = groups[j][1]
            if "(" in ascii_text[start:end] and ")" not in ascii_text[start:end]:
                start = ascii_text.index("(", start) + 1
            out.append((start, end, kind))
            i = j + 1
    return out


def mask_free_text(text: str) -> str:
    """The text with every phone- or ID-shaped run masked; the same object when there is none."""
    if text.__class__ is not str or len(text) < _MIN_DIGITS:
        return text
    found = find_personal(text)
    if not found:
        return text
    parts = []
    last = 0
    for start, end, kind in found:
        parts.append(text[last:start])
        parts.append(mask(text[start:end], kind))
        last = end
    parts.append(text[last:])
    return "".join(parts)
