"""The local workbook store: reads an .xlsx as typed, writes back by patching its package."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kspo_sheets.errors import ConflictError, SourceError
from kspo_sheets.model import Snapshot
from kspo_sheets.stores.base import WritePlan, WriteReport
from kspo_sheets.stores.lock import RunLock, lock_dir
from kspo_sheets.stores.xlsx.files import (
    file_version,
    keep_backup,
    real_file,
    save_atomic,
    sidecar_path,
)
from kspo_sheets.stores.xlsx.outline import NotUnderstood
from kspo_sheets.stores.xlsx.package import Package
from kspo_sheets.stores.xlsx.patch import plan_patch
from kspo_sheets.stores.xlsx.read import ERROR_VALUES, Unreadable, read_package
from kspo_sheets.stores.xlsx.sidecar import write_sidecar

__all__ = [
    "ERROR_VALUES",
    "XlsxStore",
    "file_version",
    "read_workbook",
    "save_atomic",
    "sidecar_path",
    "write_workbook",
]

_UNREADABLE_HINT = "Open it in Excel or LibreOffice and save it again as .xlsx."


def read_workbook(path: Path) -> Snapshot:
    """Every tab's cells as typed (formulas kept with their stored values; merged areas filled)."""
    real = real_file(path)
    try:
        version = file_version(real)
    except OSError as exc:
        raise SourceError(
            f"Cannot read {path}: {exc.strerror or exc}", hint="Check the file's permissions."
        ) from None
    try:
        tabs = read_package(real)
    except Unreadable as exc:
        raise SourceError(
            f"Cannot open {path} as a workbook ({exc})", hint=_UNREADABLE_HINT
        ) from None
    except OSError as exc:
        raise SourceError(
            f"Cannot read {path}: {exc.strerror or exc}", hint="Check the file's permissions."
        ) from None
    return Snapshot(source=str(path), tabs=tabs, version=version)


class XlsxStore:
    """Reads and writes back a local workbook (.xlsx, .xlsm, .xltx, .xltm)."""

    def __init__(self, path: Path | str, *, backups: int = 5) -> None:
        self.path = Path(path)
        self.backups = backups
        self.description = str(self.path)

    def read(self) -> Snapshot:
        return read_workbook(self.path)

    def lock(self) -> RunLock:
        # Kept out of the staff's folder: one lock file per workbook, named by the real
        # file, so a run through a link and one through the file itself exclude each other.
        real = real_file(self.path)
        digest = hashlib.sha256(str(real).encode()).hexdigest()[:16]
        return RunLock(lock_dir() / f"xlsx-{real.stem[:40]}-{digest}.lock", str(self.path))

    def write(self, snapshot: Snapshot, plan: WritePlan, *, dry_run: bool = False) -> WriteReport:
        return write_workbook(self.path, snapshot, plan, backups=self.backups, dry_run=dry_run)


def write_workbook(
    path: Path, snapshot: Snapshot, plan: WritePlan, *, backups: int, dry_run: bool = False
) -> WriteReport:
    """Patch the owned tabs and marks into the workbook, or into a sidecar where that is unsafe."""
    real = real_file(path)

    def still_same() -> None:
        if file_version(real) != snapshot.version:
            raise ConflictError(
                f"{path} changed on disk during the run; nothing was written.",
                hint="Someone saved the workbook during the run. Run the sync again.",
            )

    if file_version(real) != snapshot.version:
        raise ConflictError(
            f"{path} changed on disk after it was read; nothing was written.",
            hint="Someone saved the workbook during the run. Run the sync again.",
        )
    report = WriteReport(target=str(path), changed=False)
    try:
        with Package(real) as pkg:
            patch = plan_patch(pkg, snapshot.tabs, plan)
            report.details.extend(patch.details)
            if dry_run:
                return report
            backup = keep_backup(real, backups)
            report.backup = str(backup) if backup else None
            save_atomic(
                lambda tmp: pkg.write(
                    tmp, changed=patch.changed, added=patch.added, removed=patch.removed
                ),
                real,
                before_replace=still_same,
            )
    except NotUnderstood as why:
        return write_sidecar(real, plan, why, dry_run=dry_run)
    report.changed = True
    return report
