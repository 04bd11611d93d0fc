"""Where a line of Thai text may break: between words, never inside one.

Thai is written without spaces between words, so a viewer that wraps a cell must guess the
word boundaries; each does it with its own dictionary, and a place name it does not know
("กะรน", "ราไวย์") is cut anywhere. Where the tool wraps its own text it breaks it here
instead, by dictionary maximal matching: the fewest unknown letters, then the fewest words,
over a word list (PyThaiNLP's ``words_th``, CC0) and every province, amphoe and tambon name
in the DOPA gazetteer. A break is only ever put where a Thai syllable may end: never before
a vowel or tone mark, after a leading vowel (เ แ โ ใ ไ), or before a letter silenced by ์.
Letters the dictionary does not know stay together as one piece.

Runs of Latin letters, digits and punctuation break only at spaces and after a slash that
a letter follows ("ผลไม้/ประมง"); "0xx-xxx-xxxx", "P-0012" and "10/09/2562" stay whole.
"""

from __future__ import annotations

import gzip
import re
from functools import cache, lru_cache
from importlib import resources

_MAX_WORD = 20  # letters; the word list holds nothing longer

# Thai letters, vowels and marks (not Thai digits or ฯ ๆ ๏ ๚ ๛, which join their neighbours).
_THAI = re.compile("[\u0e01-\u0e2e\u0e30-\u0e4e]+")
_SPACE = re.compile(r"\s+")
# A piece of text: spaces, a Thai run, or a run of anything else.
_RUNS = re.compile(r"(\s+)|([\u0e01-\u0e2e\u0e30-\u0e4e]+)|([^\s\u0e01-\u0e2e\u0e30-\u0e4e]+)")
# Inside a non-Thai run, a break may follow a slash that a letter follows.
_LATIN_BREAK = re.compile(r"(?<=/)(?=[A-Za-z])")

_CLOSING = frozenset(")]}!?,.:;/%")
_NO_BREAK_BEFORE = frozenset(
    # sara a, sara aa, sara am, lakkhangyao, mai yamok, paiyannoi, and every mark above/below
    "\u0e30\u0e32\u0e33\u0e45\u0e46\u0e2f"
    + "".join(map(chr, range(0x0E31, 0x0E32)))
    + "".join(map(chr, range(0x0E34, 0x0E3B)))
    + "".join(map(chr, range(0x0E47, 0x0E4F)))
)
_LEADING_VOWELS = frozenset("เแโใไ")
_THANTHAKHAT = "\u0e4c"
_ABOVE_BELOW = frozenset("\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39")


def boundaries(run: str) -> list[int]:
    """Positions inside a Thai run where a syllable may end (0 and len(run) included)."""
    n = len(run)
    out = [0]
    for i in range(1, n):
        ch = run[i]
        if ch in _NO_BREAK_BEFORE or run[i - 1] in _LEADING_VOWELS:
            continue
        # A consonant silenced by ์ (optionally with a vowel under or over it) ends a syllable.
        nxt = run[i + 1] if i + 1 < n else ""
        if nxt == _THANTHAKHAT or (
            nxt in _ABOVE_BELOW and i + 2 < n and run[i + 2] == _THANTHAKHAT
        ):
            continue
        out.append(i)
    if n:
        out.append(n)
    return out


@cache
def dictionary() -> frozenset[str]:
    """The word list and the gazetteer's place names (read once, on first use)."""
    data = resources.files("kspo_sheets").joinpath("data/thai-words.txt.gz").read_bytes()
    words = set(gzip.decompress(data).decode("utf-8").split("\n"))
    words.update(_place_names())
    words.discard("")
    return frozenset(w for w in words if len(w) <= _MAX_WORD)


def _place_names() -> set[str]:
    import geothai

    names: set[str] = set()
    for p in geothai.provinces():
        names.add(p.name_th)
        for d in geothai.districts(p.code):
            names.add(d.name_th)
            for s in geothai.subdistricts(d.code):
                names.add(s.name_th)
    # "เมืองภูเก็ต" is a name; so are its parts, which stand alone in running text.
    return {n.replace(" ", "") for n in names if _THAI.fullmatch(n.replace(" ", ""))}


@lru_cache(maxsize=65_536)
def segment_thai(run: str) -> tuple[str, ...]:
    """A run of Thai letters cut into words; unknown letters stay together as one piece."""
    words = dictionary()
    cuts = boundaries(run)
    m = len(cuts)
    inf = (1 << 30, 1 << 30)
    # best[k]: (unknown letters, words) for run[:cuts[k]]; back[k]: (previous k, known?)
    best: list[tuple[int, int]] = [inf] * m
    back: list[tuple[int, bool]] = [(0, False)] * m
    best[0] = (0, 0)
    for k in range(m - 1):
        if best[k] == inf:
            continue
        unknown, count = best[k]
        start = cuts[k]
        # the next syllable as an unknown piece
        step = (unknown + cuts[k + 1] - start, count + 1)
        if step < best[k + 1]:
            best[k + 1], back[k + 1] = step, (k, False)
        for j in range(k + 1, m):
            end = cuts[j]
            if end - start > _MAX_WORD:
                break
            if run[start:end] in words:
                cand = (unknown, count + 1)
                if cand < best[j]:
                    best[j], back[j] = cand, (k, True)
    pieces: list[tuple[str, bool]] = []
    k = m - 1
    while k > 0:
        prev, known = back[k]
        pieces.append((run[cuts[prev] : cuts[k]], known))
        k = prev
    pieces.reverse()
    out: list[str] = []
    loose = False  # the last piece was unknown letters: the next unknown ones join it
    for text, known in pieces:
        if not known and loose:
            out[-1] += text
        else:
            out.append(text)
        loose = not known
    return tuple(out)


def chunks(text: str) -> list[str]:
    """Text cut where a line may break, each piece keeping the spaces that follow it.

    ``"".join(chunks(t)) == t`` always: nothing is added, dropped or changed.
    """
    out: list[str] = []
    pending = ""  # text a break may not follow yet (a non-Thai run glued to what comes next)
    for m in _RUNS.finditer(text):
        space, thai, other = m.groups()
        if space is not None:
            if pending or not out:
                out.append(pending + space)
                pending = ""
            else:
                out[-1] += space
            continue
        if thai is not None:
            words = list(segment_thai(thai))
            if pending.endswith("/"):
                out.append(pending)
                pending = ""
            # Thai glued to a Latin or digit run on either side: no break at the seam.
            words[0] = pending + words[0]
            pending = ""
            out.extend(words[:-1])
            pending = words[-1]
            continue
        parts = _LATIN_BREAK.split(other)
        if not pending and out and other[0] in _CLOSING:
            # No break before a closing mark or a slash, even after a space ("ผัก / ผลไม้").
            pending = out.pop()
        parts[0] = pending + parts[0]
        out.extend(parts[:-1])
        pending = parts[-1]
    if pending:
        out.append(pending)
    return out
