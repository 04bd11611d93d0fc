"""Breakdowns beside the indicators: by amphoe, by working group, the 4 ร coverage matrix.

Each count reads only the values it needs: a village whose amphoe is unusable is counted
in the province's total and in a row of its own for places that could not be told, never
dropped; a producer with a typo in its phone number is counted like any other.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from kspo_sheets.config.province import Config
from kspo_sheets.model import Record
from kspo_sheets.progress.records import OUTSIDE, LeftOut, Records, key_of
from kspo_sheets.progress.units import Item, total, unit_of
from kspo_sheets.thai.collation import thai_key

BUYER_TYPES = ("โรงพยาบาล", "โรงเรียน", "โรงแรม", "ร้านอาหาร")
WORKING_GROUPS = ("เกษตร", "แปรรูป", "ท่องเที่ยวโดยชุมชน")
REGULAR = "ส่งประจำ"
UNPLACED = "ระบุอำเภอไม่ได้ (ข้อมูลผิดพลาด)"
UNGROUPED = "ระบุคณะทำงานไม่ได้ (ข้อมูลผิดพลาด)"
PROVINCE = "รวมทั้งจังหวัด"
TOTAL = "รวม"
AMPHOE_COUNTS = (
    "villages",
    "network_villages",
    "producers",
    "certified_producers",
    "regular_linkages",
)


def _choices(t: Records, register: str, column: str, default: tuple[str, ...]) -> tuple[str, ...]:
    return choices_of(t.config, register, column, default)


def choices_of(
    config: Config, register: str, column: str, default: Sequence[str]
) -> tuple[str, ...]:
    """A choice column's values in the contract's order (the order tables group by), or
    `default` when the contract names none."""
    spec = config.registers.get(register)
    if spec is not None:
        try:
            values = spec.column(column).values
        except KeyError:
            values = ()
        if values:
            return tuple(values)
    return tuple(default)


def _amphoe(t: Records, village: Record | None) -> str:
    if village is None:
        return UNPLACED
    return str(t.value("villages", village, "amphoe") or UNPLACED)


def village_counts(t: Records) -> dict[Any, Counter[str]]:
    """Per village code: producers, producers with a valid certificate, regular linkages.

    A producer counts where its ID and village code are usable (a repeated ID once), a
    linkage where its ID and status are, and its producer's village. Those whose village
    cannot be told are under None.
    """
    out: dict[Any, Counter[str]] = defaultdict(Counter)
    villages = t.by_id("villages")
    for p in t.by_id("producers").values():
        code = t.value("producers", p, "village_id")
        c = out[code if code in villages else None]
        c["producers"] += 1
        c["certified"] += t.value("producers", p, "certificate_valid") is True
    if "linkages" in t.config.registers:
        for link in t.by_id("linkages").values():
            if t.value("linkages", link, "status") != REGULAR:
                continue
            code = t.value("linkages", link, "village_id")
            out[code if code in villages else None]["regular"] += 1
    return out


def by_amphoe(t: Records) -> list[dict[str, Any]]:
    """Villages, network villages, producers, certified producers, regular linkages per amphoe.

    Rows are counted where their amphoe (a producer's or linkage's: its village's) can be
    told; the others in the UNPLACED row; the last row is the province's total.
    """
    import pandas as pd  # only here and in the pack: aggregation, not a dependency of checks

    villages = t.by_id("villages")
    counts = village_counts(t)
    rows: list[tuple[str, int, int, int, int, int]] = []
    for code, v in villages.items():
        network = t.value("villages", v, "safe_food_network") is True
        c = counts.get(code, Counter())
        amphoe = _amphoe(t, v)
        rows.append((amphoe, 1, int(network), c["producers"], c["certified"], c["regular"]))
    lost = counts.get(None)
    if lost:
        rows.append((UNPLACED, 0, 0, lost["producers"], lost["certified"], lost["regular"]))
    if not rows:
        return []
    frame = pd.DataFrame(rows, columns=["amphoe", *AMPHOE_COUNTS])
    sums = frame.groupby("amphoe", sort=False)[list(AMPHOE_COUNTS)].sum()
    names = sorted((a for a in sums.index if a != UNPLACED), key=thai_key)
    if UNPLACED in sums.index:
        names.append(UNPLACED)
    out = [{"amphoe": a, **{k: int(sums.loc[a, k]) for k in AMPHOE_COUNTS}} for a in names]
    out.append({"amphoe": PROVINCE, **{k: int(frame[k].sum()) for k in AMPHOE_COUNTS}})
    return out


def by_working_group(t: Records) -> list[dict[str, Any]]:
    """Villages and the current fiscal year's target products per working group (field).

    Target products: how many, how many reached their target, and a percent that is the
    percent of the sums where every product shares one unit, else the mean of theirs.
    """
    groups = _choices(t, "villages", "working_group", WORKING_GROUPS)
    villages: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for v in t.by_id("villages").values():
        g = t.value("villages", v, "working_group")
        counts = villages[str(g) if g is not None else UNGROUPED]
        counts[0] += 1
        counts[1] += t.value("villages", v, "safe_food_network") is True
    items: dict[str, list[Item]] = defaultdict(list)
    every: list[Item] = []
    reg = "target_products"
    if reg in t.config.registers:
        tests = [("fiscal_year", lambda y: y == t.fy)]
        reads = [t.id_key(reg), "actual", "target"]
        for r in t.all(reg):
            if t.judge(reg, r, tests, reads) is not None:
                continue  # another year, or left out
            item = Item(
                float(r.values.get("actual") or 0),
                float(r.values.get("target") or 0),
                unit_of(r.values.get("indicator")),
            )
            every.append(item)
            field = t.value(reg, r, "field")
            items[str(field) if field is not None else UNGROUPED].append(item)
    names = list(groups)
    if UNGROUPED in villages or UNGROUPED in items:
        names.append(UNGROUPED)
    out = [_group_row(g, villages.get(g, [0, 0]), items.get(g, [])) for g in names]
    all_villages = [sum(c[0] for c in villages.values()), sum(c[1] for c in villages.values())]
    out.append(_group_row(TOTAL, all_villages, every))
    return out


def _group_row(name: str, villages: list[int], items: list[Item]) -> dict[str, Any]:
    tot = total(items)
    return {
        "working_group": name,
        "villages": villages[0],
        "network_villages": villages[1],
        "target_products": tot.items,
        "achieved": tot.achieved,
        "actual": tot.actual,
        "target": tot.target,
        "percent": tot.percent,
        "method": tot.method,
        "unit": tot.unit,
    }


def regular_links(t: Records) -> tuple[list[tuple[Record, Any, str]], LeftOut]:
    """Regular (ส่งประจำ) linkages as the 4 ร matrix counts them: (linkage, its village's
    code, its buyer's type); and the ones left out, by why."""
    reg = "linkages"
    left = LeftOut()
    out: list[tuple[Record, Any, str]] = []
    if reg not in t.config.registers or "buyers" not in t.config.registers:
        return out, left
    types = _choices(t, "buyers", "buyer_type", BUYER_TYPES)
    buyers = t.by_id("buyers")
    tests = [("status", lambda s: s == REGULAR)]
    reads = [t.id_key(reg), "village_id", "buyer_id"]
    for link in t.all(reg):
        why = t.judge(reg, link, tests, reads)
        if why is None:
            b = buyers.get(key_of(link.values.get("buyer_id")))
            if b is None:
                continue
            why = t.why("buyers", b, "buyer_type")
            btype = key_of(b.values.get("buyer_type"))
            if why is None and btype in types:
                out.append((link, key_of(link.values.get("village_id")), str(btype)))
        if why is not None and why != OUTSIDE:
            left.add(why)
    return out, left


def coverage_4r(t: Records) -> list[dict[str, Any]]:
    """Per network village: regular linkages to each buyer type, and how many types."""
    types = _choices(t, "buyers", "buyer_type", BUYER_TYPES)
    counts: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(types, 0))
    for _, village, btype in regular_links(t)[0]:
        counts[village][btype] += 1
    matrix = []
    network = [
        v
        for v in t.by_id("villages").values()
        if t.judge("villages", v, [("safe_food_network", lambda x: x is True)]) is None
    ]
    for v in sorted(network, key=lambda v: str(key_of(v.values.get("village_id")))):
        vid = key_of(v.values.get("village_id"))
        c = counts.get(vid, dict.fromkeys(types, 0))
        matrix.append(
            {
                "village_id": vid,
                "name": v.values.get("name"),
                "amphoe": t.value("villages", v, "amphoe") or "",
                **{bt: c[bt] for bt in types},
                "types_covered": sum(1 for bt in types if c[bt]),
            }
        )
    return matrix


def breakdowns(t: Records) -> dict[str, list[dict[str, Any]]]:
    """Tables by amphoe, by working group, and the 4 ร coverage matrix."""
    return {
        "by_amphoe": by_amphoe(t),
        "by_working_group": by_working_group(t),
        "coverage_4r": coverage_4r(t),
    }
