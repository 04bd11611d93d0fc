"""Run events for operators and programs: a log file, JSON lines, and nothing personal.

Events carry counts, paths and codes only; never cell values, credentials or tokens.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import sys
from pathlib import Path
from typing import Any, TextIO

from kspo_sheets.errors import ConfigError

LOGGER = "kspo"
# Nothing is printed for a run event unless setup() says where it goes (the standard
# library would otherwise print errors to stderr, beside the CLI's own Error: line).
logging.getLogger(LOGGER).addHandler(logging.NullHandler())


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="seconds"),
            "level": record.levelname.lower(),
            "event": getattr(record, "event", "message"),
            "message": record.getMessage(),
        }
        doc.update(getattr(record, "fields", {}) or {})
        return json.dumps(finite(doc), ensure_ascii=False, default=str, allow_nan=False)


def finite(value: Any) -> Any:
    """A document with NaN and infinities as null: JSON has no word for them, and a reader
    that meets a bare NaN stops reading."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


TEXT = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S")


def setup(
    *, log_file: Path | None, json_lines: bool, stream: TextIO | None = None
) -> logging.Logger:
    """Configure the 'kspo' logger afresh: a file (text or JSON lines) and/or a JSON stream."""
    log = logging.getLogger(LOGGER)
    for h in list(log.handlers):
        log.removeHandler(h)
        h.close()
    log.setLevel(logging.INFO)
    log.propagate = False
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            fh = logging.FileHandler(log_file, encoding="utf-8")
        except (OSError, ValueError) as exc:
            log.addHandler(logging.NullHandler())
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            if isinstance(exc, FileExistsError):
                reason = "a file stands where its folder would be"
            raise ConfigError(
                f"Cannot write the log file {_shown(log_file)}: {reason}",
                hint="Give --log-file a file in a folder this user can write to.",
            ) from None
        fh.setFormatter(JsonLines() if json_lines else TEXT)
        log.addHandler(fh)
    if json_lines:
        sh = logging.StreamHandler(stream or sys.stdout)
        sh.setFormatter(JsonLines())
        log.addHandler(sh)
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    return log


def _shown(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 120 else text[:120] + "…"


def event(name: str, message: str, level: int = logging.INFO, **fields: Any) -> None:
    logging.getLogger(LOGGER).log(level, message, extra={"event": name, "fields": fields})


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A count and its noun for an operator: '1 row', '2 rows', '1,234 notices'."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
