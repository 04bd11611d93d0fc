import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.codes import CODES
from kspo_sheets.model import Issue, Severity
from kspo_sheets.thai.fiscal import fiscal_year, fiscal_year_bounds, parse_be_year

D = dt.date


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (D(2019, 9, 30), 2562),
        (D(2019, 10, 1), 2563),
        (D(2018, 10, 1), 2562),
        (D(2019, 1, 1), 2562),
        (D(2019, 12, 31), 2563),
    ],
)
def test_fiscal_year_ends_on_30_september(day: dt.date, year: int) -> None:
    assert fiscal_year(day) == year


def test_fiscal_year_bounds() -> None:
    assert fiscal_year_bounds(2562) == (D(2018, 10, 1), D(2019, 9, 30))


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2100, 12, 31)))
def test_a_date_lies_within_its_fiscal_years_bounds(d: dt.date) -> None:
    first, last = fiscal_year_bounds(fiscal_year(d))
    assert first <= d <= last


@pytest.mark.parametrize(
    "value",
    [
        2562,
        "2562",
        "๒๕๖๒",
        2562.0,
        "2562.0",
        " 2562 ",
        "ปีงบประมาณ 2562",
        "ปีงบประมาณ พ.ศ. 2562",
        "พ.ศ. 2562",
        "พ.ศ.2562",
        "ปี 2562",
        "ปีงบ 62",
        "ปีงบฯ 2562",
        "62",
        62,
    ],
)
def test_be_years(value: object) -> None:
    assert parse_be_year(value) == (2562, None)


@pytest.mark.parametrize("value", [2019, "2019", 2019.0, "ปีงบประมาณ 2019"])
def test_ce_year_is_converted_with_a_warning(value: object) -> None:
    year, issue = parse_be_year(value)
    assert year == 2562
    assert issue is not None
    assert (issue.code, issue.severity) == ("year.ce", Severity.WARNING)
    assert "2562" in issue.th and "2562" in issue.en


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("3105", "2562"),  # converted twice
        ("abc", ""),
        ("25620", ""),
        ("2300", ""),
        ("2562.5", ""),
        (2562.5, ""),
        (True, ""),
        (5, ""),
        (D(2019, 9, 10), ""),
        ("x" * 50_000, "…"),
    ],
)
def test_invalid_years(value: object, hint: str) -> None:
    year, issue = parse_be_year(value)
    assert year is None
    assert issue is not None and issue.code == "year.invalid"
    assert hint in issue.th and hint in issue.en


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_blank(blank: object) -> None:
    assert parse_be_year(blank) == (None, None)


ANY = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30),
    st.text(alphabet="0123456789๒๕ ปีงบประมาณพ.ศ", max_size=20),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.dates(),
    st.sampled_from(["9" * 50_000, 10**5000]),
)


@settings(max_examples=200, deadline=None)
@given(ANY)
def test_never_raises(value: object) -> None:
    out = parse_be_year(value)
    assert isinstance(out, tuple) and len(out) == 2
    year, issue = out
    assert issue is None or (isinstance(issue, Issue) and issue.code in CODES)
    assert year is None or (type(year) is int and 2400 <= year <= 2743)
