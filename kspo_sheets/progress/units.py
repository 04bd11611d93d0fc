"""Totals over items measured in their own units (target products: baht, kg, people...).

Baht, kilograms and people do not add up. A total over items is a sum only where every
item shares one unit; otherwise it is how many items reached their own target and the
mean of the items' own percentages. Either way a total counts as achieved only when every
item in it reached its target: a field is not on target while one of its products misses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kspo_sheets.thai.text import normalise

NO_UNIT = "(ไม่ระบุหน่วย)"
MIXED_TH = "หลายหน่วย"
MIXED_EN = "mixed units"
# The same unit written the ways staff write it.
_SAME = {
    "กิโลกรัม": "กก.",
    "กก": "กก.",
    "kg": "กก.",
    "kg.": "กก.",
    "ก.ก.": "กก.",
    "บ.": "บาท",
    "baht": "บาท",
    "thb": "บาท",
    "ราย": "คน",
    "people": "คน",
    "persons": "คน",
}
_PAREN = re.compile(r"\(([^()]*)\)\s*$")


def unit_of(text: object) -> str:
    """The unit an item's indicator is measured in: 'รายได้ (บาท)' -> 'บาท'.

    The text in the last parentheses if there are any, else the whole text; spacing and
    case folded, a few spellings of one unit made one. Blank: NO_UNIT.
    """
    if text is None:
        return NO_UNIT
    s = normalise(str(text)).strip()
    m = _PAREN.search(s)
    if m:
        s = m.group(1).strip()
    s = " ".join(s.split())
    if not s:
        return NO_UNIT
    return _SAME.get(s.casefold(), s)


@dataclass(frozen=True, slots=True)
class Item:
    """One item (a target product): actual against its own target, in its unit."""

    actual: float
    target: float
    unit: str

    def percent(self) -> float:
        return self.actual / self.target * 100 if self.target else 0.0

    def achieved(self, threshold: float = 100.0) -> bool:
        return self.target > 0 and self.percent() >= threshold - 1e-9


@dataclass(frozen=True, slots=True)
class Total:
    """A total over items: a sum where they share one unit, else the mean percentage."""

    items: int
    achieved: int
    method: str  # "sum": percent of the sums; "mean": mean of the items' percentages; "" none
    unit: str  # the one unit, or MIXED_TH
    actual: float | None  # the sums, only where every item shares one unit
    target: float | None
    percent: float | None

    @property
    def all_achieved(self) -> bool:
        return self.items > 0 and self.achieved == self.items

    @property
    def status(self) -> str:
        if not self.items:
            return "no_data"
        return "achieved" if self.all_achieved else "not_achieved"


def total(items: Iterable[Item], threshold: float = 100.0) -> Total:
    """The total of `items` (see the module's docstring)."""
    got = list(items)
    n = len(got)
    k = sum(1 for i in got if i.achieved(threshold))
    if not n:
        return Total(0, 0, "", "", None, None, None)
    units = {i.unit for i in got}
    if len(units) == 1:
        a = sum(i.actual for i in got)
        t = sum(i.target for i in got)
        pct = round(a / t * 100, 1) if t else None
        return Total(n, k, "sum", next(iter(units)), a, t, pct)
    mean = sum(i.percent() for i in got) / n
    return Total(n, k, "mean", MIXED_TH, None, None, round(mean, 1))


def achieved_text(t: Total) -> str:
    """บรรลุ 3 จาก 5"""
    return f"บรรลุ {t.achieved} จาก {t.items}"
