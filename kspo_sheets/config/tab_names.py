"""Tab names a config gives: what Excel and Google Sheets accept, and one tab per name.

The tool's own tabs are created by the tool, in a workbook and in a spreadsheet alike, so
their names must be ones both accept: no ``/ \\ ? * [ ] :``, at most 31 characters (Excel's
limit, counted as Excel counts, in UTF-16 units), no apostrophe at either end, not Excel's
reserved "History". Sheet names are compared without regard to case by both programs, so
two tabs that differ only in case are one tab.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from kspo_sheets.errors import ConfigError

FORBIDDEN = "/\\?*[]:"
MAX_LENGTH = 31


def tab_name_problem(name: str) -> str | None:
    """Why a workbook or spreadsheet cannot have a tab of this name; None when it can."""
    if not name.strip():
        return "is blank"
    bad = [ch for ch in FORBIDDEN if ch in name]
    if bad:
        return f"contains {' '.join(bad)} (a tab name cannot contain / \\ ? * [ ] :)"
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "contains a control character (a line break or tab, perhaps)"
    units = len(name.encode("utf-16-le")) // 2
    if units > MAX_LENGTH:
        return f"is {units} characters long; Excel allows at most {MAX_LENGTH}"
    if name.startswith("'") or name.endswith("'"):
        return "begins or ends with an apostrophe, which Excel does not allow"
    if name.casefold() == "history":
        return "is a name Excel keeps for itself"
    return None


@dataclass(frozen=True)
class TabName:
    """A tab name and where it was given (file and key), for the error message."""

    name: str
    path: Path
    key: str
    overridden: bool = False  # given by the province's file, over the contract's


def check_tab_names(owned: list[TabName], registers: list[TabName]) -> None:
    """Raise ConfigError for an owned tab Excel or Google would refuse, or any two tabs
    (owned or register) with one name."""
    for tab in owned:
        problem = tab_name_problem(tab.name)
        if problem:
            raise ConfigError(
                f"{tab.path}: key '{tab.key}': the tab name {tab.name!r} {problem}",
                hint="Give the tool's tab a name of at most 31 characters without / \\ ? * [ ] :"
                " (for example สถานะการตรวจสอบ).",
            )
    seen: dict[str, TabName] = {}
    # Names from the contract first: a clash is reported at the override that made it.
    contract_first = sorted([*owned, *registers], key=lambda t: t.overridden)
    for tab in contract_first:
        folded = tab.name.strip().casefold()
        first = seen.get(folded)
        if first is not None:
            raise ConfigError(
                f"{tab.path}: key '{tab.key}': the tab name {tab.name!r} is already used by"
                f" '{first.key}' ({first.path})",
                hint="Every register and every tab the tool writes needs a name of its own"
                " (names that differ only in upper and lower case are the same tab).",
            )
        seen[folded] = tab


def config_tab_names(
    owned: Mapping[str, str],
    registers: Mapping[str, str],
    *,
    province: Path,
    contract: Path,
    owned_overrides: Mapping[str, object],
    tab_overrides: Mapping[str, object],
) -> tuple[list[TabName], list[TabName]]:
    """The owned and register tab names, each with the file and key it came from."""
    owned_names = [
        TabName(title, province, f"owned_tabs.{key}", overridden=True)
        if key in owned_overrides
        else TabName(title, contract, f"owned_tabs.{key}")
        for key, title in owned.items()
    ]
    register_names = [
        TabName(title, province, f"overrides.{key}.tab", overridden=True)
        if key in tab_overrides
        else TabName(title, contract, f"registers.{key}.tab")
        for key, title in registers.items()
    ]
    return owned_names, register_names


def check_workbook_tab_names(registers: Mapping[str, str], config_path: Path) -> None:
    """Raise ConfigError for a register tab a workbook cannot have (Google Sheets can:
    a spreadsheet's staff may keep such a name, but `kspo init --xlsx` cannot make it)."""
    for key, name in registers.items():
        problem = tab_name_problem(name)
        if problem:
            raise ConfigError(
                f"{config_path}: the register tab {name!r} ({key}) {problem}, so a workbook"
                " cannot have it",
                hint=f"Map the register to a name of at most 31 characters without"
                f" / \\ ? * [ ] : with overrides.{key}.tab in the config.",
            )
