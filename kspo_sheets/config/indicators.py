"""Loading the indicators (targets) from config: named computations with parameters.

Nothing in the file is evaluated: a computation is a name from COMPUTATIONS and its
parameters are column keys and literal values, checked here against the registers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kspo_sheets.config.contract import RegisterSpec
from kspo_sheets.config.files import check_schema, read_yaml
from kspo_sheets.errors import ConfigError

COMPUTATIONS = ("count", "share", "coverage", "distinct", "sum_ratio", "count_by", "clean_share")
# Columns the code derives from others, which a computation may name like a register's
# own, and the (register, column) each is made from: a derived value is unusable when one
# of its inputs is.
DERIVED_COLUMNS: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    # a certified producer whose certificate has not expired on the run date
    "producers": {
        "certificate_valid": (("producers", "certification"), ("producers", "cert_expiry")),
    },
    # the village of the linkage's producer
    "linkages": {
        "village_id": (
            ("linkages", "producer_id"),
            ("producers", "producer_id"),
            ("producers", "village_id"),
        ),
    },
}

_WHERE = {"type": "object", "additionalProperties": {}}
_PARAMS: dict[str, dict[str, Any]] = {
    "count": {
        "required": ["register"],
        "properties": {"register": {}, "where": _WHERE, "fiscal_year": {}},
    },
    "share": {
        "required": ["register", "where"],
        "properties": {"register": {}, "where": _WHERE, "of": _WHERE, "fiscal_year": {}},
    },
    "coverage": {
        "required": ["register", "linked"],
        "properties": {
            "register": {},
            "of": _WHERE,
            "fiscal_year": {},
            "linked": {
                "type": "object",
                "required": ["register", "key"],
                "additionalProperties": False,
                "properties": {"register": {}, "key": {}, "via": {}, "where": _WHERE},
            },
        },
    },
    "distinct": {
        "required": ["register", "column", "values"],
        "properties": {
            "register": {},
            "where": _WHERE,
            "column": {},
            "values": {"type": "array", "minItems": 1},
            "fiscal_year": {},
            "lookup": {
                "type": "object",
                "required": ["register", "column"],
                "additionalProperties": False,
                "properties": {"register": {}, "column": {}},
            },
        },
    },
    "sum_ratio": {
        "required": ["register", "actual", "target_column"],
        "properties": {
            "register": {},
            "actual": {},
            "target_column": {},
            "group_by": {},
            "groups": {"type": "array"},
            "unit": {},
            "where": _WHERE,
            "fiscal_year": {},
        },
    },
    "count_by": {
        "required": ["register", "group_by"],
        "properties": {
            "register": {},
            "group_by": {},
            "groups": {"type": "array"},
            "where": _WHERE,
            "fiscal_year": {},
        },
    },
    "clean_share": {"required": ["registers"], "properties": {"registers": {}}},
}

INDICATORS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["indicators"],
    "additionalProperties": False,
    "properties": {
        "indicators": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "label_th", "label_en", "computation", "params"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                    "label_th": {"type": "string"},
                    "label_en": {"type": "string"},
                    "computation": {"enum": list(COMPUTATIONS)},
                    "params": {"type": "object"},
                    "target": {"type": "number", "exclusiveMinimum": 0},
                    "unit_th": {"type": "string"},
                    "unit_en": {"type": "string"},
                },
            },
        }
    },
}


def _check_params(
    ind: Mapping[str, Any], i: int, path: Path, registers: Mapping[str, RegisterSpec]
) -> None:
    comp = ind["computation"]
    schema = {"type": "object", "additionalProperties": False, **_PARAMS[comp]}
    check_schema(ind["params"], schema, Path(f"{path} (indicators.{i}.params)"))
    where = f"{path}: key 'indicators.{i}.params"

    def reg(name: str, key: str) -> RegisterSpec:
        if name not in registers:
            raise ConfigError(
                f"{where}.{key}': no register {name!r}", hint=f"Use one of: {', '.join(registers)}."
            )
        return registers[name]

    def cols(spec: RegisterSpec, names: Any, key: str) -> None:
        known = [c.key for c in spec.columns] + list(DERIVED_COLUMNS.get(spec.key, {}))
        for n in names if isinstance(names, (list, dict)) else [names]:
            if n not in known:
                raise ConfigError(
                    f"{where}.{key}': no column {n!r} in {spec.key}",
                    hint=f"Use one of: {', '.join(known)}.",
                )

    p = ind["params"]
    if comp == "clean_share":
        if p["registers"] != "all":
            for name in p["registers"]:
                reg(name, "registers")
        return
    spec = reg(p["register"], "register")
    for k in ("where", "of"):
        if k in p:
            cols(spec, p[k], k)
    for k in ("column", "actual", "target_column", "group_by", "unit"):
        if k in p:
            cols(spec, p[k], k)
    if "fiscal_year" in p:
        if p["fiscal_year"] != "current":
            raise ConfigError(
                f"{where}.fiscal_year': only 'current' is known", hint="Write fiscal_year: current."
            )
        cols(spec, "fiscal_year", "fiscal_year")
    if comp == "coverage":
        linked = p["linked"]
        lspec = reg(linked["register"], "linked.register")
        cols(lspec, linked.get("where", {}), "linked.where")
        if "via" in linked:
            reg(linked["via"], "linked.via")
    if comp == "distinct" and "lookup" in p:
        lspec = reg(p["lookup"]["register"], "lookup.register")
        cols(lspec, p["lookup"]["column"], "lookup.column")


def has_target(ind: Mapping[str, Any]) -> bool:
    """Whether an indicator is measured against a target: counts only when one is set;
    shares, coverage and ratios against their percent (100 unless set); distinct values
    against how many there are."""
    return ind["computation"] not in ("count", "count_by") or "target" in ind


def columns_read(
    ind: Mapping[str, Any], registers: Mapping[str, RegisterSpec]
) -> dict[str, list[str]]:
    """Per register, the columns an indicator reads, in the order it reads them.

    Worked out from the computation's parameters alone: each register's ID (every row is
    counted once, so a repeated or malformed ID is read), the `where`/`of` filters, the
    fiscal year, the named columns, and the inputs of derived columns in their stead. A row
    is left out of the indicator only for an error in one of these (clean_share reads no
    column: it counts the rows with any error).
    """
    out: dict[str, list[str]] = {}

    def read(register: str, *keys: str) -> None:
        have = out.setdefault(register, [])
        derived = DERIVED_COLUMNS.get(register, {})
        spec = registers.get(register)
        own = {c.key for c in spec.columns} if spec is not None else set()
        for key in keys:
            if key in derived and key not in own:
                for reg, col in derived[key]:
                    read(reg, col)
            elif key not in have:
                have.append(key)

    def ident(register: str) -> None:
        spec = registers.get(register)
        if spec is not None:
            read(register, spec.id_key)

    p = ind["params"]
    if ind["computation"] == "clean_share":
        return out
    reg = p["register"]
    ident(reg)
    read(reg, *p.get("of", {}), *p.get("where", {}))
    if p.get("fiscal_year") == "current":
        read(reg, "fiscal_year")
    for k in ("column", "actual", "target_column", "group_by", "unit"):
        if k in p:
            read(reg, p[k])
    linked = p.get("linked")
    if linked:
        ident(linked["register"])
        read(linked["register"], linked["key"], *linked.get("where", {}))
    lookup = p.get("lookup")
    if lookup:
        ident(lookup["register"])
        read(lookup["register"], lookup["column"])
    return out


def load_indicators(
    path: Path, registers: Mapping[str, RegisterSpec], targets: Mapping[str, float]
) -> list[dict[str, Any]]:
    """The indicators of a config file, checked, with the province's target overrides applied."""
    data = read_yaml(path)
    check_schema(data, INDICATORS_SCHEMA, path)
    out = []
    ids = set()
    for i, ind in enumerate(data["indicators"]):
        if ind["id"] in ids:
            raise ConfigError(
                f"{path}: key 'indicators.{i}.id': {ind['id']!r} appears twice",
                hint="Give each its own id.",
            )
        ids.add(ind["id"])
        if "target" in ind and not math.isfinite(ind["target"]):
            raise ConfigError(
                f"{path}: key 'indicators.{i}.target': {ind['target']!r} is not a usable target",
                hint="Give a finite number above 0, or leave target out.",
            )
        _check_params(ind, i, path, registers)
        ind = dict(ind)
        if ind["id"] in targets:
            ind["target"] = targets[ind["id"]]
        out.append(ind)
    unknown = set(targets) - ids
    if unknown:
        raise ConfigError(
            f"targets: no indicator {sorted(unknown)[0]!r}",
            hint=f"Use one of: {', '.join(sorted(ids))}.",
        )
    return out
