"""The owned tabs read and print well: widths from what they hold, headers and the tool's own
text broken between words, staff values untouched, heights that show every line, print setup
(xlsx), and the same layout through the Sheets API where Sheets has it."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from helpers import phuket

from kspo_sheets.commands.sample import build_sample
from kspo_sheets.pipeline import run_validation
from kspo_sheets.progress.indicators import compute
from kspo_sheets.status.layout import HEADER_FONT
from kspo_sheets.status.tabs import build_plan, history_row, indicators_text
from kspo_sheets.stores.base import APPEND_TEXT, MARKER_TEXT, OWNED_FONT
from kspo_sheets.stores.google.batch import Batch
from kspo_sheets.stores.google.cells import STATUS_ROW_PX, column_pixels
from kspo_sheets.stores.xlsx.store import XlsxStore
from kspo_sheets.thai.words import chunks
from kspo_sheets.thai.wrap import (
    CALIBRI_DIGIT_PT,
    line_count,
    line_height,
    row_height,
    text_width,
    units_for,
)

AS_OF = dt.date(2019, 9, 10)
NOW = dt.datetime(2019, 9, 10, 18, 30, 5, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("layout") / "sample.xlsx"
    build_sample(path)
    config = phuket()
    result, snapshot = run_validation(config, str(path), as_of=AS_OF)
    progress = compute(config, result)
    history = history_row(config, result, progress, source="sample.xlsx", outcome="ok", now=NOW)
    plan = build_plan(config, result, progress, history=history)
    return config, result, progress, snapshot, plan, path


def tabs(sample):
    return {t.key: t for t in sample[4].owned}


def test_columns_hold_their_longest_unbreakable_value(sample):
    findings = tabs(sample)["findings"]
    codes = {f.code for f in sample[1].findings}
    widest = max(text_width(c, OWNED_FONT) for c in codes)
    assert findings.widths[7] >= widest  # village.code_province is never cut
    assert findings.widths[2] >= max(text_width(f.row_id, OWNED_FONT) for f in sample[1].findings)
    # and the ten columns print one A4 landscape page wide at 75 % or more
    assert sum(findings.widths) + 4 * len(findings.widths) <= 784 / 0.75


def test_headers_break_between_words_and_fit(sample):
    for t in tabs(sample).values():
        for h, w in zip(t.header, t.widths, strict=True):
            for line in h.split("\n"):
                assert text_width(line, HEADER_FONT) <= w, (t.key, h)
            words = {c.strip() for c in chunks(h.replace("\n", " "))}
            assert all(c.strip() in words for c in chunks(h)), h


def test_staff_values_are_never_altered_and_the_tools_text_is_broken_to_fit(sample):
    findings = tabs(sample)["findings"]
    for f, row in zip(sample[1].findings, findings.rows, strict=True):
        # what staff typed, the ID and the column header: exactly as read
        assert (row[2], row[3], row[5]) == (f.row_id, f.column, f.value)
        # the messages: the same words, broken where the column wraps
        assert "".join(row[8].split()) == "".join(f.message_th.split())
        assert "".join(row[9].split()) == "".join(f.message_en.split())
        for j in (8, 9):
            for line in row[j].split("\n"):
                assert text_width(line, OWNED_FONT) <= findings.widths[j] or " " not in line


def test_banners_say_what_a_sync_does_to_each_tab(sample):
    t = tabs(sample)
    assert t["findings"].banner == t["progress"].banner == MARKER_TEXT
    assert t["history"].banner == APPEND_TEXT and "rewritten" not in APPEND_TEXT
    assert t["findings"].autofilter and not t["progress"].autofilter


def test_history_in_thai_time_and_buddhist_era_with_readable_indicators(sample):
    row = tabs(sample)["history"].rows[0]
    assert row[0] == "11/09/2562 01:30:05"  # 18:30 UTC on 10 Sep 2019 is 01:30 on 11 Sep in Bangkok
    progress = sample[2]
    text = indicators_text(progress)
    net = next(r for r in progress.indicators if r.id == "network_villages")
    line = f"{net.label_th} {int(net.actual)}/{int(net.target)} {net.status_th}"
    assert line in text.split("\n")  # e.g. หมู่บ้านในเครือข่ายอาหารปลอดภัย 13/10 บรรลุ
    assert "network_villages" not in text and "=" not in text
    products = [r for r in progress.indicators if r.id == "target_products"]
    line = next(x for x in text.split("\n") if x.startswith(products[0].label_th))
    for r in products:  # the fields side by side, each with its percentage and status
        assert f"{r.group} {r.percent:g}% {r.status_th}" in line, (r.group, line)


@pytest.fixture(scope="module")
def synced(sample, tmp_path_factory):
    """The sample workbook with the status tabs written by the xlsx store (the package
    patched), read back with openpyxl."""
    path = tmp_path_factory.mktemp("synced") / "sample.xlsx"
    path.write_bytes(sample[5].read_bytes())
    store = XlsxStore(path, backups=0)
    report = store.write(store.read(), sample[4])
    assert report.changed and report.sidecar is None
    return openpyxl.load_workbook(path)


def test_xlsx_rows_are_as_tall_as_their_lines_and_the_tabs_print(sample, synced):
    wb = synced
    findings = tabs(sample)["findings"]
    ws = wb[findings.title]
    heights = set()
    for i, row in enumerate(findings.rows):
        lines = max(
            line_count(v, w, OWNED_FONT)
            for v, w in zip(row, findings.widths, strict=True)
            if isinstance(v, str)
        )
        h = ws.row_dimensions[3 + i].height
        assert h == pytest.approx(row_height(lines, OWNED_FONT))
        assert h >= (lines - 1) * line_height(OWNED_FONT) + 1.6 * OWNED_FONT.size
        heights.add(lines)
    assert 1 in heights or min(heights) > 1
    header_lines = max(h.count("\n") + 1 for h in findings.header)
    assert ws.row_dimensions[2].height >= (header_lines - 1) * line_height(HEADER_FONT) + 22
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == f"A2:J{2 + len(findings.rows)}"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$2:$2"  # the header, not the marker above it
    assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text
    assert ws.oddFooter.left.text == findings.title
    assert ws.oddFooter.right.font == "TH Sarabun New,Regular" and ws.oddFooter.right.size == 12
    # the sample's default font is Calibri 11: widths count its digits
    for j, w in enumerate(findings.widths):
        letter = openpyxl.utils.get_column_letter(j + 1)
        assert ws.column_dimensions[letter].width == pytest.approx(
            units_for(w, CALIBRI_DIGIT_PT), abs=0.01
        )
    assert ws.row_dimensions[1].height >= 1.6 * 12  # the marker's line shows whole
    # a number never touches the text of the next column: its format keeps room after it
    assert ws.cell(row=3, column=2).number_format.endswith("_)_)")
    # every cell of a table wraps; the data-date line of the progress tab runs across
    assert ws.cell(row=3, column=9).alignment.wrap_text
    progress = wb[tabs(sample)["progress"].title]
    assert not progress.cell(row=3, column=1).alignment.wrap_text
    assert progress.print_title_rows == "$2:$2" and progress.auto_filter.ref is None
    table_row = next(i for i, r in enumerate(tabs(sample)["progress"].rows) if len(r) > 1)
    assert progress.cell(row=3 + table_row, column=1).alignment.wrap_text


def test_google_status_tabs_get_widths_heights_frozen_rows_and_a_filter(sample):
    snapshot, plan = sample[3], sample[4]
    body = Batch(snapshot, plan).body()
    requests = body["requests"]
    sheets = {
        r["addSheet"]["properties"]["title"]: r["addSheet"]["properties"]
        for r in requests
        if "addSheet" in r
    }
    findings = tabs(sample)["findings"]
    props = sheets[findings.title]
    sid = props["sheetId"]
    assert props["gridProperties"]["frozenRowCount"] == 2
    (flt,) = [r["setBasicFilter"]["filter"]["range"] for r in requests if "setBasicFilter" in r]
    assert flt == {
        "sheetId": sid,
        "startRowIndex": 1,
        "endRowIndex": 2 + len(findings.rows),
        "startColumnIndex": 0,
        "endColumnIndex": 10,
    }
    dims = [
        r["updateDimensionProperties"]
        for r in requests
        if "updateDimensionProperties" in r
        and r["updateDimensionProperties"]["range"]["sheetId"] == sid
    ]
    cols = [d["properties"]["pixelSize"] for d in dims if d["range"]["dimension"] == "COLUMNS"]
    assert cols == column_pixels(findings.widths)
    rows: dict[int, int] = {}
    for d in dims:
        if d["range"]["dimension"] == "ROWS":
            for k in range(d["range"]["startIndex"], d["range"]["endIndex"]):
                rows[k] = d["properties"]["pixelSize"]
    # every row written has a height; one-line rows are Sheets' default, wrapped ones taller
    assert sorted(rows) == list(range(2 + len(findings.rows)))
    assert min(rows.values()) == STATUS_ROW_PX
    tallest = max(range(len(findings.rows)), key=lambda i: findings.rows[i][8].count("\n"))
    assert rows[2 + tallest] > STATUS_ROW_PX * (findings.rows[tallest][8].count("\n") + 1) * 0.7


@pytest.mark.parametrize("where", ["workbook", "sidecar"])
def test_the_layout_holds_in_a_sidecar_and_on_the_next_sync(sample, tmp_path, where):
    """A sidecar is written by the same owned-sheet writer; a second sync rewrites the
    history part whole, and its earlier row keeps a height that shows all its lines."""
    from openpyxl.workbook.protection import WorkbookProtection

    from kspo_sheets.pipeline import run_sync
    from kspo_sheets.stores.xlsx.files import sidecar_path

    path = tmp_path / "sample.xlsx"
    path.write_bytes(sample[5].read_bytes())
    if where == "sidecar":  # a workbook no tab may be added to: the status tabs go apart
        wb = openpyxl.load_workbook(path)
        wb.security = WorkbookProtection(lockStructure=True)
        wb.save(path)
    config = sample[0]
    for hour in (1, 2):
        when = dt.datetime(2019, 9, 10, hour, tzinfo=dt.UTC)
        out = run_sync(config, str(path), as_of=AS_OF, now=when)
        assert (out.report.sidecar is not None) == (where == "sidecar")
    wb = openpyxl.load_workbook(sidecar_path(path) if where == "sidecar" else path)
    findings = tabs(sample)["findings"]
    ws = wb[findings.title]
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == f"A2:J{2 + len(findings.rows)}"
    assert ws.print_title_rows == "$2:$2" and ws.page_setup.fitToWidth == 1
    assert ws.row_dimensions[3].height == pytest.approx(findings.heights[0])
    history = wb[config.owned_tabs["history"]]
    assert history["A1"].value == APPEND_TEXT
    rows = [r for r in history.iter_rows(min_row=3, values_only=True) if r[0]]
    assert [r[0] for r in rows] == ["10/09/2562 08:00:00", "10/09/2562 09:00:00"]
    for r, values in enumerate(rows, start=3):
        lines = max(
            line_count(v, w, OWNED_FONT)
            for v, w in zip(values, tabs(sample)["history"].widths, strict=False)
            if isinstance(v, str)
        )
        assert lines > 5  # the indicators, one line each
        assert history.row_dimensions[r].height == pytest.approx(row_height(lines, OWNED_FONT))
        assert history.cell(row=r, column=9).alignment.wrap_text
