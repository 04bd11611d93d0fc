"""One exception hierarchy; each class carries the exit code cron relies on.

Exit codes (documented in the README; tests pin them):
    0  clean run (no finding at or above the --fail-on level)
    1  findings at or above the --fail-on level (default: error)
    2  usage or configuration error
    3  source unreadable (file missing, not a workbook, spreadsheet not found or not shared)
    4  write refused or failed (changed since read, owned-tab name taken by staff, disk)
    5  another run holds the lock
    6  Google API gave up after retries (quota, 5xx, timeouts) or the run's --timeout expired
    7  credentials problem
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_CONFIG = 2
EXIT_SOURCE = 3
EXIT_WRITE = 4
EXIT_LOCKED = 5
EXIT_REMOTE = 6
EXIT_CREDENTIALS = 7


class KspoError(Exception):
    """Base class of every error the tool reports to an operator.

    The message says what is wrong, where, and what to do next.
    """

    exit_code = EXIT_CONFIG

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message}\n  → {self.hint}"
        return self.message


class ConfigError(KspoError):
    """A config file is missing, malformed or fails its schema."""

    exit_code = EXIT_CONFIG


class SourceError(KspoError):
    """The registers cannot be read (missing file, not a workbook, no access)."""

    exit_code = EXIT_SOURCE


class WriteError(KspoError):
    """Writing back was refused or failed; nothing staff typed was changed."""

    exit_code = EXIT_WRITE


class ConflictError(WriteError):
    """The source changed between read and write; nothing was written."""


class OwnedTabError(WriteError):
    """A tab the tool would own exists but was not made by the tool."""


class LockedError(KspoError):
    """Another run holds the lock."""

    exit_code = EXIT_LOCKED


class RemoteError(KspoError):
    """The Google API kept failing (quota, server errors, timeouts) until the retry budget ran out."""

    exit_code = EXIT_REMOTE


class RunTimeout(RemoteError):
    """The whole-run time budget (--timeout) was spent."""


class CredentialsError(KspoError):
    """The service-account key is missing, unreadable, malformed or too widely readable."""

    exit_code = EXIT_CREDENTIALS
