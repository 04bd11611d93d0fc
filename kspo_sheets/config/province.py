"""A province's file (configs/phuket.yaml and the like): loaded with its contract and its
indicators into one checked Config."""

from __future__ import annotations

import errno
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kspo_sheets.config.contract import RegisterSpec, load_contract
from kspo_sheets.config.files import check_schema, read_yaml
from kspo_sheets.config.indicators import load_indicators
from kspo_sheets.config.limits import MEETING_NUMBER_MAX, MEETING_PLACE_MAX
from kspo_sheets.config.tab_names import check_tab_names, config_tab_names
from kspo_sheets.errors import ConfigError

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
                "number": {"type": ["string", "null"], "maxLength": MEETING_NUMBER_MAX},
                "date": {"type": ["string", "null"]},
                "place": {"type": ["string", "null"], "maxLength": MEETING_PLACE_MAX},
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
        "owned_tabs": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                k: {"type": "string", "minLength": 1}
                for k in ("findings", "progress", "history", "packs")
            },
        },
        "drive": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                # Google mode: kspo pack uploads the pack to Drive unless this is false
                "upload": {"type": "boolean"},
                # a Drive folder's URL or ID; empty: kspo makes its own, named after the committee
                "folder": {"type": ["string", "null"]},
                # file: only what kspo made (drive.file); full: any folder the account can edit
                "access": {"enum": ["file", "full"]},
            },
        },
        "targets": {"type": "object", "additionalProperties": {"type": "number"}},
        "backups": {"type": "integer", "minimum": 0, "maximum": 100},
    },
}


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
    # the tab listing the meeting packs uploaded to Drive (owned_tabs.packs)
    packs_tab: str = "เอกสารประชุม"
    # drive.upload / drive.folder / drive.access, with their defaults
    drive_upload: bool = True
    drive_folder: str | None = None
    drive_access: str = "file"


# The contract and indicators shipped inside the package: what a province file that names
# none uses, wherever it lives (configs/registers.yaml and configs/indicators.yaml in a
# source checkout are the same files).
DEFAULTS = Path(__file__).parent / "defaults"
DEFAULT_CONTRACT = DEFAULTS / "registers.yaml"
DEFAULT_INDICATORS = DEFAULTS / "indicators.yaml"
# configs/phuket.yaml of a source checkout, found from the package's own place.
CHECKOUT_CONFIG = Path(__file__).resolve().parents[2] / "configs" / "phuket.yaml"


def _check_targets(targets: dict[str, Any], path: Path) -> None:
    """A target is a number of 0 or more: not infinite, not NaN (YAML's .inf and .nan
    are numbers to a schema), and never negative (nothing could be short of it)."""
    for key, value in targets.items():
        if not (math.isfinite(value) and value >= 0):
            raise ConfigError(
                f"{path}: key 'targets.{key}': {value!r} is not a usable target",
                hint="Give a finite number of 0 or more, e.g. 10 (for share and coverage"
                " indicators, a percent such as 80).",
            )


def _check_paths(data: dict[str, Any], path: Path) -> None:
    """File and folder names in the config that no file could have (a NUL, a name longer
    than the system allows) are refused here, naming the key, rather than where used."""
    keys = [("source", "xlsx"), ("source", "credentials"), ("meeting", "output_dir")]
    for section, key in keys:
        value = (data.get(section) or {}).get(key)
        if not value:
            continue
        problem = None
        try:
            os.stat(value)
        except ValueError:
            problem = "contains a NUL character"
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                problem = "is too long for a file name here"
        if problem:
            raise ConfigError(
                f"{path}: key '{section}.{key}': the path {problem}",
                hint="Give the path of a file or folder (relative to this config file).",
            )


def default_config_path() -> Path:
    """KSPO_CONFIG, else ./configs/phuket.yaml, else the sample province of a source checkout."""
    env = os.environ.get("KSPO_CONFIG")
    if env:
        return Path(env).expanduser()
    local = Path("configs/phuket.yaml")
    if local.exists():
        return local
    if CHECKOUT_CONFIG.exists():
        return CHECKOUT_CONFIG
    raise ConfigError(
        "No province config given, and there is no configs/phuket.yaml here",
        hint='Pass --config FILE or set KSPO_CONFIG; the smallest province file is one line: province: {code: "84"}',
    )


def _beside(path: Path, value: str) -> Path:
    """A path written in a province file: relative to the file's own folder; ~ expanded."""
    written = Path(value).expanduser()
    if written.is_absolute():
        return written
    joined = path.parent / written
    # "configs/../packs" reads as "packs" in messages, unless a symbolic link makes ".."
    # lead somewhere else
    tidy = Path(os.path.normpath(joined))
    try:
        return tidy if tidy.resolve() == joined.resolve() else joined
    except (OSError, RuntimeError):  # a name too long, a link loop: reported where it is used
        return joined


def _named_file(path: Path, data: dict[str, Any], key: str, default: Path) -> Path:
    """The file a key names, or the shipped default when the key is absent; a missing file
    is reported against the key that names it."""
    value = data.get(key)
    if not value:
        return default
    named = _beside(path, value)
    try:
        found = named.is_file()
    except OSError:  # a name too long for the file system, a loop of links
        found = False
    if not found:
        raise ConfigError(
            f"{path}: key '{key}': {value!r} not found (looked for {named})",
            hint=f"Paths in a province file are relative to its folder ({path.parent}); fix"
            f" '{key}:', or remove it to use the {key} shipped with kspo-sheets.",
        )
    return named


def load_config(path: Path | str | None = None) -> Config:
    """Load a province's YAML, its contract and its indicators, checking each against its schema.

    The file may live anywhere: `contract:` and `indicators:` default to the ones shipped
    with the package, and every path in it is relative to the file's own folder.
    """
    path = Path(path).expanduser() if path is not None else default_config_path()
    data = read_yaml(path)
    if data is None:
        raise ConfigError(
            f"{path}: the file is empty",
            hint='A province file needs at least: province: {code: "84"} (see configs/phuket.yaml).',
        )
    check_schema(data, PROVINCE_SCHEMA, path)
    import geothai

    code = data["province"]["code"]
    prov = geothai.province(code)
    if prov is None:
        raise ConfigError(
            f"{path}: key 'province.code': {code!r} is not a DOPA province code",
            hint='Use the two-digit code, e.g. "83" for Phuket (quoted, as a string).',
        )
    contract_path = _named_file(path, data, "contract", DEFAULT_CONTRACT)
    registers, owned = load_contract(contract_path, data.get("overrides"))
    owned.update(data.get("owned_tabs") or {})
    check_tab_names(
        *config_tab_names(
            owned,
            {key: spec.tab for key, spec in registers.items()},
            province=path,
            contract=contract_path,
            owned_overrides=data.get("owned_tabs") or {},
            tab_overrides={k: v for k, v in (data.get("overrides") or {}).items() if "tab" in v},
        )
    )
    targets = data.get("targets") or {}
    _check_targets(targets, path)
    _check_paths(data, path)
    # The packs tab is written by `kspo pack` in Google mode, not by every sync.
    packs_tab = owned.pop("packs")
    ind_path = _named_file(path, data, "indicators", DEFAULT_INDICATORS)
    indicators = load_indicators(ind_path, registers, targets)
    source = data.get("source") or {}
    committee = data.get("committee") or {}
    drive = data.get("drive") or {}
    meeting = dict(data.get("meeting") or {})
    if meeting.get("output_dir"):
        meeting["output_dir"] = str(_beside(path, meeting["output_dir"]))
    xlsx, credentials = source.get("xlsx"), source.get("credentials")
    return Config(
        path=path,
        province_code=code,
        province_name_th=data["province"].get("name_th") or prov.name_th,
        province_name_en=data["province"].get("name_en") or prov.name_en,
        registers=registers,
        owned_tabs=owned,
        source_xlsx=str(_beside(path, xlsx)) if xlsx else None,
        source_google=source.get("google"),
        credentials=str(_beside(path, credentials)) if credentials else None,
        committee_th=committee.get("name_th")
        or f"คณะกรรมการประสานและขับเคลื่อนนโยบายสานพลังประชารัฐประจำจังหวัด{prov.name_th} (คสป.)",
        committee_en=committee.get("name_en") or f"{prov.name_en} Provincial Pracharat Committee",
        meeting=meeting,
        indicators=indicators,
        indicators_path=ind_path,
        backups=int(data.get("backups", 5)),
        packs_tab=packs_tab,
        drive_upload=bool(drive.get("upload", True)),
        drive_folder=drive.get("folder") or None,
        drive_access=str(drive.get("access") or "file"),
    )
