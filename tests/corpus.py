"""The real-value corpus in tests/data/real/: values exactly as typed in public Thai registers,
each with the reading the parsers must give. Shared by tests/thai/test_real_values.py and
scripts/real_corpus.py (which builds the files and reports the share read as valid).

Files per source folder (each with SOURCE.md: where from, when, licence):
  phones.csv  typed, expected, note
  places.csv  province, amphoe, tambon, expected, note   (amphoe/tambon as typed)
  dates.csv   typed, expected, note
  money.csv   typed, expected, note

An expected reading is what a finding-free value reads as, or "!code" for an error and
"~code reading" for a warning; a row whose reading is an error or a warning carries a note
saying why the source value is wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kspo_sheets.model import Issue, Severity
from kspo_sheets.thai.dates import parse_date
from kspo_sheets.thai.gazetteer import Gazetteer
from kspo_sheets.thai.numbers import parse_money
from kspo_sheets.thai.phones import cell_issue, read_phones

REAL = Path(__file__).resolve().parent / "data" / "real"
KINDS = ("phones", "places", "dates", "money")
_GAZETTEERS: dict[str, Gazetteer] = {}


def _marked(issue: Issue | None, reading: str) -> str:
    if issue is None:
        return reading
    if issue.severity is Severity.ERROR:
        return f"!{issue.code}"
    return f"~{issue.code} {reading}".rstrip()


def read_phone(typed: str) -> str:
    """Every number in the cell (a block as first-last), hotlines allowed, as buyers' are."""
    cell = read_phones(typed, service_numbers=True)
    if cell is None:
        return ""
    shown = " ".join(
        it.first if it.last is None else f"{it.first}-{it.last}" for it in cell.items if it.first
    )
    return _marked(cell_issue(cell), shown)


def read_place(province: str, amphoe: str, tambon: str) -> str:
    """The amphoe code, and the tambon code where one is typed: "8302 830201"."""
    g = _GAZETTEERS.get(province)
    if g is None:
        g = _GAZETTEERS[province] = Gazetteer(province)
    a, issue = g.parse_amphoe(amphoe)
    if a is None:
        return _marked(issue, "")
    if not tambon:
        return a.code
    t, issue = g.parse_tambon(tambon, a.code)
    return _marked(issue, f"{a.code} {t.code}" if t is not None else "")


def read_date(typed: str) -> str:
    d, issue = parse_date(typed, as_of=dt.date(2026, 1, 1))
    return _marked(issue, d.isoformat() if d is not None else "")


def read_money(typed: str) -> str:
    """Baht as a plain number ("1500000", "1447458.33"), as a money column reads it."""
    x, issue = parse_money(typed)
    return _marked(issue, f"{x:.2f}".removesuffix(".00") if x is not None else "")


@dataclass(frozen=True)
class Row:
    source: str
    kind: str
    fields: dict[str, str]

    @property
    def expected(self) -> str:
        return self.fields["expected"]

    @property
    def note(self) -> str:
        return self.fields.get("note", "")

    def reading(self) -> str:
        f = self.fields
        if self.kind == "phones":
            return read_phone(f["typed"])
        if self.kind == "places":
            return read_place(f["province"], f["amphoe"], f["tambon"])
        if self.kind == "money":
            return read_money(f["typed"])
        return read_date(f["typed"])

    @property
    def label(self) -> str:
        f = self.fields
        shown = f.get("typed") or f"{f.get('province')}|{f.get('amphoe')}|{f.get('tambon')}"
        return f"{self.source}/{self.kind}: {shown!r}"


def rows(root: Path = REAL) -> Iterator[Row]:
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for kind in KINDS:
            path = folder / f"{kind}.csv"
            if not path.exists():
                continue
            with path.open(encoding="utf-8", newline="") as f:
                for fields in csv.DictReader(f):
                    yield Row(folder.name, kind, fields)


def is_valid(expected: str) -> bool:
    """Read with no finding at all."""
    return not expected.startswith(("!", "~"))
