import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.codes import CODES
from kspo_sheets.model import Issue, Severity
from kspo_sheets.thai.national_id import (
    check_digit,
    format_national_id,
    is_valid,
    make_valid_id,
    parse_national_id,
)

# 1-1017-00230-70-? : the check digit by hand: sum(d[i] * (13 - i)) = 1*13 + 1*12 + 0*11
# + 1*10 + 7*9 + 0*8 + 0*7 + 2*6 + 3*5 + 0*4 + 7*3 + 0*2 = 146; 146 % 11 = 3; 11 - 3 = 8.
VALID = "1101700230708"


def test_check_digit_by_hand() -> None:
    assert check_digit("110170023070") == 8
    assert is_valid(VALID)


def test_check_digit_wraps_ten_and_eleven_to_a_single_digit() -> None:
    assert check_digit("010000000000") == 0  # sum 12: 12 % 11 = 1 -> 10 -> 0
    assert check_digit("000000000000") == 1  # sum 0 -> 11 -> 1


@pytest.mark.parametrize("bad", ["", "12345678901", "1234567890123", "12345678901a", "๑" * 12])
def test_check_digit_needs_twelve_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_digit(bad)


@pytest.mark.parametrize(
    "value",
    [
        VALID,
        "1-1017-00230-70-8",
        "1 1017 00230 70 8",
        "1-1017-00230-708",
        " 1101700230708 ",
        "๑๑๐๑๗๐๐๒๓๐๗๐๘",
        "\u200b1-1017-00230-70-8\u00a0",
        1101700230708,
        1101700230708.0,
    ],
)
def test_ids_people_type(value: object) -> None:
    assert parse_national_id(value) == (VALID, None)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("110170023070", "12 หลัก"),
        ("11017002307080", "14 หลัก"),
        ("1-1017-00230-70", "12 หลัก"),
        ("1101700230708a", "ตัวอักษร"),
        ("1.10170E+12", "E+12"),
        (110170023070, "12 หลัก"),
        (1.5, ""),
        (True, ""),
        ("x" * 50_000, ""),
    ],
)
def test_not_thirteen_digits(value: object, reason: str) -> None:
    parsed, issue = parse_national_id(value)
    assert parsed is None
    assert issue is not None
    assert (issue.code, issue.severity) == ("national_id.invalid", Severity.ERROR)
    assert reason in issue.th


@pytest.mark.parametrize("value", ["1101700230709", "1-1017-00230-70-1", 1101700230700])
def test_wrong_check_digit(value: object) -> None:
    parsed, issue = parse_national_id(value)
    assert parsed is None
    assert issue is not None
    assert (issue.code, issue.severity) == ("national_id.checksum", Severity.ERROR)
    # Personal data: the message names neither the ID nor the digit that would fit.
    for text in (issue.th, issue.en):
        assert "1017" not in text and "8" not in text


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_blank(blank: object) -> None:
    assert parse_national_id(blank) == (None, None)


def test_format_national_id() -> None:
    assert format_national_id(VALID) == "1-1017-00230-70-8"
    assert format_national_id("123") == "123"


TWELVE = st.from_regex(r"[0-9]{12}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(TWELVE)
def test_make_valid_id_round_trips(first12: str) -> None:
    d13 = make_valid_id(first12)
    assert d13[:12] == first12 and d13[12] == str(check_digit(first12))
    assert is_valid(d13)
    assert parse_national_id(d13) == (d13, None)
    assert parse_national_id(format_national_id(d13)) == (d13, None)


def _weighted_sum(digits: str) -> int:
    return sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))


@settings(max_examples=200, deadline=None)
@given(TWELVE, st.integers(0, 12), st.integers(1, 9))
def test_changing_one_digit_breaks_the_check_except_where_the_rule_cannot_tell(
    first12: str, pos: int, shift: int
) -> None:
    d13 = make_valid_id(first12)
    broken = d13[:pos] + str((int(d13[pos]) + shift) % 10) + d13[pos + 1 :]
    if pos == 12:
        assert not is_valid(broken)  # a wrong check digit is always caught
        assert parse_national_id(broken)[1] is not None
    elif pos == 2:
        # The third digit weighs 11, which is 0 mod 11: the Thai rule never sees it change.
        assert is_valid(broken)
    else:
        # Other digits are caught unless the sum moves between 0 and 10 mod 11, which the
        # final "% 10" folds onto the same check digit (1).
        blind = {_weighted_sum(d13) % 11, _weighted_sum(broken) % 11} == {0, 10}
        assert is_valid(broken) == blind


def test_one_digit_slip_the_rule_cannot_see() -> None:
    assert is_valid(VALID[:2] + "9" + VALID[3:])  # documented weakness, not a bug of ours


ANY = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30),
    st.text(alphabet="0123456789๑- .E+", max_size=20),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.sampled_from(["1" * 50_000, 10**5000]),
)


@settings(max_examples=200, deadline=None)
@given(ANY)
def test_never_raises(value: object) -> None:
    out = parse_national_id(value)
    assert isinstance(out, tuple) and len(out) == 2
    parsed, issue = out
    assert issue is None or (isinstance(issue, Issue) and issue.code in CODES)
    assert parsed is None or is_valid(parsed)
