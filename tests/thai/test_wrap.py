"""Text width, word-boundary wrapping and row heights (thai/wrap.py, thai/words.py)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.thai.words import boundaries, chunks, segment_thai
from kspo_sheets.thai.wrap import (
    SARABUN,
    Font,
    line_count,
    line_height,
    row_height,
    text_width,
    wrap,
)

TH16 = Font("TH Sarabun New", 16)
TH14 = Font("TH Sarabun New", 14)
MESSAGE = (
    "เบอร์โทรศัพท์ขาดเลข 0 ข้างหน้า (เซลล์ถูกแปลงเป็นตัวเลข) ให้เติม 0 เป็นมือถือ 10 หลัก"
    " รูปแบบ 0xx-xxx-xxxx และตั้งรูปแบบเซลล์เป็นข้อความธรรมดา"
)


# --- width -----------------------------------------------------------------------------


def test_marks_above_and_below_take_no_width() -> None:
    # ที่ is ท with sara ii and mai ek stacked on it; ปู่ is ป with sara uu under, mai ek over
    assert text_width("ที่", TH16) == text_width("ท", TH16)
    assert text_width("ปู่ญี่ปุ่น", TH16) == text_width("ปญปน", TH16)
    assert text_width("กิ่งไม้", TH16) == text_width("กงไม", TH16)


def test_sara_am_takes_width() -> None:
    assert text_width("ทำ", TH16) > text_width("ท", TH16)


def test_widths_are_the_fonts_advance_widths() -> None:
    # TH Sarabun New: a digit is 0.544 em, ก 0.580 em, a space 0.324 em
    assert text_width("0812345678", TH16) == pytest.approx(10 * 0.544 * 16)
    assert text_width("กกกก", TH14) == pytest.approx(4 * 0.580 * 14)
    assert text_width("Hello World", TH16) == pytest.approx(
        text_width("Hello", TH16) + text_width(" ", TH16) + text_width("World", TH16)
    )
    assert text_width(" ", TH16) == pytest.approx(0.324 * 16)


def test_width_scales_with_size_and_bold_is_wider() -> None:
    assert text_width(MESSAGE, TH16) == pytest.approx(text_width(MESSAGE, TH14) * 16 / 14)
    assert text_width(MESSAGE, Font(size=16, bold=True)) > text_width(MESSAGE, TH16)


def test_sarabun_has_its_own_widths() -> None:
    assert text_width("ก", Font(SARABUN, 10)) == pytest.approx(5.76)
    assert text_width("ก", TH16) != text_width("ก", Font(SARABUN, 16))


def test_characters_outside_the_tables() -> None:
    assert text_width("中文", TH16) == pytest.approx(2 * 16)  # wide: one em each
    assert text_width("\u200b", TH16) == 0  # format characters take nothing
    assert text_width("é", TH16) > 0


# --- where lines may break -------------------------------------------------------------


def test_chunks_give_the_text_back_unchanged() -> None:
    for text in (MESSAGE, "  นำ หน้า", "P-0012 ข้อมูล", "a\tb", "", "ฯพณฯ ท่าน"):
        assert "".join(chunks(text)) == text


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("กขคงจนมยรลวสหอะาำิีึืุู่้๊๋็์ เแโใไๆฯ0123456789aB-/.( )")), max_size=60
    )
)
def test_chunks_never_lose_a_character(text: str) -> None:
    assert "".join(chunks(text)) == text


def test_words_of_the_dictionary_stay_whole() -> None:
    assert segment_thai("กลุ่มประมงพื้นบ้านบางเทา") == ("กลุ่ม", "ประมง", "พื้นบ้าน", "บาง", "เทา")
    assert segment_thai("วิสาหกิจชุมชนผักปลอดภัย") == ("วิสาหกิจ", "ชุมชน", "ผัก", "ปลอดภัย")


def test_place_names_from_the_gazetteer_stay_whole() -> None:
    # กะรน and ราไวย์ are Phuket tambon: a general dictionary cuts them as กะ|รน, รา|ไว|ย์
    assert "กะรน" in segment_thai("โรงเรียนบ้านกะรน")
    assert "ราไวย์" in segment_thai("ตำบลราไวย์ไม่ตรงกับรหัส")


def test_no_break_inside_a_syllable() -> None:
    run = "เบอร์โทรศัพท์ที่ไม่ถูกต้องจันทร์"
    cuts = boundaries(run)
    for pos in cuts[1:-1]:
        assert unicodedata.category(run[pos]) != "Mn"  # never before a mark
        assert run[pos] not in "ะาำๅๆ"  # nor before a following vowel
        assert run[pos - 1] not in "เแโใไ"  # nor after a leading vowel
        assert run[pos + 1 : pos + 2] != "์"  # nor before a letter silenced by ์
    assert boundaries("ร์") == [0, 2]


def test_codes_numbers_and_masks_stay_whole() -> None:
    got = chunks("รูปแบบ 0xx-xxx-xxxx รหัส P-0012 วันที่ 10/09/2562 เลข 83010601")
    for whole in ("0xx-xxx-xxxx ", "P-0012 ", "10/09/2562 ", "83010601"):
        assert any(c.endswith(whole) for c in got), (whole, got)


def test_no_break_before_a_closing_mark_or_slash() -> None:
    got = chunks("ให้เลือก พืชผัก / ผลไม้ / ประมง (ตำบลฉลอง) แก้")
    assert not any(c.startswith(("/", ")")) for c in got)


# --- wrapping --------------------------------------------------------------------------


@pytest.mark.parametrize("width", [90, 130, 200, 300, 450])
def test_wrapped_lines_fit_and_break_between_words(width: float) -> None:
    lines = wrap(MESSAGE, width, TH16)
    pieces = [c.rstrip() for c in chunks(MESSAGE)]
    for line in lines:
        words = [c.rstrip() for c in chunks(line)]
        # every line is whole words of the text, and fits unless it is one word alone
        assert all(w in pieces for w in words), line
        assert text_width(line, TH16) <= width or len(words) == 1
    assert "".join(lines).replace(" ", "") == MESSAGE.replace(" ", "")


def test_short_text_is_one_line_and_single_height() -> None:
    assert wrap("บ้านกะรน", 200, TH16) == ["บ้านกะรน"]
    assert line_count("บ้านกะรน", 200, TH16) == 1
    assert line_count("", 10, TH16) == 1
    # a single line is single height: the first line's marks and one point to spare
    assert row_height(1, TH16) == pytest.approx(1.62 * 16 + 1)


def test_mixed_thai_english_and_digits() -> None:
    text = "Phone 0812345678 ของ P-0012 ไม่ถูกต้อง please check"
    lines = wrap(text, 120, TH16)
    assert len(lines) > 1
    assert "0812345678" in "".join(lines)  # digits never split
    assert all(text_width(line, TH16) <= 120 for line in lines)


def test_typed_line_breaks_are_kept() -> None:
    assert wrap("หนึ่ง\nสอง", 500, TH16) == ["หนึ่ง", "สอง"]
    assert line_count("หนึ่ง\n\nสาม", 500, TH16) == 3


def test_a_word_wider_than_the_column_is_cut_between_syllables() -> None:
    lines = wrap("สิ่งศักดิ์สิทธิ์ประจำจังหวัด", 40, TH16)
    assert len(lines) > 1
    for line in lines:
        assert unicodedata.category(line[0]) != "Mn"
        assert not line.startswith(("ะ", "า", "ำ", "์"))
    assert "".join(lines) == "สิ่งศักดิ์สิทธิ์ประจำจังหวัด"
    assert wrap("x" * 40, 50, TH16)[0] == "x" * len(wrap("x" * 40, 50, TH16)[0])


def test_narrower_column_more_lines() -> None:
    counts = [line_count(MESSAGE, w, TH16) for w in (600, 300, 150, 80)]
    assert counts == sorted(counts)
    assert counts[0] == 2 and counts[-1] >= 10


# --- heights ---------------------------------------------------------------------------


def test_thai_line_height_for_the_fonts() -> None:
    # LibreOffice spaces TH Sarabun New lines 1.715 em apart (measured on its PDF output);
    # Sarabun's are 1.3 em.
    assert line_height(TH16) == pytest.approx(27.44)
    assert line_height(TH14) == pytest.approx(24.01)
    assert line_height(Font(SARABUN, 10)) == pytest.approx(13.0)


def test_row_height_grows_by_whole_lines() -> None:
    one, two, five = (row_height(n, TH16) for n in (1, 2, 5))
    assert two - one == pytest.approx(line_height(TH16), abs=0.01)
    assert five == pytest.approx(4 * 27.44 + 1.62 * 16 + 1, abs=0.01)
    assert row_height(0, TH16) == one


def test_a_width_is_the_sum_of_its_parts_whatever_the_script() -> None:
    """Letters in the fonts' tables and letters outside them (a symbol, CJK, a mark) add up
    the same, measured whole or in pieces (the measure is cached by text)."""
    pieces = ["ผู้ผลิต", " P-0012", " ✓", " 漢字", "\u0301", "ทำ"]
    whole = text_width("".join(pieces), TH16)
    assert whole == pytest.approx(sum(text_width(p, TH16) for p in pieces))
    assert text_width("✓", TH16) == text_width("漢", TH16) > text_width("ก", TH16)
