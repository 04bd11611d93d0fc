"""Progress against the programme's targets, computed from validated registers.

Each computation is a plain function over records. A row is left out of an indicator only
when a value the indicator reads is unusable (config.indicators.columns_read names those
columns); an error anywhere else in the row leaves it in. Left-out rows are counted by
their finding code, so a typo never moves a figure silently. Totals over items measured
in different units (target products in baht, kg and people) are never sums: see units.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kspo_sheets.config.province import Config
from kspo_sheets.model import IndicatorResult, Progress, Record, ValidationResult
from kspo_sheets.progress.breakdowns import breakdowns
from kspo_sheets.progress.records import (
    OUTSIDE,
    LeftOut,
    Records,
    Test,
    Why,
    key_of,
    where_tests,
)
from kspo_sheets.progress.units import Item, total, unit_of

TOTAL = "รวม"


def _pct(a: float, b: float) -> float | None:
    return round(a / b * 100, 1) if b else None


def _year_tests(t: Records, params: Mapping[str, Any]) -> list[Test]:
    if params.get("fiscal_year") != "current":
        return []
    fy = t.fy
    return [("fiscal_year", lambda v: v == fy)]


def _filters(t: Records, params: Mapping[str, Any], *names: str) -> list[Test]:
    out: list[Test] = []
    for name in names:
        out += where_tests(params.get(name))
    return out + _year_tests(t, params)


def _result(ind: Mapping[str, Any], left: LeftOut | None = None, **kw: Any) -> IndicatorResult:
    base: dict[str, Any] = {
        "id": ind["id"],
        "label_th": ind["label_th"],
        "label_en": ind["label_en"],
        "unit_th": ind.get("unit_th", ""),
        "unit_en": ind.get("unit_en", ""),
        "left_out": left.as_dict() if left is not None else {},
    }
    base.update(kw)
    return IndicatorResult(**base)


def _against(
    ind: Mapping[str, Any], actual: float, target: float | None, left: LeftOut, group: str = ""
) -> IndicatorResult:
    if target is None:
        return _result(
            ind, left, actual=actual, target=None, percent=None, status="info", group=group
        )
    status = "achieved" if actual >= target else "not_achieved"
    return _result(
        ind,
        left,
        actual=actual,
        target=target,
        percent=_pct(actual, target),
        status=status,
        group=group,
    )


def _share(
    ind: Mapping[str, Any], hit: float, scope: float, left: LeftOut | None, group: str = ""
) -> IndicatorResult:
    """`hit` of `scope` against the indicator's target percent; no scope is no data."""
    threshold = float(ind.get("target", 100))
    if scope <= 0:
        return _result(
            ind,
            left,
            actual=None,
            target=None,
            percent=None,
            status="no_data",
            threshold=threshold,
            group=group,
        )
    status = "achieved" if hit / scope * 100 >= threshold - 1e-9 else "not_achieved"
    return _result(
        ind,
        left,
        actual=hit,
        target=scope,
        percent=_pct(hit, scope),
        status=status,
        threshold=threshold,
        group=group,
    )


def _no_data(
    ind: Mapping[str, Any], left: LeftOut | None = None, group: str = ""
) -> IndicatorResult:
    return _result(
        ind,
        left,
        actual=None,
        target=ind.get("target"),
        percent=None,
        status="no_data",
        group=group,
    )


def c_count(t: Records, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    p = ind["params"]
    reg = p["register"]
    if not t.present(reg) or not t.all(reg):
        return [_no_data(ind)]
    tests = _filters(t, p, "where")
    reads = [t.id_key(reg)]
    left = LeftOut()
    n = 0
    for r in t.all(reg):
        why = t.judge(reg, r, tests, reads)
        if why is None:
            n += 1
        elif why != OUTSIDE:
            left.add(why)
    return [_against(ind, n, ind.get("target"), left)]


def c_share(t: Records, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    p = ind["params"]
    reg = p["register"]
    tests = _filters(t, p, "of")
    hit_tests = where_tests(p["where"])
    reads = [t.id_key(reg), *(k for k, _ in hit_tests)] if reg in t.config.registers else []
    left = LeftOut()
    scope = hit = 0
    for r in t.all(reg):
        why = t.judge(reg, r, tests, reads)
        if why is None:
            scope += 1
            hit += all(test(key_of(r.values.get(k))) for k, test in hit_tests)
        elif why != OUTSIDE:
            left.add(why)
    return [_share(ind, hit, scope, left)]


def c_coverage(t: Records, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    p = ind["params"]
    reg = p["register"]
    linked = p["linked"]
    lreg = linked["register"]
    left = LeftOut()
    scope: set[Any] = set()
    if t.present(reg):
        id_key = t.id_key(reg)
        tests = _filters(t, p, "of")
        for r in t.all(reg):
            why = t.judge(reg, r, tests, [id_key])
            if why is None:
                scope.add(key_of(r.values.get(id_key)))
            elif why != OUTSIDE:
                left.add(why)
    covered: set[Any] = set()
    if scope and t.present(lreg):
        ltests = [*where_tests(linked.get("where")), (linked["key"], lambda v: v in scope)]
        lid = [t.id_key(lreg)]
        for r in t.all(lreg):
            why = t.judge(lreg, r, ltests, lid)
            if why is None:
                covered.add(key_of(r.values.get(linked["key"])))
            elif why != OUTSIDE:
                left.add(why)
    return [_share(ind, len(covered), len(scope), left)]


def c_distinct(t: Records, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    p = ind["params"]
    reg = p["register"]
    values = list(p["values"])
    lookup = p.get("lookup")
    if not t.present(reg) or not t.all(reg):
        return [_no_data(ind)]
    table = t.by_id(lookup["register"]) if lookup else {}
    tests = _filters(t, p, "where")
    reads = [t.id_key(reg), p["column"]]
    left = LeftOut()
    found: set[Any] = set()
    for r in t.all(reg):
        why = t.judge(reg, r, tests, reads)
        if why is not None:
            if why != OUTSIDE:
                left.add(why)
            continue
        v = key_of(r.values.get(p["column"]))
        if lookup:
            other = table.get(v)
            if other is None:
                continue
            why = t.why(lookup["register"], other, lookup["column"])
            if why is not None:
                left.add(why)
                continue
            v = key_of(other.values.get(lookup["column"]))
        if v in values:
            found.add(v)
    return [_against(ind, len(found), ind.get("target", len(values)), left)]


def _groups(p: Mapping[str, Any], seen: Iterable[str]) -> list[str]:
    return [str(g) for g in p.get("groups") or sorted(seen)]


@dataclass(frozen=True, slots=True)
class ItemRow:
    """How one row stands in a sum_ratio indicator (the pack lists every row with it)."""

    record: Record
    why: Why | None  # None: counted; else why it is left out (never OUTSIDE here)
    group: str  # "" where the row's group is unusable (or there is no group_by)
    group_why: Why | None
    item: Item | None  # the row as an item, where it is counted


def sum_ratio_rows(t: Records, ind: Mapping[str, Any]) -> list[ItemRow]:
    """Every row in the indicator's scope (its fiscal year, its `where`), counted or not."""
    p = ind["params"]
    reg = p["register"]
    if reg not in t.config.registers:
        return []
    group_by = p.get("group_by")
    unit_key = p.get("unit")
    tests = _filters(t, p, "where")
    reads = [t.id_key(reg), p["actual"], p["target_column"], *([unit_key] if unit_key else [])]
    out = []
    for r in t.all(reg):
        why = t.judge(reg, r, tests, reads)
        if why == OUTSIDE:
            continue
        g_why = t.why(reg, r, group_by) if group_by else None
        g = str(key_of(r.values.get(group_by))) if group_by and g_why is None else ""
        item = None
        if why is None:
            v = r.values
            unit = unit_of(v.get(unit_key)) if unit_key else ""
            item = Item(float(v.get(p["actual"]) or 0), float(v.get(p["target_column"]) or 0), unit)
        out.append(ItemRow(r, why, g, g_why, item))
    return out


def c_sum_ratio(t: Records, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    """Items (rows) of actual against their own target, per group and in total.

    A total is a sum where every item shares one unit, else how many reached their target
    and the mean of their percentages (units.py). A row whose group is unusable counts in
    the total and is left out of every group (it might belong to any).
    """
    p = ind["params"]
    group_by = p.get("group_by")
    threshold = float(ind.get("target", 100))
    items: dict[str, list[Item]] = defaultdict(list)
    every: list[Item] = []
    left_total = LeftOut()
    left_group: dict[str, LeftOut] = defaultdict(LeftOut)
    unplaced = LeftOut()  # rows in no group: left out of every group
    for row in sum_ratio_rows(t, ind):
        if row.item is None:
            assert row.why is not None
            left_total.add(row.why)
            (left_group[row.group] if row.group else unplaced).add(row.why)
            continue
        every.append(row.item)
        if row.group_why is not None:
            unplaced.add(row.group_why)
        else:
            items[row.group].append(row.item)
    out = []
    if group_by:
        for g in _groups(p, items):
            left = left_group[g].copy()
            left.update(unplaced)
            out.append(_items_result(ind, items.get(g, []), threshold, left, g))
    out.append(_items_result(ind, every, threshold, left_total, TOTAL if group_by else ""))
    return out


def _items_result(
    ind: Mapping[str, Any], items: list[Item], threshold: float, left: LeftOut, group: str
) -> IndicatorResult:
    tot = total(items, threshold)
    if not tot.items:
        return _result(
            ind,
            left,
            actual=None,
            target=None,
            percent=None,
            status="no_data",
            threshold=threshold,
            group=group,
            items=0,
            items_achieved=0,
        )
    unit_th = tot.unit if tot.method == "sum" else "ร้อยละเฉลี่ย (หลายหน่วย)"
    unit_en = tot.unit if tot.method == "sum" else "mean % (mixed units)"
    return _result(
        ind,
        left,
        actual=tot.actual,
        target=tot.target,
        percent=tot.percent,
        status=tot.status,
        threshold=threshold,
        group=group,
        items=tot.items,
        items_achieved=tot.achieved,
        method=tot.method,
        unit_th=unit_th if unit_th != "" else ind.get("unit_th", ""),
        unit_en=unit_en if unit_en != "" else ind.get("unit_en", ""),
    )


def c_count_by(t: Records, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    """Rows per group and in total; a row whose group is unusable counts only in the total."""
    p = ind["params"]
    reg = p["register"]
    group_by = p["group_by"]
    if not t.present(reg) or not t.all(reg):
        return [_no_data(ind, None, g) for g in [*_groups(p, ()), TOTAL]]
    tests = _filters(t, p, "where")
    reads = [t.id_key(reg)]
    counts: dict[str, int] = defaultdict(int)
    n = 0
    left_total = LeftOut()
    left_group: dict[str, LeftOut] = defaultdict(LeftOut)
    unplaced = LeftOut()
    for r in t.all(reg):
        why = t.judge(reg, r, tests, reads)
        if why == OUTSIDE:
            continue
        g_why = t.why(reg, r, group_by)
        g = str(key_of(r.values.get(group_by))) if g_why is None else ""
        if why is not None:
            left_total.add(why)
            (left_group[g] if g else unplaced).add(why)
            continue
        n += 1
        if g_why is not None:
            unplaced.add(g_why)
        else:
            counts[g] += 1
    out = []
    for g in _groups(p, counts):
        left = left_group[g].copy()
        left.update(unplaced)
        out.append(_against(ind, counts.get(g, 0), ind.get("target"), left, g))
    out.append(_against(ind, n, ind.get("target"), left_total, TOTAL))
    return out


def c_clean_share(t: Records, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    names = (
        list(t.config.registers)
        if ind["params"]["registers"] == "all"
        else ind["params"]["registers"]
    )
    out = []
    for name in names:
        recs = t.all(name)
        tab = t.config.registers[name].tab
        clean = sum(1 for r in recs if not r.has_error)
        out.append(_share(ind, clean, len(recs), None, group=tab))
    return out


COMPUTE: dict[str, Callable[[Records, Mapping[str, Any]], list[IndicatorResult]]] = {
    "count": c_count,
    "share": c_share,
    "coverage": c_coverage,
    "distinct": c_distinct,
    "sum_ratio": c_sum_ratio,
    "count_by": c_count_by,
    "clean_share": c_clean_share,
}


def compute(
    config: Config, result: ValidationResult, indicators: Iterable[Mapping[str, Any]] | None = None
) -> Progress:
    """Every configured indicator and the breakdowns, at the result's run date."""
    t = Records(config, result)
    out: list[IndicatorResult] = []
    for ind in indicators if indicators is not None else config.indicators:
        out.extend(COMPUTE[ind["computation"]](t, ind))
    return Progress(as_of=result.as_of, fiscal_year=t.fy, indicators=out, breakdowns=breakdowns(t))
