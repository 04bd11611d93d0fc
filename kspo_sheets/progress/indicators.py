"""Progress against the programme's targets, computed from validated registers.

Each computation is a plain function over records; rows with errors are left out of
every figure and counted, so a typo never inflates or deflates progress silently.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kspo_sheets.config.province import Config
from kspo_sheets.model import IndicatorResult, Progress, Record, ValidationResult
from kspo_sheets.thai.fiscal import fiscal_year

BUYER_TYPES = ("โรงพยาบาล", "โรงเรียน", "โรงแรม", "ร้านอาหาร")
REGULAR = "ส่งประจำ"
UNPLACED = "ไม่ทราบอำเภอ (หมู่บ้านมีข้อผิดพลาด)"


def _key(value: Any) -> Any:
    """A comparable form of a parsed value (a village code object -> its 8 digits)."""
    code8 = getattr(value, "code8", None)
    if code8 is not None:
        return code8
    name = getattr(value, "name_th", None)
    return name if name is not None else value


class Tables:
    """Clean records per register, derived columns, and the rows left out for errors."""

    def __init__(self, config: Config, result: ValidationResult) -> None:
        self.config = config
        self.result = result
        self.as_of = result.as_of
        self.fy = fiscal_year(result.as_of)
        self._derived()

    def present(self, register: str) -> bool:
        reg = self.result.registers.get(register)
        return bool(reg and reg.present and reg.columns)

    def all(self, register: str) -> list[Record]:
        reg = self.result.registers.get(register)
        return reg.records if reg else []

    def clean(self, register: str) -> list[Record]:
        return [r for r in self.all(register) if not r.has_error]

    def excluded(self, register: str) -> int:
        return sum(1 for r in self.all(register) if r.has_error)

    def by_id(self, register: str) -> dict[Any, Record]:
        spec = self.config.registers[register]
        return {_key(r.values.get(spec.id_key)): r for r in self.clean(register)}

    def _derived(self) -> None:
        certified: set[str] = set()
        rule_col = "cert_expiry"
        spec = self.config.registers.get("producers")
        if spec:
            for rule in spec.rules:
                if rule.get("rule") == "cert_expiry":
                    certified = set(rule.get("certified", ()))
                    rule_col = rule["column"]
        for r in self.all("producers"):
            exp = r.values.get(rule_col)
            r.values["certificate_valid"] = bool(
                r.values.get("certification") in certified and exp is not None and exp >= self.as_of
            )
        producers = {_key(r.values.get("producer_id")): r for r in self.all("producers")}
        for r in self.all("linkages"):
            p = producers.get(r.values.get("producer_id"))
            r.values["village_id"] = (
                _key(p.values.get("village_id")) if p and not p.has_error else None
            )


def _matches(rec: Record, where: Mapping[str, Any] | None) -> bool:
    if not where:
        return True
    for k, want in where.items():
        v = _key(rec.values.get(k))
        if isinstance(want, list):
            if v not in want:
                return False
        elif v != want:
            return False
    return True


def _in_year(rec: Record, fy: int, params: Mapping[str, Any]) -> bool:
    if params.get("fiscal_year") != "current":
        return True
    return bool(rec.values.get("fiscal_year") == fy)


def _pct(a: float, b: float) -> float | None:
    return round(a / b * 100, 1) if b else None


def _result(ind: Mapping[str, Any], **kw: Any) -> IndicatorResult:
    base: dict[str, Any] = {
        "id": ind["id"],
        "label_th": ind["label_th"],
        "label_en": ind["label_en"],
        "unit_th": ind.get("unit_th", ""),
        "unit_en": ind.get("unit_en", ""),
    }
    base.update(kw)
    return IndicatorResult(**base)


def _against(
    ind: Mapping[str, Any], actual: float, target: float | None, excluded: int, group: str = ""
) -> IndicatorResult:
    if target is None:
        return _result(
            ind,
            actual=actual,
            target=None,
            percent=None,
            status="info",
            excluded_rows=excluded,
            group=group,
        )
    pct = _pct(actual, target)
    status = "achieved" if actual >= target else "not_achieved"
    return _result(
        ind,
        actual=actual,
        target=target,
        percent=pct,
        status=status,
        excluded_rows=excluded,
        group=group,
    )


def _share(
    ind: Mapping[str, Any], hit: float, scope: float, excluded: int, group: str = ""
) -> IndicatorResult:
    """`hit` of `scope` against the indicator's target percent; no scope is no data."""
    threshold = float(ind.get("target", 100))
    if scope <= 0:
        return _result(
            ind,
            actual=None,
            target=None,
            percent=None,
            status="no_data",
            excluded_rows=excluded,
            threshold=threshold,
            group=group,
        )
    pct = _pct(hit, scope)
    assert pct is not None
    status = "achieved" if hit / scope * 100 >= threshold - 1e-9 else "not_achieved"
    return _result(
        ind,
        actual=hit,
        target=scope,
        percent=pct,
        status=status,
        excluded_rows=excluded,
        threshold=threshold,
        group=group,
    )


def _no_data(ind: Mapping[str, Any], excluded: int = 0, group: str = "") -> IndicatorResult:
    return _result(
        ind,
        actual=None,
        target=ind.get("target"),
        percent=None,
        status="no_data",
        excluded_rows=excluded,
        group=group,
    )


def c_count(t: Tables, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    p = ind["params"]
    reg = p["register"]
    if not t.present(reg) or not t.all(reg):
        return [_no_data(ind, t.excluded(reg))]
    n = sum(1 for r in t.clean(reg) if _matches(r, p.get("where")) and _in_year(r, t.fy, p))
    return [_against(ind, n, ind.get("target"), t.excluded(reg))]


def c_share(t: Tables, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    p = ind["params"]
    reg = p["register"]
    scope = [r for r in t.clean(reg) if _matches(r, p.get("of")) and _in_year(r, t.fy, p)]
    hit = sum(1 for r in scope if _matches(r, p["where"]))
    return [_share(ind, hit, len(scope), t.excluded(reg))]


def c_coverage(t: Tables, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    p = ind["params"]
    reg = p["register"]
    linked = p["linked"]
    spec = t.config.registers[reg]
    scope = [r for r in t.clean(reg) if _matches(r, p.get("of")) and _in_year(r, t.fy, p)]
    keys = {
        _key(r.values.get(linked["key"]))
        for r in t.clean(linked["register"])
        if _matches(r, linked.get("where"))
    }
    keys.discard(None)
    hit = sum(1 for r in scope if _key(r.values.get(spec.id_key)) in keys)
    excluded = (
        t.excluded(reg)
        + t.excluded(linked["register"])
        + (t.excluded(linked["via"]) if linked.get("via") else 0)
    )
    return [_share(ind, hit, len(scope), excluded)]


def c_distinct(t: Tables, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    p = ind["params"]
    reg = p["register"]
    values = list(p["values"])
    lookup = p.get("lookup")
    table = t.by_id(lookup["register"]) if lookup else {}
    found: set[Any] = set()
    for r in t.clean(reg):
        if not (_matches(r, p.get("where")) and _in_year(r, t.fy, p)):
            continue
        v = _key(r.values.get(p["column"]))
        if lookup:
            other = table.get(v)
            v = _key(other.values.get(lookup["column"])) if other else None
        if v in values:
            found.add(v)
    excluded = t.excluded(reg) + (t.excluded(lookup["register"]) if lookup else 0)
    if not t.present(reg) or not t.all(reg):
        return [_no_data(ind, excluded)]
    return [_against(ind, len(found), ind.get("target", len(values)), excluded)]


def c_sum_ratio(t: Tables, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    p = ind["params"]
    reg = p["register"]
    group_by = p.get("group_by")
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in t.clean(reg):
        if not (_matches(r, p.get("where")) and _in_year(r, t.fy, p)):
            continue
        g = str(_key(r.values.get(group_by))) if group_by else ""
        sums[g][0] += float(r.values.get(p["actual"]) or 0)
        sums[g][1] += float(r.values.get(p["target_column"]) or 0)
    groups = list(p.get("groups") or sorted(sums)) if group_by else [""]
    out = []
    excluded = t.excluded(reg)
    for g in [*groups, "รวม"] if group_by else groups:
        if g == "รวม":
            a = sum(v[0] for v in sums.values())
            b = sum(v[1] for v in sums.values())
        else:
            a, b = sums.get(g, [0.0, 0.0])
        out.append(_share(ind, a, max(b, 0.0), excluded, g))
    return out


def c_count_by(t: Tables, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    p = ind["params"]
    reg = p["register"]
    counts: dict[str, int] = defaultdict(int)
    for r in t.clean(reg):
        if _matches(r, p.get("where")) and _in_year(r, t.fy, p):
            counts[str(_key(r.values.get(p["group_by"])))] += 1
    groups = list(p.get("groups") or sorted(counts))
    excluded = t.excluded(reg)
    if not t.present(reg) or not t.all(reg):
        return [_no_data(ind, excluded, g) for g in [*groups, "รวม"]]
    out = [_against(ind, counts.get(g, 0), ind.get("target"), excluded, g) for g in groups]
    out.append(_against(ind, sum(counts.values()), ind.get("target"), excluded, "รวม"))
    return out


def c_clean_share(t: Tables, ind: Mapping[str, Any]) -> list[IndicatorResult]:
    names = (
        list(t.config.registers)
        if ind["params"]["registers"] == "all"
        else ind["params"]["registers"]
    )
    out = []
    for name in names:
        recs = t.all(name)
        tab = t.config.registers[name].tab
        out.append(_share(ind, sum(1 for r in recs if not r.has_error), len(recs), 0, group=tab))
    return out


COMPUTE: dict[str, Callable[[Tables, Mapping[str, Any]], list[IndicatorResult]]] = {
    "count": c_count,
    "share": c_share,
    "coverage": c_coverage,
    "distinct": c_distinct,
    "sum_ratio": c_sum_ratio,
    "count_by": c_count_by,
    "clean_share": c_clean_share,
}


def _amphoe_name(rec: Record | None) -> str:
    if rec is None:
        return ""
    a = rec.values.get("amphoe")
    return str(getattr(a, "name_th", a) or "")


def breakdowns(t: Tables) -> dict[str, list[dict[str, Any]]]:
    """Tables by amphoe, by working group, and the 4 ร coverage matrix."""
    villages = t.clean("villages")
    vby = {_key(v.values.get("village_id")): v for v in villages}
    producers = t.clean("producers")
    regular = [r for r in t.clean("linkages") if r.values.get("status") == REGULAR]
    buyers = t.by_id("buyers")

    amphoe: dict[str, dict[str, Any]] = {}

    def arow(name: str) -> dict[str, Any]:
        return amphoe.setdefault(
            name,
            {
                "amphoe": name,
                "villages": 0,
                "network_villages": 0,
                "producers": 0,
                "certified_producers": 0,
                "regular_linkages": 0,
            },
        )

    for v in villages:
        row = arow(_amphoe_name(v))
        row["villages"] += 1
        row["network_villages"] += bool(v.values.get("safe_food_network"))
    for p in producers:
        row = arow(_amphoe_name(vby.get(_key(p.values.get("village_id")))))
        row["producers"] += 1
        row["certified_producers"] += bool(p.values.get("certificate_valid"))
    for link in regular:
        row = arow(_amphoe_name(vby.get(link.values.get("village_id"))))
        row["regular_linkages"] += 1
    unknown = amphoe.pop("", None)
    by_amphoe = sorted(amphoe.values(), key=lambda r: r["amphoe"])
    if unknown is not None:
        # producers and linkages of villages whose own row has errors: counted, not placed
        unknown["amphoe"] = UNPLACED
        by_amphoe.append(unknown)

    groups: dict[str, dict[str, Any]] = {}
    for name in ("เกษตร", "แปรรูป", "ท่องเที่ยวโดยชุมชน"):
        groups[name] = {
            "working_group": name,
            "villages": 0,
            "network_villages": 0,
            "target_products": 0,
            "actual": 0.0,
            "target": 0.0,
            "percent": None,
        }
    for v in villages:
        g = v.values.get("working_group")
        if g in groups:
            groups[g]["villages"] += 1
            groups[g]["network_villages"] += bool(v.values.get("safe_food_network"))
    for tp in t.clean("target_products"):
        g = tp.values.get("field")
        if g in groups and tp.values.get("fiscal_year") == t.fy:
            groups[g]["target_products"] += 1
            groups[g]["actual"] += float(tp.values.get("actual") or 0)
            groups[g]["target"] += float(tp.values.get("target") or 0)
    for g in groups.values():
        g["percent"] = _pct(g["actual"], g["target"])

    matrix = []
    counts: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BUYER_TYPES, 0))
    for link in regular:
        b = buyers.get(link.values.get("buyer_id"))
        btype = b.values.get("buyer_type") if b else None
        if btype in BUYER_TYPES and link.values.get("village_id") is not None:
            counts[link.values["village_id"]][btype] += 1
    for v in sorted(villages, key=lambda v: str(_key(v.values.get("village_id")))):
        if not v.values.get("safe_food_network"):
            continue
        vid = _key(v.values.get("village_id"))
        c = counts.get(vid, dict.fromkeys(BUYER_TYPES, 0))
        matrix.append(
            {
                "village_id": vid,
                "name": v.values.get("name"),
                "amphoe": _amphoe_name(v),
                **{bt: c[bt] for bt in BUYER_TYPES},
                "types_covered": sum(1 for bt in BUYER_TYPES if c[bt]),
            }
        )
    return {
        "by_amphoe": by_amphoe,
        "by_working_group": list(groups.values()),
        "coverage_4r": matrix,
    }


def compute(
    config: Config, result: ValidationResult, indicators: Iterable[Mapping[str, Any]] | None = None
) -> Progress:
    """Every configured indicator and the breakdowns, at the result's run date."""
    t = Tables(config, result)
    out: list[IndicatorResult] = []
    for ind in indicators if indicators is not None else config.indicators:
        out.extend(COMPUTE[ind["computation"]](t, ind))
    return Progress(as_of=result.as_of, fiscal_year=t.fy, indicators=out, breakdowns=breakdowns(t))


def rounded(x: float | None) -> float | None:
    if x is None or math.isnan(x):
        return None
    return round(x, 2)


def as_of_text(d: dt.date) -> str:
    from kspo_sheets.thai.dates import format_be

    return format_be(d, "long")
