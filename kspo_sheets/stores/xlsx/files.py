"""The workbook file on disk: the real file behind a link, its version, backups, atomic saves.

A workbook reached through a symbolic link is read and written where it really lives (the
link stays a link); a link loop or anything that is not a regular file (a device, a FIFO)
is refused with a clear message before anything is opened for writing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kspo_sheets.errors import SourceError, WriteError

SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_KINDS = {
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


def real_file(path: Path) -> Path:
    """The regular file `path` names, links followed; SourceError for anything else."""
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise SourceError(
            f"Workbook not found: {path}",
            hint="Check --source, or run `kspo demo` to write the sample workbook first.",
        ) from None
    except (RuntimeError, OSError) as exc:  # RuntimeError: a link loop (before Python 3.13)
        if isinstance(exc, OSError) and exc.errno not in (errno.ELOOP, None):
            raise SourceError(
                f"Cannot open {path}: {exc.strerror or exc}",
                hint="Check the path and its permissions.",
            ) from None
        raise SourceError(
            f"{path} is a symbolic link that leads back to itself (a link loop)",
            hint="Point the link (or --source) at the workbook file itself.",
        ) from None
    try:
        mode = os.stat(real).st_mode
    except OSError as exc:
        raise SourceError(
            f"Cannot read {path}: {exc.strerror or exc}", hint="Check the file's permissions."
        ) from None
    if not stat.S_ISREG(mode):
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        shown = f"{path} ({real})" if real != path.absolute() else str(path)
        raise SourceError(
            f"{shown} is {kind}, not a workbook file",
            hint="Pass the path of the .xlsx workbook to --source.",
        )
    if real.suffix.lower() not in SUFFIXES:
        raise SourceError(
            f"{path} is not an .xlsx workbook",
            hint="Save the file as Excel Workbook (.xlsx); .xls and .ods are not read.",
        )
    return real


def file_version(path: Path) -> str:
    """A content hash: tells whether the workbook changed on disk since it was read."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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


def save_atomic(
    write: Callable[[Path], Any] | Any,
    path: Path,
    *,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it in one step.

    `write` is called with the temporary file's path (an object with a `save` method,
    an openpyxl workbook, will do too). A crash at any point leaves either the old file or
    the new one, never half of one. `path` must be the real file, not a link to it.
    """
    save = write.save if hasattr(write, "save") else write
    # The caller holds the run lock, so any temporary file here is a killed run's leftover.
    for stale in path.parent.glob(f".{path.name}.kspo-tmp-*"):
        stale.unlink(missing_ok=True)
    tmp = path.with_name(f".{path.name}.kspo-tmp-{os.getpid()}")
    try:
        save(tmp)
        if path.exists():
            # The new file would get this process's umask: keep the workbook's own
            # permissions (and owner, where allowed), or a shared office's staff could lose
            # the right to save it.
            shutil.copymode(path, tmp)
            st = path.stat()
            with contextlib.suppress(OSError):
                os.chown(tmp, st.st_uid, st.st_gid)
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
