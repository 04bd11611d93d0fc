"""Where meeting packs live in Google Drive, and how the tool finds its own files there.

Every file the tool puts in Drive carries app properties (which spreadsheet, meeting, data
date, personal data or not, xlsx or pdf, kspo version, when it was built), so it is found
again by a search on them, never by guessing from names: the same meeting and data date
is the same file (a new revision, the same link), wherever staff moved it. The folder is
the config's drive.folder, or one the tool makes once, named after the committee.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kspo_sheets.config.province import Config
from kspo_sheets.errors import ConfigError
from kspo_sheets.stores.google.credentials import Identity
from kspo_sheets.stores.google.drive import (
    FOLDER_MIME,
    SA_FIXES,
    DriveClient,
    DriveFile,
    DriveNotFound,
    ServiceAccountStorage,
    has_property,
    quote_value,
)

MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
_FOLDER_URL = re.compile(r"(?:/folders/|[?&]id=)([A-Za-z0-9_-]{10,})")
_BARE_ID = re.compile(r"^[A-Za-z0-9_-]{10,}$")


def folder_id(text: str, config: Config) -> str:
    """The folder ID in a Drive folder URL, or a bare ID."""
    text = text.strip()
    m = _FOLDER_URL.search(text)
    if m:
        return m.group(1)
    if _BARE_ID.match(text):
        return text
    raise ConfigError(
        f"{config.path}: key 'drive.folder': {text!r} is not a Google Drive folder",
        hint="Open the folder in Drive and copy its address (https://drive.google.com/drive/"
        "folders/…), or leave drive.folder empty to let kspo make its own folder.",
    )


def _short(text: str, limit: int = 90) -> str:
    """Drive keeps at most 124 bytes of key and value together: a long value is cut and
    keeps a digest of the whole, so two long values never become one."""
    data = text.encode()
    if len(data) <= limit:
        return text
    digest = hashlib.sha1(data).hexdigest()[:10]
    cut = data[: limit - 12].decode("utf-8", "ignore")
    return f"{cut}~{digest}"


@dataclass(frozen=True)
class PackKey:
    """What makes a pack the same pack: one spreadsheet, meeting and data date, with or
    without personal data (a confidential pack never replaces the masked one's link)."""

    spreadsheet: str
    meeting: str  # the meeting number as configured, "-" when there is none
    meeting_date: dt.date | None
    data_date: dt.date
    personal: bool

    def identity(self, kind: str) -> dict[str, str]:
        return {
            "kspo": "pack",
            "kspo_sheet": self.spreadsheet,
            "kspo_meeting": _short(self.meeting or "-"),
            "kspo_data_date": self.data_date.isoformat(),
            "kspo_personal": "yes" if self.personal else "no",
            "kspo_kind": kind,
        }

    def properties(self, kind: str, built: dt.datetime, version: str) -> dict[str, str]:
        return {
            **self.identity(kind),
            "kspo_meeting_date": self.meeting_date.isoformat() if self.meeting_date else "-",
            "kspo_built": built.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "kspo_version": version,
        }

    def query(self, kind: str) -> str:
        return " and ".join(has_property(k, v) for k, v in self.identity(kind).items())


class PackShelf:
    """The packs' folder and the pack files of one spreadsheet."""

    def __init__(
        self, drive: DriveClient, identity: Identity | None, config: Config, spreadsheet: str
    ) -> None:
        self.drive = drive
        self.identity = identity
        self.config = config
        self.spreadsheet = spreadsheet
        self.made_folder = False

    def _folder_query(self) -> str:
        return " and ".join(
            [
                f"mimeType = {quote_value(FOLDER_MIME)}",
                has_property("kspo", "folder"),
                has_property("kspo_sheet", self.spreadsheet),
            ]
        )

    def folder(self) -> DriveFile:
        """The folder packs go to; checks a service account can keep files there before
        anything is made."""
        service_account = self.identity is not None and self.identity.is_service_account
        given = self.config.drive_folder
        if given:
            fid = folder_id(given, self.config)
            try:
                found = self.drive.get(fid)
            except DriveNotFound:
                raise self._unseen(given) from None
            if found.mime != FOLDER_MIME:
                raise ConfigError(
                    f"{self.config.path}: key 'drive.folder': {given} is a file, not a folder",
                    hint="Copy the address of the folder (open it in Drive first).",
                )
            if service_account and not found.drive_id:
                raise ServiceAccountStorage(
                    f"drive.folder {given} is in a person's My Drive, where a service account"
                    " cannot keep files; nothing was uploaded",
                    hint=SA_FIXES,
                )
            return found
        if service_account:
            raise ServiceAccountStorage(
                "No drive.folder in the config: the pack would go to the service account's own"
                " Drive, which holds no files; nothing was uploaded",
                hint=SA_FIXES,
            )
        query = self._folder_query()
        existing = self.drive.find(query)
        if existing:
            return existing[0]
        self.made_folder = True
        name = f"เอกสารประชุม {self.config.committee_th}"
        props = {"kspo": "folder", "kspo_sheet": self.spreadsheet}
        return self.drive.create_folder(name, None, props, query)

    def _unseen(self, given: str) -> ConfigError:
        who = self.identity.describe() if self.identity else "the credentials"
        if self.config.drive_access == "file":
            hint = (
                "With drive.access: file (Google's narrow drive.file permission) kspo sees only"
                " folders it made itself. Leave drive.folder empty so kspo makes its folder (then"
                " share it, or move it where you like: kspo keeps finding it), or set"
                " drive.access: full"
                + (
                    " and sign in again with kspo auth login"
                    if self.identity and not self.identity.is_service_account
                    else ""
                )
                + ". Check the folder's address too."
            )
        else:
            hint = (
                "Check the folder's address, and share the folder (or add the account to the"
                " shared drive) so it may add files there."
            )
        return ConfigError(
            f"{self.config.path}: key 'drive.folder': Google Drive shows no folder {given} to {who}",
            hint=hint,
        )

    def put(
        self,
        path: Path,
        key: PackKey,
        kind: str,
        folder: DriveFile,
        *,
        built: dt.datetime,
        version: str,
        say: Callable[[str], None] | None = None,
    ) -> tuple[DriveFile, bool]:
        """Upload one file of a pack; (the file, True when it replaced an earlier upload)."""
        existing = self.drive.find(key.query(kind))
        props = key.properties(kind, built, version)
        name = path.name if not key.personal else f"{path.stem}-confidential{path.suffix}"
        if existing:
            # The first upload's link is the one staff have: keep it; staff's own name for
            # the file stays too.
            done = self.drive.upload(
                path,
                metadata={"appProperties": props},
                mime=MIME[kind],
                replace=existing[0],
                say=say,
            )
            for extra in existing[1:]:
                # two runs raced to make the same pack: one file is enough
                self.drive.trash(extra.id)
            return done, True
        metadata: dict[str, Any] = {
            "name": name,
            "parents": [folder.id],
            "mimeType": MIME[kind],
            "appProperties": props,
        }
        return self.drive.upload(path, metadata=metadata, mime=MIME[kind], say=say), False

    def listing(self) -> list[DriveFile]:
        """Every pack file this spreadsheet's runs put in Drive (and not trashed)."""
        return self.drive.find(
            " and ".join(
                [has_property("kspo", "pack"), has_property("kspo_sheet", self.spreadsheet)]
            )
        )
