"""Thai dictionary order for names in the meeting pack."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kspo_sheets.thai.collation import thai_key


def ordered(*names: str) -> list[str]:
    return sorted(names, key=thai_key)


def test_leading_vowels_sort_under_their_consonant() -> None:
    # เกาะ is a ก word, ไม้ขาว an ม word: code-point order would put both after ฮ.
    assert ordered("ไม้ขาว", "ราไวย์", "เกาะแก้ว", "กะรน", "ฉลอง") == [
        "กะรน",
        "เกาะแก้ว",
        "ฉลอง",
        "ไม้ขาว",
        "ราไวย์",
    ]
    assert ordered("โรงแรม", "ร้านอาหาร", "โรงเรียน", "โรงพยาบาล") == [
        "ร้านอาหาร",
        "โรงพยาบาล",
        "โรงเรียน",
        "โรงแรม",
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("กา", "เก"),  # same consonant: plain vowels before leading vowels
        ("เก", "แก"),
        ("แก", "โก"),
        ("โก", "ใก"),
        ("ใก", "ไก"),
        ("ไก", "ขา"),  # then the next consonant
        ("กก", "กะ"),  # a consonant before a vowel
        ("กา", "ก่า"),  # tone marks only break ties...
        ("ก่า", "ก้า"),
        ("ก้า", "กาก"),  # ...they never outrank the letters after them
        ("บ้านกะทู้", "บ้านเกาะสิเหร่"),  # inside a name, not only at its start
        ("ถลาง", "เทพกระษัตรี"),  # ถ before ท, whatever vowel is written first
        ("ป่าคลอก", "ป่าตอง"),
        ("", "ก"),  # blank first
    ],
)
def test_pairs(first: str, second: str) -> None:
    assert thai_key(first) < thai_key(second)


def test_thai_digits_latin_case_and_none() -> None:
    assert thai_key("หมู่ ๕")[:2] == thai_key("หมู่ 5")[:2]
    assert ordered("otop", "OTOP Nawatwithi", "Bang Tao") == ["Bang Tao", "otop", "OTOP Nawatwithi"]
    assert thai_key(None) == thai_key("")


def test_a_leading_vowel_at_the_end_stays_put() -> None:
    assert thai_key("ก เ")[1] == "ก เ"


@given(st.lists(st.text(alphabet="กขคมรเแโใไาะ่้ิี ", max_size=8), max_size=12))
def test_the_order_is_total_and_stable(names: list[str]) -> None:
    once = sorted(names, key=thai_key)
    assert sorted(once, key=thai_key) == once
    assert sorted(reversed(names), key=thai_key) == once
