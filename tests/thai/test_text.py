"""Text helpers: what people type, and what files can hold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kspo_sheets.thai.text import clean, display_width, header_key, normalise, safe_text


def reference_safe_text(text: str) -> str:
    out = []
    for ch in text:
        o = ord(ch)
        bad = (o < 32 and ch not in "\t\n\r") or 0xD800 <= o <= 0xDFFF or o in (0xFFFE, 0xFFFF)
        out.append("\ufffd" if bad else ch)
    return "".join(out)


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_safe_text_replaces_exactly_what_files_cannot_hold(text):
    assert safe_text(text) == reference_safe_text(text)


def test_safe_text_on_lone_surrogates_and_controls():
    assert safe_text("a\x00b\tc\nd\ud800e\uffff ก") == "a\ufffdb\tc\nd\ufffde\ufffd ก"


def test_normalise_and_header_keys():
    assert normalise(" ๑๒/๐๙\u00a0 ๒๕๖๒ \u200b") == "12/09 2562"
    assert clean("a\n b") == "a b"
    assert header_key("ชื่อหมู่บ้าน/\nชุมชน\u00a0") == header_key("ชื่อหมู่บ้าน/ชุมชน")


def test_thai_combining_marks_take_no_width():
    assert display_width("ผู้ใหญ่") == 4  # ผ ใ ห ญ; the vowel and tone marks sit on them
    assert display_width("abc") == 3
