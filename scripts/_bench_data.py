"""Spreadsheets to benchmark a sync on, as staff would have typed them (scripts/bench.py).

Small registers come from the sample workbook (kspo_sheets.commands.sample); a big ผู้ผลิต
(producers) register comes from scripts/_synth.py, with its villages added to หมู่บ้าน so
its references resolve. Values go to the stand-in as Sheets would hold them: text as text
(even text that starts with "="), dates as date serials.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import _synth

from kspo_sheets.commands.sample import AS_OF as SAMPLE_AS_OF
from kspo_sheets.commands.sample import build_sample
from kspo_sheets.config.province import Config, load_config
from kspo_sheets.standin import SheetsState
from kspo_sheets.stores.xlsx.store import read_workbook
from kspo_sheets.thai.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "phuket.yaml"
SYNTH_AS_OF = _synth.AS_OF
WIDE_PRODUCER_ID = r"^P-\d{4,7}$"
TITLE = "ทะเบียนประชารัฐ ภูเก็ต (benchmark)"

Rows = list[list[Any]]


@functools.cache
def config() -> Config:
    return load_config(CONFIG)


def wide_id_config() -> Config:
    """The Phuket config with producer IDs allowed up to P-9999999.

    The contract's ^P-\\d{4}$ allows 10,000 producers; a bigger register has an
    id.duplicate finding on every row past that. To sync a register of near a million
    rows that is mostly clean (as a real one would be), only this pattern is widened, in
    memory; every other rule is the contract's.
    """
    base = config()
    spec = base.registers["producers"]
    columns = tuple(
        dataclasses.replace(c, pattern=WIDE_PRODUCER_ID) if c.key == "producer_id" else c
        for c in spec.columns
    )
    registers = {**base.registers, "producers": dataclasses.replace(spec, columns=columns)}
    return dataclasses.replace(base, registers=registers)


@functools.cache
def sample_tabs() -> dict[str, Rows]:
    """The sample workbook's tabs as read (title rows, header, data), by title."""
    with tempfile.TemporaryDirectory(prefix="kspo-bench-") as tmp:
        path = Path(tmp) / "sample.xlsx"
        build_sample(path)
        snapshot = read_workbook(path)
    return {t.title: [list(r) for r in t.rows] for t in snapshot.tabs.values()}


def _header_index(rows: Rows, first_header: str) -> int:
    """The header row (the sample's headers are in contract order, spaced the way staff type)."""
    for i, row in enumerate(rows):
        if row and isinstance(row[0], str) and row[0].strip() == first_header:
            return i
    raise ValueError(f"no header row starting {first_header!r}")


def registers(producers: int, tabs: int) -> tuple[dict[str, Rows], str]:
    """Register tabs with `producers` rows in ผู้ผลิต; `tabs` is 1 (ผู้ผลิต alone), 6 (the six
    registers) or more (the rest are other staff tabs). Returns the tabs and what they are."""
    cfg = config()
    sample = sample_tabs()
    spec = cfg.registers["producers"]
    rows = sample[spec.tab]
    h = _header_index(rows, spec.columns[0].header)
    kept: set[Any] | None = None  # producer IDs the linkages may refer to (None: any)
    if producers <= len(rows) - h - 1:
        what = f"first {producers} sample producers"
        producer_rows = rows[: h + 1 + producers]
        kept = {r[0] for r in producer_rows[h + 1 :] if r}
        extra_villages: list[list[str]] = []
    else:
        what = f"{producers:,} synthetic producers (scripts/_synth.py)"
        syn = _synth.producers(producers, cfg, Gazetteer(cfg.province_code))
        producer_rows = [*rows[: h + 1], *syn.producers]
        extra_villages = syn.villages
    if tabs == 1:
        return {spec.tab: producer_rows}, f"ผู้ผลิต only: {what}"
    out: dict[str, Rows] = {}
    for reg in cfg.registers.values():
        reg_rows = producer_rows if reg.key == "producers" else [list(r) for r in sample[reg.tab]]
        if reg.key == "linkages" and kept is not None:
            lh = _header_index(reg_rows, reg.columns[0].header)
            reg_rows = reg_rows[: lh + 1] + [
                r for r in reg_rows[lh + 1 :] if r[1:2] and r[1] in kept
            ]
        if reg.key == "villages" and extra_villages:
            vh = _header_index(reg_rows, reg.columns[0].header)
            have = {r[0] for r in reg_rows[vh + 1 :] if r}
            reg_rows += [list(r) for r in extra_villages if r[0] not in have]
        out[reg.tab] = reg_rows
    what = f"the six sample registers with {what}" + (" and their linkages" if kept else "")
    if tabs > 6:
        what += f", + {tabs - 6} other staff tabs"
    others = [t for t in sample if t not in out]  # the sample's คำอธิบาย (description) tab
    for title in others[: max(0, tabs - 6)]:
        out[title] = sample[title]
    for i in range(len(out), tabs):
        out[f"งานอื่น {i - 5}"] = staff_tab(i)
    return out, what


def staff_tab(i: int, rows: int = 40) -> Rows:
    """A tab of the staff's own that is not a register (meeting notes, a to-do list)."""
    header = ["วันที่", "เรื่อง", "ผู้รับผิดชอบ", "สถานะ", "หมายเหตุ"]
    body = [
        [
            dt.date(2019, 1 + (r % 12), 1 + (r % 28)),
            f"เรื่องที่ {r + 1} ของแท็บ {i}",
            "ฝ่ายเลขานุการ",
            "ดำเนินการ",
            "",
        ]
        for r in range(rows)
    ]
    return [header, *body]


def big_producers(rows: int) -> tuple[dict[str, Rows], Any]:
    """ผู้ผลิต with `rows` synthetic rows and IDs P-000001.. (see wide_id_config), and the
    หมู่บ้าน tab they refer to. Returns the tabs and the Synthetic (for what was planted)."""
    cfg = config()
    syn = _synth.producers(rows, cfg, Gazetteer(cfg.province_code))
    for i, row in enumerate(syn.producers):
        if row[0].startswith("P-"):  # planted mistakes (no dash, blank) stay as they are
            row[0] = f"P-{i + 1:06d}"
    tabs = {
        cfg.registers["villages"].tab: [syn.village_header, *syn.villages],
        cfg.registers["producers"].tab: [syn.producer_header, *syn.producers],
    }
    syn.producers = []  # the tab holds them now
    return tabs, syn


def typed(value: Any) -> Any:
    """A value as typed into Sheets: text stays text even when it starts with '='."""
    if isinstance(value, str):
        return {"userEnteredValue": {"stringValue": value}} if value.startswith("=") else value
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def seed(state: SheetsState, tabs: dict[str, Rows], *, exact_grid: bool = False) -> str:
    """A new spreadsheet holding `tabs`; with `exact_grid` each grid is just big enough
    (Google counts every cell of every grid against its 10-million-cell limit)."""
    key = ""
    for title, rows in tabs.items():
        width = max((len(r) for r in rows), default=1)
        grid = (max(len(rows), 1), max(width, 1)) if exact_grid else None
        cells = [[typed(v) for v in r] for r in rows]
        if not key:
            key = state.create_spreadsheet(TITLE, {title: cells}, grid=grid)
        else:
            state.add_sheet(key, title, cells, grid=grid)
    return key


def grid_cells(state: SheetsState, key: str) -> int:
    """Cells in every grid of the spreadsheet, as Google counts them against its limit."""
    return state.get(key).cell_count()


__all__ = [
    "SAMPLE_AS_OF",
    "SYNTH_AS_OF",
    "big_producers",
    "config",
    "grid_cells",
    "registers",
    "seed",
    "wide_id_config",
]


def child_server(argv: list[str], **popen: Any) -> tuple[subprocess.Popen[str], Any]:
    """A stand-in held by a child process (`argv`) that answers one JSON line per command
    line on stdin; returns the process and `ask(command)`."""
    server = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, **popen
    )
    assert server.stdin is not None and server.stdout is not None

    def ask(command: str) -> Any:
        assert server.stdin is not None and server.stdout is not None
        server.stdin.write(command + "\n")
        server.stdin.flush()
        return json.loads(server.stdout.readline())

    return server, ask
