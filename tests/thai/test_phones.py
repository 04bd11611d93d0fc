import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.codes import CODES
from kspo_sheets.model import Issue, Severity
from kspo_sheets.thai.numbering_plan import AREA_CODES
from kspo_sheets.thai.phones import format_phone, parse_phone


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("0812345678", "0812345678"),
        ("081-234-5678", "0812345678"),
        ("081 234 5678", "0812345678"),
        ("081.234.5678", "0812345678"),
        ("(081) 234-5678", "0812345678"),
        ("๐๘๑-๒๓๔-๕๖๗๘", "0812345678"),
        ("\u200b081-234-5678\u00a0", "0812345678"),
        ("0612345678", "0612345678"),
        ("0912345678", "0912345678"),
        ("076-211-234", "076211234"),
        ("02-123-4567", "021234567"),
        ("053 123 456", "053123456"),
        ("+66 81 234 5678", "0812345678"),
        ("+66812345678", "0812345678"),
        ("66812345678", "0812345678"),
        ("(+66) 081-234-5678", "0812345678"),
        ("+66 2 123 4567", "021234567"),
        ("02-123-4567 ต่อ 12", "021234567"),
        ("02-123-4567 ext. 12", "021234567"),
        ("0812345678#12", "0812345678"),
        ("081-234-5678, 089-999-9999", "0812345678"),
        ("081-234-5678 / 076-211-234", "0812345678"),
        ("081-234-5678 หรือ 02-123-4567", "0812345678"),
        ("081-234-5678\n089-999-9999", "0812345678"),
        ("02-123-4567/8", "021234567"),  # a second line written as its last digit
        ("โทร. 081-234-5678", "0812345678"),
        ("081-234-5678 (มือถือ)", "0812345678"),
        (66812345678, "0812345678"),
    ],
)
def test_phones_people_type(typed: object, canonical: str) -> None:
    assert parse_phone(typed) == (canonical, None)


@pytest.mark.parametrize(
    ("value", "canonical", "shape"),
    [
        (812345678, "0812345678", "0xx-xxx-xxxx"),
        (812345678.0, "0812345678", "0xx-xxx-xxxx"),
        ("812345678", "0812345678", "0xx-xxx-xxxx"),
        ("81-234-5678", "0812345678", "0xx-xxx-xxxx"),
        (76211234, "076211234", "0x-xxx-xxxx"),
        ("76211234", "076211234", "0x-xxx-xxxx"),
        ("21234567", "021234567", "0x-xxx-xxxx"),
    ],
)
def test_lost_leading_zero_is_corrected_with_a_warning(
    value: object, canonical: str, shape: str
) -> None:
    parsed, issue = parse_phone(value)
    assert parsed == canonical
    assert issue is not None
    assert (issue.code, issue.severity) == ("phone.missing_zero", Severity.WARNING)
    assert shape in issue.th and shape in issue.en
    # A phone number is personal data: the message shows the shape, never the number.
    assert canonical[1:] not in issue.th and canonical[1:] not in issue.en


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("081-234-567", "9 หลัก"),
        ("08123456789", "11 หลัก"),
        ("0112345678", "10 หลัก"),
        ("12345", "5 หลัก"),
        ("081-234-5678 คุณสมชาย", "ตัวอักษร"),
        ("abc", "ตัวอักษร"),
        ("081-234-5678, 123", "3 หลัก"),
        ("-", "ไม่มีตัวเลข"),
        (0.5, "ทศนิยม"),
        (float("nan"), "ทศนิยม"),
        (-812345678, ""),
        (True, "TRUE"),
        ("9" * 50_000, ""),
    ],
)
def test_invalid_phones(value: object, reason: str) -> None:
    parsed, issue = parse_phone(value)
    assert parsed is None
    assert issue is not None
    assert (issue.code, issue.severity) == ("phone.invalid", Severity.ERROR)
    assert reason in issue.th
    assert "081-234-5678" in issue.th and "02-123-4567" in issue.en  # the expected forms


def test_invalid_message_does_not_echo_the_number() -> None:
    _, issue = parse_phone("097-531-86")
    assert issue is not None
    assert "53186" not in issue.th.replace("-", "") and "53186" not in issue.en.replace("-", "")


@pytest.mark.parametrize("blank", [None, "", " ", "\u200b"])
def test_blank(blank: object) -> None:
    assert parse_phone(blank) == (None, None)


@pytest.mark.parametrize(
    ("canonical", "shown"),
    [
        ("0812345678", "081-234-5678"),
        ("076211234", "076-211-234"),
        ("021234567", "02-123-4567"),
        ("1111", "1111"),
        ("1800123456", "1800-123-456"),
    ],
)
def test_format_phone(canonical: str, shown: str) -> None:
    assert format_phone(canonical) == shown


# Valid numbers by the numbering plan: mobiles 06/08/09, landlines with an assigned area code.
AREAS3 = sorted(a for a in AREA_CODES if len(a) == 3)
MOBILE = st.from_regex(r"0[689][0-9]{8}", fullmatch=True)
LANDLINE = st.one_of(
    st.from_regex(r"02[0-9]{7}", fullmatch=True),
    st.builds(
        lambda a, rest: a + rest,
        st.sampled_from(AREAS3),
        st.from_regex(r"[0-9]{6}", fullmatch=True),
    ),
)
CANONICAL = st.one_of(MOBILE, LANDLINE)
SERVICE = st.from_regex(r"1[0-9]{3}", fullmatch=True).filter(lambda s: s != "1800")


@settings(max_examples=200, deadline=None)
@given(CANONICAL)
def test_format_then_parse_round_trips(canonical: str) -> None:
    assert parse_phone(format_phone(canonical)) == (canonical, None)
    assert parse_phone(canonical) == (canonical, None)


@settings(max_examples=100, deadline=None)
@given(SERVICE)
def test_service_numbers_round_trip_where_allowed(number: str) -> None:
    assert parse_phone(number, service_numbers=True) == (number, None)
    assert parse_phone(format_phone(number), service_numbers=True) == (number, None)


ANY = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30),
    st.text(alphabet="0123456789๐๘+-() ,/#ต่อหรือext", max_size=30),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.sampled_from(["0" * 50_000, "081-234-5678," * 4000, 10**5000]),
)


@settings(max_examples=200, deadline=None)
@given(ANY)
def test_never_raises(value: object) -> None:
    out = parse_phone(value)
    assert isinstance(out, tuple) and len(out) == 2
    parsed, issue = out
    assert issue is None or (isinstance(issue, Issue) and issue.code in CODES)
    if parsed is not None:
        assert parse_phone(parsed) == (parsed, None)  # what comes out is canonical
