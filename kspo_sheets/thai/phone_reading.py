"""Reading the text of a phone cell: tokens (digits, dashes, separators, extension markers,
labels), its parts (what lies between , / ; หรือ and line breaks), and in each part the
numbers, blocks of lines and their problems, checked against the numbering plan."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kspo_sheets.thai import numbering_plan as plan
from kspo_sheets.thai import phone_messages as msg

_TOKEN = re.compile(
    r"(?P<d>[0-9]+)|(?P<dash>[-‐‑‒–—−~])|(?P<sp>[\s.:]+)|(?P<plus>\+)"
    r"|(?P<sep>[,;/|、\n])|(?P<hash>#)|(?P<w>[A-Za-z\u0e01-\u0e4e]+)|(?P<o>.)"
)
# A bracketed note: anything with a letter in it ((สายด่วน 1669), (คุณสมชาย), (Fax)).
_NOTE = re.compile(r"[(\[][^()\[\]]*[A-Za-z\u0e01-\u0e4e][^()\[\]]*[)\]]")
_BRACKETS = str.maketrans("()[]", "    ")
_LIST_WORDS = frozenset({"หรือ", "และ", "or", "and"})
_RANGE_WORDS = frozenset({"ถึง", "to"})
_EXT_WORDS = frozenset({"ต่อ", "ext", "extension", "x", "กด", "press"})
# Words that say what the number is: read past them.
_LABELS = frozenset(
    {
        "โทร", "โทรศัพท์", "เบอร์", "เบอร์โทร", "เบอร์โทรศัพท์", "หมายเลข", "tel", "telephone",
        "phone", "mobile", "mob", "cell", "มือถือ", "มถ", "fax", "แฟกซ์", "แฟ็กซ์", "โทรสาร",
        "สายด่วน", "hotline", "call", "center", "centre", "คอลเซ็นเตอร์", "สำนักงาน", "office",
        "บ้าน", "ที่ทำงาน", "ติดต่อ", "contact",
    }
)  # fmt: skip

_MAX_SUFFIX = 4  # a block's end written as its last 1-4 digits (02-123-4560-9)


@dataclass(frozen=True, slots=True)
class PhoneItem:
    """One number in a cell, or a block of lines (first..last), or one that cannot be read."""

    first: str | None
    last: str | None = None  # a block's last line
    kind: str = plan.MOBILE
    problem: msg.Problem | None = None


class NotNumbers(Exception):
    """A cell that is not a list of numbers at all: words other than labels, odd signs."""


_Token = tuple[str, str]  # (kind, text): d dash sp plus sep ext range


def tokens(text: str) -> list[_Token]:
    text = _NOTE.sub(" ", text).translate(_BRACKETS)
    out: list[_Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "o"
        value = m.group()
        if kind == "w":
            word = value.casefold()
            if word in _LIST_WORDS:
                kind = "sep"
            elif word in _RANGE_WORDS:
                kind = "dash"
            elif word in _EXT_WORDS:
                kind = "ext"
            elif word in _LABELS:
                kind = "sp"
            else:
                raise NotNumbers
        elif kind == "hash":
            kind = "ext"
        elif kind == "o":
            raise NotNumbers
        if kind == "sp" and out and out[-1][0] == "sp":
            continue
        out.append((kind, value))
    return out


def drop_extensions(tokens: list[_Token]) -> list[_Token]:
    """Remove each extension marker and the extension numbers after it (ต่อ 12, 13 / 101-103)."""
    out: list[_Token] = []
    i, n = 0, len(tokens)
    while i < n:
        if tokens[i][0] != "ext":
            out.append(tokens[i])
            i += 1
            continue
        i += 1
        taken = False
        while i < n:
            k, v = tokens[i]
            if k in ("sp", "dash") or (k == "sep" and taken):
                j = i + 1
                while j < n and tokens[j][0] == "sp":
                    j += 1
                if j < n and tokens[j][0] == "d" and _is_extension(tokens[j][1], taken):
                    i = j
                    continue
                break
            if k == "d" and _is_extension(v, taken):
                taken = True
                i += 1
                continue
            break
    return out


def _is_extension(digits: str, more: bool) -> bool:
    """The first group after ต่อ is the extension (ext. 0 too); more groups are extensions
    while they cannot be the start of a phone number (ต่อ 12, 13 but not ต่อ 12, 081-...)."""
    return len(digits) <= 5 and (not more or not digits.startswith("0"))


def parts(tokens: list[_Token]) -> list[list[_Token]]:
    parts: list[list[_Token]] = [[]]
    for t in tokens:
        if t[0] == "sep":
            parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if any(k == "d" for k, _ in p)]


def _read_number(part: list[_Token], i: int) -> tuple[str | None, int, str]:
    """One whole number from part[i] on: (its digits, or None when the run of digit groups
    there makes no number of a known length; the next index; the digits seen)."""
    n = len(part)
    group = part[i][1]
    if part[i][0] == "plus":
        i += 1
        while i < n and part[i][0] == "sp":
            i += 1
        if i >= n or part[i][0] != "d":
            return None, i, ""
        group = part[i][1]
        if not group.startswith("66"):  # another country's number: the whole run
            while (j := _next_group(part, i)) is not None:
                i = j
            return None, i + 1, "+"
        group = group[2:]
        if not group:  # +66 81 234 5678
            j = _next_group(part, i)
            if j is None:
                return None, i + 1, "66"
            i, group = j, part[j][1]
        digits = group if group.startswith("0") else "0" + group
    elif group.startswith("66") and len(group) in (10, 11, 12):  # 66812345678
        rest = group[2:]
        digits = rest if rest.startswith("0") else "0" + rest
    else:
        digits = group
    i += 1
    while True:
        want = plan.expected_length(digits)
        if want is not None and len(digits) >= want:
            break
        j = _next_group(part, i - 1)
        if j is None:
            break
        digits += part[j][1]
        i = j + 1
    want = plan.expected_length(digits)
    if want == 10 and len(digits) == 9 and digits[1] in plan.OLD_MOBILE_SECOND_DIGITS:
        return digits, i, digits  # 06-123-4567: a mobile from before 2006
    if want is None or len(digits) != want:
        # The rest of the run belongs to it too: the count reported is the run's.
        while (j := _next_group(part, i - 1)) is not None:
            digits += part[j][1]
            i = j + 1
        return None, i, digits
    return digits, i, digits


def _next_group(part: list[_Token], i: int) -> int | None:
    """Index of the digit group joined to part[i] by spaces, dashes or dots, if any."""
    n = len(part)
    j = i + 1
    while j < n and part[j][0] in ("sp", "dash") and part[j][1] not in ("ถึง", "to"):
        j += 1
    return j if j < n and j > i + 1 and part[j][0] == "d" else None


def _skip_spaces(part: list[_Token], i: int) -> int:
    while i < len(part) and part[i][0] == "sp":
        i += 1
    return i


def checked(reading: plan.Reading, service: bool) -> PhoneItem:
    """One number's item: its number (corrected where the plan says how) or its problem."""
    if reading.kind in (plan.SERVICE, plan.TOLL_FREE) and not service:
        return PhoneItem(None, problem=msg.service_problem())
    if reading.number is not None:
        return PhoneItem(reading.number, None, reading.kind)
    if reading.kind == plan.UNKNOWN_AREA:
        return PhoneItem(None, problem=msg.area_problem(reading.area))
    return PhoneItem(None, problem=msg.digits_problem(reading.digits))


def _block(start: str, last: str, service: bool) -> PhoneItem:
    """A block of lines start..last (as typed: a lost 0 or an old mobile is corrected in both)."""
    item = checked(plan.read_digits(start), service)
    if item.first is None:
        return item
    if int(last) < int(start):
        return PhoneItem(None, problem=msg.range_problem("reversed"))
    if int(last) - int(start) >= msg.MAX_RANGE:
        return PhoneItem(None, problem=msg.range_problem("wide"))
    if last == start:
        return item
    if item.kind == plan.OLD_MOBILE:
        last = "08" + last[1:]
    elif item.kind == plan.MISSING_ZERO:
        last = "0" + last
    return PhoneItem(item.first, last, item.kind)


def _tails(part: list[_Token], previous: str | None) -> list[str] | None:
    """The digits of a part that is only the last digits of further lines ("8", "4787",
    "82-84"): 1, 2 or 4 digits (a 4-digit 1xxx is a service number, not a tail); 3 digits
    match no block people write, so they are not read as a tail."""
    if previous is None:
        return None
    kinds = [k for k, _ in part if k != "sp"]
    groups = [v for k, v in part if k == "d"]
    if kinds not in (["d"], ["d", "dash", "d"]):
        return None
    for g in groups:
        if len(g) not in (1, 2, 4) or len(g) >= len(previous):
            return None
        if len(g) == 4 and g.startswith("1"):
            return None  # 1669: a service number (allowed or not), never a tail
    if len(groups) == 2 and len(groups[0]) != len(groups[1]):
        return None
    return groups


def read_part(part: list[_Token], previous: str | None, service: bool) -> list[PhoneItem]:
    """The numbers in one part of a cell (a part is what lies between , / หรือ ...)."""
    tails = _tails(part, previous)
    if tails is not None and previous is not None:
        # 02-123-4567/8, 0-2313-4849, 4787: more lines written as their last digits;
        # 0-2965-5578-80, 82-84: a second block the same way.
        first = previous[: -len(tails[0])] + tails[0]
        if len(tails) == 1:
            return [checked(plan.read_digits(first), service)]
        return [_block(first, previous[: -len(tails[1])] + tails[1], service)]
    items: list[PhoneItem] = []
    i, n = 0, len(part)
    while i < n:
        if part[i][0] not in ("d", "plus"):
            i += 1
            continue
        number, i, seen = _read_number(part, i)
        if number is None:
            items.append(PhoneItem(None, problem=msg.digits_problem(seen)))
            continue
        # A block of lines: a dash (or ถึง) and the last digits, or the whole last number.
        j = _skip_spaces(part, i)
        k = _skip_spaces(part, j + 1)
        if j < n and part[j][0] == "dash" and k < n and part[k][0] == "d":
            tail = part[k][1]
            alone = _next_group(part, k) is None
            if alone and len(tail) <= _MAX_SUFFIX and len(tail) < len(number):
                items.append(_block(number, number[: -len(tail)] + tail, service))
                i = k + 1
                continue
            end, after, _ = _read_number(part, k)
            worded = part[j][1] in ("ถึง", "to")
            if end is not None and len(end) == len(number):
                if worded or end[:-_MAX_SUFFIX] == number[:-_MAX_SUFFIX]:
                    items.append(_block(number, end, service))
                    i = after
                    continue
            elif worded or (end is None and alone):
                items.append(PhoneItem(None, problem=msg.range_problem("long")))
                i = after
                continue
        items.append(checked(plan.read_digits(number), service))
    return items
