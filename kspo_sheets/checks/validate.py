"""Validate every register of a snapshot: per cell, per row, then across rows and registers."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from operator import attrgetter

from kspo_sheets.checks.register import validate_register
from kspo_sheets.checks.rules import apply_rules
from kspo_sheets.config.province import Config
from kspo_sheets.model import (
    Finding,
    RawTab,
    RegisterResult,
    Snapshot,
    ValidationResult,
)
from kspo_sheets.thai.gazetteer import Gazetteer
from kspo_sheets.thai.text import header_key

_ROW = attrgetter("row")
_CODE = attrgetter("code")


def find_tab(snapshot: Snapshot, title: str) -> RawTab | None:
    """The tab titled `title`, forgiving odd spaces and invisible characters in the tab name."""
    tab = snapshot.tabs.get(title)
    if tab is not None:
        return tab
    want = header_key(title)
    for name, t in snapshot.tabs.items():
        if header_key(name) == want:
            return t
    return None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while validation builds its records and findings.

    A million-row register means millions of small objects and no reference cycles among
    them; left on, the collector walks the ever-growing heap again and again for nothing
    (a third of the run time at a million rows).

    Those objects are the run's results: long-lived, and no garbage among them (validation
    makes no reference cycles). Left in the youngest generation, they would be walked by the
    collector's first young pass after the pause (a tenth of the run at 100,000 rows) and
    again on their way to the oldest generation, to find nothing. So they are moved to the
    oldest generation at once, where the next full collection sees them as it would have
    anyway: gc.freeze() then gc.unfreeze() moves every tracked object there without a walk.
    The caller's own young objects are collected first (gc.collect(1), a short walk of at
    most a few thousand objects), so that only this run's are moved. Not done when the
    caller has frozen objects (gc.freeze() before a fork): unfreezing would undo that.
    """
    if not gc.isenabled():
        yield
        return
    promote = gc.get_freeze_count() == 0
    if promote:
        gc.collect(1)
    gc.disable()
    try:
        yield
    finally:
        if promote:
            gc.freeze()
            gc.unfreeze()
        gc.enable()


def validate(
    snapshot: Snapshot,
    config: Config,
    *,
    as_of: dt.date,
    gazetteer: Gazetteer | None = None,
    registers: Iterable[str] | None = None,
) -> ValidationResult:
    """Validate the registers of a snapshot; findings come sorted by register order, row, column."""
    gaz = gazetteer or Gazetteer(config.province_code)
    findings: list[Finding] = []
    results: dict[str, RegisterResult] = {}
    keys = list(registers) if registers is not None else list(config.registers)
    with _collector_paused():
        for key in keys:
            spec = config.registers[key]
            results[key] = validate_register(
                spec, find_tab(snapshot, spec.tab), gazetteer=gaz, as_of=as_of, findings=findings
            )
        apply_rules(config, results, findings, gazetteer=gaz, as_of=as_of)
        _sort_findings(findings, config, keys)
    return ValidationResult(results, findings, as_of)


def _sort_findings(findings: list[Finding], config: Config, keys: list[str]) -> None:
    """Sort by register order, row, column order, then code (stable for full ties)."""
    order = {k: i for i, k in enumerate(keys)}
    col_order: dict[tuple[str, str], int] = {}
    for k in keys:
        for i, c in enumerate(config.registers[k].columns):
            col_order[(k, c.key)] = i
    if not findings:
        return
    rows: list[int] = list(map(_ROW, findings))
    if None in rows:
        rows = [r or 0 for r in rows]
    low, high = min(rows), max(rows)
    del rows
    if low < 0:  # never from validate(), but then the parts below would overlap
        findings.sort(
            key=lambda f: (
                order.get(f.register, 99),
                f.row or 0,
                col_order.get((f.register, f.column_key), -1),
                f.code,
            )
        )
        return
    # The same order packed into one int per finding: a million keys take a third of the
    # memory 4-tuples would. Each part is below its span, so the parts never overlap. The
    # part of (register, column, code) is worked out once per such triple, and looked up
    # by one dict per register and column (no tuple per finding).
    codes = {code: i for i, code in enumerate(sorted(set(map(_CODE, findings))))}
    span_row = high + 1
    span_col = max(len(config.registers[k].columns) for k in keys) + 1
    span_code = len(codes)
    stride = span_col * span_code
    parts: dict[str, dict[str, dict[str, int]]] = {}  # register -> column -> code -> part

    def part(f: Finding) -> int:
        rc = (f.register, f.column_key)
        head = order.get(f.register, 99) * span_row * span_col + col_order.get(rc, -1) + 1
        p = parts.setdefault(f.register, {}).setdefault(f.column_key, {})[f.code] = (
            head * span_code + codes[f.code]
        )
        return p

    def key(f: Finding) -> int:
        try:
            p = parts[f.register][f.column_key][f.code]
        except KeyError:
            p = part(f)
        return p + (f.row or 0) * stride

    findings.sort(key=key)
