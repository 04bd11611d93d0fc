"""Choosing a store for a --source: a workbook path, or a Google spreadsheet key or URL."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from kspo_sheets.config.province import Config
from kspo_sheets.errors import ConfigError, SourceError
from kspo_sheets.stores.base import ReadScope, Store

if TYPE_CHECKING:
    from kspo_sheets.stores.google.http import RetryPolicy

# Google's keys are 44 characters; anything far longer is no key.
_URL_KEY = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]{20,100})(?![A-Za-z0-9_-])")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]{25,100}$")


def google_key(source: str) -> str | None:
    """The spreadsheet key in a Google Sheets URL or a bare key; None for anything else."""
    m = _URL_KEY.search(source)
    if m:
        return m.group(1)
    if _BARE_KEY.match(source) and not _exists(source):
        return source
    return None


def _exists(path: str) -> bool:
    """Whether something is at `path`; False for names no file can have."""
    try:
        os.lstat(path)
    except (OSError, ValueError):
        return False
    return True


def workbook_path(source: str, option: str = "--source") -> Path:
    """The workbook path a --source names, refused at once when no file could be there.

    A missing file is left to the workbook store, whose message says how to make one.
    """
    shown = source if len(source) <= 80 else source[:80] + "…"
    fix = (
        "Give the workbook's path, or the spreadsheet's URL or key."
        if option == "--source"
        else "Give the workbook's path."
    )
    try:
        os.stat(source)
    except ValueError:  # a NUL character: not a name any file has
        raise SourceError(
            f"{option} {shown!r} is not a path"
            + (" or a Google spreadsheet URL" if option == "--source" else ""),
            hint=fix,
        ) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SourceError(
                f"{shown}: a symbolic link that leads back to itself (a link loop)",
                hint=f"Point {option} at the workbook itself; `ls -l` shows where each link goes.",
            ) from None
        if exc.errno == errno.ENAMETOOLONG:
            raise SourceError(
                f"{option} is {len(source):,} characters long, too long for a file name here",
                hint=fix,
            ) from None
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR):
            raise SourceError(
                f"Cannot open {shown}: {exc.strerror or exc}",
                hint="Check the path and that this user may read it.",
            ) from None
    return Path(source)


def resolve_source(source: str | None, config: Config) -> str:
    if source:
        return source
    if config.source_google:
        return config.source_google
    if config.source_xlsx:
        return config.source_xlsx
    raise ConfigError(
        f"{config.path}: no source given",
        hint="Pass --source (a workbook path or a Google spreadsheet URL/key), or set source.xlsx / source.google in the config.",
    )


def read_scope(config: Config) -> ReadScope:
    """What a run reads of a spreadsheet: the registers' tabs, the first cell of the tool's
    (its status tabs and the tab listing meeting packs)."""
    return ReadScope(
        registers=tuple(spec.tab for spec in config.registers.values()),
        owned=(*config.owned_tabs.values(), config.packs_tab),
    )


def open_store(
    source: str | None,
    config: Config,
    *,
    credentials: str | None = None,
    timeout: float | None = None,
    scopes: tuple[str, ...] | None = None,
    policy: RetryPolicy | None = None,
) -> Store:
    """The store for a source; Google needs credentials (or a loopback API root).

    `scopes`: what a Google store's token asks for (default: Sheets only)."""
    src = resolve_source(source, config)
    key = google_key(src)
    if key is not None:
        from kspo_sheets.stores.google.credentials import SHEETS_SCOPE
        from kspo_sheets.stores.google.store import GoogleStore

        return GoogleStore(
            key,
            credentials=credentials or config.credentials,
            deadline=timeout,
            scopes=scopes or (SHEETS_SCOPE,),
            policy=policy,
            scope=read_scope(config),
        )
    from kspo_sheets.stores.xlsx.store import XlsxStore

    option = "--source" if source else f"{config.path}: source"
    return XlsxStore(workbook_path(src, option), backups=config.backups)
