"""Plain data passed between read -> validate -> compute -> write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "notice": 1}[self.value]

    @property
    def th(self) -> str:
        return {"error": "ข้อผิดพลาด", "warning": "คำเตือน", "notice": "แจ้งให้ทราบ"}[self.value]


@dataclass(frozen=True, slots=True)
class Issue:
    """What a parser or rule says about one value, before it is placed on a cell."""

    severity: Severity
    code: str
    th: str
    en: str


# What a parser returns: the parsed value (None when unusable) and at most one issue.
Parsed = tuple[Any, Issue | None]


@dataclass(frozen=True, slots=True)
class Formula:
    """A cell holding a formula; `cached` is its last computed value if known."""

    text: str
    cached: Any = None


@dataclass(frozen=True, slots=True)
class CellError:
    """A cell holding a spreadsheet error value such as #REF! or #N/A."""

    code: str


# A raw cell value as a store hands it over. Never numericised by us: strings stay strings.
CellValue = None | str | int | float | bool | dt.date | dt.datetime | Formula | CellError


@dataclass(slots=True)
class RawRow:
    """One data row of a register: its 1-based sheet row number and cells by column index."""

    row: int
    cells: list[CellValue]


@dataclass(slots=True)
class RawTab:
    """Every cell of one tab as typed, top-left at A1, plus what the write step needs."""

    title: str
    rows: list[list[CellValue]]
    sheet_id: int | None = None
    # Store-specific facts the writer needs (notes the tool set, rule indexes, ...).
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Snapshot:
    """Everything read from a source in one go."""

    source: str
    tabs: dict[str, RawTab]
    # Opaque token the store uses to detect a change between read and write.
    version: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Finding:
    """One problem, placed on a cell as staff see it."""

    register: str
    tab: str
    row: int | None
    row_id: str
    column: str
    column_key: str
    cell: str
    value: str
    severity: Severity
    code: str
    message_th: str
    message_en: str

    def as_json(self) -> dict[str, Any]:
        """The stable JSON shape other tools read (see README)."""
        return {
            "register": self.register,
            "tab": self.tab,
            "row": self.row,
            "row_id": self.row_id,
            "column": self.column,
            "cell": self.cell,
            "value": self.value,
            "severity": self.severity.value,
            "code": self.code,
            "message_th": self.message_th,
            "message_en": self.message_en,
        }


@dataclass(slots=True)
class Record:
    """A validated row: parsed values by key (None where unusable) and its columns in error.

    `errors` maps each column key that carries an error-severity finding to the code of its
    first one (rules add theirs: a repeated ID's later occurrences, a reference that does
    not resolve, a village code that disagrees with its place...). None: the row has no
    error finding. Empty: it has one, but every value is usable - the first of the rows
    that share an ID, which counts while its repeats do not. Warnings and notices are
    never here. Figures leave a row out only for an error in a column they read.
    """

    row: int
    row_id: str
    values: dict[str, Any]
    errors: Mapping[str, str] | None = None

    @property
    def has_error(self) -> bool:
        """Whether any error-severity finding is on the row (the status tab shows it)."""
        return self.errors is not None

    def unusable(self, key: str) -> str | None:
        """The code of the error that makes column `key` unusable, or None."""
        errors = self.errors
        return errors.get(key) if errors else None

    def add_error(self, key: str, code: str) -> None:
        """Mark column `key` unusable for `code` (a column keeps its first code)."""
        self.errors = with_error(self.errors, key, code)

    def flag_error(self) -> None:
        """The row has an error finding that leaves every value usable."""
        if self.errors is None:
            self.errors = NO_COLUMN


# Record.errors are shared and never changed in place (typed Mapping: read-only): a million
# rows repeating an ID hold one {"producer_id": "id.duplicate"} between them, not a million
# dicts. with_error makes a new one where a row needs another column.
NO_COLUMN: Mapping[str, str] = {}
_ONE_ERROR: dict[tuple[str, str], Mapping[str, str]] = {}


def with_error(errors: Mapping[str, str] | None, key: str, code: str) -> Mapping[str, str]:
    """Record.errors with column `key` unusable for `code` (its first code kept)."""
    if errors is None:
        got = _ONE_ERROR.get((key, code))
        if got is None:
            got = {key: code}
            if len(_ONE_ERROR) < 4096:  # columns x codes: a few hundred at most
                _ONE_ERROR[(key, code)] = got
        return got
    if key in errors:
        return errors
    return {**errors, key: code}


@dataclass(slots=True)
class RegisterResult:
    """A register after validation."""

    key: str
    tab: str
    present: bool
    records: list[Record]
    header_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)  # key -> 0-based column index
    headers: dict[str, str] = field(default_factory=dict)  # key -> header text as in the sheet

    @property
    def rows_total(self) -> int:
        return len(self.records)

    @property
    def rows_clean(self) -> int:
        return sum(1 for r in self.records if not r.has_error)


@dataclass(slots=True)
class ValidationResult:
    registers: dict[str, RegisterResult]
    findings: list[Finding]
    as_of: dt.date

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out


@dataclass(slots=True)
class IndicatorResult:
    """One indicator's value against its target."""

    id: str
    label_th: str
    label_en: str
    unit_th: str
    actual: float | None
    target: float | None
    percent: float | None
    status: str  # "achieved" | "not_achieved" | "no_data" | "info" (no target set)
    group: str = ""  # e.g. a field or sector for per-group indicators
    unit_en: str = ""
    # For shares: the percent to reach (target then holds the rows in scope).
    threshold: float | None = None
    # Rows left out because a value this figure reads is unusable, by where the error is:
    # register -> finding code -> rows. A row is counted once, under its first such error.
    left_out: dict[str, dict[str, int]] = field(default_factory=dict)
    # Totals over items in their own units (target products): how many items there are
    # and how many reached their own target, and how the percent was made: "sum" (one
    # unit: actual and target are the sums) or "mean" (mixed units: the mean of the items'
    # percentages, with no actual or target). "" for every other figure.
    items: int | None = None
    items_achieved: int | None = None
    method: str = ""

    @property
    def excluded_rows(self) -> int:
        """How many rows this figure left out, whatever the reason."""
        return sum(n for codes in self.left_out.values() for n in codes.values())

    @property
    def status_th(self) -> str:
        return STATUS_TH[self.status]

    @property
    def status_en(self) -> str:
        return STATUS_EN[self.status]


STATUS_TH = {"achieved": "บรรลุ", "not_achieved": "ยังไม่บรรลุ", "no_data": "ไม่มีข้อมูล", "info": "-"}
STATUS_EN = {
    "achieved": "achieved",
    "not_achieved": "not achieved",
    "no_data": "no data",
    "info": "-",
}


@dataclass(slots=True)
class Progress:
    """Everything the compute step produces."""

    as_of: dt.date
    fiscal_year: int
    indicators: list[IndicatorResult]
    # name -> table (list of dict rows), e.g. "by_amphoe", "by_working_group", "coverage_4r"
    breakdowns: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def a1(row: int, col: int) -> str:
    """A1 reference from a 1-based row and 0-based column."""
    return f"{column_letter(col)}{row}"
