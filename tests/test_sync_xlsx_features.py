"""A sync keeps what staff made in a workbook, beyond the values: each feature the tool once
lost, on a workbook built for it (tests/xlsx_features.py), through the CLI.

Formula cells keep their stored values (two syncs, the same indicators and findings);
macros, form buttons, visible notes, sparklines, text boxes, checkbox cells, dynamic
arrays, Excel 2010 data bars, dropdowns pointing at another tab and "ignore error"
settings come out as they went in; .xlsm stays one valid package of its own type.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import xlsx_features
from click.testing import CliRunner
from helpers import PHUKET, phuket
from package_diff import parts, tool_only_changes

from kspo_sheets.cli import cli
from kspo_sheets.commands.sample import build_sample
from kspo_sheets.model import Formula
from kspo_sheets.pipeline import run_sync, run_validation
from kspo_sheets.progress.indicators import compute
from kspo_sheets.stores.xlsx.store import read_workbook

AS_OF = dt.date(2019, 9, 10)
SYNC = ["sync", "--config", str(PHUKET), "--as-of", "2019-09-10", "--source"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("features")
    plain = xlsx_features.build(folder / "registers.xlsx")
    # A macro-enabled workbook with notes and no macros (the old writer saved it with two
    # zip entries of one name).
    bare = folder / "bare" / "registers.xlsm"
    bare.parent.mkdir()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(bare, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
            dst.writestr(info, data)
    return {
        ".xlsx": plain,
        ".xlsm": xlsx_features.build(folder / "registers.xlsm", macros=True),
        ".xlsm without macros": bare,
    }


@pytest.fixture(params=[".xlsx", ".xlsm", ".xlsm without macros"])
def workbook(request, built, tmp_path) -> tuple[Path, Path]:
    """(the workbook as built, a copy to sync)"""
    work = tmp_path / built[request.param].name
    shutil.copy(built[request.param], work)
    return built[request.param], work


def formulas(path: Path) -> dict[tuple[str, int, int], Formula]:
    return {
        (t.title, r, c): v
        for t in read_workbook(path).tabs.values()
        for r, row in enumerate(t.rows)
        for c, v in enumerate(row)
        if isinstance(v, Formula)
    }


def test_formula_cells_keep_their_stored_values_sync_after_sync(workbook) -> None:
    _, work = workbook
    before = formulas(work)
    assert len(before) > 20 and all(f.cached is not None for f in before.values())
    first = run_sync(phuket(), str(work), as_of=AS_OF)
    second = run_sync(phuket(), str(work), as_of=AS_OF)
    assert formulas(work) == before
    assert second.progress.indicators == first.progress.indicators
    assert [f.as_json() for f in second.result.findings] == [
        f.as_json() for f in first.result.findings
    ]
    # the villages whose network column is a formula count as they do where it is typed
    typed = work.with_name("typed.xlsx")
    build_sample(typed)
    plain = compute(phuket(), run_validation(phuket(), str(typed), as_of=AS_OF)[0])
    network = next(i for i in first.progress.indicators if i.id == "network_villages")
    assert network.actual == next(i.actual for i in plain.indicators if i.id == network.id)
    assert network.actual and network.actual > 0


def test_everything_staff_made_survives_a_sync(workbook) -> None:
    original, work = workbook
    res = CliRunner().invoke(cli, [*SYNC, str(work)])
    assert res.exit_code == 0, res.output
    assert tool_only_changes(original, work) == []
    _, old = parts(original)
    names, new = parts(work)
    assert len(names) == len(set(names))
    untouched = [
        "xl/drawings/drawing1.xml",  # the text box
        "xl/featurePropertyBag/featurePropertyBag.xml",  # checkbox cells
        "xl/metadata.xml",  # the dynamic array's spill
        "xl/worksheets/sheet8.xml",  # staff's own tab: UNIQUE, checkboxes, 2010 data bars
        "xl/sharedStrings.xml",
        "xl/theme/theme1.xml",
        "docProps/app.xml",
    ]
    if "xl/vbaProject.bin" in old:
        untouched.append("xl/vbaProject.bin")
    for name in untouched:
        assert new[name] == old[name], name
    producers = new["xl/worksheets/sheet3.xml"].decode()
    for kept in (
        "x14:sparklineGroup",
        "<ignoredErrors>",
        "<dataValidation ",
        "ค่าที่เลือกได้",
        "<legacyDrawing",
    ):
        assert kept in producers, kept
    # the staff note pinned visible keeps its box (shown, sized, coloured) and text; the form
    # button drawn in the same VML part keeps its shape
    shapes = re.findall(rb"<v:shape .*?</v:shape>", old["xl/drawings/vmlDrawing1.vml"], re.S)
    assert len(shapes) == 2 and all(s in new["xl/drawings/vmlDrawing1.vml"] for s in shapes)
    assert (
        b"visibility:visible" in shapes[0] + shapes[1]
        and b'ObjectType="Button"' in shapes[0] + shapes[1]
    )
    assert xlsx_features.VISIBLE_NOTE.encode() in new["xl/comments1.xml"]
    assert new["[Content_Types].xml"].count(b"/xl/workbook.xml") == 1
    main = re.search(
        rb'PartName="/xl/workbook.xml" ContentType="([^"]+)"', new["[Content_Types].xml"]
    )
    was = re.search(
        rb'PartName="/xl/workbook.xml" ContentType="([^"]+)"', old["[Content_Types].xml"]
    )
    assert main and was and main.group(1) == was.group(1)
    assert (b"macroEnabled" in main.group(1)) == (work.suffix == ".xlsm")
    with zipfile.ZipFile(work) as z:
        assert z.testzip() is None
