"""The streaming reader reads what openpyxl reads, on every workbook of the corpus and the
sample: the same values, dates, booleans, error values and formulas, with each formula's
stored value (which openpyxl gives only from a second, values-only load)."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import ROOT

from kspo_sheets.commands.sample import build_sample
from kspo_sheets.model import CellError, Formula
from kspo_sheets.stores.xlsx.read import ERROR_VALUES
from kspo_sheets.stores.xlsx.store import read_workbook

CORPUS = ROOT / "tests" / "data" / "xlsx-corpus"
FILES = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm", ".xltx"))


def _plain(v: Any) -> Any:
    if isinstance(v, dt.time):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return str(v)
    if isinstance(v, str):  # openpyxl leaves Excel's _xHHHH_ escapes as they are
        return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), v)
    return v


def openpyxl_cells(path: Path) -> dict[str, dict[tuple[int, int], Any]]:
    """Every cell openpyxl holds a value for, as the old reader turned it into a cell value."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, rich_text=False)
        cached = openpyxl.load_workbook(path, data_only=True)
    out: dict[str, dict[tuple[int, int], Any]] = {}
    for ws in wb.worksheets:
        if ws.__class__.__name__ != "Worksheet":
            continue
        covered = {
            (r, c)
            for rng in ws.merged_cells.ranges
            for r in range(rng.min_row, rng.max_row + 1)
            for c in range(rng.min_col, rng.max_col + 1)
            if (r, c) != (rng.min_row, rng.min_col)
        }
        cells: dict[tuple[int, int], Any] = {}
        for (r, c), cell in ws._cells.items():
            v = cell.value
            if v is None or (r, c) in covered:
                continue
            if cell.data_type == "f":
                text = (
                    v if isinstance(v, str) else "=" + str(getattr(v, "text", "") or "").lstrip("=")
                )
                stored = cached[ws.title]._cells.get((r, c))
                s = _plain(stored.value) if stored is not None else None
                if isinstance(s, str) and stored is not None and stored.data_type == "e":
                    s = CellError(s)
                cells[(r, c - 1)] = Formula(text, s)
            elif cell.data_type == "e" or (
                isinstance(v, str) and cell.data_type != "s" and v in ERROR_VALUES
            ):
                cells[(r, c - 1)] = CellError(str(v))
            else:
                cells[(r, c - 1)] = _plain(v)
        out[ws.title] = cells
    return out


def ours(path: Path) -> dict[str, dict[tuple[int, int], Any]]:
    out: dict[str, dict[tuple[int, int], Any]] = {}
    for tab in read_workbook(path).tabs.values():
        out[tab.title] = {
            (r + 1, c): v
            for r, row in enumerate(tab.rows)
            for c, v in enumerate(row)
            if v is not None
        }
    return out


def _opens(path: Path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            openpyxl.load_workbook(path)
    except Exception:
        return False
    return True


def _without_merged_copies(path: Path, cells: dict[str, dict[tuple[int, int], Any]]) -> None:
    """Our reader fills a merged area with its top-left value; compare the cells as stored."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for rng in getattr(ws, "merged_cells", None).ranges if hasattr(ws, "merged_cells") else []:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        cells.get(ws.title, {}).pop((r, c - 1), None)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_the_reader_reads_what_openpyxl_reads(path: Path) -> None:
    if not _opens(path):
        pytest.skip("openpyxl cannot read this workbook")
    mine = ours(path)
    _without_merged_copies(path, mine)
    theirs = openpyxl_cells(path)
    assert mine.keys() == theirs.keys()
    for title in theirs:
        want = {k: v for k, v in theirs[title].items() if v != ""}
        got = {k: v for k, v in mine[title].items() if v != ""}
        assert got == want, title


def test_the_reader_reads_the_sample_as_openpyxl_does(tmp_path: Path) -> None:
    path = tmp_path / "sample.xlsx"
    build_sample(path)
    mine = ours(path)
    _without_merged_copies(path, mine)
    assert mine == openpyxl_cells(path)
