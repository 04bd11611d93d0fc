"""Run every kspo-sheets benchmark, print one table, and keep it as JSON.

    .venv/bin/python scripts/bench.py                    # everything (takes a while)
    .venv/bin/python scripts/bench.py --quick            # small sizes only (a smoke test)
    .venv/bin/python scripts/bench.py --only http,sync   # some sections
    .venv/bin/python scripts/bench.py --only sync --cells 1000000
    .venv/bin/python scripts/bench.py --only e2e --repeat 3 --e2e-before /tmp/before

Sections:
  validate  validation throughput and peak memory vs pandera and pandas (scripts/bench_validate.py)
  http      HTTP calls per sync against the Sheets stand-in, kspo vs the common gspread way
  sync      a full sync of a spreadsheet at Google's 10-million-cell limit, against the time
            merely to receive and json-parse the same answer
  pack      the meeting pack vs pandas to_excel with openpyxl (scripts/bench_pack.py)
  e2e       `kspo validate` and `kspo sync` end to end, each its own process, against the
            obvious gspread + pandas + pandera script, at 10k, 100k and 1M cells and at
            100,000 producers: wall, client CPU, peak memory, bytes received, calls

Results: bench-results/bench.json and bench-results/README-table.md (the table for the
README). Sections not run this time are carried over from the previous bench.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "scripts"
sys.path[:0] = [str(ROOT), str(SCRIPTS)]

SECTIONS = ("validate", "http", "sync", "pack", "e2e")
OUT = ROOT / "bench-results" / "bench.json"
FULL = {
    "http_rows": [10, 10_000, 100_000],
    "tabs": [1, 6, 20],
    "cells": [1_000_000, 10_000_000],
    "e2e_cells": [10_000, 100_000, 1_000_000, 1_305_000],  # the last: 100,000 producers
}
QUICK = {"http_rows": [10, 1_000], "tabs": [1, 6, 20], "cells": [100_000], "e2e_cells": [10_000]}
GIB = 2**30


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    info: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        cpu = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpu.splitlines()
                if line.startswith("model name")
            ),
            platform.processor() or "unknown",
        )
        mem = {
            line.split(":")[0]: int(line.split()[1]) * 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.split(":")[0] in ("MemTotal", "MemAvailable")
        }
        info["ram_gib"] = round(mem["MemTotal"] / GIB, 1)
        info["available_gib_at_start"] = round(mem["MemAvailable"] / GIB, 1)
        info["load_average_at_start"] = list(os.getloadavg())
    except (OSError, StopIteration, KeyError):
        pass
    return info


def _script_section(name: str, script: str, args: list[str], out: Path) -> dict[str, Any]:
    """Run one of the other benchmark scripts (someone else's) and take its JSON."""
    path = SCRIPTS / script
    if not path.exists():
        return {"status": "not yet available", "script": f"scripts/{script}"}
    command = [sys.executable, str(path), *args, "--out", str(out)]
    print(f"· {name}: {' '.join(shlex.quote(a) for a in command[1:])}", flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, text=True, capture_output=True, check=False)
    seconds = round(time.perf_counter() - started, 1)
    section: dict[str, Any] = {
        "script": f"scripts/{script}",
        "command": " ".join(["python", f"scripts/{script}", *args]),
        "json": str(out.relative_to(ROOT) if out.is_relative_to(ROOT) else out),
        "seconds": seconds,
    }
    if done.returncode != 0 or not out.exists():
        section.update(status="failed", returncode=done.returncode, stderr=done.stderr[-4000:])
        print(f"  {name} failed (exit {done.returncode}); its stderr is in the JSON", flush=True)
        return section
    section.update(status="ok", results=json.loads(out.read_text(encoding="utf-8")))
    section["stdout"] = done.stdout[-6000:]
    return section


def run_sections(args: argparse.Namespace, sizes: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name in args.only:
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        if name == "validate":
            extra = ["--sizes", "10000"] if args.quick else []
            section = _script_section(name, "bench_validate.py", extra, out_dir / "validate.json")
        elif name == "pack":
            extra = ["--rows", "2000" if args.quick else "100000"]
            section = _script_section(name, "bench_pack.py", extra, out_dir / "pack.json")
        elif name == "e2e":
            import _bench_e2e

            cells = args.e2e_cells or sizes["e2e_cells"]
            print(f"· e2e: kspo and the obvious script at {', '.join(f'{c:,}' for c in cells)} cells", flush=True)  # fmt: skip
            section = _bench_e2e.run(
                cells, repeat=args.repeat, before=args.e2e_before, typed=args.e2e_typed
            )
        elif name == "http":
            import _bench_http

            print("· http: HTTP calls per sync, kspo vs gspread", flush=True)
            section = _bench_http.run(sizes["http_rows"], sizes["tabs"])
        else:
            import _bench_sync

            cells = args.cells or sizes["cells"]
            print(f"· sync: full sync of {', '.join(f'{c:,}' for c in cells)} cells", flush=True)
            profile = args.profile if args.profile is not None else not args.quick
            section = _bench_sync.run(
                cells,
                wide_ids=not args.contract_ids,
                profile=profile,
                memory_share=args.memory_share,
            )
        section["ran_at"] = started
        section["run_by"] = args.command
        results[name] = section
    return results


# --- the table ---------------------------------------------------------------------------------


def _mib(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def table(report: dict[str, Any]) -> str:
    """The results as Markdown, one table per section."""
    out: list[str] = []
    m = report["machine"]
    sections = report["sections"]
    commands = sorted({s.get("run_by", report["command"]) for s in sections.values()})
    out.append(
        f"Measured on {m.get('nproc')} CPUs ({m.get('cpu', '?')}), {m.get('ram_gib', '?')} GiB RAM,"
        f" Python {m.get('python')} ({m.get('platform', '')}), {report['started']}; command: "
        + ", ".join(f"`{c}`" for c in commands)
        + "."
    )
    for name in SECTIONS:
        section = sections.get(name)
        if section is None:
            continue
        out.append("")
        out.append(f"### {_TITLES[name]}")
        out.append("")
        if section.get("status") in ("not yet available", "failed"):
            out.append(f"{section['script']}: {section['status']}.")
            continue
        out.extend(_RENDER[name](section))
        if section.get("run_by", report["command"]) != report["command"]:
            out.append(
                f"\n(from an earlier run: `{section.get('run_by')}`, {section.get('ran_at')})"
            )
    return "\n".join(out) + "\n"


def _validate_rows(section: dict[str, Any]) -> list[str]:
    res = section["results"]
    cases = res.get("cases", [])
    rows = [
        f"Producer IDs: {res.get('ids', 'contract')}; as of {res.get('as_of')}; a planted"
        f" mistake on {res.get('plant_rate', 0):.0%} of rows. Validation only, best of the"
        " timed runs; peak MiB is the case's own process.",
        "",
        "| implementation | rows | seconds | rows/s | peak MiB | findings |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for c in cases:
        peak = c.get("peak_rss")
        rows.append(
            f"| {c.get('impl')} | {c.get('rows', 0):,} | {c.get('seconds', 0):.2f} |"
            f" {c.get('rows_per_s', 0):,.0f} | {_mib(peak / 2**20 if peak else None)} |"
            f" {c.get('findings', 0):,} |"
        )
    rows.append(f"\n`{section['command']}`; details in {section.get('json', 'validate.json')}.")
    return rows


def _http_rows(section: dict[str, Any]) -> list[str]:
    rows = [
        "| tabs | producer rows | cells | findings | cells with findings | highlighted"
        " | kspo calls | gspread calls | kspo s | gspread s | gspread writes at 60/min |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for c in section["cases"]:
        rows.append(
            f"| {c['tabs']} | {c['producer_rows']:,} | {c['cells']:,} | {c['findings']:,} |"
            f" {c.get('finding_cells', 0):,} | {c['highlighted_cells']:,} |"
            f" **{c['kspo']['http_calls']}** | {c['gspread']['http_calls']:,} |"
            f" {c['kspo']['seconds']:.1f} | {c['gspread']['seconds']:.1f} |"
            f" {_minutes(c['gspread']['by_method'])} |"
        )
    verdict = "met in every case" if section.get("all_meet_target") else "NOT met in every case"
    rows.append(
        f"\nTarget: at most 6 HTTP calls per sync whatever the size, one of them the write:"
        f" {verdict}. kspo: the sheets, every register's values in one call, then only when"
        " needed which numbers are dates and which cells are formulas, the notes (for the"
        " write) and the one write. gspread: open_by_key, then per register"
        " worksheet() + get_all_values(), per written tab worksheet() (+ add_worksheet) and"
        " update() (split into pieces under Google's 10 MiB request limit), and one format()"
        " per cell kspo highlighted (kspo highlights at most 5,000 cells a run); notes not"
        " counted. The gspread way writes every finding; kspo's findings tab holds what fits"
        " in its one request. Both run for real against the stand-in, which counts the"
        " requests. Above 10,000 producers every row past P-9999 repeats an ID (the"
        " contract's ^P-\\d{4}$), hence the findings. Seconds are against the local stand-in,"
        " where a call costs next to nothing, and kspo's include validating and computing"
        " progress; Google allows 60 write requests a minute per user by default, which the"
        " last column applies to the gspread way's writes."
    )
    return rows


def _minutes(by_method: dict[str, int]) -> str:
    writes = sum(n for method, n in by_method.items() if method != "GET")
    return f"{writes / 60:,.1f} min"


def _sync_rows(section: dict[str, Any]) -> list[str]:
    runs = [r for r in section["runs"] if "skipped" not in r]
    rows = [
        "| cells | one-call grid read + json.loads | floor: values read + json.loads | kspo --dry-run"
        " | kspo sync | dry-run / floor | sync / floor | peak MiB: floor / dry-run / sync"
        " | write reply MiB |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in runs:
        get, values = r["floor"]["get"], r["floor"]["values"]
        dry, sync = r["kspo_dry_run"], r["kspo"]
        reply = [b for k, b in sync["http"]["bytes_received"] if k == "post"] if sync else []
        rows.append(
            f"| {r['stand_in']['grid_cells']:,} | {get['seconds']:.1f} s | {values['seconds']:.1f} s"
            f" | {dry['seconds']:.1f} s | {_s(sync)} | {r['dry_run_ratio_to_floor']}x"
            f" | {_x(r['ratio_to_floor'])} | {values['peak_mib']:,} / {dry['peak_mib']:,} /"
            f" {_mib(sync['peak_mib'] if sync else None)} | {_mib(sum(reply) / 2**20 if reply else None)} |"
        )
    rows.append("")
    rows.append(
        "Target: a sync within 3x the floor and under 4 GiB at 10,000,000 cells. Cells are"
        " every grid cell (Google's count): ผู้ผลิต 13 columns x N rows + หมู่บ้าน, before"
        " the sync writes its tabs. --dry-run is read, validate, compute and the batchUpdate"
        " body built, without the write's exchange."
    )
    for r in section["runs"]:
        why = r.get("note") or r.get("skipped")
        if why:
            rows.append(f"\n{r['requested_cells']:,} cells requested: {why}.")
    if runs:
        big = runs[-1]
        dry = big["kspo_dry_run"]
        rows.append(
            f"\nAt {big['stand_in']['grid_cells']:,} cells, kspo --dry-run stages: "
            + ", ".join(f"{n} {v['seconds']:.1f} s" for n, v in dry["stages"].items())
            + "; the read: first byte after {read_first_byte_s:.1f} s, then received and"
            " parsed as it streamed in, {read_s:.1f} s in all.".format(**dry["http"])
        )
        wrote = next((r for r in reversed(runs) if r["kspo"]), None)
        if wrote:
            sync = wrote["kspo"]
            reply = sum(b for k, b in sync["http"]["bytes_received"] if k == "post") / 2**20
            rows.append(
                f"At {wrote['stand_in']['grid_cells']:,} cells the writing sync"
                f" ({sync['findings']:,} findings, {sync['highlighted_cells']:,} cells"
                " highlighted): "
                + ", ".join(f"{n} {v['seconds']:.1f} s" for n, v in sync["stages"].items())
                + "; the write: {write_s:.1f} s, the reply's first byte after"
                " {write_first_byte_s:.1f} s.".format(**sync["http"])
                + f" The reply ({reply:,.0f} MiB) carries the ID and noted columns (values"
                " and notes only, through the write's fields mask), so notes can be checked"
                " against row IDs after a concurrent edit; it is read as it streams, keeping"
                " the IDs and the notes."
            )
        rows.append(
            "kspo reads both answers as they stream in (kspo_sheets/stores/google/json_stream.py): it never"
            " holds an answer whole, where the floor holds the bytes, their text and every"
            " cell's parsed objects at once."
        )
        if 1_000_000 <= big["stand_in"]["grid_cells"] < 9_000_000:
            rows.extend(_extrapolated(big))
    profile = next((r["profile"] for r in runs if r.get("profile")), None)
    if profile:
        rows.append("\ncProfile of kspo --dry-run (top functions by own time):\n")
        rows.append("| function | calls | own s | cumulative s |")
        rows.append("|---|--:|--:|--:|")
        for p in profile["profile"][:12]:
            rows.append(
                f"| `{p['function']}` | {p['calls']:,} | {p['tottime_s']:.2f} | {p['cumtime_s']:.2f} |"
            )
    rows.append("\n" + section["floor_is"])
    return rows


def _extrapolated(run: dict[str, Any]) -> list[str]:
    """10,000,000 cells, scaled linearly from the biggest run (not measured)."""
    k = 10_000_000 / run["stand_in"]["grid_cells"]
    floor, dry, sync = run["floor"]["values"], run["kspo_dry_run"], run["kspo"]
    text = (
        f"\nNot measured, scaled linearly to 10,000,000 cells from {run['stand_in']['grid_cells']:,}:"
        f" floor {floor['seconds'] * k:,.0f} s and {floor['peak_mib'] * k / 1024:,.1f} GiB;"
        f" kspo --dry-run {dry['seconds'] * k:,.0f} s and {dry['peak_mib'] * k / 1024:,.1f} GiB"
    )
    if sync:
        reply = sum(b for k, b in sync["http"]["bytes_received"] if k == "post") * k / 2**30
        text += (
            f"; the writing sync {sync['seconds'] * k:,.0f} s and"
            f" {sync['peak_mib'] * k / 1024:,.1f} GiB, its reply {reply:,.1f} GiB"
        )
    return [text + "."]


def _s(x: dict[str, Any] | None) -> str:
    return f"{x['seconds']:.1f} s" if x else "-"


def _x(x: float | None) -> str:
    return f"{x}x" if x is not None else "-"


def _pack_rows(section: dict[str, Any]) -> list[str]:
    res = section["results"]
    rows = ["| case | rows | seconds | peak MB | file MB |", "|---|--:|--:|--:|--:|"]
    for r in res.get("results", []):
        rows.append(
            f"| {r.get('case')} | {r.get('register_rows', 0):,} | {r.get('seconds', 0):.2f} |"
            f" {r.get('peak_rss_mb', 0):,.0f} | {r.get('file_mb', 0):.2f} |"
        )
    rows.append(f"\n`{section['command']}`; details in {section.get('json', 'pack.json')}.")
    return rows


def _e2e_rows(section: dict[str, Any]) -> list[str]:
    rows = [
        f"Commit {section.get('commit')}"
        + (f", before: {section['before_commit']}" if section.get("before_commit") else "")
        + f"; median of {section.get('repeat', 1)} turn(s); {section.get('config')}.",
        "",
        "| cells | producers | client | wall s | client CPU s | peak MiB | MiB received"
        " | x values-only | calls | findings |",
        "|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for size in section["sizes"]:
        base = size["values_only"]["bytes"]
        typed = " typed" if size.get("typed") else ""
        lead = f"| {size['grid_cells']:,}{typed} | {size['producer_rows']:,} |"
        rows.append(
            f"{lead} values-only read (yardstick) | | | | {base / 2**20:,.1f} | 1.00 |"
            f" {size['values_only']['calls']} | |"
        )
        for name, c in size["clients"].items():
            received = c["bytes"] / 2**20
            found = c.get("findings")
            rows.append(
                f"{lead} {name} | {c['wall_s']:.2f} | {c['cpu_s']:.2f} | {c['peak_mib']:,.0f} |"
                f" {received:,.1f} | {c['bytes'] / base:.2f} | {c['calls']:.0f} |"
                f" {'' if found is None else f'{found:,.0f}'} |"
            )
    rows.append("")
    for size in section["sizes"]:
        k = size["checks"]
        if "cpu_ratio" in k:
            rows.append(
                f"- {size['producer_rows']:,} producers{' (typed)' if size.get('typed') else ''}:"
                " kspo validate's CPU is"
                f" {k['cpu_ratio']:.2f}x the obvious script's (target at most 0.5"
                f"{'' if k['applies'] else ', which applies from 100,000 producers'}); bytes"
                f" {k['bytes_ratio']:.2f}x the values-only read (target at most 2)"
                + (
                    f"; kspo sync --dry-run (all but the write's exchange)"
                    f" {k['dry_run_cpu_ratio']:.2f}x the script's CPU"
                    if "dry_run_cpu_ratio" in k
                    else ""
                )
                + (
                    f"; kspo sync {k['sync_cpu_ratio']:.2f}x the script's CPU, its reads"
                    f" {k['sync_read_bytes_ratio']:.2f}x the values-only bytes"
                    if "sync_cpu_ratio" in k
                    else ""
                )
                + (
                    f"; without its write ({k['sync_write_cpu_s']:.2f} s CPU: reading the notes, building the"
                    " batchUpdate, sending it, reading the reply) the sync is"
                    f" {k['sync_less_write_cpu_ratio']:.2f}x the script's CPU"
                    if "sync_less_write_cpu_ratio" in k
                    else ""
                )
                + (
                    f"; without its status tabs ({k['sync_tabs_cpu_s']:.2f} s CPU: laying them"
                    " out and writing them) the sync is"
                    f" {k['sync_less_tabs_cpu_ratio']:.2f}x the script's CPU"
                    if "sync_less_tabs_cpu_ratio" in k
                    else ""
                )
                + "."
                + (
                    " Every kspo validate (each design, each turn) found the same findings."
                    if k.get("same_findings")
                    else " The kspo validate runs did NOT all find the same findings."
                )
            )
    rows.append(
        "\nEach client is its own process; client CPU is that process's user + system time"
        " (wait4), never the stand-in's; bytes are the answers' bodies as the stand-in sent"
        " them (uncompressed); a sync's bytes include its write's reply."
    )
    return rows


_TITLES = {
    "validate": "Validation throughput (ผู้ผลิต register)",
    "http": "HTTP calls per sync (Sheets API stand-in)",
    "sync": "Full sync at Google's 10-million-cell limit (Sheets API stand-in)",
    "pack": "Meeting pack vs pandas to_excel (openpyxl)",
    "e2e": "End to end: kspo validate and sync vs gspread + pandas + pandera (Sheets API stand-in)",
}
_RENDER = {
    "validate": _validate_rows,
    "http": _http_rows,
    "sync": _sync_rows,
    "pack": _pack_rows,
    "e2e": _e2e_rows,
}


# --- main ------------------------------------------------------------------------------------


def _children(argv: list[str]) -> int | None:
    """The subprocesses scripts/_bench_sync.py and scripts/_bench_e2e.py start."""
    if not argv or not argv[0].startswith("--child-"):
        return None
    if argv[0] == "--child-e2e-serve":
        import _bench_e2e

        return _bench_e2e.child_serve(int(argv[1]), typed="--typed" in argv)
    import _bench_sync

    if argv[0] == "--child-serve":
        return _bench_sync.child_serve(int(argv[1]))
    if argv[0] == "--child-floor":
        return _bench_sync.child_floor(argv[1], argv[2], argv[3])
    if argv[0] == "--child-sync":
        return _bench_sync.child_sync(
            argv[1],
            argv[2],
            wide_ids="--wide-ids" in argv,
            profile="--profile" in argv,
            dry_run="--dry-run" in argv,
        )
    raise SystemExit(f"unknown child {argv[0]}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    child = _children(argv)
    if child is not None:
        return child
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0] if __doc__ else None,
        epilog="Sections: " + ", ".join(SECTIONS),
    )
    parser.add_argument("--quick", action="store_true", help="small sizes only (smoke test)")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run (default: all of {','.join(SECTIONS)})",
    )
    parser.add_argument(
        "--cells",
        type=lambda text: [int(x) for x in text.split(",")],
        help="comma-separated spreadsheet sizes in cells for the sync section (default"
        " 1000000,10000000; --quick 100000); a size that does not fit in memory is scaled down",
    )
    parser.add_argument(
        "--contract-ids",
        action="store_true",
        help="sync section: keep the contract's ^P-\\d{4}$ (every row past 10,000 is a duplicate)",
    )
    parser.add_argument(
        "--profile",
        action=argparse.BooleanOptionalAction,
        help="sync section: also a cProfile run at the first size (default: on, off with --quick)",
    )
    parser.add_argument(
        "--memory-share",
        type=float,
        default=0.85,
        help="sync section: share of MemAvailable a run may plan to use (default"
        " 0.85); a size that would need more is scaled down",
    )
    parser.add_argument(
        "--e2e-cells",
        type=lambda text: [int(x) for x in text.split(",")],
        help="comma-separated spreadsheet sizes in cells for the e2e section (default"
        " 10000,100000,1000000,1305000; --quick 10000)",
    )
    parser.add_argument(
        "--e2e-typed",
        type=lambda text: [int(x) for x in text.split(",")],
        default=[],
        help="e2e section: sizes (cells) also run with every cell as Sheets makes it when a"
        " person types it (numbers, date cells, formulas); default none",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="e2e section: turns of every client (median shown)"
    )
    parser.add_argument(
        "--e2e-before",
        type=Path,
        help="e2e section: also run kspo from this source tree (e.g. a git worktree of an"
        " earlier commit), in turns with this one",
    )
    parser.add_argument("--out", type=Path, default=OUT, help=f"JSON results (default {OUT})")
    args = parser.parse_args(argv)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}: use {', '.join(SECTIONS)}")

    out: Path = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    # Runs lock a spreadsheet by its key, and the stand-in's keys repeat from run to run:
    # keep this run's locks apart from any test or benchmark running beside it.
    os.environ["KSPO_LOCK_DIR"] = tempfile.mkdtemp(prefix="kspo-bench-locks-")
    command = "python scripts/bench.py" + "".join(f" {shlex.quote(a)}" for a in argv)
    args.command = command
    report: dict[str, Any] = {
        "command": command,
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "sections": {},
    }
    if out.exists():
        try:
            report["sections"] = json.loads(out.read_text(encoding="utf-8")).get("sections", {})
        except ValueError:
            pass
    report["sections"].update(run_sections(args, QUICK if args.quick else FULL, out.parent))
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    text = table(report)
    (out.parent / "README-table.md").write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"written: {out} and {out.parent / 'README-table.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
