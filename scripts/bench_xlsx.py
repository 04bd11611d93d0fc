"""Time a local workbook's sync, and its write alone, at --rows producers.

The workbook holds the six registers (the sample's, with ผู้ผลิต grown to --rows synthetic
rows from scripts/_synth.py and their villages added to หมู่บ้าน), written once with
XlsxWriter. Each run happens in its own subprocess on a fresh copy, so peak memory
(ru_maxrss) belongs to that run alone: read, validate, compute, then `XlsxStore.write`,
each timed (wall clock, and CPU seconds for the read and the write, which a busy machine
disturbs less). The write is what changes between writers; the rest is printed for scale.

    .venv/bin/python scripts/bench_xlsx.py --rows 100000            # IDs P-000001.. (few findings)
    .venv/bin/python scripts/bench_xlsx.py --rows 100000 --ids contract   # ^P-\\d{4}$: 90% duplicates

Results go to bench-results/xlsx.json (one object per run, with the commit).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def build(path: Path, rows: int, ids: str) -> None:
    """The benchmark workbook: every cell as staff type it (text stays text)."""
    import _bench_data
    import xlsxwriter

    if ids == "wide":
        tabs, _ = _bench_data.big_producers(rows)
        registers, _ = _bench_data.registers(10, 6)
        village_tab = _bench_data.config().registers["villages"].tab
        have = {r[0] for r in registers[village_tab] if r}
        registers[village_tab] += [r for r in tabs[village_tab][1:] if r[0] not in have]
        producer_tab = _bench_data.config().registers["producers"].tab
        registers[producer_tab] = tabs[producer_tab]
    else:
        registers, _ = _bench_data.registers(rows, 6)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    date = wb.add_format({"num_format": "d/m/yyyy"})
    for title, lines in registers.items():
        ws = wb.add_worksheet(title)
        for r, line in enumerate(lines):
            for c, v in enumerate(line):
                if v is None or v == "":
                    continue
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                elif isinstance(v, dt.date):
                    ws.write_datetime(r, c, v, date)
                else:
                    ws.write(r, c, v)
    wb.close()


def run_once(path: Path, ids: str) -> dict[str, Any]:
    import _bench_data

    from kspo_sheets.checks.validate import validate
    from kspo_sheets.progress.indicators import compute
    from kspo_sheets.status.tabs import build_plan, history_row
    from kspo_sheets.stores.xlsx.store import XlsxStore

    config = _bench_data.wide_id_config() if ids == "wide" else _bench_data.config()
    as_of = _bench_data.SYNTH_AS_OF
    store = XlsxStore(path, backups=0)
    out: dict[str, Any] = {}
    t, c = time.perf_counter(), time.process_time()
    snapshot = store.read()
    out["read_s"], out["read_cpu_s"] = time.perf_counter() - t, time.process_time() - c
    t = time.perf_counter()
    result = validate(snapshot, config, as_of=as_of)
    out["validate_s"] = time.perf_counter() - t
    t = time.perf_counter()
    progress = compute(config, result)
    history = history_row(config, result, progress, source=str(path), outcome="bench")
    plan = build_plan(config, result, progress, history=history)
    out["plan_s"] = time.perf_counter() - t
    out["peak_before_write_mb"] = _peak_mb()
    t, c = time.perf_counter(), time.process_time()
    report = store.write(snapshot, plan)
    out["write_s"], out["write_cpu_s"] = time.perf_counter() - t, time.process_time() - c
    out["peak_mb"] = _peak_mb()
    out["findings"] = len(result.findings)
    out["marks"] = len(plan.marks)
    out["changed"] = report.changed
    out["sidecar"] = report.sidecar
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--ids", choices=("wide", "contract"), default="wide")
    ap.add_argument("--repeat", type=int, default=1, help="runs, each on a fresh copy")
    ap.add_argument("--out", type=Path, default=ROOT / "bench-results" / "xlsx.json")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_once(args.child, args.ids)))
        return
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    results = []
    with tempfile.TemporaryDirectory(prefix="kspo-bench-xlsx-") as tmp:
        master = Path(tmp) / "master.xlsx"
        t = time.perf_counter()
        build(master, args.rows, args.ids)
        print(
            f"workbook: {args.rows:,} producers ({args.ids} IDs), "
            f"{master.stat().st_size / 2**20:.1f} MiB, made in {time.perf_counter() - t:.1f} s",
            file=sys.stderr,
        )
        for i in range(args.repeat):
            work = Path(tmp) / f"run{i}.xlsx"
            shutil.copy(master, work)
            cmd = [sys.executable, __file__, "--ids", args.ids, "--child", str(work)]
            done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if done.returncode != 0:
                sys.exit(done.stderr)
            res = json.loads(done.stdout.strip().splitlines()[-1])
            res.update(
                rows=args.rows, ids=args.ids, commit=commit, size_mb=master.stat().st_size / 2**20
            )
            results.append(res)
            print(
                f"run {i + 1}: read {res['read_s']:.1f} s ({res['read_cpu_s']:.1f} CPU), "
                f"validate {res['validate_s']:.1f} s, plan {res['plan_s']:.1f} s, "
                f"write {res['write_s']:.2f} s ({res['write_cpu_s']:.2f} CPU); peak "
                f"{res['peak_before_write_mb']:.0f} MiB before the write, {res['peak_mb']:.0f} MiB "
                f"after; {res['findings']:,} findings, {res['marks']:,} marked cells"
                + (f"; sidecar {res['sidecar']}" if res["sidecar"] else ""),
                file=sys.stderr,
            )
    args.out.parent.mkdir(exist_ok=True)
    record = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "runs": results,
    }
    args.out.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
