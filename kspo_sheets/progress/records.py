"""The validated records as figures read them: derived columns, usable values, row verdicts.

A row is left out of a figure only when a value the figure reads is unusable: the column
carries an error-severity finding (Record.errors), or, for a derived column, one of the
columns it is made from does. A row that one of its usable values already puts outside
the figure (a village not in the network) is simply not counted; it is not "left out".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kspo_sheets.config.province import Config
from kspo_sheets.model import Record, ValidationResult
from kspo_sheets.thai.fiscal import fiscal_year

# Where an unusable value's error is: (register, finding code).
Why = tuple[str, str]
# A filter: a column and what its (comparable) value must satisfy.
Test = tuple[str, Callable[[Any], bool]]
OUTSIDE = ("", "")  # the row's usable values put it outside the figure


def key_of(value: Any) -> Any:
    """A comparable form of a parsed value (a village code -> its 8 digits, a place -> its name)."""
    code8 = getattr(value, "code8", None)
    if code8 is not None:
        return code8
    name = getattr(value, "name_th", None)
    return name if name is not None else value


def where_tests(where: Mapping[str, Any] | None) -> list[Test]:
    """The filters of a `where`/`of` parameter: each column equal to a value or in a list."""
    out: list[Test] = []
    for k, want in (where or {}).items():
        wants = list(want) if isinstance(want, list) else [want]
        out.append((k, _one_of(wants)))
    return out


def _one_of(wants: list[Any]) -> Callable[[Any], bool]:
    def test(v: Any) -> bool:
        return key_of(v) in wants

    return test


class Records:
    """Every register's records, derived columns filled in, and what makes a value unusable."""

    def __init__(self, config: Config, result: ValidationResult) -> None:
        self.config = config
        self.result = result
        self.as_of: dt.date = result.as_of
        self.fy = fiscal_year(result.as_of)
        # (register, derived column) -> id(record) -> why its value is unusable
        self._derived: dict[tuple[str, str], dict[int, Why]] = {}
        self._by_id: dict[str, dict[Any, Record]] = {}
        self._derive()

    # --- records -------------------------------------------------------------------------

    def present(self, register: str) -> bool:
        reg = self.result.registers.get(register)
        return bool(reg and reg.present and reg.columns)

    def all(self, register: str) -> list[Record]:
        reg = self.result.registers.get(register)
        return reg.records if reg else []

    def id_key(self, register: str) -> str:
        return self.config.registers[register].id_key

    def by_id(self, register: str) -> dict[Any, Record]:
        """Rows by their usable ID; where rows share an ID, the first of them."""
        got = self._by_id.get(register)
        if got is None:
            got = {}
            if register in self.config.registers:
                id_key = self.id_key(register)
                for r in self.all(register):
                    v = r.values.get(id_key)
                    if v is not None and r.unusable(id_key) is None:
                        got.setdefault(key_of(v), r)
            self._by_id[register] = got
        return got

    # --- usable values -------------------------------------------------------------------

    def why(self, register: str, rec: Record, key: str) -> Why | None:
        """Why the row's value of `key` is unusable (register and code of the error), or None."""
        derived = self._derived.get((register, key))
        if derived is not None:
            return derived.get(id(rec))
        code = rec.unusable(key)
        return (register, code) if code is not None else None

    def judge(
        self, register: str, rec: Record, tests: Sequence[Test], reads: Sequence[str] = ()
    ) -> Why | None:
        """None: the row counts. OUTSIDE: a usable value puts it outside. Else why it is left out.

        Every filter whose value is usable is checked first, so a row that is outside on
        what can be read is never reported as left out for what cannot.
        """
        why: Why | None = None
        for key, test in tests:
            w = self.why(register, rec, key)
            if w is not None:
                why = why or w
            elif not test(key_of(rec.values.get(key))):
                return OUTSIDE
        if why is not None:
            return why
        for key in reads:
            w = self.why(register, rec, key)
            if w is not None:
                return w
        return None

    def value(self, register: str, rec: Record, key: str) -> Any:
        """The row's comparable value of `key`, or None where it is unusable."""
        if self.why(register, rec, key) is not None:
            return None
        return key_of(rec.values.get(key))

    # --- derived columns -----------------------------------------------------------------

    def _derive(self) -> None:
        self._certificate_valid()
        self._linkage_village()

    def _certificate_valid(self) -> None:
        """producers.certificate_valid: certified, and not expired on the run date."""
        certified: set[str] = set()
        expiry_key = "cert_expiry"
        spec = self.config.registers.get("producers")
        for rule in spec.rules if spec else ():
            if rule.get("rule") == "cert_expiry":
                certified = set(rule.get("certified", ()))
                expiry_key = rule["column"]
        bad: dict[int, Why] = {}
        for r in self.all("producers"):
            cert = r.values.get("certification")
            expiry = r.values.get(expiry_key)
            r.values["certificate_valid"] = bool(
                cert in certified and expiry is not None and expiry >= self.as_of
            )
            why = self.why("producers", r, "certification")
            if why is None and cert in certified:
                why = self.why("producers", r, expiry_key)
            if why is not None:
                bad[id(r)] = why
        self._derived[("producers", "certificate_valid")] = bad

    def _linkage_village(self) -> None:
        """linkages.village_id: the village of the linkage's producer."""
        if "linkages" not in self.config.registers or "producers" not in self.config.registers:
            return
        producers = self.by_id("producers")
        bad: dict[int, Why] = {}
        for r in self.all("linkages"):
            r.values["village_id"] = None
            why = self.why("linkages", r, "producer_id")
            if why is None:
                p = producers.get(key_of(r.values.get("producer_id")))
                if p is not None:
                    why = self.why("producers", p, "village_id")
                    if why is None:
                        r.values["village_id"] = key_of(p.values.get("village_id"))
            if why is not None:
                bad[id(r)] = why
        self._derived[("linkages", "village_id")] = bad


class LeftOut:
    """Rows left out of one figure, counted by where their error is."""

    def __init__(self) -> None:
        self.counts: Counter[Why] = Counter()

    def add(self, why: Why, n: int = 1) -> None:
        self.counts[why] += n

    def update(self, other: LeftOut) -> None:
        self.counts.update(other.counts)

    def copy(self) -> LeftOut:
        out = LeftOut()
        out.counts.update(self.counts)
        return out

    def as_dict(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (register, code), n in sorted(self.counts.items()):
            out.setdefault(register, {})[code] = n
        return out
