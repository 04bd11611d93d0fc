import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.codes import CODES
from kspo_sheets.model import Issue, Severity
from kspo_sheets.thai.choices import EnumParser, parse_yesno

YES = [
    "ใช่",
    "มี",
    "เป็น",
    "✓",
    "✔",
    "/",  # a tick as typed on Thai forms
    "Y",
    "y",
    "yes",
    "YES",
    "TRUE",
    "true",
    "True",
    "1",
    " ใช่ ",
    "ใช่.",
    "ยินยอม",
    True,
    1,
    1.0,
]
NO = [
    "ไม่ใช่",
    "ไม่ ใช่",
    "ไม่มี",
    "ไม่เป็น",
    "ไม่",
    "✗",
    "✘",
    "x",
    "X",
    "N",
    "no",
    "No",
    "FALSE",
    "false",
    "0",
    "ไม่ยินยอม",
    False,
    0,
    0.0,
]


@pytest.mark.parametrize("value", YES)
def test_yes(value: object) -> None:
    assert parse_yesno(value) == (True, None)


@pytest.mark.parametrize("value", NO)
def test_no(value: object) -> None:
    assert parse_yesno(value) == (False, None)


@pytest.mark.parametrize("value", ["maybe", "ไม่แน่ใจ", "-", "2", 2, 0.5, dt.date(2019, 9, 10)])
def test_not_yes_or_no(value: object) -> None:
    parsed, issue = parse_yesno(value)
    assert parsed is None
    assert issue is not None and (issue.code, issue.severity) == ("yesno.invalid", Severity.ERROR)
    assert "ใช่/ไม่ใช่" in issue.th and "Y/N" in issue.en


@pytest.mark.parametrize("blank", [None, "", "  ", "\u200b"])
def test_yesno_blank(blank: object) -> None:
    assert parse_yesno(blank) == (None, None)


FIELDS = EnumParser(
    ["เกษตร", "แปรรูป", "ท่องเที่ยวโดยชุมชน"],
    aliases={"ท่องเที่ยว": "ท่องเที่ยวโดยชุมชน", "การเกษตร": "เกษตร"},
)
CERTS = EnumParser(["GAP", "เกษตรอินทรีย์", "PGS", "อยู่ระหว่างขอรับรอง", "ไม่มี"])
CATEGORIES = EnumParser(["พืชผัก", "ผลไม้", "อื่นๆ"])


@pytest.mark.parametrize(
    ("parser", "typed", "canonical"),
    [
        (FIELDS, "เกษตร", "เกษตร"),
        (FIELDS, " เกษตร ", "เกษตร"),
        (FIELDS, "ท่องเที่ยว โดยชุมชน", "ท่องเที่ยวโดยชุมชน"),
        (FIELDS, "ท่องเที่ยว\u00a0โดย ชุมชน", "ท่องเที่ยวโดยชุมชน"),
        (FIELDS, "ท่องเที่ยว", "ท่องเที่ยวโดยชุมชน"),
        (FIELDS, "การ เกษตร", "เกษตร"),
        (CERTS, "gap", "GAP"),
        (CERTS, "GAP.", "GAP"),
        (CERTS, "G.A.P.", "GAP"),
        (CERTS, "Gap", "GAP"),
        (CERTS, "pgs", "PGS"),
        (CATEGORIES, "อื่น ๆ", "อื่นๆ"),
        (CATEGORIES, "อื่นๆ.", "อื่นๆ"),
    ],
)
def test_enum_matches_what_people_type(parser: EnumParser, typed: str, canonical: str) -> None:
    assert parser(typed) == (canonical, None)


def test_enum_suggests_the_close_value_and_lists_all() -> None:
    parsed, issue = FIELDS("แปรรุป")
    assert parsed is None
    assert issue is not None and (issue.code, issue.severity) == ("enum.invalid", Severity.ERROR)
    assert 'หมายถึง "แปรรูป"' in issue.th and 'did you mean "แปรรูป"?' in issue.en
    assert "เกษตร / แปรรูป / ท่องเที่ยวโดยชุมชน" in issue.th


def test_enum_without_a_close_value_has_no_suggestion() -> None:
    _, issue = FIELDS("zzz")
    assert issue is not None and "did you mean" not in issue.en and '"zzz"' in issue.en


@pytest.mark.parametrize("value", [5, 1.5, True, dt.date(2019, 9, 10)])
def test_enum_other_types(value: object) -> None:
    parsed, issue = CERTS(value)
    assert parsed is None and issue is not None and issue.code == "enum.invalid"


def test_enum_numbers_match_as_text() -> None:
    assert EnumParser(["1", "2"])(2.0) == ("2", None)


def test_alias_to_an_unknown_value_is_a_config_error() -> None:
    with pytest.raises(ValueError, match="not an allowed value"):
        EnumParser(["ก"], aliases={"ข": "ค"})


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_enum_blank(blank: object) -> None:
    assert FIELDS(blank) == (None, None)


ANY = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30),
    st.text(alphabet="ใช่ไม่มีเป็นyesnoxX/✓ .", max_size=12),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.sampled_from(["ใ" * 50_000, "x" * 50_000, 10**5000]),
)


@settings(max_examples=200, deadline=None)
@given(ANY)
def test_never_raises(value: object) -> None:
    for parse in (parse_yesno, FIELDS, CERTS):
        out = parse(value)
        assert isinstance(out, tuple) and len(out) == 2
        parsed, issue = out
        assert issue is None or (isinstance(issue, Issue) and issue.code in CODES)
        assert (parsed is None) or (issue is None)
