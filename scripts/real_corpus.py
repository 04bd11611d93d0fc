"""Build and measure the real-value corpus in tests/data/real/ (see tests/corpus.py).

    python scripts/real_corpus.py report
        the share of values read with no finding, per source and kind (for the README)

    python scripts/real_corpus.py extract --set FILE --air4thai FILE --schools DIR \
        --votelog FILE --budget DIR
        rebuild the value files from local copies of the sources (see each SOURCE.md):
        values as typed, the parsers' reading as `expected`, and the notes already written
        kept; a new error or warning row gets an empty note, to be reviewed and explained.

The extract step needs the sources on disk; the report and the tests need nothing but
the files in tests/data/real/.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import geothai  # noqa: E402
from corpus import (  # noqa: E402
    KINDS,
    REAL,
    is_valid,
    read_date,
    read_money,
    read_phone,
    read_place,
    rows,
)

FIELDS = {
    "phones": ["typed", "expected", "note"],
    "places": ["province", "amphoe", "tambon", "expected", "note"],
    "dates": ["typed", "expected", "note"],
    "money": ["typed", "expected", "note"],
}
# A place in an address: its word (แขวง ตำบล ต. / เขต อำเภอ อ.) and a name of Thai letters
# only, at the start of a word: "เขต 2/40)", "อ.เอ.แคปปิตอล" (a building) and the form's own
# labels "อำเภอ/เขต" are not places anyone typed.
_TAMBON = re.compile(r"(?:^|(?<=\s))(?:แขวง|ตำบล|ต\.)\s*[\u0e01-\u0e4e]{2,}(?=[\s,]|$)")
_AMPHOE = re.compile(r"(?:^|(?<=\s))(?:เขต|อำเภอ|อ\.)\s*[\u0e01-\u0e4e]{2,}(?=[\s,]|$)")
_PROVINCE_WORD = re.compile(r"^(?:จังหวัด|จ\.)\s*")
_BANGKOK = {"กรุงเทพฯ", "กรุงเทพ", "กทม.", "กทม", "กรุงเทพมหานคร"}


def province_code(typed: str) -> str | None:
    """The DOPA code of a province name as typed (short forms, small slips)."""
    name = _PROVINCE_WORD.sub("", typed.strip()).strip()
    if name in _BANGKOK:
        return "10"
    names = {p.name_th: p.code for p in geothai.provinces()}
    if name in names:
        return names[name]
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.8)
    return names[close[0]] if close else None


def _write(folder: Path, kind: str, new_rows: list[dict[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}.csv"
    notes: dict[tuple[str, ...], str] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                notes[tuple(r[k] for k in FIELDS[kind][:-2])] = r.get("note", "")
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, FIELDS[kind], lineterminator="\n")
        w.writeheader()
        seen = set()
        for r in new_rows:
            key = tuple(r[k] for k in FIELDS[kind][:-2])
            if key in seen:
                continue
            seen.add(key)
            r["note"] = notes.get(key, "")
            w.writerow(r)


def _place(province: str | None, text: str) -> dict[str, str] | None:
    amphoe = _AMPHOE.search(text)
    if province is None or amphoe is None:
        return None
    tambon = _TAMBON.search(text)
    row = {
        "province": province,
        "amphoe": amphoe.group(),
        "tambon": tambon.group() if tambon else "",
    }
    row["expected"] = read_place(row["province"], row["amphoe"], row["tambon"])
    return row


def extract_set(path: Path) -> None:
    companies = json.loads(path.read_text(encoding="utf-8"))
    phones, places = [], []
    for c in companies:
        for key in ("tel", "fax"):
            typed = c.get(key)
            if typed:
                phones.append({"typed": typed, "expected": read_phone(typed)})
        address = (c.get("address") or "").strip()
        if address:
            place = _place(province_code(address.split()[-1]), address)
            if place:
                places.append(place)
    folder = REAL / "set-listed-companies"
    _write(folder, "phones", phones)
    _write(folder, "places", places)


def extract_air4thai(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    stations = json.loads(text[text.index("[") : text.rindex("]") + 1])
    places, dates = [], []
    for s in stations:
        area = s.get("Area") or ""
        if "," in area:
            place = _place(province_code(area.rsplit(",", 1)[1]), area.rsplit(",", 1)[0])
            if place:
                places.append(place)
        for key in ("OpenDate", "CloseDate"):
            typed = s.get(key)
            if typed:
                dates.append({"typed": typed, "expected": read_date(typed)})
    folder = REAL / "air4thai-stations"
    _write(folder, "places", places)
    _write(folder, "dates", dates)


def extract_schools(folder: Path, per_province: int = 6) -> None:
    rng = random.Random(2562)
    places = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            schools = [r for r in csv.DictReader(f) if r.get("district")]
        for r in rng.sample(schools, min(per_province, len(schools))):
            code = province_code(r["province"])
            if code is None:
                continue
            row = {"province": code, "amphoe": r["district"], "tambon": r["subDistrict"]}
            row["expected"] = read_place(code, row["amphoe"], row["tambon"])
            places.append(row)
    _write(REAL / "wikipedia-schools", "places", places)


def extract_votelog(path: Path) -> None:
    """The `vote_date` of each vote (the sheet's second row holds the column keys)."""
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    column = table[1].index("vote_date")
    dates = []
    for r in table[2:]:
        typed = r[column] if len(r) > column else ""
        if typed:
            dates.append({"typed": typed, "expected": read_date(typed)})
    _write(REAL / "wevis-votelog", "dates", dates)


def extract_budget(folder: Path, sample: int = 300) -> None:
    """The `AMOUNT` of the budget lines, as the Bureau of the Budget's FY2565 documents print
    them and OCR read them ("96,896,200"). Lines of a multi-year commitment (`OBLIGED?` True)
    and amounts with a decimal point are left out: those were written by the extracting
    script as floats ("2,476,000.0"), not read from a page (the pages print whole baht). A fixed-seed sample of the distinct amounts, and every amount the
    parser refuses (the OCR slips), are kept."""
    amounts: set[str] = set()
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                typed = r.get("AMOUNT") or ""
                if typed and r.get("OBLIGED?") == "False" and "." not in typed:
                    amounts.add(typed)
    distinct = sorted(amounts)
    refused = [a for a in distinct if not is_valid(read_money(a))]
    rest = [a for a in distinct if a not in set(refused)]
    chosen = refused + random.Random(2565).sample(rest, min(sample, len(rest)))
    money = [{"typed": a, "expected": read_money(a)} for a in chosen]
    _write(REAL / "budget-bill-2565", "money", money)


def report() -> str:
    counts: Counter[tuple[str, str]] = Counter()
    valid: Counter[tuple[str, str]] = Counter()
    for r in rows():
        counts[(r.source, r.kind)] += 1
        valid[(r.source, r.kind)] += is_valid(r.expected)
    lines = ["| source | kind | values | read with no finding | share |", "|---|---|--:|--:|--:|"]
    for (source, kind), n in sorted(
        counts.items(), key=lambda kv: (kv[0][0], KINDS.index(kv[0][1]))
    ):
        ok = valid[(source, kind)]
        lines.append(f"| {source} | {kind} | {n:,} | {ok:,} | {100 * ok / n:.1f}% |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("report", help="share of values read with no finding, per source")
    ex = sub.add_parser("extract", help="rebuild the value files from local copies")
    ex.add_argument("--set", type=Path, help="thai_securities_all_th.json")
    ex.add_argument("--air4thai", type=Path, help="air4thai_station.js")
    ex.add_argument("--schools", type=Path, help="the dist/csv/provinces folder")
    ex.add_argument("--votelog", type=Path, help="the They Work for Us [T] Votelog.csv")
    ex.add_argument(
        "--budget", type=Path, help="the csv-extraction/napatswift-coordintes/output folder"
    )
    args = parser.parse_args()
    if args.command == "report":
        print(report())
        return
    if args.set:
        extract_set(args.set)
    if args.air4thai:
        extract_air4thai(args.air4thai)
    if args.schools:
        extract_schools(args.schools)
    if args.votelog:
        extract_votelog(args.votelog)
    if args.budget:
        extract_budget(args.budget)


if __name__ == "__main__":
    main()
