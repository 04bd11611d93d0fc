import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.codes import CODES
from kspo_sheets.model import Issue, Severity
from kspo_sheets.thai.numbers import parse_area, parse_money, parse_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234", 1234.0),
        ("1,234.5", 1234.5),
        ("1,234,567", 1234567.0),
        ("1 234", 1234.0),
        ("๑๒", 12.0),
        ("๑,๒๓๔", 1234.0),
        ("12 กก.", 12.0),
        ("12กก", 12.0),
        ("30 คน", 30.0),
        ("100 บาท", 100.0),
        ("1,200 ลูก/เดือน", 1200.0),
        ("5 kg", 5.0),
        ("30 พันธุ์", 30.0),  # starts like พัน (thousand) but is a unit
        (".5", 0.5),
        ("5.", 5.0),
        ("+5", 5.0),
        (" 42 ", 42.0),
        ("\u200b42\u00a0", 42.0),
        (7, 7.0),
        (7.25, 7.25),
    ],
)
def test_numbers_people_type(value: object, expected: float) -> None:
    assert parse_number(value) == (expected, None)


@pytest.mark.parametrize(
    "value",
    ["abc", "12,5", "1,23", "12 5", "1.5 ล้าน", "2 แสน", "3k", "1e5", "nan", "inf", "--5", "5%"],
)
def test_not_numbers(value: str) -> None:
    parsed, issue = parse_number(value)
    assert parsed is None
    assert issue is not None and issue.code == "number.invalid"
    assert value in issue.th and f'"{value}"' in issue.en


def test_multiplier_words_are_refused_with_the_fix() -> None:
    _, issue = parse_number("1.5 ล้าน")
    assert issue is not None and "1500000" in issue.th


@pytest.mark.parametrize("value", [True, False, float("nan"), float("inf"), 10**400])
def test_non_numbers_of_other_types(value: object) -> None:
    parsed, issue = parse_number(value)
    assert parsed is None and issue is not None and issue.code == "number.invalid"


@pytest.mark.parametrize(
    ("value", "kwargs", "code"),
    [
        ("-3", {"minimum": 0}, "number.negative"),
        ("−3", {"minimum": 0}, "number.negative"),  # U+2212 minus sign
        (-0.5, {"minimum": 0}, "number.negative"),
        ("0", {"positive": True}, "number.not_positive"),
        ("-1", {"positive": True}, "number.not_positive"),
        ("150", {"minimum": 1, "maximum": 99}, "number.range"),
        ("0", {"minimum": 1, "maximum": 99}, "number.range"),
        ("3.5", {"integer": True}, "number.range"),
    ],
)
def test_bounds(value: object, kwargs: dict[str, object], code: str) -> None:
    parsed, issue = parse_number(value, **kwargs)  # type: ignore[arg-type]
    assert parsed is None
    assert issue is not None and (issue.code, issue.severity) == (code, Severity.ERROR)


def test_range_message_names_the_bounds() -> None:
    _, issue = parse_number(150, minimum=1, maximum=99)
    assert issue is not None and "1" in issue.en and "99" in issue.en and "150" in issue.en


def test_integer_returns_int_and_otherwise_float() -> None:
    assert parse_number("7", integer=True) == (7, None)
    assert type(parse_number(7.0, integer=True)[0]) is int
    assert type(parse_number(7)[0]) is float
    assert parse_number("0", minimum=0) == (0.0, None)


@pytest.mark.parametrize(
    "value",
    [
        "12500",
        "12,500",
        "12,500 บาท",
        "12500บาท",
        "฿12,500",
        "฿ 12,500",
        "12500.-",
        "12,500.- บาท",
        "12,500 บ.",
        "12,500 บาทถ้วน",
        "THB 12,500",
        "12,500 บาท/เดือน",
        "๑๒,๕๐๐",
        12500,
        12500.0,
    ],
)
def test_money_people_type(value: object) -> None:
    assert parse_money(value) == (12500.0, None)


def test_money_with_satang() -> None:
    assert parse_money("12,500.50") == (12500.5, None)


@pytest.mark.parametrize("value", ["abc", "1.5 ล้านบาท", "12,5", "12,500 ดอลลาร์", "nan", True])
def test_not_money(value: object) -> None:
    parsed, issue = parse_money(value)
    assert parsed is None and issue is not None and issue.code == "money.invalid"


def test_negative_money() -> None:
    parsed, issue = parse_money("-500", minimum=0)
    assert parsed is None and issue is not None and issue.code == "number.negative"
    assert parse_money("-500") == (-500.0, None)  # no minimum: a refund may be negative


@pytest.mark.parametrize(
    ("value", "rai"),
    [
        ("5.5", 5.5),
        (5, 5.0),
        (2.25, 2.25),
        ("5-2-30", 5.575),
        ("5 - 2 - 30", 5.575),
        ("0-0-50", 0.125),
        ("๕-๒-๓๐", 5.575),
        ("5-3-99.5", 5 + 3 / 4 + 99.5 / 400),
        ("5 ไร่ 2 งาน 30 ตร.ว.", 5.575),
        ("5 ไร่ 2 งาน 30 ตารางวา", 5.575),
        ("5ไร่2งาน30ตรว", 5.575),
        ("5 ไร่", 5.0),
        ("2 งาน", 0.5),
        ("150 ตร.ว.", 0.375),
        ("1,200 ไร่", 1200.0),
        ("1,200", 1200.0),
    ],
)
def test_areas_people_type(value: object, rai: float) -> None:
    parsed, issue = parse_area(value)
    assert issue is None
    assert parsed == pytest.approx(rai)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("5-4-30", "0-3"),
        ("5-2-100", "100"),
        ("5 ไร่ 4 งาน", "0-3"),
        ("1 งาน 120 ตารางวา", "100"),
        ("5-2", ""),
        ("5 kg", ""),
        ("abc", ""),
        (True, ""),
    ],
)
def test_not_areas(value: object, hint: str) -> None:
    parsed, issue = parse_area(value)
    assert parsed is None
    assert issue is not None and issue.code == "area.invalid"
    assert hint in issue.th and "5-2-30" in issue.en


@pytest.mark.parametrize("value", ["-5", -5, "-5-2-30", "-2 งาน"])
def test_negative_area(value: object) -> None:
    parsed, issue = parse_area(value)
    assert parsed is None and issue is not None and issue.code == "number.negative"


def test_area_minimum() -> None:
    parsed, issue = parse_area("0.5", minimum=1)
    assert parsed is None and issue is not None and issue.code == "number.range"


@pytest.mark.parametrize("parse", [parse_number, parse_money, parse_area])
@pytest.mark.parametrize("blank", [None, "", "  ", "\u200b"])
def test_blank(parse: object, blank: object) -> None:
    assert parse(blank) == (None, None)  # type: ignore[operator]


ANY = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30),
    st.text(alphabet="0123456789๑,.-+ ไร่งานตร.วบาท฿", max_size=24),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.sampled_from(["9" * 50_000, "1," * 20_000, "5-" * 20_000, 10**5000]),
)
OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "minimum": st.sampled_from([0, 1, -5.5]),
        "maximum": st.sampled_from([99, 1e6]),
        "positive": st.booleans(),
        "integer": st.booleans(),
    },
)


def _check(out: object) -> None:
    assert isinstance(out, tuple) and len(out) == 2
    parsed, issue = out
    assert issue is None or (isinstance(issue, Issue) and issue.code in CODES)
    assert parsed is None or isinstance(parsed, int | float)
    assert (parsed is None) or (issue is None)  # no warnings here: a value or an error


@settings(max_examples=200, deadline=None)
@given(ANY, OPTIONS)
def test_never_raises(value: object, options: dict[str, object]) -> None:
    _check(parse_number(value, **options))  # type: ignore[arg-type]
    _check(parse_money(value, minimum=options.get("minimum")))  # type: ignore[arg-type]
    _check(parse_area(value, minimum=options.get("minimum")))  # type: ignore[arg-type]
