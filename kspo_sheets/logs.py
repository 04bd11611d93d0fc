"""Run events for operators and programs: a log file, JSON lines, and nothing personal.

Events carry counts, paths and codes only; never cell values, credentials or tokens.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from pathlib import Path
from typing import Any, TextIO

LOGGER = "kspo"
# Until a command sets up its log, events go nowhere: never to Python's last-resort handler,
# which would print an error a second time beside the CLI's own "Error:" line.
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
        return json.dumps(doc, ensure_ascii=False, default=str)


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
        log_file.parent.mkdir(parents=True, exist_ok=True)
        fh = logging.FileHandler(log_file, encoding="utf-8")
        fh.setFormatter(JsonLines() if json_lines else TEXT)
        log.addHandler(fh)
    if json_lines:
        sh = logging.StreamHandler(stream or sys.stdout)
        sh.setFormatter(JsonLines())
        log.addHandler(sh)
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    return log


def event(name: str, message: str, level: int = logging.INFO, **fields: Any) -> None:
    logging.getLogger(LOGGER).log(level, message, extra={"event": name, "fields": fields})


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A count and its noun for an operator: '1 row', '2 rows', '1,234 notices'."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
