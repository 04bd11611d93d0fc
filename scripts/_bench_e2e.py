"""End to end, as a user runs it: `kspo validate` (and `kspo sync`) against the obvious
gspread + pandas + pandera script (scripts/_bench_obvious.py), each in a process of its own
reading the same spreadsheet from the Sheets stand-in (python scripts/bench.py --only e2e).

The spreadsheet: the six registers of the sample workbook, ผู้ผลิต (producers) replaced by
synthetic rows (scripts/_synth.py) so that the registers hold about the asked number of
cells, every grid just big enough. Cells hold text as the generator types it (dates,
phones, areas as text: what a register imported from a file looks like); `--e2e-typed`
sizes are also run with every cell as Sheets makes it when a person types it (numbers,
date cells, phones that lost their zero, formulas: see as_typed). Producer IDs run P-0001, P-0002, ... and the contract's
^P-\\d{4}$ is widened to ^P-\\d{4,7}$ in a copy of configs/ (the same for every client), so
a big register is mostly clean, as a real one is.

For every client: wall seconds; client CPU seconds (user + system of that process alone,
from wait4, so never the stand-in's); its peak resident memory (ru_maxrss); the bytes of
the answers it received and its calls, as the stand-in counted them. The yardstick for
bytes is a values-only read of the same tabs: one values.batchGet, UNFORMATTED_VALUE.
Clients run one at a time, in turns, `repeat` times; the table shows each one's median.

Clients: kspo validate as shipped (values design), the same with KSPO_SHEETS_READ=snapshot
(the one-call design), the obvious script, optionally kspo from another source tree
(`--e2e-before PATH`: a git worktree of an earlier commit), then kspo sync --dry-run (all
but the write's exchange) and kspo sync. Every client finds the spreadsheet as seeded (it
is restored before each), so each turn does the same work.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).resolve().parent / "bench.py"
OBVIOUS = Path(__file__).resolve().parent / "_bench_obvious.py"
AS_OF = "2024-09-10"  # scripts/_synth.py's run date
WIDE = "'^P-\\d{4,7}$'"
MIB = 2**20


# --- the stand-in child ----------------------------------------------------------------------


def spreadsheet(cells: int) -> tuple[dict[str, list[list[Any]]], int]:
    """The six registers holding about `cells` cells; returns them and the producer rows."""
    import _bench_data

    config = _bench_data.config()
    spec = config.registers["producers"]
    small, _ = _bench_data.registers(10, 6)
    others = sum(
        len(rows) * max((len(r) for r in rows), default=1)
        for title, rows in small.items()
        if title != spec.tab
    )
    width = len(spec.columns)
    header_rows = next(
        i
        for i, r in enumerate(small[spec.tab])
        if r and str(r[0]).strip() == spec.columns[0].header
    )
    producers = max(10, (cells - others) // width - header_rows - 1)
    tabs, _what = _bench_data.registers(producers, 6)
    rows = tabs[spec.tab]
    for i, row in enumerate(rows[header_rows + 1 :]):
        if row and isinstance(row[0], str) and row[0].startswith("P-"):
            row[0] = f"P-{i + 1:04d}"  # planted mistakes (no dash, blank) stay as they are
    return tabs, producers


def as_typed(tabs: dict[str, list[list[Any]]]) -> None:
    """Every text cell as Sheets makes it when a person types it (valueInputOption
    USER_ENTERED, th_TH): "1,500" a number, "10/09/2562" a date cell, "0812345678" the
    number 812345678, "=HYPERLINK(...)" a formula; other text stays text."""
    from kspo_sheets.standin.cells import user_entered_value

    for rows in tabs.values():
        for row in rows:
            for j, value in enumerate(row):
                if isinstance(value, str) and value:
                    entered, detected = user_entered_value(value, "th_TH")
                    cell: dict[str, Any] = {"userEnteredValue": entered} if entered else {}
                    if detected:
                        cell["userEnteredFormat"] = {"numberFormat": detected}
                    row[j] = cell


def child_serve(cells: int, typed: bool = False) -> int:
    """Hold the spreadsheet in a stand-in; answer 'log', 'save', 'restore', 'stop' on stdin."""
    import _bench_data

    from kspo_sheets.standin import StandIn

    started = time.perf_counter()
    tabs, producers = spreadsheet(cells)
    if typed:
        as_typed(tabs)
    standin = StandIn().start()
    key = _bench_data.seed(standin.state, tabs, exact_grid=True)
    titles = list(tabs)
    del tabs
    _say(
        {
            "url": standin.url,
            "key": key,
            "titles": titles,
            "producer_rows": producers,
            "grid_cells": _bench_data.grid_cells(standin.state, key),
            "seed_s": round(time.perf_counter() - started, 1),
        }
    )
    saved = None
    for line in sys.stdin:
        command = line.strip()
        if command == "log":
            _say(
                [
                    {
                        "method": r.method,
                        "path": r.path.rsplit("/", 1)[-1][:40],
                        "status": r.status,
                        "bytes": r.response_bytes,
                    }
                    for r in standin.requests
                ]
            )
            standin.reset_counts()
        elif command == "save":
            saved = standin.state.get(key).cow_copy()
            _say({"saved": True})
        elif command == "restore":
            if saved is not None:
                standin.state.spreadsheets[key] = saved.cow_copy()
            _say({"restored": saved is not None})
        elif command == "stop":
            break
    standin.stop()
    return 0


def _say(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False), flush=True)


# --- the parent ------------------------------------------------------------------------------


def wide_config(folder: Path) -> Path:
    """configs/ copied with the producer ID pattern widened; returns the province file."""
    for f in (ROOT / "configs").glob("*.yaml"):
        shutil.copy(f, folder / f.name)
    contract = folder / "registers.yaml"
    text = contract.read_text(encoding="utf-8")
    if "'^P-\\d{4}$'" not in text:
        raise SystemExit("configs/registers.yaml no longer has the producer ID pattern ^P-\\d{4}$")
    contract.write_text(text.replace("'^P-\\d{4}$'", WIDE), encoding="utf-8")
    return folder / "phuket.yaml"


def run_client(command: list[str], env: dict[str, str], out: Path) -> dict[str, Any]:
    """One client process: its wall time, CPU time and peak memory, and its exit code.

    Run from `out`'s folder, not the project's: `python -m` puts the working folder first
    on the path, and the source tree must be the one PYTHONPATH names."""
    with out.open("wb") as stdout, open(out.with_suffix(".err"), "wb") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=out.parent, env=env, stdout=stdout, stderr=stderr)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "exit": proc.returncode,
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "user_s": round(usage.ru_utime, 3),
        "peak_mib": round(usage.ru_maxrss / 1024, 1),
    }


def _traffic(log: list[dict[str, Any]]) -> dict[str, Any]:
    reads = [r for r in log if r["method"] == "GET"]
    writes = [r for r in log if r["method"] != "GET"]
    return {
        "calls": len(log),
        "bytes": sum(r["bytes"] for r in log),
        "read_bytes": sum(r["bytes"] for r in reads),
        "write_reply_bytes": sum(r["bytes"] for r in writes),
        "requests": [f"{r['method']} {r['path']} {r['status']} {r['bytes']}" for r in log],
    }


def _findings(client: str, out: Path) -> int | None:
    try:
        if client.startswith("kspo validate"):
            return len(json.loads(out.read_text(encoding="utf-8"))["findings"])
        if client == "obvious":
            # pandera lists a row failing a frame-wide check once per column: count rows
            with out.open(encoding="utf-8", newline="") as f:
                return len({(r["check"], r["index"]) for r in csv.DictReader(f)})
    except (OSError, ValueError, KeyError):
        return None
    return None


def _codes(out: Path) -> dict[str, int]:
    """kspo's findings by (register, code): every design must find the same."""
    try:
        found = json.loads(out.read_text(encoding="utf-8"))["findings"]
    except (OSError, ValueError, KeyError):
        return {}
    counts: dict[str, int] = {}
    for f in found:
        key = f"{f['register']} {f['code']}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def clients(
    url: str, key: str, config: Path, before: Path | None
) -> list[tuple[str, list[str], dict[str, str]]]:
    """(name, command, environment) of every client, in the order they run."""
    base = {**os.environ, "KSPO_SHEETS_API_ROOT": url, "PYTHONHASHSEED": "0"}
    base.pop("KSPO_SHEETS_READ", None)
    kspo = [sys.executable, "-m", "kspo_sheets"]
    common = ["--config", str(config), "--source", key, "--as-of", AS_OF]
    validate = [*kspo, "validate", *common, "--format", "json"]
    out = [
        ("kspo validate", validate, base),
        ("obvious", [sys.executable, str(OBVIOUS), url, key, str(config.parent), AS_OF], base),
        ("kspo validate (one-call design)", validate, {**base, "KSPO_SHEETS_READ": "snapshot"}),
    ]
    if before is not None:
        out.append(("kspo validate (before)", validate, {**base, "PYTHONPATH": str(before)}))
    out.append(("kspo sync --dry-run", [*kspo, "sync", *common, "--dry-run"], base))
    out.append(("kspo sync", [*kspo, "sync", *common], base))
    if before is not None:
        out.append(
            ("kspo sync (before)", [*kspo, "sync", *common], {**base, "PYTHONPATH": str(before)})
        )
    return out


def run_size(
    cells: int,
    *,
    repeat: int,
    before: Path | None,
    config: Path,
    work: Path,
    say: Any,
    typed: bool = False,
) -> dict[str, Any]:
    import _bench_data

    server, ask = _bench_data.child_server(
        [sys.executable, str(SCRIPT), "--child-e2e-serve", str(cells)]
        + (["--typed"] if typed else []),
        cwd=ROOT,
    )
    assert server.stdout is not None

    runs: dict[str, list[dict[str, Any]]] = {}
    try:
        ready = json.loads(server.stdout.readline() or "null")
        if not ready:
            raise RuntimeError("the stand-in did not start")
        url, key = ready["url"], ready["key"]
        say(
            f"  e2e: {ready['grid_cells']:,} cells ({ready['producer_rows']:,} producers"
            f"{', typed' if typed else ''}), seeded in {ready['seed_s']} s"
        )
        floor = values_only(url, key, ready["titles"])
        floor.update(_traffic(ask("log")))
        ask("save")
        for turn in range(repeat):
            for name, command, env in clients(url, key, config, before):
                ask("restore")  # every client sees the spreadsheet as seeded (a sync wrote)
                out = work / f"{name.replace(' ', '_').replace('(', '').replace(')', '')}.out"
                result = run_client(command, env, out)
                result.update(_traffic(ask("log")))
                result["findings"] = _findings(name, out)
                if name.startswith("kspo validate"):
                    result["codes"] = _codes(out)
                # kspo exits 1 when it found errors; the script, like a crash, never should
                if result["exit"] not in ((0,) if name == "obvious" else (0, 1)):
                    err = out.with_suffix(".err").read_text(encoding="utf-8", errors="replace")
                    raise RuntimeError(f"{name} exited {result['exit']}:\n{err[-3000:]}")
                runs.setdefault(name, []).append(result)
                say(
                    f"  e2e: {name} (turn {turn + 1}): cpu {result['cpu_s']:.2f} s, wall"
                    f" {result['wall_s']:.2f} s, {result['bytes'] / MIB:,.1f} MiB in"
                    f" {result['calls']} calls, peak {result['peak_mib']:,.0f} MiB"
                )
        # The sync once more, timed by stage inside the process (scripts/_bench_sync.py):
        # what its write costs (building the batchUpdate, sending it, reading the reply).
        ask("restore")
        staged = subprocess.run(
            [sys.executable, str(SCRIPT), "--child-sync", url, key, "--wide-ids"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        stages = json.loads(staged.stdout.strip().splitlines()[-1])["stages"]
        ask("log")
        server.stdin.write("stop\n")
        server.stdin.flush()
    finally:
        if server.poll() is None:
            server.stdin.close()
            server.wait(timeout=120)
    summary = {name: _median(results) for name, results in runs.items()}
    return {
        "requested_cells": cells,
        "typed": typed,
        "grid_cells": ready["grid_cells"],
        "producer_rows": ready["producer_rows"],
        "values_only": {"bytes": floor["bytes"], "calls": floor["calls"]},
        "clients": summary,
        "runs": runs,
        "sync_stages": stages,
        "checks": _checks(summary, floor["bytes"], ready["producer_rows"], stages),
    }


def values_only(url: str, key: str, titles: list[str]) -> dict[str, Any]:
    """The yardstick: the same tabs read by one values.batchGet, nothing else."""
    import requests

    ranges = ["'" + t.replace("'", "''") + "'" for t in titles]
    answer = requests.get(
        f"{url}/v4/spreadsheets/{key}/values:batchGet",
        params={"ranges": ranges, "valueRenderOption": "UNFORMATTED_VALUE", "prettyPrint": "false"},
        timeout=3600,
    )
    answer.raise_for_status()
    return {"received": len(answer.content)}


def _median(results: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in (
        "wall_s",
        "cpu_s",
        "user_s",
        "peak_mib",
        "bytes",
        "read_bytes",
        "write_reply_bytes",
        "calls",
        "findings",
    ):
        values = [r[field] for r in results if r.get(field) is not None]
        if values:
            out[field] = statistics.median(values)
    out["cpu_s_all"] = [r["cpu_s"] for r in results]
    if "codes" in results[-1]:
        out["codes"] = results[-1]["codes"]
        out["same_codes_every_turn"] = all(r.get("codes") == out["codes"] for r in results)
    out["requests"] = results[-1]["requests"]
    return out


def _checks(
    summary: dict[str, Any], values_bytes: int, producers: int, stages: dict[str, Any]
) -> dict[str, Any]:
    """The issue's targets: client CPU at most half the obvious script's (at 100,000
    producers and above), bytes received at most twice a values-only read of the same tabs;
    a sync within the same bounds plus its write (its CPU less the write stage's, its reads'
    bytes less the notes the write reads)."""
    kspo, obvious, sync = (
        summary.get("kspo validate"),
        summary.get("obvious"),
        summary.get("kspo sync"),
    )
    dry = summary.get("kspo sync --dry-run")
    out: dict[str, Any] = {"applies": producers >= 100_000}
    variants = [c for name, c in summary.items() if name.startswith("kspo validate")]
    out["same_findings"] = bool(variants) and all(
        c.get("codes") == variants[0].get("codes") and c.get("same_codes_every_turn")
        for c in variants
    )
    if kspo and obvious:
        out["cpu_ratio"] = round(kspo["cpu_s"] / obvious["cpu_s"], 3)
        out["cpu_met"] = out["cpu_ratio"] <= 0.5
    if kspo:
        out["bytes_ratio"] = round(kspo["bytes"] / values_bytes, 3)
        out["bytes_met"] = out["bytes_ratio"] <= 2
    if sync and obvious:
        out["sync_cpu_ratio"] = round(sync["cpu_s"] / obvious["cpu_s"], 3)
        out["sync_read_bytes_ratio"] = round(sync["read_bytes"] / values_bytes, 3)
    write = stages.get("writing", {}).get("cpu_s")
    if sync and obvious and write is not None:
        out["sync_write_cpu_s"] = write
        out["sync_less_write_cpu_ratio"] = round((sync["cpu_s"] - write) / obvious["cpu_s"], 3)
        out["sync_met"] = out["sync_less_write_cpu_ratio"] <= 0.5
        # the status tabs the write sends, laid out (text wrapped, rows sized) before it
        lay = stages.get("laying", {}).get("cpu_s")
        if lay is not None:
            out["sync_tabs_cpu_s"] = round(lay + write, 2)
            out["sync_less_tabs_cpu_ratio"] = round(
                (sync["cpu_s"] - lay - write) / obvious["cpu_s"], 3
            )
    if dry and obvious:  # the sync without its write's exchange
        out["dry_run_cpu_ratio"] = round(dry["cpu_s"] / obvious["cpu_s"], 3)
        out["dry_run_met"] = out["dry_run_cpu_ratio"] <= 0.5
    return out


def run(
    sizes: list[int],
    *,
    repeat: int = 1,
    before: Path | None = None,
    typed: list[int] | None = None,
    say: Any = print,
) -> dict[str, Any]:
    """Every size as typed text; the sizes in `typed` also as Sheets makes typed cells."""
    cases = [(n, False) for n in sizes] + [(n, True) for n in typed or []]
    with tempfile.TemporaryDirectory(prefix="kspo-e2e-") as tmp:
        work = Path(tmp)
        (work / "configs").mkdir()
        config = wide_config(work / "configs")
        results = [
            run_size(n, repeat=repeat, before=before, config=config, work=work, say=say, typed=t)
            for n, t in cases
        ]
    return {
        "what": (__doc__ or "").split("\n\n")[0].replace("\n", " ").strip(),
        "repeat": repeat,
        "before": str(before) if before else None,
        "before_commit": _commit(before) if before else None,
        "commit": _commit(ROOT),
        "config": f"configs/ with the producer ID pattern widened to {WIDE}",
        "sizes": results,
    }


def _commit(tree: Path | None) -> str | None:
    if tree is None:
        return None
    done = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "-C", str(tree), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() + ("+changes" if dirty.stdout.strip() else "") or None
