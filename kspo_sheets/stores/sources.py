"""Choosing a store for a --source: a workbook path, or a Google spreadsheet key or URL."""

from __future__ import annotations

import re
from pathlib import Path

from kspo_sheets.config.province import Config
from kspo_sheets.errors import ConfigError
from kspo_sheets.stores.base import Store

_URL_KEY = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]{20,})")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]{25,}$")


def google_key(source: str) -> str | None:
    """The spreadsheet key in a Google Sheets URL or a bare key; None for anything else."""
    m = _URL_KEY.search(source)
    if m:
        return m.group(1)
    if _BARE_KEY.match(source) and not Path(source).exists():
        return source
    return None


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


def open_store(
    source: str | None,
    config: Config,
    *,
    credentials: str | None = None,
    timeout: float | None = None,
    scopes: tuple[str, ...] | None = None,
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
        )
    from kspo_sheets.stores.xlsx.store import XlsxStore

    return XlsxStore(Path(src), backups=config.backups)
