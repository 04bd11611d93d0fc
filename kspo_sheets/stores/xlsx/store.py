"""The local workbook store: reads an .xlsx with openpyxl as values typed."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

from kspo_sheets.errors import ConflictError, SourceError, WriteError
from kspo_sheets.logs import counted
from kspo_sheets.model import CellError, CellValue, Formula, RawTab, Snapshot
from kspo_sheets.stores.base import Mark, WritePlan, WriteReport
from kspo_sheets.stores.lock import RunLock, lock_dir

ERROR_VALUES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
    }
)


def file_version(path: Path) -> str:
    """A content hash: tells whether the workbook changed on disk since it was read."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _check_path(path: Path) -> None:
    if not path.exists():
        raise SourceError(
            f"Workbook not found: {path}",
            hint="Check --source, or run `kspo demo` to write the sample workbook first.",
        )
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise SourceError(
            f"{path} is not an .xlsx workbook",
            hint="Save the file as Excel Workbook (.xlsx); .xls and .ods are not read.",
        )
    if not path.is_file():
        raise SourceError(f"{path} is not a file", hint="Pass the workbook's path to --source.")


def _open(path: Path, **kw: Any) -> Any:
    import openpyxl

    _check_path(path)
    try:
        return openpyxl.load_workbook(path, **kw)
    # SyntaxError: the XML parsers' errors (ElementTree.ParseError, lxml's) derive from it.
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        raise SourceError(
            f"Cannot open {path} as a workbook ({exc.__class__.__name__}: {exc})",
            hint="Open it in Excel or LibreOffice and save it again as .xlsx.",
        ) from None


def _cell_value(cell: Any, cached: Any) -> CellValue:
    v = cell.value
    if v is None:
        return None
    dtype = cell.data_type
    if dtype == "f" or (isinstance(v, str) and dtype != "s" and v.startswith("=")):
        text = v if isinstance(v, str) else str(getattr(v, "text", v))
        c = cached
        if isinstance(c, str) and c in ERROR_VALUES:
            c = CellError(c)
        return Formula(text, c)
    if dtype == "e" or (isinstance(v, str) and dtype != "s" and v in ERROR_VALUES):
        return CellError(str(v))
    if isinstance(v, dt.time):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return str(v)
    return v


def read_workbook(path: Path) -> Snapshot:
    """Every tab's cells as typed (formulas kept with their cached values; merged areas filled)."""
    _check_path(path)
    try:
        version = file_version(path)
    except OSError as exc:
        raise SourceError(
            f"Cannot read {path}: {exc.strerror or exc}", hint="Check the file's permissions."
        ) from None
    wb = _open(path, data_only=False, rich_text=False)
    cached_wb: Any = None
    tabs: dict[str, RawTab] = {}
    try:
        for index, ws in enumerate(wb.worksheets):
            if ws.__class__.__name__ != "Worksheet":
                continue  # chartsheets hold no cells
            rows: list[list[CellValue]] = []
            has_formula = False
            for row in ws.iter_rows():
                out: list[CellValue] = []
                for cell in row:
                    v = cell.value
                    if v is not None and (
                        cell.data_type == "f"
                        or (isinstance(v, str) and cell.data_type != "s" and v.startswith("="))
                    ):
                        has_formula = True
                    out.append(_cell_value(cell, None))
                rows.append(out)
            if has_formula:
                if cached_wb is None:
                    cached_wb = _open(path, data_only=True)
                cws = cached_wb[ws.title]
                for r, row in enumerate(rows):
                    for c, v in enumerate(row):
                        if isinstance(v, Formula):
                            cv = cws.cell(row=r + 1, column=c + 1).value
                            row[c] = _cell_value(ws.cell(row=r + 1, column=c + 1), cv)
            # A merged area shows its top-left value in every cell it covers.
            for rng in ws.merged_cells.ranges:
                top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(rows) else None
                for r in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
                    row = rows[r - 1]
                    for c in range(rng.min_col, rng.max_col + 1):
                        if c - 1 < len(row) and (r, c) != (rng.min_row, rng.min_col):
                            row[c - 1] = top
            tabs[ws.title] = RawTab(ws.title, rows, sheet_id=index)
    finally:
        wb.close()
        if cached_wb is not None:
            cached_wb.close()
    return Snapshot(source=str(path), tabs=tabs, version=version)


class XlsxStore:
    """Reads (and, from issue 3 on, writes back) a local .xlsx workbook."""

    def __init__(self, path: Path | str, *, backups: int = 5) -> None:
        self.path = Path(path)
        self.backups = backups
        self.description = str(self.path)

    def read(self) -> Snapshot:
        return read_workbook(self.path)

    def lock(self) -> RunLock:
        # Kept out of the staff's folder: one lock file per workbook, named by its path.
        digest = hashlib.sha256(str(self.path.resolve()).encode()).hexdigest()[:16]
        return RunLock(lock_dir() / f"xlsx-{self.path.stem[:40]}-{digest}.lock", str(self.path))

    def write(self, snapshot: Snapshot, plan: WritePlan, *, dry_run: bool = False) -> WriteReport:
        return write_workbook(self.path, snapshot, plan, backups=self.backups, dry_run=dry_run)


# Parts openpyxl drops or damages on save: where a workbook has any, the tool writes its
# tabs to a sidecar workbook and leaves the staff file alone.
UNSAFE_PARTS = {
    "xl/charts/": "charts",
    "xl/chartsheets/": "chart sheets",
    "xl/media/": "images",
    "xl/pivotTables/": "pivot tables",
    "xl/pivotCache/": "pivot tables",
    "xl/vbaProject.bin": "macros",
    "xl/slicers/": "slicers",
    "xl/timelines/": "timelines",
    "xl/externalLinks/": "links to other workbooks",
    "xl/activeX/": "ActiveX controls",
    "xl/embeddings/": "embedded objects",
}


def unsafe_contents(path: Path) -> list[str]:
    """What in this workbook would not survive an openpyxl save (sorted, deduplicated)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return []
    found = {label for prefix, label in UNSAFE_PARTS.items() for n in names if n.startswith(prefix)}
    return sorted(found)


def sidecar_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.kspo.xlsx")


def backup_dir(path: Path) -> Path:
    return path.parent / ".kspo-backups"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_atomic(wb: Any, path: Path, *, before_replace: Any = None) -> None:
    """Save to a temporary file beside `path`, fsync, then rename over it in one step.

    A crash at any point leaves either the old file or the new one, never half of one.
    """
    # The caller holds the run lock, so any temporary file here is a killed run's leftover.
    for stale in path.parent.glob(f".{path.name}.kspo-tmp-*"):
        stale.unlink(missing_ok=True)
    tmp = path.with_name(f".{path.name}.kspo-tmp-{os.getpid()}")
    try:
        wb.save(tmp)
        if path.exists():
            # The new file would get this process's umask: keep the workbook's own
            # permissions, or a shared office's staff could lose the right to save it.
            shutil.copymode(path, tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        raise WriteError(
            f"Could not write {path}: {exc.strerror or exc}",
            hint="Free disk space or fix permissions; the previous workbook is unchanged.",
        ) from None
    finally:
        if tmp.exists():
            tmp.unlink()


def keep_backup(path: Path, keep: int) -> Path | None:
    """Copy the current workbook to .kspo-backups/ with a timestamp; prune to the last `keep`."""
    if keep <= 0 or not path.exists():
        return None
    folder = backup_dir(path)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = folder / f"{path.stem}.{stamp}{path.suffix}"
    try:
        folder.mkdir(exist_ok=True)
        shutil.copy2(path, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            dest.unlink(missing_ok=True)  # a half-copied backup is no backup
        raise WriteError(
            f"Could not keep a backup of {path} in {folder}: {exc.strerror or exc}",
            hint="Free disk space or fix permissions (or set backups: 0 in the config); "
            "the workbook is unchanged.",
        ) from None
    olds = sorted(folder.glob(f"{path.stem}.*{path.suffix}"))
    for old in olds[:-keep]:
        old.unlink(missing_ok=True)
    return dest


def write_workbook(
    path: Path, snapshot: Snapshot, plan: WritePlan, *, backups: int, dry_run: bool = False
) -> WriteReport:
    """Write owned tabs and marks into the workbook, or into a sidecar where that is unsafe."""
    from kspo_sheets.stores.xlsx import render as rx

    if file_version(path) != snapshot.version:
        raise ConflictError(
            f"{path} changed on disk after it was read; nothing was written.",
            hint="Someone saved the workbook during the run. Run the sync again.",
        )
    report = WriteReport(target=str(path), changed=False)
    unsafe = unsafe_contents(path)
    if unsafe:
        side = sidecar_path(path)
        report.sidecar = str(side)
        report.details.append(
            f"{path.name} holds {', '.join(unsafe)}, which would not survive a save; "
            f"the status tabs go to {side.name} and the workbook is left as it is."
        )
        import openpyxl

        wb = _open(side) if side.exists() else openpyxl.Workbook()
        if not side.exists():
            wb.remove(wb.active)
        rx.check_owned(wb, plan.owned)
        for tab in plan.owned:
            rx.render_owned(wb, tab)
        report.details.append(
            f"{len(plan.marks)} cells with findings are listed in the status tab (no highlights in a sidecar)."
        )
        if not dry_run:
            save_atomic(wb, side)
            report.changed = True
        return report

    wb = _open(path, keep_vba=path.suffix.lower() == ".xlsm", rich_text=True)
    rx.check_owned(wb, plan.owned)
    for tab in plan.owned:
        rx.render_owned(wb, tab)
        report.details.append(f"tab '{tab.title}': {counted(len(tab.rows), 'row')}")
    by_tab: dict[str, list[Mark]] = {}
    for m in plan.marks:
        by_tab.setdefault(m.tab, []).append(m)
    removed = notes = 0
    for title in plan.register_tabs:
        if title not in wb.sheetnames:
            continue
        ws = wb[title]
        marks = by_tab.get(title, [])
        removed += rx.clear_marks(ws, {(m.row, m.col) for m in marks})
        notes += rx.apply_marks(ws, marks)
    report.details.append(
        f"{counted(len(plan.marks), 'cell')} highlighted, {counted(notes, 'note')};"
        " earlier marks refreshed"
    )
    if dry_run:
        return report

    def still_same() -> None:
        if file_version(path) != snapshot.version:
            raise ConflictError(
                f"{path} changed on disk during the run; nothing was written.",
                hint="Someone saved the workbook during the run. Run the sync again.",
            )

    backup = keep_backup(path, backups)
    report.backup = str(backup) if backup else None
    save_atomic(wb, path, before_replace=still_same)
    report.changed = True
    return report
