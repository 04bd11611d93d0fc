"""The meeting pack: a reviewed reference, determinism, figures, safety, privacy, writing."""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import errno
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.dom import minidom
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from kspo_sheets.commands.sample import build_sample
from kspo_sheets.config.province import Config, load_config
from kspo_sheets.errors import WriteError
from kspo_sheets.model import Progress, Snapshot, ValidationResult
from kspo_sheets.pack.build import build_pack, convert_pdf, pack_filename
from kspo_sheets.pack.sheets import (
    AGENDA_2_3,
    AGENDA_2_3_LIST,
    AGENDA_2_4,
    CONFIDENTIAL,
    CONTENTS,
    COVER,
    FINDINGS,
    QUALITY,
    SUMMARY,
)
from kspo_sheets.pipeline import run_validation
from kspo_sheets.progress.indicators import compute
from kspo_sheets.thai.national_id import format_national_id
from kspo_sheets.thai.phones import format_phone
from kspo_sheets.thai.text import thai_digits_to_arabic

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "pack-sample.xlsx"
AS_OF = dt.date(2019, 9, 10)
NAME = "kspo-pack-83-meeting-4-2562-data-2562-09-10.xlsx"


class Sample:
    def __init__(
        self, config: Config, result: ValidationResult, snapshot: Snapshot, progress: Progress
    ) -> None:
        self.config, self.result, self.snapshot, self.progress = config, result, snapshot, progress

    def build(self, out_dir: Path, **kw: Any) -> Path:
        return build_pack(self.config, self.result, self.progress, out_dir=out_dir, **kw)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    source = tmp_path_factory.mktemp("sample") / "sample.xlsx"
    build_sample(source, as_of=AS_OF)
    config = load_config(ROOT / "configs" / "phuket.yaml")
    result, snapshot = run_validation(config, str(source), as_of=AS_OF)
    return Sample(config, result, snapshot, compute(config, result))


@pytest.fixture(scope="module")
def pack(sample: Sample, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample.build(tmp_path_factory.mktemp("pack"))


@pytest.fixture(scope="module")
def personal_pack(sample: Sample, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample.build(tmp_path_factory.mktemp("personal"), include_personal=True)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def xml_text(path: Path) -> str:
    return "\n".join(data.decode("utf-8") for data in parts(path).values())


def shared_strings(path: Path) -> list[str]:
    root = ElementTree.fromstring(parts(path)["xl/sharedStrings.xml"])
    return ["".join(si.itertext()) for si in root]


def squeeze(text: str) -> str:
    """Text with no whitespace: the pack breaks long text between words (a line break where
    the wrap falls, in place of the space there if any), so a value is looked for, or a
    leak looked for, whole whatever its line breaks."""
    return re.sub(r"\s+", "", text)


def pretty(data: bytes) -> list[str]:
    try:
        return minidom.parseString(data).toprettyxml(indent="  ").splitlines()
    except Exception:  # not XML (there is none in a pack today, but say so readably)
        return [repr(data[:200])]


# --- (a) the reviewed reference --------------------------------------------------------------


def test_pack_matches_reviewed_reference(pack: Path) -> None:
    """Unzip both, compare every part; on a difference show the pretty-printed XML diff.

    After an intended change: .venv/bin/python scripts/regen_golden.py, review, commit.
    """
    assert GOLDEN.exists(), "no reference pack: run scripts/regen_golden.py and review it"
    got, want = parts(pack), parts(GOLDEN)
    assert sorted(got) == sorted(want), "the pack's parts differ from the reference"
    report = []
    for name in sorted(want):
        if got[name] != want[name]:
            diff = difflib.unified_diff(
                pretty(want[name]),
                pretty(got[name]),
                f"reference/{name}",
                f"built/{name}",
                lineterm="",
                n=2,
            )
            lines = list(diff)
            more = f"\n... {len(lines) - 60} more diff lines" if len(lines) > 60 else ""
            report.append("\n".join(lines[:60]) + more)
    if report:
        pytest.fail(
            "the pack differs from tests/golden/pack-sample.xlsx"
            " (if intended: run scripts/regen_golden.py and review)\n\n" + "\n\n".join(report),
            pytrace=False,
        )


# --- (b) determinism and the file name ------------------------------------------------------


def test_two_builds_are_byte_identical(sample: Sample, pack: Path, tmp_path: Path) -> None:
    again = sample.build(tmp_path)
    assert again.name == pack.name == NAME
    assert again.read_bytes() == pack.read_bytes()


def test_core_properties_carry_the_data_date_not_now(pack: Path) -> None:
    core = parts(pack)["docProps/core.xml"].decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2019-09-10T00:00:00Z' in core


def test_pack_filename_is_predictable_and_shell_safe() -> None:
    assert pack_filename("83", "4/2562", AS_OF) == NAME
    assert pack_filename("83", "๔/๒๕๖๒", AS_OF) == NAME
    assert pack_filename("83", None, AS_OF) == "kspo-pack-83-data-2562-09-10.xlsx"
    odd = pack_filename("83", "ครั้งที่ 5/2562 (พิเศษ); rm -rf ~", AS_OF)
    assert re.fullmatch(r"[a-z0-9.-]+", odd), odd


# --- (c) read back: the figures a committee reads ---------------------------------------------


def test_summary_figures_equal_the_indicators(sample: Sample, pack: Path) -> None:
    ws = load_workbook(pack, read_only=True)[SUMMARY]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[:2] == ("ที่", "ตัวชี้วัด"))
    body = rows[head + 1 : head + 1 + len(sample.progress.indicators)]
    for row, ind in zip(body, sample.progress.indicators, strict=True):
        # (a group's name may be broken between words where its column wraps)
        assert squeeze(row[2] or "") == squeeze(ind.group), ind
        if ind.method == "mean":  # products in baht, kg and people: no sums, the mean percent
            assert row[3:7] == ("–", "–", ind.percent, ind.threshold), ind
            assert squeeze(row[8]) == squeeze(f"{ind.items_achieved} จาก {ind.items}"), ind
        else:
            assert row[3:7] == (ind.actual, ind.target, ind.percent, ind.threshold), ind
        if ind.status != "info":
            assert squeeze(row[9]) == squeeze(ind.status_th)
        assert row[10] == ind.excluded_rows, ind


def test_appendix_counts_every_finding(sample: Sample, pack: Path) -> None:
    wb = load_workbook(pack, read_only=True)
    quality = list(wb[QUALITY].iter_rows(values_only=True))
    total = next(r for r in quality if r[0] == "รวม")
    counts = sample.result.counts()
    assert total[4:8] == (
        counts["error"],
        counts["warning"],
        counts["notice"],
        len(sample.result.findings),
    )
    listed = [r for r in wb[FINDINGS].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert len(listed) == len(sample.result.findings) > 0


def test_sheets_follow_the_agenda_and_print_well(pack: Path) -> None:
    wb = load_workbook(pack)
    assert wb.sheetnames == [COVER, *(name for name, _ in CONTENTS)]
    assert all(len(name) <= 31 for name in wb.sheetnames)
    total = 0
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        # One page wide at a fixed scale the pack chose (never "fit to page", which makes
        # Excel ignore the page breaks the pack sets), numbered through the whole pack.
        assert not ws.sheet_properties.pageSetUpPr.fitToPage
        scale = ws.page_setup.scale or 100
        assert 65 <= scale <= 100 or (ws.title == COVER and scale >= 40), (ws.title, scale)
        assert (ws.page_setup.firstPageNumber or 1) == total + 1
        total += len(ws.row_breaks.brk) + 1
        assert "หน้า &P จาก " in ws.oddFooter.right.text
        assert "10 กันยายน 2562" in ws.oddFooter.left.text
    for ws in wb.worksheets:
        assert ws.oddFooter.right.text.endswith(f"จาก {total}")
    for name in (AGENDA_2_3_LIST, AGENDA_2_4, FINDINGS):
        assert wb[name].row_breaks.brk  # long sheets carry their page breaks
    for ws in wb.worksheets:
        # a numbered table's last page holds some of its rows, never its notes alone under
        # the repeated header
        last = max((b.id for b in ws.row_breaks.brk), default=0)
        if last and any(isinstance(r[0], int) for r in ws.iter_rows(values_only=True)):
            tail = ws.iter_rows(min_row=last + 1, values_only=True)
            assert any(isinstance(r[0], int) for r in tail), (ws.title, last)
    for name in (SUMMARY, AGENDA_2_3, AGENDA_2_3_LIST, FINDINGS):
        ws = wb[name]
        assert ws.print_title_rows and ws.freeze_panes and ws.auto_filter.ref
    cover = [c.value for row in wb[COVER].iter_rows() for c in row if c.value]
    assert "ครั้งที่ 4/2562 วันที่ 10 กันยายน 2562" in cover
    links = {c.hyperlink.location for row in wb[COVER].iter_rows() for c in row if c.hyperlink}
    assert links == {f"'{name}'!A1" for name, _ in CONTENTS}


# --- (d) no formula but the tool's own (there are none) -----------------------------------------


def assert_no_formulas(path: Path) -> None:
    for name, data in parts(path).items():
        if name.startswith("xl/worksheets/sheet"):
            assert not re.search(rb"<f[ >]", data), f"{name} holds a formula"
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_user_text_is_never_a_formula(pack: Path, personal_pack: Path) -> None:
    # The sample seeds free text that a spreadsheet would take for a formula (the one
    # starting with - is a person's produce: listed only in the personal pack).
    assert_no_formulas(pack)
    assert_no_formulas(personal_pack)
    strings = [squeeze(s) for s in shared_strings(pack)]
    for seeded in ('=HYPERLINK("https://www.facebook.com/', "@ร้านป้าแดง"):
        assert any(s.startswith(squeeze(seeded)) for s in strings), seeded
    personal = [squeeze(s) for s in shared_strings(personal_pack)]
    assert any(s.startswith(squeeze("-5 กก. จากเดิม")) for s in personal)
    # The phone number typed into a note is masked (it starts with + all the same).
    assert squeeze("xxx-xxx-xx78 (ไลน์กลุ่ม)") in strings
    assert not any("2345678" in s for s in strings)


def test_formula_like_text_in_any_listed_column_stays_text(sample: Sample, tmp_path: Path) -> None:
    result = copy.deepcopy(sample.result)
    tricky = {
        ("villages", "note"): '=HYPERLINK("http://example.invalid","คลิก")',
        ("producers", "products"): "=1+2",
        ("linkages", "product"): "@SUM(A1:A9)",
        ("target_products", "name"): "+5% จากปีก่อน",
        ("honorees", "contribution"): "-5 กก. ต่อเดือน",
    }
    for (register, column), text in tricky.items():
        record = next(
            r
            for r in result.registers[register].records
            if not r.has_error
            and r.values.get("consent", True) is True
            and r.values.get("kind", "กลุ่มเกษตรกร") != "บุคคล"  # people are only counted
            and r.values.get("fiscal_year", 2562) == 2562
        )
        record.values[column] = text
    path = build_pack(sample.config, result, compute(sample.config, result), out_dir=tmp_path)
    assert_no_formulas(path)
    strings = [squeeze(s) for s in shared_strings(path)]
    for text in tricky.values():
        assert squeeze(text) in strings, text


# --- (e) PDPA ----------------------------------------------------------------------------------


def _raw_personal(sample: Sample) -> set[str]:
    """Every national ID and phone as typed in the sample, as digit strings."""
    found: set[str] = set()
    for key, cols in (
        ("villages", ("phone",)),
        ("producers", ("national_id", "phone")),
        ("buyers", ("phone",)),
    ):
        reg = sample.result.registers[key]
        assert reg.header_row is not None
        tab = sample.snapshot.tabs[reg.tab]
        for row in tab.rows[reg.header_row :]:
            for col in cols:
                i = reg.columns[col]
                value = row[i] if i < len(row) else None
                digits = re.sub(r"\D", "", thai_digits_to_arabic(str(value or "")))
                if len(digits) >= 9:
                    found.add(digits)
    return found


def _forms(digits: str) -> set[str]:
    forms = {digits}
    if len(digits) == 13:
        forms.add(format_national_id(digits))
    if digits.startswith("66"):
        digits = "0" + digits[2:]
        forms.add(digits)
    if len(digits) in (9, 10):
        forms.add(format_phone(digits))
    return forms


def test_no_national_id_or_phone_leaves_in_the_pack(sample: Sample, pack: Path) -> None:
    raw = _raw_personal(sample)
    assert len(raw) > 150  # the sample's IDs and phones were all found
    text = squeeze(xml_text(pack))  # a number broken across two lines is still a leak
    leaked = sorted(f for d in raw for f in _forms(d) if squeeze(f) in text)
    assert not leaked


def test_include_personal_shows_them_and_marks_every_sheet(
    sample: Sample, personal_pack: Path
) -> None:
    text = squeeze(xml_text(personal_pack))
    listed = [
        r
        for r in sample.result.registers["producers"].records
        if not r.has_error and r.values.get("consent") is True and r.values.get("national_id")
    ]
    assert listed
    for r in listed:
        assert squeeze(format_national_id(r.values["national_id"])) in text
        assert squeeze(r.values["name"]) in text
    wb = load_workbook(personal_pack)
    for ws in wb.worksheets:
        assert ws["A1"].value == CONFIDENTIAL, ws.title
        assert "ลับ" in ws.oddHeader.center.text
    assert personal_pack.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_producers_without_consent_appear_only_in_counts(
    sample: Sample, pack: Path, personal_pack: Path
) -> None:
    producers = sample.result.registers["producers"].records
    hidden = [r for r in producers if r.values.get("consent") is not True]
    assert hidden
    listed_names = {r.values.get("name") for r in producers if r.values.get("consent") is True}
    listed_ids = {r.row_id for r in producers if r.values.get("consent") is True}
    for path in (pack, personal_pack):
        wb = load_workbook(path, read_only=True)
        text = xml_text(path)
        cells = {
            str(v)
            for name in (AGENDA_2_3, AGENDA_2_3_LIST, AGENDA_2_4)
            for row in wb[name].iter_rows(values_only=True)
            for v in row
            if v is not None
        }
        for r in hidden:
            # (a repeated ID may also be a consenting producer's, who is listed)
            assert r.row_id not in cells or r.row_id in listed_ids, r.row_id
            nid = r.values.get("national_id")
            if nid:
                assert nid not in text and format_national_id(nid) not in text
            name = str(r.values.get("name") or "")
            if r.values.get("kind") == "บุคคล" and name and name not in listed_names:
                assert name not in text, name
    # The list names groups only (people are counted, unless --include-personal), so the
    # note counts the groups that did not consent, rows with errors too.
    for path, kinds in ((pack, "groups"), (personal_pack, "all")):
        sheet = load_workbook(path, read_only=True)[AGENDA_2_3_LIST]
        rows = list(sheet.iter_rows(values_only=True))
        note = next(str(r[0]) for r in rows if r[0] and "ไม่แสดงรายชื่อผู้ผลิต" in str(r[0]))
        n_hidden = sum(
            1
            for r in hidden
            if r.values.get("kind") is not None
            and (kinds == "all" or r.values.get("kind") != "บุคคล")
        )
        assert f"ไม่แสดงรายชื่อผู้ผลิต {n_hidden} ราย" in note


# --- (f) writing: never silently over a pack, never half a pack --------------------------------


def test_an_existing_pack_is_not_overwritten_without_asking(sample: Sample, tmp_path: Path) -> None:
    first = sample.build(tmp_path)
    first.write_bytes(b"the pack the secretary annotated")
    with pytest.raises(WriteError) as err:
        sample.build(tmp_path)
    assert "--force" in str(err.value) and err.value.exit_code == 4
    assert first.read_bytes() == b"the pack the secretary annotated"
    again = sample.build(tmp_path, overwrite=True)
    assert again == first and again.read_bytes()[:2] == b"PK"


def test_a_full_disk_leaves_no_file(
    sample: Sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kspo_sheets.pack.build as pack_module

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pack_module.os, "fsync", full)
    with pytest.raises(WriteError, match="No space left on device"):
        sample.build(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_meeting_details_can_be_given(sample: Sample, tmp_path: Path) -> None:
    path = sample.build(
        tmp_path, meeting_number="5/2562", meeting_date=dt.date(2019, 10, 1), place="ศาลากลาง"
    )
    assert path.name == "kspo-pack-83-meeting-5-2562-data-2562-09-10.xlsx"
    cover = [c.value for row in load_workbook(path)[COVER].iter_rows() for c in row if c.value]
    assert "ครั้งที่ 5/2562 วันที่ 1 ตุลาคม 2562" in cover
    assert "ณ ศาลากลาง" in cover


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_without_libreoffice_says_how_to_install_it(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kspo_sheets.pack.build.shutil.which", lambda _name: None)
    with pytest.raises(WriteError, match="LibreOffice is not installed") as err:
        convert_pdf(pack)
    assert "apt-get install libreoffice-calc" in str(err.value)


@pytest.mark.slow
def test_pdf_with_libreoffice(pack: Path, tmp_path: Path) -> None:
    import shutil

    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice is not installed")
    copy = tmp_path / pack.name
    copy.write_bytes(pack.read_bytes())
    pdf = convert_pdf(copy)
    assert pdf == copy.with_suffix(".pdf") and pdf.read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([copy.name, pdf.name])
