"""read -> validate -> compute -> write, as plain functions the CLI strings together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from kspo_sheets.checks.validate import validate
from kspo_sheets.config.province import Config
from kspo_sheets.logs import counted
from kspo_sheets.model import Progress, Snapshot, ValidationResult
from kspo_sheets.progress.indicators import compute
from kspo_sheets.status.tabs import build_plan, history_row
from kspo_sheets.stores.base import Store, WritePlan, WriteReport
from kspo_sheets.stores.sources import open_store

Say = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def run_validation(
    config: Config,
    source: str | None,
    *,
    credentials: str | None = None,
    as_of: dt.date,
    progress: Say = _quiet,
    store: Store | None = None,
) -> tuple[ValidationResult, Snapshot]:
    """Read the source and validate it; returns the result and the snapshot it was made from."""
    store = store or open_store(source, config, credentials=credentials)
    progress(f"reading {store.description}")
    snapshot = store.read()
    # The registers only: the status tabs and staff's other tabs are not validated.
    titles = {spec.tab for spec in config.registers.values()}
    tabs = [t for t in snapshot.tabs.values() if t.title in titles]
    rows = sum(len(t.rows) for t in tabs)
    progress(f"validating {counted(len(tabs), 'register')}, {counted(rows, 'row')}")
    result = validate(snapshot, config, as_of=as_of)
    return result, snapshot


@dataclass
class SyncOutcome:
    result: ValidationResult
    progress: Progress
    report: WriteReport
    plan: WritePlan


def run_sync(
    config: Config,
    source: str | None,
    *,
    credentials: str | None = None,
    as_of: dt.date,
    dry_run: bool = False,
    progress: Say = _quiet,
    store: Store | None = None,
    now: dt.datetime | None = None,
) -> SyncOutcome:
    """read -> validate -> compute -> write, holding the source's lock throughout."""
    store = store or open_store(source, config, credentials=credentials)
    with store.lock():
        progress(f"reading {store.description}")
        snapshot = store.read()
        progress("validating")
        result = validate(snapshot, config, as_of=as_of)
        progress("computing progress")
        prog = compute(config, result)
        progress("laying out the status tabs")
        counts = result.counts()
        outcome = f"สำเร็จ (ok): {counts['error']} errors, {counts['warning']} warnings"
        history = history_row(
            config, result, prog, source=store.description, outcome=outcome, now=now
        )
        plan = build_plan(config, result, prog, history=history)
        progress("dry run: computing what would change" if dry_run else "writing back")
        report = store.write(snapshot, plan, dry_run=dry_run)
    return SyncOutcome(result, prog, report, plan)
