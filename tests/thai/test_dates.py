import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.codes import CODES
from kspo_sheets.model import Issue, Severity
from kspo_sheets.thai.dates import THAI_MONTHS, THAI_MONTHS_ABBR, format_be, parse_date

D = dt.date


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10/09/2562", D(2019, 9, 10)),
        ("10/9/62", D(2019, 9, 10)),
        ("10-09-2562", D(2019, 9, 10)),
        ("10.09.2562", D(2019, 9, 10)),
        (" 10 / 09 / 2562 ", D(2019, 9, 10)),
        ("๑๐/๐๙/๒๕๖๒", D(2019, 9, 10)),
        ("\u200b10/09/2562\u00a0", D(2019, 9, 10)),
        ("10 ก.ย. 2562", D(2019, 9, 10)),
        ("10 ก.ย. 62", D(2019, 9, 10)),
        ("10 ก.ย.62", D(2019, 9, 10)),
        ("10 กย 2562", D(2019, 9, 10)),
        ("10 ก.ย 2562", D(2019, 9, 10)),
        ("10 ก. ย. 2562", D(2019, 9, 10)),
        ("10ก.ย.2562", D(2019, 9, 10)),
        ("10-ก.ย.-62", D(2019, 9, 10)),
        ("10 กันยายน 2562", D(2019, 9, 10)),
        ("10 กันยา 62", D(2019, 9, 10)),
        ("วันที่ 10 กันยายน พ.ศ. 2562", D(2019, 9, 10)),
        ("วันอังคารที่ 10 กันยายน พ.ศ. 2562", D(2019, 9, 10)),
        ("10 ก.ย. พ.ศ.2562", D(2019, 9, 10)),
        ("๑๐ ก.ย. ๖๒", D(2019, 9, 10)),
        ("5 กรกฏาคม 2562", D(2019, 7, 5)),  # the common misspelling of กรกฎาคม
        # October to December: BE - 543 is the CE year all year round, not only from January.
        ("15/10/2562", D(2019, 10, 15)),
        ("31/12/62", D(2019, 12, 31)),
        ("1/11/2562", D(2019, 11, 1)),
        ("01/01/2563", D(2020, 1, 1)),
        ("29/02/2563", D(2020, 2, 29)),  # BE 2563 = CE 2020, a leap year
        ("2562-09-10", D(2019, 9, 10)),
        ("2562/9/10", D(2019, 9, 10)),
        ("10/09/2562 00:00:00", D(2019, 9, 10)),
    ],
)
def test_dates_people_type(typed: str, expected: dt.date) -> None:
    assert parse_date(typed) == (expected, None)


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_name_and_abbreviation(month: int) -> None:
    full, abbr = THAI_MONTHS[month - 1], THAI_MONTHS_ABBR[month - 1]
    expected = (D(2019, month, 3), None)
    assert parse_date(f"3 {full} 2562") == expected
    assert parse_date(f"3 {abbr} 2562") == expected
    assert parse_date(f"3 {abbr} 62") == expected
    assert parse_date(f"3 {abbr.replace('.', '')} 2562") == expected  # มค, กพ, ...
    assert parse_date(f"3 {abbr.rstrip('.')}2562") == expected  # ม.ค2562


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(2019, 9, 10), D(2019, 9, 10)),
        (dt.datetime(2019, 9, 10, 14, 30), D(2019, 9, 10)),
        (43718, D(2019, 9, 10)),  # Sheets serial number
        (43718.0, D(2019, 9, 10)),
        (43718.75, D(2019, 9, 10)),  # a date-time serial: the day
        (D(2562, 9, 10), D(2019, 9, 10)),  # typed BE stored as a CE date by a non-Thai locale
    ],
)
def test_date_cells(value: object, expected: dt.date) -> None:
    assert parse_date(value) == (expected, None)


@pytest.mark.parametrize(
    ("value", "code", "in_th", "in_en"),
    [
        ("31/02/2562", "date.impossible", "กุมภาพันธ์มีไม่ถึง 31 วัน", "February has fewer than 31"),
        ("29/02/2562", "date.impossible", "28 วัน", "February 2562 has 28 days"),
        ("29/02/2561", "date.impossible", "28 วัน", "has 28 days"),
        ("31/04/2562", "date.impossible", "เมษายนมี 30 วัน", "April has 30 days"),
        ("31 มิ.ย. 2562", "date.impossible", "30 วัน", "June has 30 days"),
        ("0/1/2562", "date.impossible", "วันที่ 0", "no day 0"),
        ("09/25/2562", "date.impossible", "25/09/2562", "type 25/09/2562"),  # month/day swapped
        ("10/13/2562", "date.impossible", "เดือนที่ 13", "no month 13"),
        ("10/09/3105", "date.double_converted", "10/09/2562", "probably 10/09/2562"),
        ("10 ก.ย. 3105", "date.double_converted", "10/09/2562", "10/09/2562"),
        ("2562", "date.invalid", "10/09/2562", "10/09/2562"),
        ("10092562", "date.invalid", "เช่น 10/09/2562 หรือ 10 ก.ย. 2562", "e.g. 10/09/2562"),
        ("10 กันย์ 2562", "date.invalid", "10 ก.ย. 2562", "10 ก.ย. 2562"),
        ("ก.ย. 2562", "date.invalid", "", ""),
        ("10/09/2300", "date.invalid", "พ.ศ. 4 หลัก", "out of range"),
        ("10/09/256", "date.invalid", "", ""),
        ("10/09", "date.invalid", "", ""),
        ("yesterday", "date.invalid", '"yesterday"', '"yesterday"'),
        (2562, "date.invalid", "2562", "2562"),  # a bare year is not a date
        (True, "date.invalid", "", ""),
        (5.5, "date.invalid", "", ""),
        (float("nan"), "date.invalid", "", ""),
        (D(3105, 9, 10), "date.double_converted", "10/09/2562", ""),
    ],
)
def test_unusable_dates(value: object, code: str, in_th: str, in_en: str) -> None:
    parsed, issue = parse_date(value)
    assert parsed is None
    assert issue is not None
    assert (issue.code, issue.severity) == (code, Severity.ERROR)
    assert in_th in issue.th
    assert in_en in issue.en


@pytest.mark.parametrize("typed", ["10/09/2019", "10 ก.ย. 2019", "2019-09-10"])
def test_ce_year_is_read_as_ce_with_a_warning_showing_the_be_form(typed: str) -> None:
    parsed, issue = parse_date(typed)
    assert parsed == D(2019, 9, 10)
    assert issue is not None
    assert (issue.code, issue.severity) == ("date.ce_year", Severity.WARNING)
    assert "10/09/2562" in issue.th and "10/09/2562" in issue.en


def test_ce_year_impossible_day_is_an_error() -> None:
    parsed, issue = parse_date("29/02/2019")
    assert parsed is None and issue is not None and issue.code == "date.impossible"


def test_two_digit_years_are_always_be_25xx() -> None:
    assert parse_date("1/1/00")[0] == D(1957, 1, 1)
    assert parse_date("1/1/19")[0] == D(1976, 1, 1)  # 19 is BE 2519, never CE 2019
    assert parse_date("1/1/99")[0] == D(2056, 1, 1)


@pytest.mark.parametrize("blank", [None, "", "   ", "\u200b", "\u00a0"])
def test_blank_is_nothing(blank: object) -> None:
    assert parse_date(blank) == (None, None)


def test_long_text_is_truncated_in_messages() -> None:
    _, issue = parse_date("x" * 50_000)
    assert issue is not None and issue.code == "date.invalid"
    assert len(issue.th) < 200 and "…" in issue.th


def test_messages_quote_no_unprintable_characters() -> None:
    _, issue = parse_date("10/09/\ud800\x01")
    assert issue is not None
    assert "\ud800" not in issue.th and "\x01" not in issue.en


@pytest.mark.parametrize(
    ("style", "text"),
    [("numeric", "10/09/2562"), ("long", "10 กันยายน 2562"), ("abbr", "10 ก.ย. 2562")],
)
def test_format_be(style: str, text: str) -> None:
    assert format_be(D(2019, 9, 10), style) == text


def test_format_be_pads_numeric_and_rejects_unknown_style() -> None:
    assert format_be(D(2020, 1, 5)) == "05/01/2563"
    assert format_be(D(2020, 1, 5), "long") == "5 มกราคม 2563"
    with pytest.raises(ValueError, match="style"):
        format_be(D(2020, 1, 5), "iso")


@settings(max_examples=200, deadline=None)
@given(
    d=st.dates(min_value=D(1950, 1, 1), max_value=D(2100, 12, 31)),
    style=st.sampled_from(["numeric", "long", "abbr"]),
)
def test_format_then_parse_round_trips(d: dt.date, style: str) -> None:
    assert parse_date(format_be(d, style)) == (d, None)


DATEISH = st.text(alphabet="0123456789๐๑๒๙/.-: กขคงจมยพศวันที่ธ", max_size=24)
ANY = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30),
    DATEISH,
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["9" * 50_000, "๑" * 50_000, "1/1/" + "9" * 5000, "ก.ย." * 12_000]),
)


@settings(max_examples=200, deadline=None)
@given(ANY)
def test_never_raises(value: object) -> None:
    out = parse_date(value)
    assert isinstance(out, tuple) and len(out) == 2
    parsed, issue = out
    assert issue is None or (isinstance(issue, Issue) and issue.code in CODES)
    assert parsed is None or isinstance(parsed, dt.date)
    if issue is not None and issue.severity is Severity.ERROR:
        assert parsed is None
