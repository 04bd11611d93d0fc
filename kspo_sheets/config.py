"""Loading and checking configuration: the registers' contract and a province's file.

Config is data (YAML, read with yaml.safe_load, never evaluated); each file is checked
against a schema on load and every error names the file, the key and the fix.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

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
    },
}

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
                for k in ("findings", "progress", "history")
            },
        },
    },
}

PROVINCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["province"],
    "additionalProperties": False,
    "properties": {
        "province": {
            "type": "object",
            "required": ["code"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "pattern": "^[1-9][0-9]$"},
                "name_th": {"type": "string"},
                "name_en": {"type": "string"},
            },
        },
        "contract": {"type": "string"},
        "indicators": {"type": "string"},
        "source": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "xlsx": {"type": ["string", "null"]},
                "google": {"type": ["string", "null"]},
                "credentials": {"type": ["string", "null"]},
            },
        },
        "committee": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"name_th": {"type": "string"}, "name_en": {"type": "string"}},
        },
        "meeting": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "number": {"type": ["string", "null"]},
                "date": {"type": ["string", "null"]},
                "place": {"type": ["string", "null"]},
                "output_dir": {"type": "string"},
            },
        },
        "overrides": {
            "type": ["object", "null"],
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "tab": {"type": "string", "minLength": 1},
                    "headers": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            },
        },
        "owned_tabs": {"type": "object", "additionalProperties": {"type": "string"}},
        "targets": {"type": "object", "additionalProperties": {"type": "number"}},
        "backups": {"type": "integer", "minimum": 0, "maximum": 100},
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


@dataclass(frozen=True)
class Config:
    """A province's whole configuration, resolved and checked."""

    path: Path
    province_code: str
    province_name_th: str
    province_name_en: str
    registers: dict[str, RegisterSpec]
    owned_tabs: dict[str, str]
    source_xlsx: str | None
    source_google: str | None
    credentials: str | None
    committee_th: str
    committee_en: str
    meeting: dict[str, Any]
    indicators: list[dict[str, Any]]
    indicators_path: Path | None
    backups: int = 5


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"Config file not found: {path}",
            hint="Pass --config with the path of your province's YAML (for example configs/phuket.yaml).",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(
            f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})",
            hint="Check indentation and quoting there; values containing ':' or '#' need quotes.",
        ) from None


def _key_path(error: jsonschema.ValidationError) -> str:
    parts = [str(p) for p in error.absolute_path]
    return ".".join(parts) if parts else "(top level)"


def check_schema(data: Any, schema: dict[str, Any], path: Path) -> None:
    """Raise ConfigError naming the file and key of the first schema violation."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    err = errors[0]
    key = _key_path(err)
    if err.validator == "additionalProperties":
        fix = "Remove or rename the unknown key (see configs/registers.yaml for the known ones)."
    elif err.validator == "required":
        fix = "Add the missing key."
    elif err.validator in ("enum", "const"):
        fix = f"Use one of: {', '.join(map(str, err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]))}."
    elif err.validator == "type":
        fix = f"Give a value of type {err.validator_value}."
    else:
        fix = "Correct the value."
    more = f" ({len(errors) - 1} more problem(s) after this one)" if len(errors) > 1 else ""
    raise ConfigError(f"{path}: key '{key}': {err.message}{more}", hint=fix)


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
    )


def _cross_check(data: Mapping[str, Any], path: Path) -> None:
    """What a schema cannot say: references between keys."""
    import re

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
    data = _read_yaml(path)
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
    tabs = [r.tab for r in registers.values()] + list(data["owned_tabs"].values())
    dups = {t for t in tabs if tabs.count(t) > 1}
    if dups:
        raise ConfigError(
            f"{path}: tab name {sorted(dups)[0]!r} is used twice",
            hint="Every register and owned tab needs its own tab name.",
        )
    return registers, dict(data["owned_tabs"])


DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "configs" / "phuket.yaml"


def default_config_path() -> Path:
    """KSPO_CONFIG, else ./configs/phuket.yaml, else the one beside the package (a source checkout)."""
    env = os.environ.get("KSPO_CONFIG")
    if env:
        return Path(env)
    local = Path("configs/phuket.yaml")
    if local.exists():
        return local
    return DEFAULT_CONFIG


def load_config(path: Path | str | None = None) -> Config:
    """Load a province's YAML, its contract and its indicators, checking each against its schema."""
    path = Path(path) if path is not None else default_config_path()
    data = _read_yaml(path)
    if data is None:
        raise ConfigError(f"{path}: the file is empty", hint="Start from configs/phuket.yaml.")
    check_schema(data, PROVINCE_SCHEMA, path)
    import geothai

    code = data["province"]["code"]
    prov = geothai.province(code)
    if prov is None:
        raise ConfigError(
            f"{path}: key 'province.code': {code!r} is not a DOPA province code",
            hint='Use the two-digit code, e.g. "83" for Phuket (quoted, as a string).',
        )
    contract_path = path.parent / data.get("contract", "registers.yaml")
    registers, owned = load_contract(contract_path, data.get("overrides"))
    owned.update(data.get("owned_tabs") or {})
    indicators: list[dict[str, Any]] = []
    ind_path: Path | None = None
    if data.get("indicators"):
        ind_path = path.parent / data["indicators"]
        from kspo_sheets.indicators_config import load_indicators

        indicators = load_indicators(ind_path, registers, data.get("targets") or {})
    source = data.get("source") or {}
    committee = data.get("committee") or {}
    return Config(
        path=path,
        province_code=code,
        province_name_th=data["province"].get("name_th") or prov.name_th,
        province_name_en=data["province"].get("name_en") or prov.name_en,
        registers=registers,
        owned_tabs=owned,
        source_xlsx=source.get("xlsx"),
        source_google=source.get("google"),
        credentials=source.get("credentials"),
        committee_th=committee.get("name_th")
        or f"คณะกรรมการประสานและขับเคลื่อนนโยบายสานพลังประชารัฐประจำจังหวัด{prov.name_th} (คสป.)",
        committee_en=committee.get("name_en") or f"{prov.name_en} Provincial Pracharat Committee",
        meeting=dict(data.get("meeting") or {}),
        indicators=indicators,
        indicators_path=ind_path,
        backups=int(data.get("backups", 5)),
    )
