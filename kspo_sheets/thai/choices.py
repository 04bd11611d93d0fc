"""Yes/no answers and fixed lists of values, matched the forgiving way staff type them."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from kspo_sheets.codes import severity_of
from kspo_sheets.model import Issue, Parsed
from kspo_sheets.thai.text import normalise, safe_text

# Each word below, and "ไม่" + each Thai word, is an answer. In Thai forms a typed "/" is a
# tick (yes) and "x" a cross (no).
_YES_WORDS = ("ใช่", "มี", "เป็น", "ยินยอม", "เข้าร่วม", "จริง", "ได้")
_YES = frozenset((*_YES_WORDS, "✓", "✔", "☑", "✅", "/", "y", "yes", "true", "1", "1.0"))
_NO = frozenset(
    (
        *("ไม่" + w for w in _YES_WORDS),
        "ไม่",
        "เท็จ",
        "✗",
        "✘",
        "☒",
        "❌",
        "x",
        "n",
        "no",
        "false",
        "0",
        "0.0",
    )
)
_ACCEPTED_TH = "ใช่/ไม่ใช่, มี/ไม่มี, เป็น/ไม่เป็น, ✓/✗, Y/N, TRUE/FALSE หรือ 1/0"
_ACCEPTED_EN = "ใช่/ไม่ใช่, มี/ไม่มี, เป็น/ไม่เป็น, ✓/✗, Y/N, yes/no, TRUE/FALSE or 1/0"


def _shown(text: str) -> str:
    if len(text) > 40:
        text = text[:40] + "…"
    return safe_text(text)


def _key(text: str) -> str:
    """Text reduced for matching: normalised, case-folded, no spaces and no dots (G.A.P.)."""
    return normalise(text).replace(" ", "").replace(".", "").casefold()


def _yesno_invalid(shown: str) -> Issue:
    return Issue(
        severity_of("yesno.invalid"),
        "yesno.invalid",
        f'ไม่ใช่คำตอบ ใช่/ไม่ใช่: "{shown}" ให้พิมพ์ {_ACCEPTED_TH}',
        f'Not a yes/no answer: "{shown}". Type {_ACCEPTED_EN}',
    )


def _yesno_str(raw: str) -> Parsed:
    key = normalise(raw).replace(" ", "").casefold().rstrip(".") if len(raw) <= 100 else "\x00"
    if key in _YES:
        return True, None
    if key in _NO:
        return False, None
    if not key:
        return None, None
    return None, _yesno_invalid(_shown(normalise(raw)))


def parse_yesno(value: object) -> Parsed:
    """A yes/no cell as bool: ใช่/ไม่ใช่, มี/ไม่มี, ✓/✗, / (tick), Y/N, TRUE/FALSE, 1/0, booleans.

    Returns (bool, None) or (None, yesno.invalid error).
    """
    if type(value) is str:
        return _yesno_str(value)
    if value is None:
        return None, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float) and value in (0, 1):
        return value == 1, None
    if isinstance(value, str):
        return _yesno_str(str(value))
    if isinstance(value, int):
        shown = str(value) if -(10**40) < value < 10**40 else "…"
    else:
        shown = str(value)
    return None, _yesno_invalid(_shown(shown))


class EnumParser:
    """A parser for one column's fixed list of values; call it with a cell to get the value.

    Matching ignores spaces, Latin case and dots ("gap" -> "GAP", "ท่องเที่ยว
    โดยชุมชน" -> "ท่องเที่ยวโดยชุมชน"); `aliases` maps other spellings to a value.
    """

    def __init__(self, values: Sequence[str], aliases: Mapping[str, str] | None = None) -> None:
        self.values: tuple[str, ...] = tuple(values)
        self._by_key: dict[str, str] = {}
        for v in self.values:
            self._by_key.setdefault(_key(v), v)
        for alias, target in (aliases or {}).items():
            if target not in self.values:
                raise ValueError(f"alias {alias!r} points at {target!r}, not an allowed value")
            self._by_key.setdefault(_key(alias), target)
        self._keys = list(self._by_key)
        listed = " / ".join(self.values)
        self._allowed_th = f"ให้เลือก {listed}"
        self._allowed_en = f"use one of {listed}"

    def __call__(self, value: object) -> Parsed:
        if isinstance(value, str):
            text = value
        elif value is None:
            return None, None
        elif isinstance(value, bool) or not isinstance(value, int | float):
            return None, self._invalid(_shown(str(value)), "")
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        elif isinstance(value, int) and not -(10**40) < value < 10**40:
            return None, self._invalid("…", "")
        else:
            text = str(value)
        if len(text) > 1000:
            return None, self._invalid(_shown(text), "")
        key = _key(text)
        hit = self._by_key.get(key)
        if hit is not None:
            return hit, None
        if not key:
            return None, None
        guess = (
            difflib.get_close_matches(key, self._keys, n=1, cutoff=0.6) if len(key) <= 100 else []
        )
        return None, self._invalid(_shown(normalise(text)), self._by_key[guess[0]] if guess else "")

    def _invalid(self, shown: str, guess: str) -> Issue:
        th = f'ไม่อยู่ในรายการ: "{shown}" {self._allowed_th}'
        en = f'Not an allowed value: "{shown}"; {self._allowed_en}'
        if guess:
            th += f' (หมายถึง "{guess}" ใช่หรือไม่)'
            en += f' (did you mean "{guess}"?)'
        return Issue(severity_of("enum.invalid"), "enum.invalid", th, en)

    def __repr__(self) -> str:
        return f"EnumParser({list(self.values)!r})"
