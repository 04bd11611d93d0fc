"""The Google store: the registers read in one values.batchGet (with a metadata read before
it and, only when needed, a small check of some cells after it: see reader.py), one
batchUpdate writes everything.

Reads take values exactly as typed (a phone typed as text stays text, a date cell becomes
a date, a formula keeps its formula and last value). Writes never put user text in as a
formula: every value is a stringValue or numberValue, and the only formulas are the
tool's own links. Highlights are conditional-format rules anchored on the row ID, so
they follow a row that staff move, insert above or sort between the read and the write.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from kspo_sheets.errors import ConfigError, WriteError
from kspo_sheets.model import Snapshot
from kspo_sheets.stores.base import ReadScope, WritePlan, WriteReport
from kspo_sheets.stores.google.batch import build_batch
from kspo_sheets.stores.google.credentials import SHEETS_SCOPE, Identity
from kspo_sheets.stores.google.http import KspoHTTPClient, RetryPolicy, api_root, load_credentials
from kspo_sheets.stores.google.json_stream import parse_stream
from kspo_sheets.stores.google.read_notes import load_notes
from kspo_sheets.stores.google.reader import DESIGNS, SheetReader
from kspo_sheets.stores.google.rules import RULES_FIELDS, refused_rule_index, with_rules
from kspo_sheets.stores.lock import RunLock, lock_dir

# The reply: each request's reply (a deleted rule is named there), and for the staff tabs
# written to, their rules (formula and cells) and the ID and noted columns after the write.
WRITE_FIELDS = (
    "spreadsheetId,replies,updatedSpreadsheet(sheets(properties(title),"
    "conditionalFormats(ranges,booleanRule(condition(values))),"
    "data(startRow,startColumn,rowData(values(userEnteredValue,note)))))"
)
WRITE_PARAMS = {"fields": WRITE_FIELDS, "prettyPrint": "false"}


class GoogleStore:
    """Registers in a Google spreadsheet, through gspread's HTTP client."""

    def __init__(
        self,
        key: str,
        *,
        credentials: str | None = None,
        deadline: float | None = None,
        root: str | None = None,
        policy: RetryPolicy | None = None,
        sleep: Any = time.sleep,
        scopes: tuple[str, ...] = (SHEETS_SCOPE,),
        scope: ReadScope | None = None,
        design: str | None = None,
    ) -> None:
        self.key = key
        self.scope = scope  # what to read of the spreadsheet (None: every tab whole)
        self.design = design or read_design()
        self.root = (root or api_root()).rstrip("/")
        self.description = f"Google spreadsheet {key}"
        self._credentials_path = credentials
        self._deadline = time.monotonic() + deadline if deadline else None
        self._policy = policy
        self._sleep = sleep
        self._http: KspoHTTPClient | None = None
        self.account: str | None = None
        self.identity: Identity | None = None
        # Sheets only, unless a command needs more (kspo pack adds Drive to upload the pack)
        self.scopes = scopes

    @property
    def http(self) -> KspoHTTPClient:
        if self._http is None:
            creds, self.identity = load_credentials(self._credentials_path, self.root, self.scopes)
            self.account = self.identity.email
            self._http = KspoHTTPClient(
                creds,
                root=self.root,
                policy=self._policy,
                deadline=self._deadline,
                account=self.account,
                identity=self.identity,
                sleep=self._sleep,
            )
        return self._http

    def who(self) -> str:
        """Which credentials this store uses, for an operator (loads them if not yet)."""
        self.http  # noqa: B018 - loading the credentials is the point
        return self.identity.describe() if self.identity else ""

    def lock(self) -> RunLock:
        return RunLock(lock_dir() / f"google-{self.key}.lock", self.description)

    def read(self) -> Snapshot:
        reader = SheetReader(
            self.http, self.key, self.description, scope=self.scope, design=self.design
        )
        return reader.read()

    @staticmethod
    def _digest(batch: Any) -> Any:
        """Reads a write's reply as it streams, keeping only the IDs and notes it checks."""

        def consume(chunks: Iterable[bytes]) -> Any:
            digest = batch.reply_digest()
            reply = parse_stream(chunks, digest.PATH, digest.on_item)
            return digest.finish(reply)

        return consume

    def write(self, snapshot: Snapshot, plan: WritePlan, *, dry_run: bool = False) -> WriteReport:
        # The notes are the write's alone to read (validation never needs them).
        load_notes(self.http, self.key, snapshot, plan.register_tabs)
        batch, data = build_batch(snapshot, plan)
        report = WriteReport(target=self.description, changed=False, details=batch.details)
        report.requests = len(batch.requests)
        if dry_run or not batch.requests:
            return report
        url = f"/v4/spreadsheets/{quote(self.key)}:batchUpdate"
        try:
            reply = self.http.post_streamed(url, data, self._digest(batch), params=WRITE_PARAMS)
        except WriteError as exc:
            if not (batch.rules_state and refused_rule_index(exc.message)):
                raise
            # Staff removed rules after the read, and a delete by an index read fell off
            # the end of the list; Google applied nothing. Read the rules again and resend.
            answer = self.http.get_json(
                f"/v4/spreadsheets/{quote(self.key)}",
                params={"fields": RULES_FIELDS, "prettyPrint": "false"},
            )
            batch, data = build_batch(with_rules(snapshot, answer), plan)
            batch.details.append("staff edited the highlight rules during the sync: read again")
            report.details = batch.details
            report.requests = len(batch.requests)
            reply = self.http.post_streamed(url, data, self._digest(batch), params=WRITE_PARAMS)
        report.changed = True
        # Staff may have edited the sheet between the read and this write. Highlights follow
        # the IDs by themselves, but old ones were deleted by the indexes read, and notes
        # are placed by position: check both against the reply, and mend what went astray.
        for _ in range(2):
            fix = batch.correction(reply)
            if not fix:
                break
            report.details.append(batch.fix_summary())
            reply = self.http.post_streamed(url, fix, self._digest(batch), params=WRITE_PARAMS)
        return report


def read_design() -> str:
    """KSPO_SHEETS_READ: 'values' (the default) or 'snapshot' (see reader.py)."""
    text = os.environ.get("KSPO_SHEETS_READ", "").strip().lower() or "values"
    if text not in DESIGNS:
        raise ConfigError(
            f"KSPO_SHEETS_READ={text!r} is not a way to read a spreadsheet",
            hint="Set it to 'values' (the default) or 'snapshot', or unset it.",
        )
    return text
