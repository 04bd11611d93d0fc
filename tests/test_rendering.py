"""What staff print: the sample's meeting pack and status tabs through LibreOffice to PDF,
read back with pdftotext.

The pack and the status tabs set every row height and break the tool's own text between
words themselves; this checks the printed result as a person would: no row number glued to
the row ID beside it ("883030402"), every message whole (each of its lines on the page, none
cut or wrapped again by the viewer), the cover's contents giving the page each sheet starts
on, and the 200 linkages on no more pages than their rows need.

Skipped, saying why, where LibreOffice or pdftotext is missing (scripts/test installs both
on CI: `apt-get install libreoffice-calc-nogui fonts-thai-tlwg fonts-crosextra-carlito
poppler-utils`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from helpers import phuket

from kspo_sheets.commands.sample import build_sample
from kspo_sheets.pack.build import build_pack, convert_pdf
from kspo_sheets.pack.pages import PAGE_HEIGHT_PT
from kspo_sheets.pack.sheets import AGENDA_2_4, CONTENTS, COVER, FINDINGS
from kspo_sheets.pipeline import run_sync, run_validation
from kspo_sheets.progress.indicators import compute

AS_OF = dt.date(2019, 9, 10)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("soffice") or shutil.which("libreoffice")),
        reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui"
        " fonts-thai-tlwg): the printed pack cannot be checked",
    ),
    pytest.mark.skipif(
        not shutil.which("pdftotext"),
        reason="pdftotext is not installed (apt-get install poppler-utils)",
    ),
]


def squeeze(text: str) -> str:
    """Text compared as printed: pdftotext moves Thai marks about, spaces words its own way
    and has no text for a symbol drawn from a fallback font (✓), so both sides drop every
    space, every mark above or below a letter and every symbol."""
    return "".join(
        ch
        for ch in text
        if not ch.isspace() and unicodedata.category(ch) not in ("Mn", "Cf", "So", "Sm")
    )


def pdf_pages(pdf: Path, mode: str = "-layout") -> list[str]:
    """The PDF's text page by page: -layout as the page looks, -raw in drawing order (each
    line of a cell kept together, where the layout mode interleaves columns)."""
    out = subprocess.run(
        ["pdftotext", mode, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("render")
    source = work / "sample.xlsx"
    build_sample(source, as_of=AS_OF)
    config = phuket()
    result, _ = run_validation(config, str(source), as_of=AS_OF)
    return work, source, config, result


@pytest.fixture(scope="module")
def pack(sample):
    work, _, config, result = sample
    xlsx = build_pack(config, result, compute(config, result), out_dir=work / "packs")
    pdf = convert_pdf(xlsx)
    return xlsx, pdf_pages(pdf), pdf_pages(pdf, "-raw")


@pytest.fixture(scope="module")
def status(sample):
    work, source, config, _ = sample
    synced = work / "synced.xlsx"
    shutil.copy(source, synced)
    run_sync(config, str(synced), as_of=AS_OF)
    # The status tabs alone, as staff would print them.
    wb = openpyxl.load_workbook(synced)
    owned = [config.owned_tabs[k] for k in ("findings", "progress", "history")]
    for name in list(wb.sheetnames):
        if name not in owned:
            del wb[name]
    tabs = work / "status.xlsx"
    wb.save(tabs)
    pdf = convert_pdf(tabs)
    return openpyxl.load_workbook(tabs), pdf_pages(pdf), pdf_pages(pdf, "-raw")


def test_no_row_number_is_glued_to_the_row_id(sample, pack, status):
    _, _, _, result = sample
    for pages in (pack[1], status[1]):
        text = "\n".join(pages)
        for f in result.findings:
            if f.row is None or not f.row_id or not f.row_id[0].isdigit():
                continue
            assert not re.search(rf"(?<![\d,]){f.row}{re.escape(f.row_id)}", text), (
                f"row {f.row} runs into ID {f.row_id}"
            )
            assert re.search(rf"(?<![\d,]){f.row}\s+{re.escape(f.row_id)}", text), (f.row, f.row_id)


def message_cells(ws, header_text: str) -> list[str]:
    """The text of a column's cells below the header whose text starts with `header_text`."""
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.replace("\n", "").startswith(header_text):
                return [
                    v
                    for (v,) in ws.iter_rows(
                        min_row=c.row + 1, min_col=c.column, max_col=c.column, values_only=True
                    )
                    if isinstance(v, str) and v
                ]
    raise AssertionError(f"no column {header_text!r} in {ws.title}")


def assert_whole(cells: list[str], pages: list[str]) -> None:
    printed = [squeeze(line) for page in pages for line in page.splitlines()]
    for cell in cells:
        for line in cell.split("\n"):
            want = squeeze(line)
            # each line of the cell is printed on one line of the page, whole
            assert any(want in p for p in printed), f"not printed whole: {line!r} of {cell!r}"


def test_every_finding_message_is_printed_whole(sample, pack, status):
    _, _, _, result = sample
    xlsx, _, raw = pack
    wb = openpyxl.load_workbook(xlsx)
    cells = message_cells(wb[FINDINGS], "รายละเอียด")
    assert len(cells) == len(result.findings)
    assert [squeeze(c) for c in cells] == [squeeze(f.message_th) for f in result.findings]
    assert_whole(cells, raw)
    tabs, _, status_pages = status
    findings = tabs[phuket().owned_tabs["findings"]]
    for header in ("ข้อความ", "Message"):
        cells = message_cells(findings, header)
        assert len(cells) == len(result.findings)
        assert_whole(cells, status_pages)


def page_of_sheet(pages: list[str], name: str) -> list[int]:
    """1-based pages whose running header names the sheet (top right of every page)."""
    want = squeeze(name)
    return [i for i, page in enumerate(pages, start=1) if want in squeeze(page.split("\n")[0])]


def test_cover_contents_give_the_page_each_sheet_starts_on(pack):
    xlsx, pages, _ = pack
    cover = openpyxl.load_workbook(xlsx)[COVER]
    starts = {
        row[2]: row[3]
        for row in cover.iter_rows(values_only=True)
        if row[2] in {name for name, _ in CONTENTS} and isinstance(row[3], int)
    }
    assert set(starts) == {name for name, _ in CONTENTS}
    for name, first in starts.items():
        assert page_of_sheet(pages, name)[0] == first, name
    # and every footer counts the whole pack
    assert f"หน้า 1 จาก {len(pages)}" in pages[0]
    assert f"หน้า {len(pages)} จาก {len(pages)}" in pages[-1]


def test_linkages_print_on_as_few_pages_as_their_rows_need(pack):
    xlsx, pages, _ = pack
    ws = openpyxl.load_workbook(xlsx)[AGENDA_2_4]
    scale = ws.page_setup.scale or 100
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "ที่")
    default = ws.sheet_format.defaultRowHeight
    heights = [ws.row_dimensions[r].height or default for r in range(1, ws.max_row + 1)]
    # The bound: the rows' own heights at the sheet's scale, filling every page (the header
    # repeated on each), plus one page for titles and groups kept with their first rows.
    room = PAGE_HEIGHT_PT * 100 / scale - heights[header - 1]
    bound = math.ceil(sum(heights) / room) + 1
    printed = page_of_sheet(pages, AGENDA_2_4)
    assert 0 < len(printed) <= bound, (len(printed), bound)
    # no row is taller than its lines: a linkage with one line in every cell is single height
    rows = [
        r
        for r in range(header + 1, ws.max_row + 1)
        if str(ws.cell(row=r, column=2).value or "").startswith("L-")
    ]
    assert len(rows) >= 150
    single = [
        heights[r - 1]
        for r in rows
        if not any(isinstance(c.value, str) and "\n" in c.value for c in ws[r])
    ]
    assert single and max(single) == min(single) == pytest.approx(default, abs=0.5)
    # the 200 linkages all print, each row once
    text = "\n".join(pages[i - 1] for i in printed)
    ids = {m for m in re.findall(r"L-\d{4}", text)}
    listed = {
        ws.cell(row=r, column=2).value
        for r in range(header + 1, ws.max_row + 1)
        if isinstance(ws.cell(row=r, column=2).value, str)
        and ws.cell(row=r, column=2).value.startswith("L-")
    }
    assert listed and ids == listed


def test_chart_data_prints_with_the_charts_not_on_a_page_of_its_own(pack):
    _, pages, _ = pack
    charts = page_of_sheet(pages, CONTENTS[1][0])
    assert len(charts) == 1
    assert "ข้อมูลประกอบแผนภูมิ" not in pages[charts[0] - 1]
