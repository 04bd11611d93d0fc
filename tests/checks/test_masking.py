"""Phone numbers and ID numbers typed into free text are masked wherever the text goes.

Personal columns are masked by their kind; a note, a contribution or a product name is not
personal as a column, yet staff type "+66 81 234 5678 (ไลน์กลุ่ม)" into it. The detector
finds runs shaped like a Thai phone number or a 13-digit ID (ASCII or Thai digits, any
separators, +66) and masks them, leaving years, amounts, dates and counts as typed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import PHUKET, clean_tabs, phuket, row, tab, write_xlsx
from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.checks.masking import find_personal, mask_free_text
from kspo_sheets.cli import cli
from kspo_sheets.thai.national_id import make_valid_id

TO_ASCII = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
RUN = re.compile(r"[0-9](?:[\s\u00a0\u200b\-.()]{0,2}[0-9])*")


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("+66 81 234 5678 (ไลน์กลุ่ม)", "xxx-xxx-xx78 (ไลน์กลุ่ม)"),
        ("โทร.0812345678 คุณสมศรี", "โทร.xxx-xxx-xx78 คุณสมศรี"),
        ("ติดต่อ ๐๘๑-๒๓๔-๕๖๗๘", "ติดต่อ xxx-xxx-xx78"),
        ("สำนักงาน (076) 212-345 ต่อ 12", "สำนักงาน xxx-xxx-xx45 ต่อ 12"),
        ("0-7621-2345", "xxx-xxx-xx45"),
        ("หมู่ 5 081 234 5678 รับซื้อ 25 กก.", "หมู่ 5 xxx-xxx-xx78 รับซื้อ 25 กก."),
        ("มือถือ 812345678 (เลข 0 หาย)", "มือถือ xxx-xxx-xx78 (เลข 0 หาย)"),
        ("เลขบัตร 3-1012-00123-45-1 ผู้รับ", "เลขบัตร x-xxxx-xxxxx-xx-1 ผู้รับ"),
        ("1101200012341", "x-xxxx-xxxxx-xx-1"),
        ("0812345678 0898765432", "xxx-xxx-xx78 xxx-xxx-xx32"),
        ("+66-2-123-4567", "xxx-xxx-xx67"),
    ],
)
def test_phones_and_ids_in_free_text_are_masked(text: str, masked: str) -> None:
    assert mask_free_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "ปีงบประมาณ 2562 (2019) รายได้ 1,250,000 บาท",
        "วันที่ 10/09/2562 ถึง 30/09/2563",
        "ผลผลิต 100 200 300 400 500 กก.",
        "ประสานงานชุมชนท่องเที่ยว OTOP นวัตวิถี 23 หมู่บ้าน",
        "2562-2563",
        "รหัสหมู่บ้าน 83030301",
        "12,500.50 บาท",
        "",
    ],
)
def test_years_amounts_dates_and_codes_stay_as_typed(text: str) -> None:
    assert mask_free_text(text) is text


# --- generated Thai notes ----------------------------------------------------------------

THAI_LETTERS = "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอฮะาิีึืุูเแโใไำ่้็์"
word = st.text(alphabet=THAI_LETTERS, min_size=1, max_size=10)
filler = st.one_of(
    word,
    st.sampled_from(["หมู่", "โทร", "ติดต่อ", "(ไลน์กลุ่ม)", "คุณ", "ต่อ", "บาท", "กก.", ":", "/"]),
    # a short number (a moo, a year, an amount) and what it counts
    st.builds(lambda n, unit: f"{n} {unit}", st.integers(0, 9999), word),
)


@st.composite
def phone(draw: st.DrawFn) -> tuple[str, str]:
    """A Thai phone number as staff type it, and its digits after the leading 0."""
    if draw(st.booleans()):
        rest = draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
        d = "0" + draw(st.sampled_from("689")) + rest
        forms = [
            d,
            f"{d[:3]}-{d[3:6]}-{d[6:]}",
            f"{d[:3]} {d[3:6]} {d[6:]}",
            f"{d[:3]}-{d[3:]}",
            f"+66 {d[1:3]} {d[3:6]} {d[6:]}",
            f"+66{d[1:]}",
            f"(+66) {d[1:3]}-{d[3:6]}-{d[6:]}",
            f"{d[:3]}.{d[3:6]}.{d[6:]}",
            d[1:],  # a mobile that lost its 0
        ]
    else:
        rest = draw(st.text(alphabet="0123456789", min_size=7, max_size=7))
        d = "0" + draw(st.sampled_from("23457")) + rest  # a fixed line (06 is mobile)
        forms = [
            d,
            f"{d[:3]}-{d[3:6]}-{d[6:]}",
            f"({d[:3]}) {d[3:6]}-{d[6:]}",
            f"0-{d[1:5]}-{d[5:]}",
        ]
    text = draw(st.sampled_from(forms))
    if draw(st.booleans()):
        text = text.translate(TO_THAI)
    return text, d[1:]  # the digits every form holds (+66 and a lost 0 drop the 0)


@st.composite
def national_id(draw: st.DrawFn) -> tuple[str, str]:
    first = draw(st.sampled_from("12345678"))
    d = make_valid_id(first + draw(st.text(alphabet="0123456789", min_size=11, max_size=11)))
    text = draw(
        st.sampled_from(
            [
                d,
                f"{d[0]}-{d[1:5]}-{d[5:10]}-{d[10:12]}-{d[12]}",
                f"{d[0]} {d[1:5]} {d[5:10]} {d[10:12]} {d[12]}",
            ]
        )
    )
    if draw(st.booleans()):
        text = text.translate(TO_THAI)
    return text, d


@st.composite
def note(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A note of Thai words and short numbers with phone numbers and IDs in it."""
    parts: list[str] = []
    secrets: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        parts += draw(st.lists(filler, max_size=4))
        text, digits = draw(st.one_of(phone(), national_id()))
        parts.append(text)
        secrets.append(digits)
    parts += draw(st.lists(filler, max_size=4))
    return " ".join(parts), secrets


def runs(text: str) -> list[str]:
    """Every run of digit groups in a text, as its digits."""
    ascii_text = text.translate(TO_ASCII)
    return [re.sub(r"\D", "", m.group()) for m in RUN.finditer(ascii_text)]


def leaked(text: str, secrets: list[str]) -> list[str]:
    """Secrets whose digits (all but the last two a mask shows) are still in the text."""
    found = runs(text)
    return [s for s in secrets if any(s[:-2] in r for r in found)]


@settings(max_examples=400, deadline=None)
@given(note())
def test_no_phone_or_id_survives_in_a_generated_thai_note(generated: tuple[str, list[str]]) -> None:
    text, secrets = generated
    masked = mask_free_text(text)
    assert leaked(text, secrets) == secrets  # (the generator put them there)
    assert leaked(masked, secrets) == []
    assert find_personal(masked) == []  # nothing shaped like one is left
    assert mask_free_text(masked) == masked
    # The Thai words around them are kept as typed.
    thai = [c for c in text if c in THAI_LETTERS]
    assert [c for c in masked if c in THAI_LETTERS] == thai


# --- through every output ----------------------------------------------------------------

PHONE, PHONE2, ID = "+66 81 234 5678", "๐๘๙-๘๗๖-๕๔๓๒", "3-1012-00123-45-1"
SECRETS = ("812345678", "0812345678", "898765432", "0898765432", "3101200123451")


def _with_notes(tmp_path: Path) -> Path:
    tabs = {t.title: t for t in clean_tabs()}
    villages = phuket().registers["villages"]
    v = tabs[villages.tab].rows[1]
    keys = [c.key for c in villages.columns]
    v[keys.index("note")] = f"ผู้ใหญ่บ้าน {PHONE} (ไลน์กลุ่ม)"
    v[keys.index("working_group")] = f"เกษตร โทร {PHONE2}"  # enum.invalid quotes the value
    honorees = phuket().registers["honorees"]
    h = row(
        "honorees",
        honoree_id="H-002",
        organisation=f"ชมรมผู้ปลูกผัก โทร {PHONE2}",
        sector="ภาคเอกชน",
        contribution=f"ประสานงานผู้ซื้อ บัตร {ID} ติดต่อ {PHONE}",
        nominated_by="เกษตร",
        nominated_on=f"โทร {PHONE}",  # date.invalid quotes the value
        decision="อนุมัติ",
        fiscal_year="2562",
    )
    tabs[honorees.tab] = tab("honorees", *tabs[honorees.tab].rows[1:], h)
    linkages = phuket().registers["linkages"]
    lk = tabs[linkages.tab].rows[1]
    lk[[c.key for c in linkages.columns].index("product")] = f"ผักบุ้ง สั่งที่ {ID}"
    return write_xlsx(tmp_path / "notes.xlsx", *tabs.values())


def _assert_clean(where: str, text: str) -> None:
    digits = [re.sub(r"\D", "", r) for r in runs(text)]
    bad = [s for s in SECRETS if any(s in d for d in digits)]
    assert bad == [], f"{where}: {bad}"


def test_free_text_phones_and_ids_leave_no_output_in_clear(tmp_path: Path) -> None:
    import openpyxl

    path = _with_notes(tmp_path)
    runner = CliRunner()
    config = ["--config", str(PHUKET)]
    args = ["--source", str(path), "--as-of", "2019-09-10"]
    for fmt in ("table", "json", "csv"):
        res = runner.invoke(cli, ["validate", *config, *args, "--format", fmt])
        assert res.exit_code == 1, res.output
        _assert_clean(f"validate --format {fmt}", res.output)
    doc = json.loads(runner.invoke(cli, ["validate", *config, *args, "--format", "json"]).output)
    codes = {f["code"] for f in doc["findings"]}
    assert {"enum.invalid", "date.invalid"} <= codes  # the findings that quote the text
    log = tmp_path / "kspo.log"
    res = runner.invoke(cli, ["sync", *config, *args, "--json", "--log-file", str(log)])
    assert res.exit_code == 0, res.output
    _assert_clean("sync --json", res.output)
    _assert_clean("log", log.read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(path)
    staff = {t.tab for t in phuket().registers.values()}
    for ws in wb.worksheets:
        cells = [c for r in ws.iter_rows() for c in r]
        if ws.title not in staff:  # the status tabs: every cell
            _assert_clean(ws.title, "\n".join(str(c.value) for c in cells if c.value is not None))
        notes = "\n".join(c.comment.text for c in cells if c.comment)
        _assert_clean(f"notes on {ws.title}", notes)
    assert any(c.comment for ws in wb.worksheets for r in ws.iter_rows() for c in r)
    out = tmp_path / "packs"
    res = runner.invoke(cli, ["pack", *config, *args, "--out-dir", str(out)])
    assert res.exit_code == 0, res.output
    import zipfile

    with zipfile.ZipFile(next(out.glob("*.xlsx"))) as z:
        xml = "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    _assert_clean("pack", xml)
    # (the pack breaks long text between words: compared without the breaks)
    flat = re.sub(r"\s+", "", xml)
    assert "xxx-xxx-xx78(ไลน์กลุ่ม)" in flat and "x-xxxx-xxxxx-xx-1" in flat
