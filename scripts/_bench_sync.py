"""A full sync of a spreadsheet at Google's 10-million-cell limit, against the stand-in.

Three kinds of process, so that each one's peak memory is its own:
  server  the stand-in holding the spreadsheet (python scripts/bench.py --child-serve N)
  floor   only receives and json-parses the same answer kspo reads (--child-floor)
  sync    kspo's run_sync, timed by stage (--child-sync)

Peak memory is VmHWM from /proc/self/status. getrusage's ru_maxrss is not used: on Linux a
child started by a process that once used 2 GB reports at least 2 GB.
"""

from __future__ import annotations

import cProfile
import io
import itertools
import json
import os
import pstats
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import _bench_data
import requests

from kspo_sheets.pipeline import run_sync
from kspo_sheets.standin import StandIn
from kspo_sheets.stores.google.http import RetryPolicy
from kspo_sheets.stores.google.masks import SNAPSHOT_PARAMS, VALUES_PARAMS
from kspo_sheets.stores.google.store import GoogleStore
from kspo_sheets.stores.sources import read_scope

SCRIPT = Path(__file__).resolve().parent / "bench.py"
GOOGLE_LIMIT = 10_000_000
COLUMNS = 13  # ผู้ผลิต
FINDINGS_SHARE = 0.115  # status-tab rows per producer row (measured: 82,616 at 745,970 rows)
# The findings tab holds what fits in one 10 MiB request (about 8,000 rows of 10 cells at
# the synthetic data's 1.1 KB a row): room kept for it and the other status tabs.
STATUS_ROOM = 120_000
MIB = 2**20


def peak_mib() -> float:
    """This process's peak resident memory (VmHWM), MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MIB


def producer_rows(cells: int) -> int:
    """Rows of ผู้ผลิต so that the spreadsheet, status tab included, stays within `cells`."""
    villages = 4_000  # about 51 villages x 12 columns, rounded up; progress and history tabs
    rows = (cells - villages) / (COLUMNS + FINDINGS_SHARE * 10)
    if rows * FINDINGS_SHARE * 10 > STATUS_ROOM:  # the findings list is cut to one request
        rows = (cells - villages - STATUS_ROOM) / COLUMNS
    return max(100, int(rows))


# --- the children ----------------------------------------------------------------------------


def child_serve(cells: int) -> int:
    """Hold the spreadsheet in a stand-in; answer 'log', 'cells' and 'stop' on stdin."""
    rows = producer_rows(cells)
    started = time.perf_counter()
    tabs, syn = _bench_data.big_producers(rows)
    made = time.perf_counter()
    standin = StandIn().start()
    key = _bench_data.seed(standin.state, tabs, exact_grid=True)
    del tabs
    seeded = time.perf_counter()
    _say(
        {
            "url": standin.url,
            "key": key,
            "producer_rows": rows,
            "grid_cells": _bench_data.grid_cells(standin.state, key),
            "planted": sum(syn.planted.values()),
            "make_s": round(made - started, 2),
            "seed_s": round(seeded - made, 2),
            "rss_mib": round(rss_mib()),
        }
    )
    for line in sys.stdin:
        command = line.strip()
        if command == "log":
            _say(
                [
                    {
                        "method": r.method,
                        "path": r.path,
                        "status": r.status,
                        "seconds": round(r.duration, 3),
                        "request_bytes": r.body_size,
                    }
                    for r in standin.requests
                ]
            )
            standin.reset_counts()
        elif command == "cells":
            _say({"grid_cells": _bench_data.grid_cells(standin.state, key)})
        elif command == "stop":
            break
    _say({"peak_mib": round(peak_mib())})
    standin.stop()
    return 0


def child_floor(url: str, key: str, mode: str) -> int:
    """Receive and json-parse, nothing else: kspo's values read ('values': the same
    values.batchGet of the same tabs) or the one-call design's grid read ('get')."""
    base = f"{url}/v4/spreadsheets/{key}"
    session = requests.Session()
    if mode == "get":
        params: Any = {**SNAPSHOT_PARAMS, "includeGridData": "true"}
    else:
        meta = session.get(base, params={"fields": "sheets.properties.title"}).json()
        titles = [s["properties"]["title"] for s in meta["sheets"]]
        params = {**VALUES_PARAMS, "ranges": ["'" + t.replace("'", "''") + "'" for t in titles]}
        base += "/values:batchGet"
    started = time.perf_counter()
    resp = session.get(base, params=params, timeout=3600)
    resp.raise_for_status()
    received = time.perf_counter()
    doc = json.loads(resp.content)
    parsed = time.perf_counter()
    _say(
        {
            "mode": mode,
            "bytes": len(resp.content),
            "receive_s": round(received - started, 2),
            "json_s": round(parsed - received, 2),
            "seconds": round(parsed - started, 2),
            "peak_mib": round(peak_mib()),
            "top_keys": sorted(doc)[:5],
        }
    )
    return 0


def child_sync(url: str, key: str, *, wide_ids: bool, profile: bool, dry_run: bool) -> int:
    """kspo's run_sync against the stand-in, timed by stage; peak memory of this process.

    With `dry_run` everything but the write's exchange: read, validate, compute, and the
    batchUpdate body built but not sent."""
    config = _bench_data.wide_id_config() if wide_ids else _bench_data.config()
    store = GoogleStore(
        key,
        root=url,
        policy=RetryPolicy(timeout=3600, budget=3600),
        scope=read_scope(config),  # as the CLI opens it
    )
    marks: list[tuple[str, float, float, float]] = []

    def stage(text: str) -> None:
        marks.append((text.split(" ")[0], time.perf_counter(), rss_mib(), time.process_time()))

    # Time the HTTP exchanges and the JSON parsing around them, from the client's side.
    http = store.http
    calls: list[tuple[str, float]] = []
    received: list[tuple[str, int]] = []  # ("get" or "post", bytes of the answer), in order

    def _timed(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            kind = f"{name}:{str(args[0]).lower()}" if name == "request" else name
            try:
                return fn(*args, **kwargs)
            finally:
                calls.append((kind, time.perf_counter() - t))

        return wrapper

    def _counted(kind: str, fn: Any) -> Any:
        """The streamed exchanges, with the bytes their answers held counted on the way."""

        def wrapper(url_path: str, *args: Any, **kwargs: Any) -> Any:
            consume = args[-1] if args else kwargs.pop("consume")
            args = args[:-1] if args else args

            def counting(chunks: Any) -> Any:
                size = [0]

                def through() -> Any:
                    for chunk in chunks:
                        size[0] += len(chunk)
                        yield chunk

                try:
                    return consume(through())
                finally:
                    received.append((kind, size[0]))

            return fn(url_path, *args, counting, **kwargs)

        return wrapper

    # request: until the answer's headers; get/post_streamed: the whole exchange, parsed
    http.request = _timed("request", http.request)  # type: ignore[method-assign]
    http.get_streamed = _timed("get", _counted("get", http.get_streamed))  # type: ignore[method-assign]
    http.post_streamed = _timed("post", _counted("post", http.post_streamed))  # type: ignore[method-assign]
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    outcome = run_sync(
        config, None, as_of=_bench_data.SYNTH_AS_OF, store=store, progress=stage, dry_run=dry_run
    )
    if profiler:
        profiler.disable()
    ended = time.perf_counter()
    stages = {}
    bounds = [*marks, ("end", ended, rss_mib(), time.process_time())]
    for (name, t0, rss, c0), (_next, t1, _rss, c1) in itertools.pairwise(bounds):
        stages[name] = {
            "seconds": round(t1 - t0, 2),
            "cpu_s": round(c1 - c0, 2),
            "rss_mib_at_start": round(rss),
        }
    counts = outcome.result.counts()
    report: dict[str, Any] = {
        "seconds": round(ended - started, 2),
        "stages": stages,
        "dry_run": dry_run,
        "http": {**_http_times(calls), "bytes_received": received},
        "peak_mib": round(peak_mib()),
        "findings": len(outcome.result.findings),
        "by_severity": dict(counts),
        "highlighted_cells": len(outcome.plan.marks),
        "write_requests": outcome.report.requests,
    }
    if profiler:
        report["profile"] = _top(profiler)
    _say(report)
    return 0


def _http_times(calls: list[tuple[str, float]]) -> dict[str, float]:
    """Seconds in the reads' exchanges (received and parsed as they stream; the notes read
    just before the write among them) and the write's.

    `*_first_byte_s` is until the answers' headers came: the server's time to start."""
    return {
        "read_first_byte_s": round(sum(t for name, t in calls if name == "request:get"), 2),
        "read_s": round(sum(t for name, t in calls if name == "get"), 2),
        "write_first_byte_s": round(sum(t for name, t in calls if name == "request:post"), 2),
        "write_s": round(sum(t for name, t in calls if name == "post"), 2),
        "requests": sum(1 for name, _t in calls if name.startswith("request:")),
    }


def _top(profiler: cProfile.Profile, n: int = 25) -> list[dict[str, Any]]:
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (file, line, func), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append(
            {
                "function": f"{Path(file).name}:{line}({func})",
                "calls": calls,
                "tottime_s": round(tottime, 2),
                "cumtime_s": round(cumtime, 2),
            }
        )
    rows.sort(key=lambda r: -r["tottime_s"])
    return rows[:n]


def _say(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False), flush=True)


# --- the parent ------------------------------------------------------------------------------


def _child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:1])} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def available_mib() -> float:
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    return float("inf")


# Peak memory per grid cell, MiB (scripts/bench.py --only sync): the
# stand-in holding the sheet, the floor (the whole answer json-parsed at once), kspo's read
# and kspo's whole sync (both answers parsed as they stream in). The processes run one at a
# time beside the stand-in. A bigger run is sized from the sizes run before it, if any.
# Measured at 9.2M cells: stand-in 6,808 MiB at its peak, floor 9,789, kspo 1,486 / 1,507.
PER_CELL_MIB = {"stand_in": 0.75e-3, "floor": 1.07e-3, "read": 0.3e-3, "write": 0.35e-3}
HEADROOM = 0.85  # share of MemAvailable a run may plan to use: others share this machine


def plan(cells: int, per_cell: dict[str, float], share: float = HEADROOM) -> tuple[int, bool, str]:
    """Cells to run (at most `cells`), whether the writing sync fits too, and why."""
    budget = available_mib() * share
    reader = max(per_cell["floor"], per_cell["read"])
    read_need = (per_cell["stand_in"] + reader) * cells
    fits = cells
    note = ""
    if read_need > budget:
        fits = int(budget / (per_cell["stand_in"] + reader) // 500_000 * 500_000)
        note = (
            f"would need about {read_need / 1024:,.0f} GiB (the stand-in and the floor's or"
            f" kspo's read); {budget / 1024:,.0f} GiB could be used, so the run was sized for"
            f" {fits:,} cells"
        )
    write_need = (per_cell["stand_in"] + per_cell["write"]) * fits
    write = write_need <= budget
    if not write:
        note += ("; " if note else "") + (
            f"the writing sync was not run at {fits:,} cells: it would need about"
            f" {write_need / 1024:,.0f} GiB"
        )
    return fits, write, note


def run(
    sizes: list[int],
    *,
    wide_ids: bool = True,
    profile: bool = False,
    say: Any = print,
    memory_share: float = HEADROOM,
) -> dict[str, Any]:
    """Each size in turn; the first one also profiled when asked."""
    per_cell = dict(PER_CELL_MIB)
    runs = []
    for i, cells in enumerate(sizes):
        fits, write, note = plan(cells, per_cell, memory_share)
        if note:
            say(f"  sync: {note}")
        if fits < 100_000:
            runs.append({"requested_cells": cells, "skipped": note})
            continue
        result = run_one(fits, wide_ids=wide_ids, profile=profile and i == 0, write=write, say=say)
        result["requested_cells"] = cells
        result["note"] = note
        runs.append(result)
        grid = result["stand_in"]["grid_cells"]
        per_cell["stand_in"] = max(per_cell["stand_in"], result["stand_in"]["peak_mib"] / grid)
        per_cell["floor"] = max(
            per_cell["floor"],
            max(result["floor"][m]["peak_mib"] for m in ("get", "values")) / grid,
        )
        per_cell["read"] = max(per_cell["read"], result["kspo_dry_run"]["peak_mib"] / grid)
        if result["kspo"]:
            per_cell["write"] = max(per_cell["write"], result["kspo"]["peak_mib"] / grid)
    return {
        "what": (__doc__ or "").split("\n\n")[0].replace("\n", " ").strip(),
        "floor_is": FLOOR_IS,
        "runs": runs,
    }


FLOOR_IS = (
    "The floor is kspo's own read done by nothing but requests and json.loads: the same"
    " values.batchGet of the same tabs (formulas as formulas, numbers as numbers, text as"
    " text), received and parsed whole. That is the least any tool must do to get the values"
    " kspo validates; kspo also reads the sheets' metadata (small) and, where the values"
    " leave a cell in doubt, that cell's grid data. The one-call design's spreadsheets.get"
    " of grid data (every cell as typed, with its number format) is shown beside it. Both"
    " floors include the stand-in's time to make the answer, as kspo's read does."
)


def run_one(
    cells: int,
    *,
    wide_ids: bool = True,
    profile: bool = False,
    write: bool = True,
    say: Any = print,
) -> dict[str, Any]:
    env = dict(os.environ)
    server, ask = _bench_data.child_server(
        [sys.executable, str(SCRIPT), "--child-serve", str(cells)], env=env
    )
    assert server.stdout is not None

    try:
        ready = json.loads(server.stdout.readline() or "null")
        if not ready:
            raise RuntimeError("the stand-in did not start")
        say(
            f"  sync: stand-in holds {ready['grid_cells']:,} cells ({ready['producer_rows']:,}"
            f" producers), seeded in {ready['seed_s']:.0f} s, {ready['rss_mib']:,} MiB"
        )
        url, key = ready["url"], ready["key"]
        floors = {}
        for mode in ("get", "values"):
            floors[mode] = _child(["--child-floor", url, key, mode], env)
            floors[mode]["server"] = ask("log")
            say(f"  sync: floor '{mode}' {floors[mode]['seconds']:.1f} s, {floors[mode]['bytes'] / MIB:,.0f} MiB")  # fmt: skip
        args = ["--child-sync", url, key] + (["--wide-ids"] if wide_ids else [])
        # first without the write (the spreadsheet stays as the floor read it), then whole
        dry = _child([*args, "--dry-run"], env)
        dry["server"] = ask("log")
        say(f"  sync: kspo --dry-run {dry['seconds']:.1f} s, peak {dry['peak_mib']:,} MiB")
        profiled = None
        if profile:
            profiled = _child([*args, "--dry-run", "--profile"], env)
            profiled["server"] = ask("log")
            say(f"  sync: profiled --dry-run {profiled['seconds']:.1f} s")
        sync = None
        if write:
            sync = _child(args, env)
            sync["server"] = ask("log")
            say(f"  sync: kspo {sync['seconds']:.1f} s, peak {sync['peak_mib']:,} MiB")
        after = ask("cells")
        server.stdin.write("stop\n")
        server.stdin.flush()
        server_peak = json.loads(server.stdout.readline())
    finally:
        if server.poll() is None:
            server.stdin.close()
            server.wait(timeout=60)
    floor = floors["values"]["seconds"]
    return {
        "requested_cells": cells,
        "stand_in": {**ready, "grid_cells_after_sync": after["grid_cells"], **server_peak},
        "config": "producer IDs widened to " + _bench_data.WIDE_PRODUCER_ID
        if wide_ids
        else "contract",
        "floor": floors,
        "kspo_dry_run": dry,
        "kspo": sync,
        "ratio_to_floor": round(sync["seconds"] / floor, 2) if sync and floor else None,
        "dry_run_ratio_to_floor": round(dry["seconds"] / floor, 2) if floor else None,
        "profile": profiled,
    }
