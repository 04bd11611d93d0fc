"""Adding the registers' tabs and the status tabs to a workbook (`kspo init --xlsx`).

A new workbook is made from an empty package whose default font is the registers' own.
An existing one is patched the way a sync patches it (``patch``): every part is copied as
stored, and the workbook part, its relationships, the content types and the styles part
gain only the new tabs and their formats; nothing staff made is saved again by a library.
A workbook the patcher cannot edit safely is left untouched, with one line saying why.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from kspo_sheets.errors import ConflictError, SourceError, WriteError
from kspo_sheets.stores.base import BlankTab, OwnedTab
from kspo_sheets.stores.xlsx.files import file_version, keep_backup, real_file, save_atomic
from kspo_sheets.stores.xlsx.outline import NotUnderstood
from kspo_sheets.stores.xlsx.package import Package, StrictPackage, empty_package
from kspo_sheets.stores.xlsx.patch import Patch, plan_new_tabs
from kspo_sheets.stores.xlsx.store import XlsxStore
from kspo_sheets.stores.xlsx.styles import empty_styles
from kspo_sheets.thai.wrap import Font


def add_tabs(
    path: Path,
    owned: list[OwnedTab],
    blank: list[BlankTab],
    *,
    font: Font,
    backups: int = 0,
) -> tuple[list[str], list[str]]:
    """Add the tabs `path` lacks (a new workbook in `font` where there is none); returns the
    titles added and notes for the operator. A tab that exists, staff's or the tool's, is
    left alone, so a second run changes nothing."""
    if not path.exists() and not path.is_symlink():
        return _create(path, owned, blank, font)
    real = real_file(path)  # a link is followed; a FIFO, a device or a loop is refused
    with XlsxStore(path, backups=backups).lock():
        version = file_version(real)
        try:
            with Package(real) as pkg:
                patch, added = _plan(pkg, path, owned, blank)
                if not added:
                    return [], []

                def still_same() -> None:
                    if file_version(real) != version:
                        raise ConflictError(
                            f"{path} changed on disk while kspo init ran; nothing was written.",
                            hint="Someone saved the workbook meanwhile. Run kspo init again.",
                        )

                keep_backup(real, backups)
                save_atomic(
                    lambda tmp: pkg.write(
                        tmp, changed=patch.changed, added=patch.added, removed=patch.removed
                    ),
                    real,
                    before_replace=still_same,
                )
        except (zipfile.BadZipFile, KeyError, StrictPackage) as exc:
            raise SourceError(
                f"Cannot open {path} as a workbook ({exc.__class__.__name__})",
                hint="Open it in Excel or LibreOffice and save it again as .xlsx.",
            ) from None
    return added, patch.warnings


def _plan(
    pkg: Package, path: Path, owned: list[OwnedTab], blank: list[BlankTab]
) -> tuple[Patch, list[str]]:
    try:
        return plan_new_tabs(pkg, owned, blank)
    except NotUnderstood as why:
        raise WriteError(
            f"kspo init cannot add tabs to {path} safely ({why}); it was left as it is.",
            hint="Add the missing tabs by hand (`kspo init --xlsx NEW.xlsx` lays them out in a"
            " new workbook to copy from), or save a copy of the workbook without what is named.",
        ) from None


def _create(
    path: Path, owned: list[OwnedTab], blank: list[BlankTab], font: Font
) -> tuple[list[str], list[str]]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(
            f"Cannot create the folder {path.parent}: {exc.strerror or exc}",
            hint="Give --xlsx a path in a folder this user can write to.",
        ) from None

    def still_absent() -> None:
        if path.exists() or path.is_symlink():
            raise ConflictError(
                f"{path} appeared while kspo init was making it; nothing was written.",
                hint="Run kspo init again: it completes the workbook that is there now.",
            )

    with Package(io.BytesIO(empty_package(empty_styles(font.family, font.size)))) as pkg:
        patch, added = _plan(pkg, path, owned, blank)
        save_atomic(
            lambda tmp: pkg.write(
                tmp, changed=patch.changed, added=patch.added, removed=patch.removed
            ),
            path,
            before_replace=still_absent,
        )
    return added, patch.warnings
