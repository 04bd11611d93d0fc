"""Place names reduced for matching: what staff type and what the gazetteer holds are
compared under one key (casefolded, no spaces, dots, dashes, brackets or ฯ; "ํา" as "ำ")."""

from __future__ import annotations

import re

from kspo_sheets.thai.text import normalise

# "ํา" (nikhahit + sara aa, common in text pasted from PDFs) is how "ำ" often arrives.
_SARA_AM = re.compile("([\u0e48-\u0e4b]?)\u0e4d([\u0e48-\u0e4b]?)\u0e32")
# Marks that differ between how names are written and typed; ฯ as in "เมืองฯ".
_DROP = re.compile(r"[\s.\-\u2010-\u2015\u2212'’`ฯ()\x00-\x1f\x7f]")
_PARENS = re.compile(r"(.+?)\s*\((.+)\)")


def fold(text: str) -> str:
    return _SARA_AM.sub("\\1\\2\u0e33", text.casefold())


def key(text: str) -> str:
    """A normalise()d name reduced for matching: casefolded, no spaces, dots, dashes or ฯ."""
    return _DROP.sub("", fold(text))


def name_keys(*names: str) -> set[str]:
    """Every key a name is found under: the whole name, each part of "ปอภาร (ปอพาน)", and
    Bangkok's "เขตบางนา" without its "เขต"."""
    keys: set[str] = set()
    for name in names:
        if not name:
            continue
        keys.add(key(normalise(name)))
        m = _PARENS.fullmatch(name)
        if m:
            keys.update(key(normalise(part)) for part in m.groups())
        if name.startswith("เขต"):
            keys.add(key(normalise(name[3:])))
    keys.discard("")
    return keys
