"""How much room text takes in a cell: width in a font, lines at a column width, row height.

Pure functions over the fonts' own advance widths (``font_metrics``, read from the font
files): a Thai vowel or tone mark above or below its consonant takes no width, a sara am
does. Lines break between words (``words.chunks``), never inside one unless a single word is
wider than the whole line; a line break typed in the text always starts a new line.

Row heights are what LibreOffice needs to show every line, which is more than Excel or
Google Sheets need (LibreOffice spaces lines by the font's typographic ascent, descent and
gap: 1.715 em for TH Sarabun New): a row sized here is never cut in any of them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from kspo_sheets.thai.font_metrics import ASCII_FIRST, FONTS, THAI_FIRST
from kspo_sheets.thai.words import boundaries, chunks

TH_SARABUN = "TH Sarabun New"
SARABUN = "Sarabun"
ROW_PAD_PT = 1.0  # room to spare below the last line
# How far the first line reaches, top of the highest tone mark to the foot of the lowest
# vowel, in em: the first line of a row needs this, each further line one line height.
# Measured on LibreOffice's PDF output: one 16 pt TH Sarabun New line shows whole in a
# 26 pt row and is cut at 24; two lines need 50-52 pt.
_FIRST_LINE_EM = {TH_SARABUN: 1.62, SARABUN: 1.3}
# A letter of a script the tables do not hold: the width of a Thai consonant, or of a CJK
# ideograph for wide characters.
_OTHER = 600
_WIDE = 1000
_ZERO = {"Mn", "Me", "Cf"}


@dataclass(frozen=True, slots=True)
class Font:
    family: str = TH_SARABUN
    size: float = 16.0  # points
    bold: bool = False

    def at(self, size: float, bold: bool | None = None) -> Font:
        return Font(self.family, size, self.bold if bold is None else bold)


@cache
def _table(family: str, bold: bool) -> dict[str, int]:
    key = (family, bold) if (family, bold) in FONTS else (TH_SARABUN, bold)
    ascii_w, thai_w, extra, _, _ = FONTS[key]
    table = {chr(ASCII_FIRST + i): w for i, w in enumerate(ascii_w)}
    table.update({chr(THAI_FIRST + i): w for i, w in enumerate(thai_w) if w >= 0})
    table.update(extra)
    table["\t"] = table[" "]
    return table


def _other(ch: str) -> int:
    cat = unicodedata.category(ch)
    if cat in _ZERO:
        return 0
    # A symbol (✓ ✗ →) is drawn from whatever font has it, often a wide one: an em.
    if cat in ("So", "Sm") or unicodedata.east_asian_width(ch) in ("W", "F"):
        return _WIDE
    return _OTHER


def text_width(text: str, font: Font) -> float:
    """Points a one-line text takes in the font (marks above and below count nothing)."""
    return _units(text, font.family, font.bold) * font.size / 1000


@lru_cache(maxsize=1 << 16)
def _units(text: str, family: str, bold: bool) -> int:
    """The text's advance in thousandths of an em. Cached: a status tab measures the same
    words, column names and messages thousands of times."""
    table = _table(family, bold)
    try:
        return sum(map(table.__getitem__, text))  # every letter in the tables: C speed
    except KeyError:
        get = table.get
        total = 0
        for ch in text:
            w = get(ch)
            total += _other(ch) if w is None else w
        return total


def line_height(font: Font) -> float:
    """Points from one line of text to the next, in the viewer that spaces them widest."""
    key = (font.family, font.bold) if (font.family, font.bold) in FONTS else (TH_SARABUN, False)
    return FONTS[key][3] * font.size / 1000


def row_height(lines: int, font: Font) -> float:
    """Points a row needs to show `lines` lines of the font, never less than one line."""
    first = _FIRST_LINE_EM.get(font.family, 1.62) * font.size
    return round((max(lines, 1) - 1) * line_height(font) + first + ROW_PAD_PT, 2)


def wrap(text: str, width: float, font: Font) -> list[str]:
    """The lines a cell `width` points wide shows, breaking between words.

    The lines joined give the text back, less the spaces at each break (a typed line break
    is kept as the break between two lines)."""
    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(_wrap_line(para, width, font))
    return lines


@lru_cache(maxsize=1 << 15)
def _wrap_line(text: str, width: float, font: Font) -> tuple[str, ...]:
    """One paragraph's lines; cached, as the same texts are laid out at the same widths
    again and again (a findings tab's codes and messages, a layout checked twice)."""
    return tuple(_wrap_para(text, width, font))


def line_count(text: str, width: float, font: Font) -> int:
    """How many lines the text takes in a cell `width` points wide."""
    if not text:
        return 1
    # Cheap bound first: no line is wider than its characters at the widest glyph.
    if "\n" not in text and len(text) * font.size * 1.1 <= width:
        return 1
    return len(wrap(text, width, font))


def _wrap_para(text: str, width: float, font: Font) -> list[str]:
    if text_width(text.rstrip(" "), font) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    used = 0.0
    for piece in chunks(text):
        bare = piece.rstrip()
        w_bare = text_width(bare, font)
        if line and used + w_bare > width:
            lines.append(line.rstrip())
            line, used = "", 0.0
        if not line and w_bare > width:
            # One word wider than the line: cut it between syllables, as a last resort.
            parts = _split_word(bare, width, font)
            lines.extend(parts[:-1])
            line = parts[-1] + piece[len(bare) :]
            used = text_width(line, font)
            continue
        line += piece
        used += text_width(piece, font)
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _split_word(word: str, width: float, font: Font) -> list[str]:
    """A word wider than `width`, cut where a syllable may end (or anywhere, for non-Thai)."""
    cuts = boundaries(word) if any("\u0e01" <= c <= "\u0e4e" for c in word) else []
    if len(cuts) <= 2:
        cuts = _grapheme_cuts(word)
    out: list[str] = []
    start = 0
    prev = 0
    for pos in cuts[1:]:
        if text_width(word[start:pos], font) > width and prev > start:
            out.append(word[start:prev])
            start = prev
        prev = pos
    out.append(word[start:])
    return out


def _grapheme_cuts(word: str) -> list[int]:
    cuts = [0]
    for i in range(1, len(word)):
        if unicodedata.category(word[i]) not in _ZERO:
            cuts.append(i)
    cuts.append(len(word))
    return cuts


# --- cells in a spreadsheet -------------------------------------------------------------

CELL_MARGIN_PT = 2.0  # the gap a viewer leaves between a cell's border and its text, each side
# Excel measures column widths in digits of the workbook's default font: Calibri 11's is
# 7 pixels (5.25 pt). LibreOffice uses the same font's digit as it renders it, which is never
# narrower, so a width counted in Calibri digits is the narrowest any viewer shows.
CALIBRI_DIGIT_PT = 5.25


def digit_width(font: Font) -> float:
    """Points of the digit 0 in the font: the unit of column widths when it is a workbook's
    default font."""
    return text_width("0", font)


def cell_text_width(units: float, digit_pt: float = CALIBRI_DIGIT_PT) -> float:
    """Points of text a column `units` digits wide holds on one line."""
    return max(units * digit_pt - 2 * CELL_MARGIN_PT, 1.0)


def units_for(width_pt: float, digit_pt: float = CALIBRI_DIGIT_PT) -> float:
    """Column width (in digits) that holds `width_pt` points of text on one line."""
    return (width_pt + 2 * CELL_MARGIN_PT) / digit_pt
