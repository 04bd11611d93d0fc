"""Misbehaviour on demand: quota errors, 5xx, slowness, dropped connections, broken JSON,
and a hook that lets a test edit the sheet between the tool's read and its write."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .state import SheetsState

StaffEdit = Callable[[SheetsState], Any]


@dataclass
class Fault:
    kind: str  # "fail" | "slow" | "drop" | "malformed" | "cut"
    times: int
    method: str | None = None
    path: str | None = None
    status: int = 500
    retry_after: float | None = None
    message: str | None = None
    seconds: float = 0.0
    processed: bool = False

    def matches(self, method: str, target: str) -> bool:
        return (self.method is None or self.method.upper() == method) and (
            self.path is None or self.path in target
        )


@dataclass
class _Between:
    callback: StaffEdit
    after_path: str | None
    before_method: str | None
    armed: bool = False


@dataclass
class Faults:
    """A queue of faults; each applies to the next ``times`` requests that match.

    ``method`` filters by HTTP method, ``path`` by a substring of "path?query" as the
    client sent it (e.g. ``path=":batchUpdate"`` or ``path="/values/"``).
    """

    _queue: list[Fault] = field(default_factory=list)
    _between: list[_Between] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(
        self,
        status: int = 500,
        *,
        retry_after: float | None = None,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        message: str | None = None,
    ) -> None:
        """Answer with Google's error envelope (429 -> RESOURCE_EXHAUSTED, 503 -> UNAVAILABLE,
        ...) and, when ``retry_after`` is given, a Retry-After header. Nothing is applied."""
        self._add(
            Fault(
                "fail", times, method, path, status=status, retry_after=retry_after, message=message
            )
        )

    def slow(
        self, seconds: float, *, times: int = 1, method: str | None = None, path: str | None = None
    ) -> None:
        """Wait before answering; the request is still carried out (as Google would, even if
        the client has given up by then)."""
        self._add(Fault("slow", times, method, path, seconds=seconds))

    def drop(
        self,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        processed: bool = False,
    ) -> None:
        """Close the connection without answering. ``processed=True`` applies the request
        first: the write happened but its answer was lost."""
        self._add(Fault("drop", times, method, path, processed=processed))

    def malformed(
        self, *, times: int = 1, method: str | None = None, path: str | None = None
    ) -> None:
        """Answer 200 with a body that is not valid JSON; nothing is applied."""
        self._add(Fault("malformed", times, method, path))

    def cut(self, *, times: int = 1, method: str | None = None, path: str | None = None) -> None:
        """Apply the request, start the real answer (200, chunked), and close the connection
        half-way through its body: a network failure while a large answer streams in."""
        self._add(Fault("cut", times, method, path, processed=True))

    def between(
        self,
        callback: StaffEdit,
        *,
        after_path: str | None = None,
        before_method: str | None = None,
    ) -> None:
        """Call ``callback(state)`` after the next GET of a spreadsheet (whose "path?query"
        contains ``after_path``, if given) and before the following request (of
        ``before_method``, if given) is processed."""
        with self._lock:
            self._between.append(_Between(callback, after_path, before_method))

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self._between.clear()

    @property
    def pending(self) -> int:
        with self._lock:
            return sum(f.times for f in self._queue) + len(self._between)

    def _add(self, fault: Fault) -> None:
        if fault.times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._queue.append(fault)

    # --- used by the server -------------------------------------------------------------

    def take(self, method: str, target: str) -> tuple[Fault | None, Fault | None]:
        """The first matching delay and the first matching terminal fault, each used once."""
        delay = terminal = None
        with self._lock:
            for fault in self._queue:
                if not fault.matches(method, target):
                    continue
                if fault.kind == "slow" and delay is None:
                    delay = fault
                elif fault.kind != "slow" and terminal is None:
                    terminal = fault
            for used in (delay, terminal):
                if used is not None:
                    used.times -= 1
            self._queue = [f for f in self._queue if f.times > 0]
        return delay, terminal

    def due(self, method: str) -> list[StaffEdit]:
        """Hooks to run now, before this request is processed."""
        with self._lock:
            ready = [
                b
                for b in self._between
                if b.armed and (b.before_method is None or b.before_method.upper() == method)
            ]
            self._between = [b for b in self._between if all(b is not r for r in ready)]
        return [b.callback for b in ready]

    def saw_get(self, target: str) -> None:
        with self._lock:
            for hook in self._between:
                if not hook.armed and (hook.after_path is None or hook.after_path in target):
                    hook.armed = True
