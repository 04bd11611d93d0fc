"""HTTP calls per sync against the Sheets stand-in: kspo's few, and the common gspread way.

kspo reads in at most five calls (the sheets; every register's values; which numbers are
dates and which cells are formulas, only when there are some; the notes, for the write)
and writes in one, whatever the size (stores/google/reader.py). Both run for real over
HTTP against the same stand-in and are counted by it, on two copies of the same
spreadsheet. The gspread way does the same work the usual way: open_by_key;
for each register, worksheet(title) and get_all_values(); for each tab the tool writes,
worksheet(title) (add_worksheet when missing) and one update (append_rows for the history);
then one format() per highlighted cell: the cells kspo highlighted on the same data (kspo
highlights at most owned.MAX_MARKS cells a run; every finding is on the status tab). Notes
are left out of the gspread count (kspo writes them in the same two calls).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from typing import Any

import _bench_data
import gspread
from gspread.utils import rowcol_to_a1

from kspo_sheets.pipeline import run_sync
from kspo_sheets.standin import StandIn
from kspo_sheets.stores.base import MARKER_TEXT, WritePlan
from kspo_sheets.stores.google.batch import PAYLOAD_BUDGET
from kspo_sheets.stores.google.cells import COLOURS, rgb
from kspo_sheets.stores.google.http import RetryPolicy
from kspo_sheets.stores.google.store import GoogleStore
from kspo_sheets.stores.sources import read_scope

PATIENT = RetryPolicy(timeout=600, budget=600)  # a big sync must not time out on a slow stand-in
TARGET_CALLS = 6  # at most: meta, values, dates, cells, notes, and the one write


def _plain(value: Any) -> Any:
    """A value for a RAW values update."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _under_payload_limit(values: list[list[Any]]) -> list[tuple[int, list[list[Any]]]]:
    """(first row, rows) pieces whose update body stays under Google's payload limit (as
    gspread sends it: json with \\u escapes)."""
    pieces: list[tuple[int, list[list[Any]]]] = []
    start, size = 0, 0
    for i, row in enumerate(values):
        n = len(json.dumps(row)) + 1
        if size + n > PAYLOAD_BUDGET and i > start:
            pieces.append((start, values[start:i]))
            start, size = i, 0
        size += n
    pieces.append((start, values[start:]))
    return pieces


def gspread_way(client: gspread.Client, key: str, plan: WritePlan) -> Counter[str]:
    """The same read and write done the common gspread way; returns the calls made, by step."""
    steps: Counter[str] = Counter()
    sh = client.open_by_key(key)
    steps["open_by_key"] += 1
    sheets: dict[str, gspread.Worksheet] = {}
    for spec in _bench_data.config().registers.values():
        steps["worksheet"] += 1
        try:
            ws = sh.worksheet(spec.tab)
        except gspread.WorksheetNotFound:
            continue
        ws.get_all_values()
        steps["get_all_values"] += 1
        sheets[spec.tab] = ws
    for tab in plan.owned:
        rows = [[_plain(v) for v in row] for row in tab.rows]
        values = rows if tab.append_only else [[MARKER_TEXT], tab.header, *rows]
        steps["worksheet"] += 1
        try:
            ws = sh.worksheet(tab.title)
        except gspread.WorksheetNotFound:
            width = max(len(r) for r in [tab.header, *rows])
            ws = sh.add_worksheet(tab.title, rows=len(values) + 2, cols=width)
            steps["add_worksheet"] += 1
        if tab.append_only:
            ws.append_rows(rows)
            steps["append_rows"] += 1
        else:
            # Google refuses a body over 10 MiB: a big tab goes in as several updates.
            for first, chunk in _under_payload_limit(values):
                ws.update(chunk, f"A{first + 1}")
                steps["update"] += 1
    for mark in plan.marks:
        colour = rgb(COLOURS[mark.severity.value])
        sheets[mark.tab].format(rowcol_to_a1(mark.row, mark.col + 1), {"backgroundColor": colour})
        steps["format"] += 1
    return steps


def run_case(standin: StandIn, tabs: int, rows: int) -> dict[str, Any]:
    """One (tabs, producer rows) case: kspo's sync and the gspread way, each counted."""
    data, what = _bench_data.registers(rows, tabs)
    state = standin.state
    key_kspo = _bench_data.seed(state, data)
    key_gspread = _bench_data.seed(state, data)
    cells = sum(len(r) for t in data.values() for r in t)
    del data
    try:
        standin.reset_counts()
        started = time.perf_counter()
        config = _bench_data.config()
        store = GoogleStore(key_kspo, root=standin.url, policy=PATIENT, scope=read_scope(config))
        outcome = run_sync(config, None, as_of=_bench_data.SAMPLE_AS_OF, store=store)
        kspo_s = time.perf_counter() - started
        kspo_calls = standin.request_count
        kspo_methods = Counter(r.method for r in standin.requests)
        standin.reset_counts()
        started = time.perf_counter()
        steps = gspread_way(standin.gspread_client(), key_gspread, outcome.plan)
        gspread_s = time.perf_counter() - started
        gspread_calls = standin.request_count
        gspread_methods = Counter(r.method for r in standin.requests)
    finally:
        state.delete_spreadsheet(key_kspo)
        state.delete_spreadsheet(key_gspread)
    return {
        "tabs": tabs,
        "producer_rows": rows,
        "cells": cells,
        "data": what,
        "findings": len(outcome.result.findings),
        "finding_cells": len({(f.tab, f.cell) for f in outcome.result.findings if f.cell}),
        "highlighted_cells": len(outcome.plan.marks),
        "kspo": {
            "http_calls": kspo_calls,
            "by_method": dict(kspo_methods),
            "seconds": round(kspo_s, 3),
        },
        "gspread": {
            "http_calls": gspread_calls,
            "by_method": dict(gspread_methods),
            "by_step": dict(steps),
            "seconds": round(gspread_s, 3),
        },
        "target": TARGET_CALLS,
        "meets_target": kspo_calls <= TARGET_CALLS and kspo_methods["POST"] == 1,
    }


def run(sizes: list[int], tab_counts: list[int], say: Any = print) -> dict[str, Any]:
    cases = []
    with StandIn() as standin:
        for rows in sizes:
            for tabs in tab_counts:
                say(f"  http: {tabs} tabs, {rows:,} producer rows")
                case = run_case(standin, tabs, rows)
                say(
                    f"    kspo {case['kspo']['http_calls']} calls in {case['kspo']['seconds']:.1f} s;"
                    f" gspread {case['gspread']['http_calls']:,} calls in"
                    f" {case['gspread']['seconds']:.1f} s"
                )
                cases.append(case)
    return {
        "what": __doc__.split("\n\n")[1].replace("\n", " ").strip() if __doc__ else "",
        "as_of": _bench_data.SAMPLE_AS_OF.isoformat(),
        "cases": cases,
        "all_meet_target": all(c["meets_target"] for c in cases),
    }
