"""The obvious script: what a user would write instead of `kspo validate`, for the benchmark.

    python scripts/_bench_obvious.py API_ROOT KEY CONFIG_DIR AS_OF > failures.csv

gspread opens the spreadsheet and reads every tab with get_all_values() (one call a tab,
values as shown); pandas makes the producers register a DataFrame under its header row;
pandera validates it with the producers rules, all findings collected (lazy=True), and
the failure cases go to stdout as CSV. The rules are scripts/bench_validate.py's pandera
schema, the same checks kspo makes on that register (ID form and uniqueness, village
reference, enums and aliases, national ID check digit, phones, BE dates, conditional
requirements, areas, numbers, yes/no, certificate expiry), so both do the same work there;
kspo validates the other five registers and the rules across registers besides.

API_ROOT stands in for Google (the project's stand-in); the client is gspread's own, its
root swapped (kspo_sheets.standin.client), with no credentials.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]


def main(url: str, key: str, config_dir: str, as_of: str) -> int:
    import pandas as pd

    try:
        import pandera.pandas as pa
    except ImportError:
        print(
            "the obvious script needs pandera: .venv/bin/pip install -e '.[bench]'", file=sys.stderr
        )
        return 2
    from bench_validate import Vector, _pandera_schema

    from kspo_sheets.config.province import load_config
    from kspo_sheets.standin.client import gspread_client
    from kspo_sheets.thai.gazetteer import Gazetteer

    config = load_config(Path(config_dir) / "phuket.yaml")
    producers = config.registers["producers"]
    villages = config.registers["villages"]

    sheet = gspread_client(url).open_by_key(key)
    tabs = {ws.title: ws.get_all_values() for ws in sheet.worksheets()}

    def table(title: str, first_header: str) -> list[list[str]]:
        rows = tabs[title]
        at = next(i for i, r in enumerate(rows) if r and r[0].strip() == first_header)
        return rows[at + 1 :]

    keys = [c.key for c in producers.columns]
    header = producers.columns[0].header
    body = [r[: len(keys)] + [""] * (len(keys) - len(r)) for r in table(producers.tab, header)]
    df = pd.DataFrame(body, columns=keys)
    village_ids = [r[0].strip() for r in table(villages.tab, villages.columns[0].header) if r]

    gazetteer = Gazetteer(config.province_code)
    schema, _memo = _pandera_schema(
        Vector(config, gazetteer, village_ids), dt.date.fromisoformat(as_of)
    )
    try:
        schema.validate(df, lazy=True)
        failures = pd.DataFrame({"check": [], "index": [], "failure_case": []})
    except pa.errors.SchemaErrors as err:
        failures = err.failure_cases
    failures.to_csv(sys.stdout, index=False)
    print(f"{len(df):,} producers, {len(failures):,} failure cases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
