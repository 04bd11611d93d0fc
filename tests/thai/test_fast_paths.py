"""The parsers' fast paths read every value exactly as their general paths do.

A value with a no-break space in front never takes a fast path (none allows one), while the
general path normalises that space away and then reads the same text: so a parser must give
the same result, issue messages included, for s and for NBSP + s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.thai.dates import parse_date, parse_date_text
from kspo_sheets.thai.national_id import parse_national_id
from kspo_sheets.thai.numbers import (
    area_parser,
    number_parser,
    parse_area,
    parse_money,
    parse_number,
)
from kspo_sheets.thai.phones import parse_phone

NBSP = "\u00a0"
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

PARSERS: dict[str, Callable[[Any], Any]] = {
    "phone": parse_phone,
    "national_id": parse_national_id,
    "date": parse_date,
    "number": parse_number,
    "number_min0": lambda v: parse_number(v, minimum=0),
    "integer": lambda v: parse_number(v, minimum=1, maximum=500, integer=True),
    "money": parse_money,
    "area": parse_area,
    "area_min1": lambda v: parse_area(v, minimum=1),
}

# The layouts staff type, which the fast paths are for, and near misses around them.
LAYOUTS = [
    "081-234-5678", "0812345678", "081 234 5678", "+66 81 234 5678", "+66812345678",
    "+66 081 234 5678", "66812345678", "0-7621-1234", "076 211234", "081-2345678",
    "812345678", "81234567", "081-234-567", "+6681234567", "0812345678901", "1111",
    "1234567890121", "1234567890122", "1-2345-67890-12-1", "1 2345 67890 12 1",
    "1-2345-67890-12", "12345678901234", "-1234567890121",
    "10/09/2562", "10/9/62", "10-9-2562", "10.09.2562", "31/02/2568", "29/02/2567",
    "10/09/2019", "10/09/3105", "10/13/2562", "10 ก.ย. 2562", "10 ก.ย. 62",
    "10 กันยายน 2562", "29 กุมภาพันธ์ 2566", "31 เม.ย. 2567", "0 ม.ค. 2562", "10 ก.ย. 1999",
    "1234", "1,234", "1,234.5", "-1,234", "12,34", "123 กก.", "123กก.", "12.5 คน", "-5 ตัว",
    "1,234 บาท", "0", "-0", "5-2-30", "5-4-10", "5-2-100", "5 ไร่ 2 งาน", "5 ไร่ 4 งาน",
    "12 ไร่", "2 งาน", "-3 ไร่", "12.5ไร่",
]  # fmt: skip
LAYOUTS += [s.translate(THAI) for s in LAYOUTS]

typed = st.one_of(
    st.sampled_from(LAYOUTS),
    st.from_regex(r"\+?(?:66)?[0-9๐-๙][0-9๐-๙ \-]{0,16}", fullmatch=True),
    st.from_regex(r"[0-9๐-๙]{1,2}[/.\-][0-9๐-๙]{1,2}[/.\-][0-9๐-๙]{2,4}", fullmatch=True),
    st.from_regex(
        r"[0-9๐-๙]{1,2} (?:ม\.ค\.|ก\.พ\.|ก\.ย\.|กันยายน|กุมภาพันธ์|ธันวาคม) [0-9๐-๙]{2,4}",
        fullmatch=True,
    ),
    st.from_regex(r"-?[0-9๐-๙,]{1,12}(?:\.[0-9]{0,3})? ?(?:กก\.|คน|ไร่|งาน|บาท)?", fullmatch=True),
    st.from_regex(r"[0-9]{1,3}-[0-9]{1,3}-[0-9]{1,3}(?:\.[0-9])?", fullmatch=True),
    st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙ -+.,/", max_size=20),
)


@pytest.mark.parametrize("name", sorted(PARSERS))
@pytest.mark.parametrize("text", LAYOUTS)
def test_layouts_read_as_the_general_path(name: str, text: str) -> None:
    parse = PARSERS[name]
    assert parse(text) == parse(NBSP + text)


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=150, deadline=None)
@given(text=typed)
def test_fast_paths_agree_with_the_general_path(name: str, text: str) -> None:
    parse = PARSERS[name]
    assert parse(text) == parse(NBSP + text)


# Column parsers (numbers.number_parser, numbers.area_parser, thai_dates.parse_date_text)
# read the usual forms on their own and hand the rest to the functions above: the two
# must agree on every value, bounds refused or not.
COLUMN_PARSERS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "number": (number_parser(), parse_number),
    "number_min0": (number_parser(minimum=0), lambda v: parse_number(v, minimum=0)),
    "number_positive": (
        number_parser(minimum=0, positive=True),
        lambda v: parse_number(v, minimum=0, positive=True),
    ),
    "number_max": (
        number_parser(minimum=-5, maximum=1234),
        lambda v: parse_number(v, minimum=-5, maximum=1234),
    ),
    "integer": (
        number_parser(minimum=1, maximum=500, integer=True),
        lambda v: parse_number(v, minimum=1, maximum=500, integer=True),
    ),
    "area": (area_parser(), parse_area),
    "area_min0": (area_parser(minimum=0), lambda v: parse_area(v, minimum=0)),
    "area_min1": (area_parser(minimum=1), lambda v: parse_area(v, minimum=1)),
    "date": (parse_date_text, parse_date),
}
ODD = [
    "",
    " ",
    "-",
    "1e5",
    "๑,๒๓๔",
    "1,2345",
    "12 กก",
    "12กิโลกรัม",
    "0 งาน",
    "4 งาน",
    "0.5 ไร่ 3 งาน",
]
ODD += ["5-3-99.5", "5-3-100", "-5-2-30", "1" * 20, "1" * 16 + "-1-1", "01/01/2400", "31/12/2700"]
ODD += ["1/1/1", "29 ก.พ. 2563", "29 ก.พ. 2564", "๓๑ ธันวาคม ๖๒", "10/09/62 ", "10-9.2562"]


@pytest.mark.parametrize("name", sorted(COLUMN_PARSERS))
@pytest.mark.parametrize("text", LAYOUTS + ODD)
def test_column_parsers_read_as_the_functions(name: str, text: str) -> None:
    fast, general = COLUMN_PARSERS[name]
    assert fast(text) == general(text)


areas_and_dates = st.one_of(
    typed,
    st.from_regex(
        r"-?[0-9๐-๙]{1,4}(?:\.[0-9๐-๙]{1,2})? ?(?:ไร่(?: [0-9๐-๙]{1,2} ?งาน)?|งาน)", fullmatch=True
    ),
    st.from_regex(
        r"[0-9๐-๙]{1,2}[/.\-][0-9๐-๙]{1,2}[/.\-](?:[0-9๐-๙]{2}|2[4-7][0-9]{2}|19[0-9]{2})",
        fullmatch=True,
    ),
)


@pytest.mark.parametrize("name", sorted(COLUMN_PARSERS))
@settings(max_examples=200, deadline=None)
@given(text=areas_and_dates)
def test_column_parsers_agree_with_the_functions(name: str, text: str) -> None:
    fast, general = COLUMN_PARSERS[name]
    assert fast(text) == general(text)
