"""Reading a configuration file: YAML read safely (never evaluated), checked against a schema
with an error that names the file, the key and the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import yaml

from kspo_sheets.errors import ConfigError


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"Config file not found: {path}",
            hint="Pass --config with the path of your province's YAML (for example configs/phuket.yaml).",
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)[:200]
        shown = str(path) if len(str(path)) <= 120 else str(path)[:120] + "…"
        raise ConfigError(
            f"Cannot read config file {shown}: {reason}",
            hint="Check the path (and, for contract: and indicators:, that it is relative to"
            " the province's file).",
        ) from None
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
