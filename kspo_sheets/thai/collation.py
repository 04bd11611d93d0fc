"""Thai dictionary order for names: เกาะ under ก, ไม้ขาว under ม.

Code-point order almost works for Thai (consonants ก-ฮ, then vowels, in dictionary order)
except for two things this key fixes, as the Royal Institute dictionary does:
- a leading vowel (เ แ โ ใ ไ) is written before its consonant but sorts after it, so each
  leading vowel is swapped behind the consonant that follows it;
- tone marks and other signs written above a consonant (่ ้ ๊ ๋ ็ ์ ํ ๎) only break ties:
  กา, ก่า, ก้า, กาก.
Thai digits count as Arabic digits and Latin letters ignore case.
"""

from __future__ import annotations

import unicodedata

_LEADING_VOWELS = frozenset("เแโใไ")
# Tone marks, mai taikhu, thanthakhat, nikhahit, yamakkan: secondary weight only.
_SECONDARY = frozenset("\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _is_consonant(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e2e"


def _swapped(text: str) -> str:
    """Move each leading vowel behind the consonant it precedes (เกาะ -> กเาะ)."""
    chars = list(text)
    i = 0
    while i < len(chars) - 1:
        if chars[i] in _LEADING_VOWELS and _is_consonant(chars[i + 1]):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
            i += 2
        else:
            i += 1
    return "".join(chars)


def thai_key(text: str | None) -> tuple[str, str, str]:
    """A sort key putting Thai (and mixed Thai/Latin) names in dictionary order.

    Use as ``sorted(names, key=thai_key)``; None and "" sort first. The last element is
    the text itself so that different strings never compare equal (a stable, total order).
    """
    if not text:
        return ("", "", "")
    norm = unicodedata.normalize("NFC", text).strip().translate(_THAI_DIGITS).casefold()
    swapped = _swapped(norm)
    primary = "".join(ch for ch in swapped if ch not in _SECONDARY)
    return (primary, swapped, text)
