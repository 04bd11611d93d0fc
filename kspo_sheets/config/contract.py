"""The registers' contract: tabs, headers, column types and rules, personal columns, and
the tool's own tab names (configs/registers.yaml), loaded into plain specs."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kspo_sheets.config.files import check_schema, read_yaml
from kspo_sheets.errors import ConfigError

COLUMN_TYPES = (
    "id",
    "village_code",
    "text",
    "integer",
    "number",
    "money",
    "area",
    "date",
    "yesno",
    "enum",
    "phone",
    "national_id",
    "amphoe",
    "tambon",
    "be_year",
)
PERSONAL_KINDS = ("text", "phone", "national_id")
REGISTER_RULES = ("village_place", "cert_expiry", "unique_together")

_CONDITION = {
    "type": "object",
    "required": ["column", "in"],
    "additionalProperties": False,
    "properties": {
        "column": {"type": "string"},
        "in": {"type": "array", "minItems": 1},
        "as": {"enum": list(PERSONAL_KINDS)},
    },
}

_COLUMN = {
    "type": "object",
    "required": ["key", "header", "type"],
    "additionalProperties": False,
    "properties": {
        "key": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "header": {"type": "string", "minLength": 1},
        "aliases_header": {"type": "array", "items": {"type": "string"}},
        "type": {"enum": list(COLUMN_TYPES)},
        "required": {"type": "boolean"},
        "required_if": _CONDITION,
        "unique": {"enum": ["error", "warning"]},
        "ref": {"type": "string"},
        "personal": {"enum": list(PERSONAL_KINDS)},
        "personal_if": _CONDITION,
        "pattern": {"type": "string"},
        "example": {"type": "string"},
        "values": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "aliases": {"type": "object", "additionalProperties": {"type": "string"}},
        "min": {"type": "number"},
        "max": {"type": "number"},
        "positive": {"type": "boolean"},
        "not_future": {"type": "boolean"},
        "service_numbers": {"type": "boolean"},
    },
}

DEFAULT_PACKS_TAB = "เอกสารประชุม"

CONTRACT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "registers", "owned_tabs"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "registers": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "required": ["tab", "id", "columns"],
                "additionalProperties": False,
                "properties": {
                    "tab": {"type": "string", "minLength": 1, "maxLength": 100},
                    "id": {"type": "string"},
                    "columns": {"type": "array", "items": _COLUMN, "minItems": 1},
                    "rules": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["rule"],
                            "properties": {"rule": {"enum": list(REGISTER_RULES)}},
                        },
                    },
                },
            },
        },
        "owned_tabs": {
            "type": "object",
            "required": ["findings", "progress", "history"],
            "additionalProperties": False,
            "properties": {
                k: {"type": "string", "minLength": 1, "maxLength": 100}
                for k in ("findings", "progress", "history", "packs")
            },
        },
    },
}


@dataclass(frozen=True)
class Condition:
    column: str
    values: tuple[Any, ...]
    as_kind: str | None = None


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str
    type: str
    aliases_header: tuple[str, ...] = ()
    required: bool = False
    required_if: Condition | None = None
    unique: str | None = None
    ref: str | None = None
    personal: str | None = None
    personal_if: Condition | None = None
    pattern: str | None = None
    example: str | None = None
    values: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    positive: bool = False
    not_future: bool = False
    service_numbers: bool = False  # phone: 4-digit 1xxx hotlines and 1800 numbers allowed


@dataclass(frozen=True)
class RegisterSpec:
    key: str
    tab: str
    id_key: str
    columns: tuple[ColumnSpec, ...]
    rules: tuple[Mapping[str, Any], ...] = ()

    def column(self, key: str) -> ColumnSpec:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


def _condition(raw: Mapping[str, Any] | None) -> Condition | None:
    if raw is None:
        return None
    return Condition(raw["column"], tuple(raw["in"]), raw.get("as"))


def _column(raw: Mapping[str, Any]) -> ColumnSpec:
    return ColumnSpec(
        key=raw["key"],
        header=raw["header"],
        type=raw["type"],
        aliases_header=tuple(raw.get("aliases_header", ())),
        required=bool(raw.get("required", False)),
        required_if=_condition(raw.get("required_if")),
        unique=raw.get("unique"),
        ref=raw.get("ref"),
        personal=raw.get("personal"),
        personal_if=_condition(raw.get("personal_if")),
        pattern=raw.get("pattern"),
        example=raw.get("example"),
        values=tuple(raw.get("values", ())),
        aliases=dict(raw.get("aliases", {})),
        minimum=raw.get("min"),
        maximum=raw.get("max"),
        positive=bool(raw.get("positive", False)),
        not_future=bool(raw.get("not_future", False)),
        service_numbers=bool(raw.get("service_numbers", False)),
    )


def _cross_check(data: Mapping[str, Any], path: Path) -> None:
    """What a schema cannot say: references between keys."""
    registers = data["registers"]
    for rkey, reg in registers.items():
        keys = [c["key"] for c in reg["columns"]]
        where = f"registers.{rkey}"
        dup = {k for k in keys if keys.count(k) > 1}
        if dup:
            raise ConfigError(
                f"{path}: key '{where}.columns': column key {sorted(dup)[0]!r} appears twice",
                hint="Give every column its own key.",
            )
        if reg["id"] not in keys:
            raise ConfigError(
                f"{path}: key '{where}.id': {reg['id']!r} is not one of the register's columns",
                hint=f"Use one of: {', '.join(keys)}.",
            )
        for i, col in enumerate(reg["columns"]):
            cwhere = f"{where}.columns.{i}"
            if col.get("ref") and col["ref"] not in registers:
                raise ConfigError(
                    f"{path}: key '{cwhere}.ref': no register named {col['ref']!r}",
                    hint=f"Use one of: {', '.join(registers)}.",
                )
            for cond_key in ("required_if", "personal_if"):
                cond = col.get(cond_key)
                if cond and cond["column"] not in keys:
                    raise ConfigError(
                        f"{path}: key '{cwhere}.{cond_key}.column': no column {cond['column']!r} in {rkey}",
                        hint=f"Use one of: {', '.join(keys)}.",
                    )
            if col["type"] == "enum" and not col.get("values"):
                raise ConfigError(
                    f"{path}: key '{cwhere}.values': an enum column needs its list of values",
                    hint="Add values: [..] with the allowed choices.",
                )
            if col.get("service_numbers") and col["type"] != "phone":
                raise ConfigError(
                    f"{path}: key '{cwhere}.service_numbers': only a phone column takes service numbers",
                    hint="Remove service_numbers from this column, or give it type: phone.",
                )
            if col["type"] == "id" and col.get("pattern"):
                try:
                    re.compile(col["pattern"])
                except re.error as exc:
                    raise ConfigError(
                        f"{path}: key '{cwhere}.pattern': not a valid regular expression ({exc})",
                        hint="Quote the pattern in single quotes, e.g. '^P-\\d{4}$'.",
                    ) from None
        for j, rule in enumerate(reg.get("rules", [])):
            for k, v in rule.items():
                if k in ("rule", "certified", "notice_days", "severity", "code"):
                    continue
                names = v if isinstance(v, list) else [v]
                for name in names:
                    if name not in keys:
                        raise ConfigError(
                            f"{path}: key '{where}.rules.{j}.{k}': no column {name!r} in {rkey}",
                            hint=f"Use one of: {', '.join(keys)}.",
                        )


def load_contract(
    path: Path, overrides: Mapping[str, Any] | None = None
) -> tuple[dict[str, RegisterSpec], dict[str, str]]:
    data = read_yaml(path)
    check_schema(data, CONTRACT_SCHEMA, path)
    data = copy.deepcopy(data)
    for rkey, ov in (overrides or {}).items():
        if rkey not in data["registers"]:
            raise ConfigError(
                f"overrides.{rkey}: no register named {rkey!r}",
                hint=f"Use one of: {', '.join(data['registers'])}.",
            )
        reg = data["registers"][rkey]
        if "tab" in ov:
            reg["tab"] = ov["tab"]
        for ckey, header in (ov.get("headers") or {}).items():
            cols = [c for c in reg["columns"] if c["key"] == ckey]
            if not cols:
                raise ConfigError(
                    f"overrides.{rkey}.headers.{ckey}: no column {ckey!r} in {rkey}",
                    hint=f"Use one of: {', '.join(c['key'] for c in reg['columns'])}.",
                )
            old = cols[0]["header"]
            cols[0]["header"] = header
            cols[0].setdefault("aliases_header", []).append(old)
    _cross_check(data, path)
    registers = {
        key: RegisterSpec(
            key=key,
            tab=reg["tab"],
            id_key=reg["id"],
            columns=tuple(_column(c) for c in reg["columns"]),
            rules=tuple(reg.get("rules", ())),
        )
        for key, reg in data["registers"].items()
    }
    # `packs` (the list of meeting packs uploaded to Drive) came later: older contracts
    # without it get the default name.
    data["owned_tabs"].setdefault("packs", DEFAULT_PACKS_TAB)
    # One name for one tab is checked with the province's own names (config/tab_names.py).
    return registers, dict(data["owned_tabs"])
