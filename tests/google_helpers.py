"""Seeding the Sheets stand-in with a workbook's registers, as staff would have typed them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kspo_sheets.model import Snapshot
from kspo_sheets.standin import StandIn
from kspo_sheets.stores.google import masks
from kspo_sheets.stores.google.http import RetryPolicy
from kspo_sheets.stores.google.rules import RULES_FIELDS
from kspo_sheets.stores.google.store import GoogleStore

FAST = RetryPolicy(base=0.01, cap=0.05, budget=2.0, timeout=2.0)


def typed(value: Any) -> Any:
    """A cell value as typed into Sheets: text stays text even when it starts with '='."""
    if isinstance(value, str):
        return {"userEnteredValue": {"stringValue": value}}
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def seed(standin: StandIn, snapshot: Snapshot, extra_tabs: int = 0) -> str:
    sheets = {t.title: [[typed(v) for v in row] for row in t.rows] for t in snapshot.tabs.values()}
    for i in range(extra_tabs):
        sheets[f"งานอื่น {i + 1}"] = [["บันทึก", i]]
    return standin.state.create_spreadsheet("ทะเบียนประชารัฐ ภูเก็ต", sheets)


def store(standin: StandIn, key: str, **kw: Any) -> GoogleStore:
    kw.setdefault("policy", FAST)
    return GoogleStore(key, root=standin.url, **kw)


def user_values(standin: StandIn, key: str, titles: list[str]) -> dict[str, list[list[Any]]]:
    """Every staff cell's userEnteredValue, for before/after comparison."""
    out = {}
    for title in titles:
        sheet = standin.state.sheet(key, title)
        out[title] = [[(c or {}).get("userEnteredValue") for c in line] for line in sheet.rows]
    return out


def tool_notes(standin: StandIn, key: str, title: str) -> dict[tuple[int, int], str]:
    sheet = standin.state.sheet(key, title)
    return {
        (r, c): cell["note"]
        for r, line in enumerate(sheet.rows)
        for c, cell in enumerate(line)
        if cell and str(cell.get("note", "")).startswith("[kspo-sheets]")
    }


_GETS = {
    masks.META_FIELDS: "meta",
    masks.CELLS_FIELDS: "cells",
    masks.NOTES_FIELDS: "notes",
    masks.SNAPSHOT_FIELDS: "snapshot",
    RULES_FIELDS: "rules",  # the write reading the highlight rules again (rules.py)
}
_RENDERS = {"FORMULA": "values", "UNFORMATTED_VALUE": "dates"}


def calls(standin: StandIn) -> list[str]:
    """The requests the stand-in saw, by what they were for (stores/google/masks.py): meta,
    values, dates, cells, snapshot, notes, rules (the reads), write (a batchUpdate), other."""
    out = []
    for r in standin.requests:
        if r.method == "POST" and r.path.endswith(":batchUpdate"):
            out.append("write")
        elif r.method == "GET" and r.path.endswith("/values:batchGet"):
            out.append(_RENDERS.get(r.query.get("valueRenderOption", [""])[-1], "other"))
        elif r.method == "GET":
            out.append(_GETS.get(r.query.get("fields", [""])[-1], "other"))
        else:
            out.append("other")
    return out
