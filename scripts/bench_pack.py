"""Time the meeting pack against pandas.DataFrame.to_excel (openpyxl engine) on the same rows.

Cases, each in its own subprocess so that peak memory (ru_maxrss) belongs to that case alone:
  pack/sample        build_pack for the sample workbook (validated at 2019-09-10)
  pandas/sample      the same tables' rows written with DataFrame.to_excel(engine="openpyxl")
  pack/synthetic     build_pack for --rows synthetic producers (records made in memory,
                     no workbook read or validated) plus linkages and findings in proportion
  pandas/synthetic   the same rows with DataFrame.to_excel(engine="openpyxl")

Timed: making the tables (selection, order, masking; the same code for both) and writing
them; not timed: making the data. Peak RSS covers the whole subprocess, so
"before" (RSS once the data is made) is printed too. Results go to bench-results/pack.json.

    .venv/bin/python scripts/bench_pack.py --rows 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2019, 9, 10)
CASES = ("pack/sample", "pandas/sample", "pack/synthetic", "pandas/synthetic")


def _rss_mb() -> float:
    """Resident memory now (Linux /proc), else the peak so far."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        import os

        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return _peak_mb()


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


# --- data ----------------------------------------------------------------------------------


def sample_data(work: Path) -> tuple[Any, Any, Any]:
    from kspo_sheets.commands.sample import build_sample
    from kspo_sheets.config.province import load_config
    from kspo_sheets.pipeline import run_validation
    from kspo_sheets.progress.indicators import compute

    source = work / "sample.xlsx"
    build_sample(source, as_of=AS_OF)
    config = load_config(ROOT / "configs" / "phuket.yaml")
    result, _ = run_validation(config, str(source), as_of=AS_OF)
    return config, result, compute(config, result)


def synthetic_data(rows: int) -> tuple[Any, Any, Any]:
    """`rows` producers over 23 villages, rows/2 linkages, rows/100 findings; no workbook."""
    from kspo_sheets.config.province import load_config
    from kspo_sheets.model import Finding, Record, RegisterResult, Severity, ValidationResult
    from kspo_sheets.progress.indicators import compute
    from kspo_sheets.thai.national_id import make_valid_id

    rng = random.Random(2562)
    config = load_config(ROOT / "configs" / "phuket.yaml")
    names = ("สมชาย ใจดี", "มาลี ทองคำ", "วิชัย แซ่ตัน", "ปราณี ศรีสมุทร", "อนันต์ หมัดหลี")
    kinds = ("บุคคล", "บุคคล", "บุคคล", "วิสาหกิจชุมชน", "กลุ่มเกษตรกร", "สหกรณ์")
    products = ("ผักเหลียง", "สับปะรดภูเก็ต", "กุ้งมังกร", "ไข่ไก่", "ข้าวไร่ดอกข่า", "เห็ดนางฟ้า")
    certs = ("GAP", "เกษตรอินทรีย์", "PGS", "อยู่ระหว่างขอรับรอง", "ไม่มี")
    codes = [f"830{a}0{t}0{m}" for a in (1, 2, 3) for t in (1, 2, 3) for m in (1, 2, 3)][:23]

    def register(key: str, records: list[Record]) -> RegisterResult:
        spec = config.registers[key]
        cols = {c.key: i for i, c in enumerate(spec.columns)}
        return RegisterResult(key, spec.tab, True, records, 3, cols, {})

    villages = [
        Record(
            4 + i,
            code,
            {
                "village_id": code,
                "name": f"บ้านทดสอบ {i + 1}",
                "amphoe": ("เมืองภูเก็ต", "กะทู้", "ถลาง")[int(code[3]) - 1],
                "tambon": f"ตำบล {code[4:6]}",
                "nawatwithi": True,
                "safe_food_network": i % 2 == 0,
                "joined_on": AS_OF - dt.timedelta(days=i),
                "working_group": ("เกษตร", "แปรรูป", "ท่องเที่ยวโดยชุมชน")[i % 3],
                "note": None,
            },
        )
        for i, code in enumerate(codes)
    ]
    producers = []
    for i in range(rows):
        kind = rng.choice(kinds)
        cert = rng.choice(certs)
        person = kind == "บุคคล"
        producers.append(
            Record(
                4 + i,
                f"P-{i + 1:06d}",
                {
                    "producer_id": f"P-{i + 1:06d}",
                    "village_id": rng.choice(codes),
                    "name": ("นาย" + rng.choice(names)) if person else f"{kind}ทดสอบ {i + 1}",
                    "kind": kind,
                    "national_id": make_valid_id(f"{rng.randrange(10**11, 10**12):012d}")
                    if person
                    else None,
                    "phone": f"08{rng.randrange(10**7, 10**8)}",
                    "category": "พืชผัก",
                    "products": ", ".join(rng.sample(products, 2)),
                    "certification": cert,
                    "cert_expiry": AS_OF + dt.timedelta(days=rng.randint(-200, 900))
                    if cert in ("GAP", "เกษตรอินทรีย์", "PGS")
                    else None,
                    "area_rai": float(rng.randint(1, 40)),
                    "monthly_kg": float(rng.randint(10, 2000)),
                    "consent": rng.random() < 0.93,
                },
            )
        )
    buyers = [
        Record(
            4 + i,
            f"B-{i + 1:03d}",
            {
                "buyer_id": f"B-{i + 1:03d}",
                "name": f"ผู้ซื้อทดสอบ {i + 1}",
                "buyer_type": ("โรงพยาบาล", "โรงเรียน", "โรงแรม", "ร้านอาหาร")[i % 4],
                "amphoe": "ถลาง",
            },
        )
        for i in range(40)
    ]
    linkages = [
        Record(
            4 + i,
            f"L-{i + 1:06d}",
            {
                "linkage_id": f"L-{i + 1:06d}",
                "producer_id": f"P-{rng.randrange(rows) + 1:06d}",
                "buyer_id": f"B-{rng.randrange(40) + 1:03d}",
                "product": rng.choice(products),
                "monthly_kg": float(rng.randint(10, 500)),
                "monthly_baht": float(rng.randint(1000, 90000)),
                "started_on": AS_OF - dt.timedelta(days=rng.randint(0, 700)),
                "status": rng.choice(("เจรจา", "ทดลองส่ง", "ส่งประจำ", "ส่งประจำ", "ยุติ")),
            },
        )
        for i in range(rows // 2)
    ]
    findings = [
        Finding(
            "producers",
            config.registers["producers"].tab,
            4 + i,
            f"P-{i + 1:06d}",
            "โทรศัพท์",
            "phone",
            f"F{4 + i}",
            "xxx-xxx-xx12",
            Severity.WARNING,
            "phone.invalid",
            "เบอร์โทรศัพท์ไม่ถูกต้อง",
            "Not a Thai phone number",
        )
        for i in range(rows // 100)
    ]
    registers = {
        "villages": register("villages", villages),
        "producers": register("producers", producers),
        "buyers": register("buyers", buyers),
        "linkages": register("linkages", linkages),
        "target_products": register("target_products", []),
        "honorees": register("honorees", []),
    }
    result = ValidationResult(registers, findings, AS_OF)
    return config, result, compute(config, result)


def table_rows(
    config: Any, result: Any, progress: Any
) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The pack's tables as plain header + rows (what pandas is asked to write)."""
    from kspo_sheets.pack import agenda as pack_agenda
    from kspo_sheets.pack import network as pack_network
    from kspo_sheets.pack import producers as pack_producers
    from kspo_sheets.pack import tables as pack_tables
    from kspo_sheets.pack.tables import Link, PackData, Styled

    d = PackData(config, result, progress)

    def plain(v: Any) -> Any:
        if isinstance(v, Styled):
            v = v.value
        if isinstance(v, Link):
            v = v.text
        return v

    tables = {
        "summary": pack_tables.indicators_table(d),
        "agenda1": pack_agenda.target_products(d)[0],
        "villages": pack_network.villages_table(d),
        "coverage": pack_network.coverage_table(d)[0],
        "producers": pack_producers.summary_table(d),
        "producer_groups": pack_producers.list_table(d),
        "linkages": pack_network.linkages_table(d),
        "honorees": pack_agenda.honorees_table(d),
        "quality": pack_tables.quality_table(d),
        "findings": pack_tables.findings_table(d),
    }
    out = {}
    for name, t in tables.items():
        headers = [c.header.replace("\n", " ") for c in t.cols]
        rows = [
            [plain(v) for v in r.values] + [None] * (len(headers) - len(r.values)) for r in t.rows
        ]
        out[name] = (headers, rows)
    return out


# --- one case, in a child process -------------------------------------------------------------


def run_case(case: str, rows: int, work: Path) -> dict[str, Any]:
    engine, data = case.split("/")
    config, result, progress = sample_data(work) if data == "sample" else synthetic_data(rows)
    n_rows = sum(len(r.records) for r in result.registers.values())
    import pandas as pd

    before = _rss_mb()
    start = time.perf_counter()
    if engine == "pack":
        from kspo_sheets.pack.build import build_pack

        path = build_pack(config, result, progress, out_dir=work / "packs", overwrite=True)
    else:
        # The same selection, ordering and masking as the pack, then a plain write.
        tables = table_rows(config, result, progress)
        path = work / "pandas.xlsx"
        with pd.ExcelWriter(path, engine="openpyxl") as writer:
            for name, (headers, body) in tables.items():
                pd.DataFrame(body, columns=headers).to_excel(writer, sheet_name=name, index=False)
    seconds = time.perf_counter() - start
    return {
        "case": case,
        "register_rows": n_rows,
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(_peak_mb(), 1),
        "rss_before_write_mb": round(before, 1),
        "file_mb": round(path.stat().st_size / 2**20, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="synthetic producers")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "pack.json")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated subset")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    if args.child:
        print(json.dumps(run_case(args.child, args.rows, args.work)))
        return 0

    results = []
    for case in args.cases.split(","):
        with tempfile.TemporaryDirectory(prefix="kspo-bench-") as tmp:
            cmd = [
                sys.executable,
                __file__,
                "--child",
                case,
                "--rows",
                str(args.rows),
                "--work",
                tmp,
            ]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                return 1
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            r = results[-1]
            print(
                f"{r['case']:<18} {r['register_rows']:>9,} rows  {r['seconds']:>8.2f} s"
                f"  peak {r['peak_rss_mb']:>7.1f} MB (before write {r['rss_before_write_mb']:.1f})"
                f"  file {r['file_mb']:.2f} MB",
                flush=True,
            )
    import openpyxl
    import pandas
    import xlsxwriter

    report = {
        "note": "seconds: making the tables (same code for both) and writing them, not making"
        " the data; peak RSS: the whole subprocess of each case",
        "synthetic_producers": args.rows,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "xlsxwriter": xlsxwriter.__version__,
        "openpyxl": openpyxl.__version__,
        "pandas": pandas.__version__,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
