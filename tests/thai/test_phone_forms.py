"""Phone cells as Thai offices write them: blocks of lines, lists, extensions, notes, service
numbers; every number checked against the numbering plan; a finding that names the one wrong
number and never shows it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.checks.masking import mask_phone
from kspo_sheets.model import Severity
from kspo_sheets.thai.numbering_plan import AREA_CODES
from kspo_sheets.thai.phones import format_phone, parse_phone, read_phones


def numbers(typed: object, *, service: bool = False) -> list[str]:
    cell = read_phones(typed, service_numbers=service)
    assert cell is not None
    assert all(it.problem is None for it in cell.items), [it.problem for it in cell.items]
    return cell.numbers()


def block(first: str, last: str) -> list[str]:
    return [str(n).zfill(len(first)) for n in range(int(first), int(last) + 1)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # A block of lines: the digits after the dash replace the tail of the first number.
        ("02-123-4560-9", block("021234560", "021234569")),
        ("0-2123-4560-69", block("021234560", "021234569")),
        ("076-254421-4", block("076254421", "076254424")),
        ("0-2337-2900-15", block("023372900", "023372915")),
        ("0-2581-5558-60", block("025815558", "025815560")),
        ("02-123-4500-520", block("021234500", "021234520")),
        ("02-123-4560–9", block("021234560", "021234569")),  # en dash
        ("02-123-4560 - 9", block("021234560", "021234569")),
        ("02-123-4560 ถึง 9", block("021234560", "021234569")),
        ("02-123-4560 ถึง 02-123-4569", block("021234560", "021234569")),
        ("02-123-4560 - 02-123-4562", block("021234560", "021234562")),
        ("08-9900-1217-8", ["0899001217", "0899001218"]),
        ("๐-๒๑๒๓-๔๕๖๐-๙", block("021234560", "021234569")),
        ("02-123-4567-7", ["021234567"]),  # a block of one
        # Lists: , / ; | หรือ และ line breaks, and numbers side by side.
        ("081-234-5678, 089-999-9999", ["0812345678", "0899999999"]),
        ("081-234-5678/076-211-234", ["0812345678", "076211234"]),
        ("081-234-5678; 02-123-4567", ["0812345678", "021234567"]),
        ("081-234-5678 หรือ 02-123-4567", ["0812345678", "021234567"]),
        ("081-234-5678 และ 02-123-4567", ["0812345678", "021234567"]),
        ("081-234-5678\n089-999-9999", ["0812345678", "0899999999"]),
        ("081 234 5678 089 999 9999", ["0812345678", "0899999999"]),
        ("081-234-5678 - 089-999-9999", ["0812345678", "0899999999"]),
        ("02-123-4567/8", ["021234567", "021234568"]),
        ("0-2313-4849, 4787", ["023134849", "023134787"]),  # the last block, 4 digits
        (
            "0-2965-5578-80,82-84 Ext.312",
            [*block("029655578", "029655580"), *block("029655582", "029655584")],
        ),
        ("02-123-4567, 68", ["021234567", "021234568"]),
        (
            "0-2581-5558-60, 0-2581-2157-61",
            block("025815558", "025815560") + block("025812157", "025812161"),
        ),
        (
            "0-3537-2961-6, 08-9900-1217-8",
            [*block("035372961", "035372966"), "0899001217", "0899001218"],
        ),
        # Extensions and notes.
        ("02-123-4567 ต่อ 12", ["021234567"]),
        ("02-123-4567 ต่อ. 1234", ["021234567"]),
        ("0-2667-5555 Ext. 1660", ["026675555"]),
        ("02-123-4567 ext 12", ["021234567"]),
        ("02-123-4567#12", ["021234567"]),
        ("02-123-4567 กด 1", ["021234567"]),
        ("0-2666-9488 Press 9", ["026669488"]),
        ("0-2626-7000,0-2657-3000 ext. 0,0-2638-8000", ["026267000", "026573000", "026388000"]),
        ("02-123-4567 ต่อ 12, 13", ["021234567"]),
        ("02-123-4567 ต่อ 101-103", ["021234567"]),
        ("02-123-4567 ต่อ 12 หรือ 081-234-5678", ["021234567", "0812345678"]),
        ("076-211-234 (สายด่วน 1669)", ["076211234"]),
        ("076-211-234 (ฝ่ายจัดซื้อ)", ["076211234"]),
        ("081-234-5678 (คุณสมชาย)", ["0812345678"]),
        ("โทร. 076-211-234 โทรสาร 076-211-235", ["076211234", "076211235"]),
        ("Tel: 02-123-4567 Fax: 02-123-4568", ["021234567", "021234568"]),
        ("มือถือ 081-234-5678", ["0812345678"]),
        ("๐๗๖-๒๑๑-๒๓๔ ต่อ ๑๒", ["076211234"]),
        ("+66 (0) 81 234 5678", ["0812345678"]),
        ("+66-76-211-234", ["076211234"]),
    ],
)
def test_forms_offices_write(typed: str, expected: list[str]) -> None:
    assert numbers(typed) == expected
    # The first number is the row's primary phone.
    assert parse_phone(typed) == (expected[0], None)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1669", ["1669"]),
        ("1111", ["1111"]),
        (1669, ["1669"]),
        ("1-800-123-456", ["1800123456"]),
        ("1800 123 456", ["1800123456"]),
        ("076-211-234, 1669", ["076211234", "1669"]),
        ("โทร 1719 หรือ 02-066-8888", ["1719", "020668888"]),
    ],
)
def test_service_numbers_where_the_contract_allows_them(typed: object, expected: list[str]) -> None:
    assert numbers(typed, service=True) == expected
    parsed, issue = parse_phone(typed)
    assert parsed is None and issue is not None and issue.code == "phone.invalid"
    assert "service number" in issue.en and "หมายเลขบริการ" in issue.th


@pytest.mark.parametrize(
    "area",
    ["02", "032", "033", "034", "035", "036", "037", "038", "039", "042", "043", "044", "045",
     "052", "053", "054", "055", "056", "073", "074", "075", "076", "077"],
)  # fmt: skip
def test_every_assigned_area_code_reads(area: str) -> None:
    number = area + "1" * (9 - len(area))
    assert area in AREA_CODES
    assert parse_phone(format_phone(number)) == (number, None)


@pytest.mark.parametrize(
    ("typed", "area"),
    [
        ("030-123-456", "030"),
        ("031-123-456", "031"),
        ("040-123-456", "040"),
        ("041-123-456", "041"),
        ("046-123-456", "046"),
        ("047-123-456", "047"),
        ("048-123-456", "048"),
        ("050-123-456", "050"),
        ("057-123-456", "057"),
        ("070-123-456", "070"),
        ("078-123-456", "078"),
        ("079-123-456", "079"),
        ("0-7912-3456", "079"),
        (79123456, "079"),  # a number cell that lost its 0: still no such area code
    ],
)
def test_unassigned_area_codes_are_errors(typed: object, area: str) -> None:
    parsed, issue = parse_phone(typed)
    assert parsed is None and issue is not None
    assert (issue.code, issue.severity) == ("phone.area_code", Severity.ERROR)
    assert f"รหัสพื้นที่ {area}" in issue.th and f"Area code {area}" in issue.en
    assert "2549" in issue.th and "2006" in issue.en  # the plan's year, and the renumbering


@pytest.mark.parametrize(
    ("typed", "modern", "shape"),
    [
        ("01-234-5678", "0812345678", "081-xxx-xxxx"),
        ("012345678", "0812345678", "081-xxx-xxxx"),
        ("06-234-5678", "0862345678", "086-xxx-xxxx"),
        ("09-234-5678", "0892345678", "089-xxx-xxxx"),
        ("0-1234-5678", "0812345678", "081-xxx-xxxx"),
    ],
)
def test_pre_2006_mobiles_are_reported_with_the_modern_form(
    typed: str, modern: str, shape: str
) -> None:
    parsed, issue = parse_phone(typed)
    assert parsed == modern
    assert issue is not None and (issue.code, issue.severity) == (
        "phone.old_mobile",
        Severity.WARNING,
    )
    assert shape in issue.th and shape in issue.en
    assert "2549" in issue.th and "2006" in issue.en
    assert modern[3:] not in issue.th and modern[3:] not in issue.en


@pytest.mark.parametrize(
    ("typed", "what"),
    [
        ("02-123-4569-0", "lower"),
        ("02-123-4569-50", "lower"),
        ("02-123-4569 ถึง 02-123-4560", "lower"),
        ("081-234-5678-1669", "lower"),
        ("02-123-4560-12345", "longer"),
        ("02-123-4560-1234567890", "longer"),
        ("02-123-4560 ถึง 02-123-45699", "longer"),
        ("02-123-4500 ถึง 02-123-4999", "more than 100"),
        ("02-123-4567 ถึง 081-234-5678", "longer"),
    ],
)
def test_a_block_that_ends_below_its_start_or_runs_longer_is_an_error(
    typed: str, what: str
) -> None:
    parsed, issue = parse_phone(typed)
    assert parsed is None and issue is not None
    assert (issue.code, issue.severity) == ("phone.range", Severity.ERROR)
    assert what in issue.en
    assert "02-123-4560-9" in issue.th or "100" in issue.th  # the fix, in Thai too


@pytest.mark.parametrize(
    ("typed", "nth", "code"),
    [
        ("086-543-2109, 089-777-654", "2nd of the 2", "phone.invalid"),
        ("086-543-2109, 047-765-432", "2nd of the 2", "phone.area_code"),
        ("02-987-6543, 086-543-2109, 98765", "3rd of the 3", "phone.invalid"),
        ("0865-43210 หรือ 086-543-2109", "1st of the 2", "phone.invalid"),
        ("086-543-2109, 02-987-6549-0", "2nd of the 2", "phone.range"),
    ],
)
def test_a_finding_names_the_one_number_that_is_wrong(typed: str, nth: str, code: str) -> None:
    parsed, issue = parse_phone(typed)
    assert parsed is None and issue is not None and issue.code == code
    assert f"The {nth} numbers in the cell" in issue.en
    k, total = nth.split()[0][:-2], nth.split()[-1]
    assert f"เบอร์ที่ {k} จาก {total} เบอร์ในเซลล์" in issue.th
    # Personal data: no number of the cell shows in the message.
    digits = "".join(ch for ch in typed if ch.isdigit())
    for n in (digits[i : i + 6] for i in range(0, len(digits) - 5)):
        assert n not in issue.th.replace("-", "") and n not in issue.en.replace("-", "")


def test_a_warning_in_a_list_names_its_number_and_keeps_the_primary() -> None:
    parsed, issue = parse_phone("02-123-4567, 01-234-5678")
    assert parsed == "021234567"
    assert issue is not None and issue.code == "phone.old_mobile"
    assert issue.en.startswith("The 2nd of the 2 numbers in the cell")


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("081-234-5678", "xxx-xxx-xx78"),
        ("02-123-4567 ต่อ 12", "xxx-xxx-xx67"),  # the number's digits, not the extension's
        ("081-234-5678, 089-999-9999", "xxx-xxx-xxxx, xxx-xxx-xxxx"),
        ("02-123-4560-9", "xxx-xxx-xxxx-xx"),
        ("0-2337-2900-15, 0-2337-2430-8", "xxx-xxx-xxxx-xx, xxx-xxx-xxxx-xx"),
        ("081-234-5678, 089-999-999", "xxx-xxx-xxxx, xxx-xxx-xxxx"),
        ("081-234-5678 089-999-9999 นาย", "xxx-xxx-xxxx"),  # unreadable, two numbers long
        ("081-234-5678 คุณสมชาย", "xxx-xxx-xx78"),
    ],
)
def test_a_list_or_block_is_masked_whole(typed: str, shown: str) -> None:
    assert mask_phone(typed) == shown


# --- the property: every written form reads back as the numbers it was written from ----

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
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
NUMBER = st.one_of(MOBILE, LANDLINE)


def written(n: str, style: int) -> str:
    """One way offices write a number: 081-234-5678, 0-2123-4567, 08-1234-5678, +66 ..."""
    mobile = len(n) == 10
    styles = [
        n,
        format_phone(n),
        f"0-{n[1:5]}-{n[5:]}" if not mobile else f"{n[:2]}-{n[2:6]}-{n[6:]}",
        format_phone(n).replace("-", " "),
        format_phone(n).replace("-", "."),
        f"+66 {n[1:3]} {n[3:6]} {n[6:]}",
        f"({n[:3]}) {n[3:6]}-{n[6:]}",
    ]
    return styles[style % len(styles)]


@st.composite
def cells(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A cell of 1-4 items (numbers, blocks), joined as offices join them, and its numbers."""
    texts: list[str] = []
    expected: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        n = draw(NUMBER)
        text = written(n, draw(st.integers(0, 6)))
        if draw(st.booleans()):  # a block: the last 1-3 digits, or the whole last number
            k = draw(st.integers(1, 3))
            low = int(n[-k:])
            high = draw(st.integers(low, min(10**k - 1, low + 99)))
            last = n[:-k] + str(high).zfill(k)
            joiner = draw(st.sampled_from(["-", "–", " - ", " ถึง "]))
            end = str(high).zfill(k) if draw(st.booleans()) else format_phone(last)
            text += joiner + end
            expected += block(n, last)
        else:
            expected.append(n)
        if draw(st.booleans()):
            text += draw(
                st.sampled_from([" ต่อ 12", " ext. 1234", "#12", " (ฝ่ายจัดซื้อ)", " ต่อ 101-103"])
            )
        texts.append(draw(st.sampled_from(["โทร. ", "Tel. ", "มือถือ ", ""])) + text)
    seps = [
        draw(st.sampled_from([", ", "/", " / ", "; ", " หรือ ", "\n", ",", " และ "])) for _ in texts
    ]
    cell = texts[0] + "".join(sep + t for sep, t in zip(seps, texts[1:], strict=False))
    if draw(st.booleans()):
        cell = cell.translate(THAI)
    return cell, expected


@settings(max_examples=400, deadline=None)
@given(cells())
def test_every_written_form_reads_back_as_its_numbers(case: tuple[str, list[str]]) -> None:
    cell, expected = case
    assert numbers(cell) == expected
    assert parse_phone(cell) == (expected[0], None)
    shown = mask_phone(cell)
    for n in expected:
        assert n[-4:] not in shown.replace("-", "") or len(expected) == 1
