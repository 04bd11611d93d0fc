"""The stand-in's Drive: folders and files with their content and revisions, people's My
Drives, shared drives and their members, upload sessions, and who may see what.

Visibility follows Google's rules as far as the tool meets them: a person sees what they
own, what was shared with them (directly or through a folder) and what is in a shared
drive they belong to; a token with only ``drive.file`` sees, of that, just the files its
app made; a service account has no storage of its own, so it cannot put a file anywhere
but in a shared drive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError
from .oauth import DRIVE, Account

FOLDER = "application/vnd.google-apps.folder"
SPREADSHEET = "application/vnd.google-apps.spreadsheet"
WRITE_ROLES = frozenset({"owner", "organizer", "fileOrganizer", "writer"})
QUOTA_MESSAGE = (
    "Service Accounts do not have storage quota. Leverage shared drives"
    " (https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use"
    " OAuth delegation (http://support.google.com/a/answer/7281227) instead."
)


class DriveError(ApiError):
    """Drive's error envelope: {"error": {"code", "message", "errors": [{reason, ...}]}}."""

    def __init__(
        self, code: int, message: str, reason: str, domain: str = "global", **where: str
    ) -> None:
        super().__init__(code, message)
        self.reason = reason
        self.domain = domain
        self.where = where

    def envelope(self) -> dict[str, Any]:
        item = {"message": self.message, "domain": self.domain, "reason": self.reason}
        item.update(self.where)
        return {"error": {"code": self.code, "message": self.message, "errors": [item]}}


def not_found(file_id: str) -> DriveError:
    return DriveError(
        404,
        f"File not found: {file_id}.",
        "notFound",
        location="fileId",
        locationType="parameter",
    )


def iso(ts: float) -> str:
    moment = dt.datetime.fromtimestamp(ts, tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class DriveFile:
    id: str
    name: str
    mime: str
    parents: list[str]
    owner: str | None  # None inside a shared drive (the drive owns it)
    drive_id: str | None = None
    apps: set[str] = field(default_factory=set)  # apps that made it (drive.file)
    app_properties: dict[str, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    revisions: int = 1
    created: float = 0.0
    modified: float = 0.0
    trashed: bool = False
    shared_with: dict[str, str] = field(default_factory=dict)  # e-mail -> role

    def resource(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": "drive#file",
            "id": self.id,
            "name": self.name,
            "mimeType": self.mime,
            "parents": list(self.parents),
            "trashed": self.trashed,
            "createdTime": iso(self.created),
            "modifiedTime": iso(self.modified),
            "version": str(self.revisions),
            "webViewLink": (
                f"https://drive.google.com/drive/folders/{self.id}"
                if self.mime == FOLDER
                else f"https://drive.google.com/file/d/{self.id}/view?usp=drivesdk"
            ),
        }
        if self.app_properties:
            out["appProperties"] = dict(self.app_properties)
        if self.properties:
            out["properties"] = dict(self.properties)
        if self.drive_id:
            out["driveId"] = self.drive_id
        else:
            out["owners"] = [{"kind": "drive#user", "emailAddress": self.owner}]
        if self.mime != FOLDER:
            out["size"] = str(len(self.content))
            out["md5Checksum"] = hashlib.md5(self.content).hexdigest()
            out["headRevisionId"] = f"rev{self.revisions:04d}"
        return out


@dataclass
class SharedDrive:
    id: str
    name: str
    members: dict[str, str]  # e-mail -> role (organizer, fileOrganizer, writer, ...)


@dataclass
class UploadSession:
    """A resumable upload: nothing exists in Drive until its last byte has arrived."""

    id: str
    caller: Account
    metadata: dict[str, Any]
    params: dict[str, list[str]]
    total: int | None
    file_id: str | None = None  # an update of this file; None: a new file
    received: bytearray = field(default_factory=bytearray)
    done: dict[str, Any] | None = None


class DriveState:
    """Everything Drive holds besides the spreadsheets (which SheetsState keeps)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng  # the stand-in's seeded generator: the same IDs on every run
        self.files: dict[str, DriveFile] = {}
        self.drives: dict[str, SharedDrive] = {}
        self.roots: dict[str, str] = {}
        self.sessions: dict[str, UploadSession] = {}

    # --- seeding, for tests --------------------------------------------------------------

    def new_id(self, prefix: str = "1", length: int = 33) -> str:
        rng = self.rng
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        while True:
            new = prefix + "".join(rng.choice(alphabet) for _ in range(length - len(prefix)))
            if new not in self.files and new not in self.drives:
                return new

    def root_of(self, email: str) -> str:
        """The ID of a person's My Drive (made when first needed)."""
        if email not in self.roots:
            rid = self.new_id("0A", 19)
            self.roots[email] = rid
            now = time.time()
            self.files[rid] = DriveFile(
                rid, "My Drive", FOLDER, [], email, created=now, modified=now
            )
        return self.roots[email]

    def add_shared_drive(self, name: str, members: dict[str, str]) -> str:
        did = self.new_id("0A", 19)
        self.drives[did] = SharedDrive(did, name, dict(members))
        now = time.time()
        self.files[did] = DriveFile(
            did, name, FOLDER, [], None, drive_id=did, created=now, modified=now
        )
        return did

    def add_folder(
        self,
        name: str,
        owner: str,
        parent: str | None = None,
        shared_with: dict[str, str] | None = None,
    ) -> str:
        """A folder a person made in the Drive web page (no app made it)."""
        parent = parent or self.root_of(owner)
        drive_id = self.files[parent].drive_id
        fid = self.new_id()
        now = time.time()
        self.files[fid] = DriveFile(
            fid,
            name,
            FOLDER,
            [parent],
            None if drive_id else owner,
            drive_id=drive_id,
            shared_with=dict(shared_with or {}),
            created=now,
            modified=now,
        )
        return fid

    def children(self, folder_id: str) -> list[DriveFile]:
        return [f for f in self.files.values() if folder_id in f.parents]

    def named(self, name: str) -> list[DriveFile]:
        return [f for f in self.files.values() if f.name == name]

    # --- who may see and change what --------------------------------------------------------

    def role(self, who: Account, f: DriveFile) -> str | None:
        if who.full:
            return "owner"
        if f.drive_id:
            return self.drives[f.drive_id].members.get(who.email)
        if f.owner == who.email:
            return "owner"
        seen: set[str] = set()
        node: DriveFile | None = f
        while node is not None and node.id not in seen:
            seen.add(node.id)
            if who.email in node.shared_with:
                return node.shared_with[who.email]
            node = self.files.get(node.parents[0]) if node.parents else None
        return None

    def visible(self, who: Account, f: DriveFile) -> bool:
        if self.role(who, f) is None:
            return False
        # drive.file: only what this app made (or a person picked for it)
        return who.full or DRIVE in who.scopes or who.app in f.apps

    def get(self, who: Account, file_id: str, params: dict[str, list[str]]) -> DriveFile:
        f = self.files.get(file_id)
        if f is None or not self.visible(who, f):
            raise not_found(file_id)
        if f.drive_id and not _flag(params, "supportsAllDrives"):
            raise not_found(file_id)  # shared-drive items exist only for callers who say so
        return f

    def writable_parent(
        self, who: Account, parent_id: str, params: dict[str, list[str]]
    ) -> DriveFile:
        if parent_id in ("root", self.roots.get(who.email)):
            # one's own My Drive takes new files whatever the scope (drive.file too)
            return self.files[self.root_of(who.email)]
        parent = self.get(who, parent_id, params)
        if parent.mime != FOLDER:
            raise DriveError(400, "The specified parent is not a folder.", "invalidParent")
        if self.role(who, parent) not in WRITE_ROLES and not (
            parent.drive_id and self.role(who, parent) == "contentManager"
        ):
            raise DriveError(
                403,
                "The user does not have sufficient permissions for this file.",
                "insufficientFilePermissions",
            )
        return parent

    def check_storage(self, who: Account, parent: DriveFile, mime: str) -> None:
        """A service account owns no storage: a file of its own must go in a shared drive."""
        if who.kind == "service_account" and not parent.drive_id and mime != FOLDER:
            raise DriveError(403, QUOTA_MESSAGE, "storageQuotaExceeded", domain="usageLimits")

    # --- changes ------------------------------------------------------------------------

    def create(
        self, who: Account, metadata: dict[str, Any], content: bytes, params: dict[str, list[str]]
    ) -> DriveFile:
        parents = metadata.get("parents") or [self.root_of(who.email)]
        if not isinstance(parents, list) or len(parents) != 1:
            raise DriveError(
                403, "Increasing the number of parents is not allowed", "cannotAddParent"
            )
        parent = self.writable_parent(who, str(parents[0]), params)
        mime = str(metadata.get("mimeType") or "application/octet-stream")
        self.check_storage(who, parent, mime)
        now = time.time()
        f = DriveFile(
            self.new_id(),
            str(metadata.get("name") or "Untitled"),
            mime,
            [parent.id],
            None if parent.drive_id else who.email,
            drive_id=parent.drive_id,
            apps={who.app} if who.app else set(),
            app_properties=_props(metadata.get("appProperties")),
            properties=_props(metadata.get("properties")),
            content=bytes(content),
            created=now,
            modified=now,
        )
        self.files[f.id] = f
        return f

    def update(
        self, who: Account, f: DriveFile, metadata: dict[str, Any], content: bytes | None
    ) -> DriveFile:
        if self.role(who, f) not in WRITE_ROLES and self.role(who, f) != "contentManager":
            raise DriveError(
                403,
                "The user does not have sufficient permissions for this file.",
                "insufficientFilePermissions",
            )
        for key in ("parents", "id", "driveId"):
            if key in metadata:
                raise DriveError(
                    403,
                    "The resource body includes fields which are not directly writable.",
                    "fieldNotWritable",
                )
        if metadata.get("name"):
            f.name = str(metadata["name"])
        if "trashed" in metadata:
            f.trashed = bool(metadata["trashed"])
        for key, target in (("appProperties", f.app_properties), ("properties", f.properties)):
            for k, v in (metadata.get(key) or {}).items():
                if v is None:
                    target.pop(k, None)
                else:
                    target[k] = str(v)
        if content is not None:
            f.content = bytes(content)
            f.revisions += 1
        f.modified = time.time()
        return f


def _flag(params: dict[str, list[str]], name: str) -> bool:
    return (params.get(name) or ["false"])[-1].lower() == "true"


def _props(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DriveError(400, "Invalid value for appProperties", "invalid")
    for k, v in value.items():
        if len(str(k).encode()) + len(str(v).encode()) > 124:
            raise DriveError(
                400,
                "The size of a property key plus value must not exceed 124 bytes.",
                "invalidProperty",
            )
    return {str(k): str(v) for k, v in value.items() if v is not None}
