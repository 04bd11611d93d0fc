"""One run at a time per source: an flock'd file that names its holder.

The kernel drops an flock when its process dies, so a lock left by a killed run is
taken over by the next one without any clean-up.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import platform
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from kspo_sheets.errors import ConfigError, LockedError


def lock_dir() -> Path:
    """Where locks for remote sources live: $KSPO_LOCK_DIR, else ~/.cache/kspo-sheets."""
    env = os.environ.get("KSPO_LOCK_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kspo-sheets"


class RunLock:
    """Context manager: holds the lock file at `path` or raises LockedError at once."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        self._fh: IO[str] | None = None

    def holder(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def __enter__(self) -> RunLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(self.path, "a+", encoding="utf-8")
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            if isinstance(exc, FileExistsError):
                reason = "a file stands where the folder would be"
            where = "KSPO_LOCK_DIR" if os.environ.get("KSPO_LOCK_DIR") else "the default"
            raise ConfigError(
                f"Cannot make the lock file {self.path} ({where} lock folder): {reason}",
                hint="Set KSPO_LOCK_DIR to a folder this user can write to (or unset it to use"
                " ~/.cache/kspo-sheets); nothing was read or written.",
            ) from None
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            h = self.holder()
            who = (
                f"pid {h.get('pid', '?')} on {h.get('host', '?')}, started {h.get('started', '?')}"
                if h
                else "another process"
            )
            raise LockedError(
                f"Another kspo run is working on {self.what} ({who}).",
                hint=f"Wait for it to finish; the lock file is {self.path}. A lock left by a dead process is taken over automatically.",
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "host": platform.node(),
                    "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                    "what": self.what,
                }
            )
        )
        fh.flush()
        self._fh = fh
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fh is not None:
            try:
                self._fh.seek(0)
                self._fh.truncate()
            finally:
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
                self._fh.close()
                self._fh = None
