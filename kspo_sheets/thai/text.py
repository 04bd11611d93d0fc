"""Text normalisation for what people really type: Thai digits, NBSP, zero-width marks."""

from __future__ import annotations

import re
import unicodedata

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# Characters that show as nothing or as a plain space in a cell.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000\t\r\n\u2028\u2029\x0b\x0c"), " ")
_CLEAN = {**_INVISIBLE, **_SPACES}
_RUNS = re.compile(r" {2,}")

# Thai combining marks (above/below vowels, tone marks) take no width on screen or paper.
_ZERO_WIDTH_CATEGORIES = {"Mn", "Me", "Cf"}


def thai_digits_to_arabic(text: str) -> str:
    """๑๒๓ -> 123; other characters are left as they are."""
    return text.translate(_THAI_DIGITS)


def clean(text: str) -> str:
    """Fold invisible characters and odd spaces, trim, and collapse runs of spaces."""
    text = text.translate(_CLEAN)
    if "  " in text:
        text = _RUNS.sub(" ", text)
    return text.strip()


def normalise(text: str) -> str:
    """clean() plus Thai digits as Arabic and NFC: the form parsers compare against."""
    return unicodedata.normalize("NFC", clean(text).translate(_THAI_DIGITS))


def header_key(text: str) -> str:
    """A header reduced for matching: normalised, no spaces at all, casefolded."""
    return normalise(text).replace(" ", "").casefold()


def display_width(text: str) -> int:
    """Columns a string takes on screen or paper: Thai combining marks count zero."""
    width = 0
    for ch in text:
        if unicodedata.category(ch) in _ZERO_WIDTH_CATEGORIES:
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


# C0 controls other than tab/LF/CR, lone surrogates and the two non-characters.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe_text(text: str) -> str:
    """Replace characters that cannot be stored in xlsx/JSON (C0 controls, unpaired surrogates)."""
    return _UNSAFE.sub("\ufffd", text)
