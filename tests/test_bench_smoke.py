"""scripts/bench.py runs end to end (small sizes): a sync is a few HTTP calls whatever the
size, and the end-to-end section runs kspo and the obvious script as separate processes.

Not a timed test: it checks counts, which do not depend on the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench(tmp_path: Path, *args: str, timeout: float) -> dict:
    """scripts/bench.py run with `args`; its JSON report."""
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "scripts/bench.py", *args, "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict = json.loads(out.read_text(encoding="utf-8"))
    return report


def test_bench_quick_http_counts_a_few_calls_per_sync(tmp_path: Path) -> None:
    report = bench(tmp_path, "--quick", "--only", "http", timeout=120)
    cases = report["sections"]["http"]["cases"]
    assert {(c["tabs"], c["producer_rows"]) for c in cases} == {
        (t, n) for t in (1, 6, 20) for n in (10, 1_000)
    }
    for case in cases:
        assert case["kspo"]["http_calls"] <= 6, case
        assert case["kspo"]["by_method"]["POST"] == 1, case
        # the gspread way reads each register and writes each highlight on its own
        assert case["gspread"]["http_calls"] > case["highlighted_cells"], case
    assert report["sections"]["http"]["all_meet_target"] is True
    table = (tmp_path / "README-table.md").read_text(encoding="utf-8")
    assert "HTTP calls per sync" in table and "python scripts/bench.py --quick" in table


def test_bench_quick_sync_runs_every_stage(tmp_path: Path) -> None:
    """The 10-million-cell section at a small size: floor, dry run and sync all run, the
    sync is two calls, and the table renders (sizes and times are not checked)."""
    report = bench(tmp_path, "--only", "sync", "--cells", "100000", "--no-profile", timeout=300)
    (run,) = report["sections"]["sync"]["runs"]
    assert run["stand_in"]["grid_cells"] <= 100_000
    assert run["stand_in"]["grid_cells_after_sync"] <= 100_000
    # the sheets, the values (what the floor reads, byte for byte), the notes, the write
    assert run["kspo"]["http"]["requests"] == 4
    assert run["kspo"]["http"]["bytes_received"][1] == ["get", run["floor"]["values"]["bytes"]]
    assert run["kspo_dry_run"]["findings"] == run["kspo"]["findings"] > 0
    assert run["ratio_to_floor"] > 0
    table = (tmp_path / "README-table.md").read_text(encoding="utf-8")
    assert "Full sync at Google's 10-million-cell limit" in table


def test_bench_e2e_runs_kspo_and_the_obvious_script_as_processes(tmp_path: Path) -> None:
    """The end-to-end section at a tiny size: every client ran in its own process, was
    measured, and read the same spreadsheet (times are not checked)."""
    report = bench(tmp_path, "--only", "e2e", "--e2e-cells", "3000", timeout=600)
    (size,) = report["sections"]["e2e"]["sizes"]
    clients = size["clients"]
    assert set(clients) == {
        "kspo validate",
        "kspo validate (one-call design)",
        "obvious",
        "kspo sync --dry-run",
        "kspo sync",
    }
    for name, c in clients.items():
        assert c["cpu_s"] > 0 and c["peak_mib"] > 0 and c["bytes"] > 0, name
    assert clients["obvious"]["findings"] > 0 and clients["kspo validate"]["findings"] > 0
    # kspo's values read is the yardstick's size give or take the metadata; the one-call
    # design reads grid data, several times more
    assert clients["kspo validate"]["bytes"] <= 2 * size["values_only"]["bytes"]
    assert clients["kspo validate (one-call design)"]["bytes"] > clients["kspo validate"]["bytes"]
    assert clients["kspo sync"]["write_reply_bytes"] > 0
    assert size["checks"]["same_findings"] is True
    assert set(size["sync_stages"]) == {"reading", "validating", "computing", "laying", "writing"}
    assert 0 < size["checks"]["sync_less_tabs_cpu_ratio"] < size["checks"]["sync_cpu_ratio"]
    table = (tmp_path / "README-table.md").read_text(encoding="utf-8")
    assert "End to end: kspo validate and sync" in table


def test_bench_xlsx_writes_a_workbook_in_place(tmp_path: Path) -> None:
    """scripts/bench_xlsx.py at 2,000 rows: the write patches the workbook (no sidecar)."""
    out = tmp_path / "xlsx.json"
    done = subprocess.run(
        [sys.executable, "scripts/bench_xlsx.py", "--rows", "2000", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (run,) = json.loads(out.read_text(encoding="utf-8"))["runs"]
    assert run["changed"] and run["sidecar"] is None
    assert run["findings"] > 0 and run["marks"] > 0
