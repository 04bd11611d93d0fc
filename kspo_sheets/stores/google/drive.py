"""Drive v3 through the same authorised session as the Sheets calls: search, folders, and
resumable uploads that create a file or put a new revision on one.

Every call retries 429, 5xx, timeouts and dropped connections with the Sheets client's
back-off and retry budget (KSPO_RETRY_BUDGET), counted from the last call that made
progress, so a long upload on a slow line is not cut short while it moves. An upload goes
up in 8 MiB chunks over a resumable session: after a failure the session says how much
arrived and the upload goes on from there; nothing exists in Drive until the last byte
has arrived, so an upload that never finishes leaves no file behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from google.auth import exceptions as auth_errors

from kspo_sheets.errors import (
    CredentialsError,
    KspoError,
    RemoteError,
    RunTimeout,
    SourceError,
    WriteError,
)
from kspo_sheets.stores.google.credentials import Identity, refresh_failure
from kspo_sheets.stores.google.http import (
    RETRYABLE,
    KspoHTTPClient,
    _before_send,
    _retry_after,
    is_google,
)

DRIVE_ROOT = "https://www.googleapis.com"
FOLDER_MIME = "application/vnd.google-apps.folder"
CHUNK = 8 * 1024 * 1024  # a multiple of Google's 256 KiB
FILE_FIELDS = "id,name,mimeType,parents,appProperties,createdTime,modifiedTime,driveId,trashed"
ALL_DRIVES = {"supportsAllDrives": "true"}
SA_FIXES = (
    "Google gives a service account no storage of its own, so it can only put files in a"
    " shared drive. Either add the service account to a shared drive (Content manager) and"
    " set drive.folder to that shared drive or a folder in it, or sign in as a person with"
    " `kspo auth login` and use that file as --credentials."
)


class DriveNotFound(KspoError):
    """Drive answered 404 for a file or folder: it is not there, or not visible to us."""


class ServiceAccountStorage(CredentialsError):
    """A service account was asked to keep a file outside a shared drive."""


@dataclass(frozen=True)
class DriveFile:
    id: str
    name: str
    mime: str
    app_properties: dict[str, str] = field(default_factory=dict)
    created: str = ""
    modified: str = ""
    drive_id: str | None = None
    parents: tuple[str, ...] = ()

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> DriveFile:
        return cls(
            id=str(data["id"]),
            name=str(data.get("name", "")),
            mime=str(data.get("mimeType", "")),
            app_properties={str(k): str(v) for k, v in (data.get("appProperties") or {}).items()},
            created=str(data.get("createdTime", "")),
            modified=str(data.get("modifiedTime", "")),
            drive_id=data.get("driveId") or None,
            parents=tuple(data.get("parents") or ()),
        )

    @property
    def link(self) -> str:
        """A link that opens the file (or folder) in Drive, built from its ID alone."""
        if self.mime == FOLDER_MIME:
            return f"https://drive.google.com/drive/folders/{self.id}"
        return f"https://drive.google.com/file/d/{self.id}/view"


def quote_value(text: str) -> str:
    """A string literal for Drive's search language."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def has_property(key: str, value: str) -> str:
    return f"appProperties has {{ key={quote_value(key)} and value={quote_value(value)} }}"


@dataclass
class _Budget:
    """The retry budget, counted from the last call that made progress."""

    client: KspoHTTPClient
    attempt: int = 0
    since: float = field(default_factory=time.monotonic)

    slept: float = 0.0

    def progressed(self) -> None:
        self.attempt = 0
        self.slept = 0.0
        self.since = time.monotonic()

    def wait(self, problem: str, resp: requests.Response | None = None) -> None:
        policy = self.client.policy
        self.attempt += 1
        spent = max(time.monotonic() - self.since, self.slept)
        step = policy.base * 2 ** min(self.attempt - 1, 30)
        wait = self.client.rng.uniform(0, min(policy.cap, step))
        after = _retry_after(resp)
        if after is not None:
            wait = max(wait, after)
        deadline = self.client.deadline
        if spent + wait > policy.budget or (
            deadline is not None and time.monotonic() + wait > deadline
        ):
            raise RemoteError(
                f"Google Drive gave up after {self.attempt} attempts in {spent:.0f} s (last: {problem}).",
                hint="Quota or an outage at Google. Nothing was listed in the spreadsheet; an"
                " upload that did not finish left no file. The next run tries again.",
            )
        self.slept += wait
        self.client.sleep(wait)

    def timeout(self) -> float:
        timeout = self.client.policy.timeout
        deadline = self.client.deadline
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RunTimeout(
                    "The run's time budget (--timeout) ran out while talking to Google Drive.",
                    hint="Nothing was listed in the spreadsheet: run again, or raise --timeout.",
                )
            timeout = min(timeout, left)
        return timeout


class _Ambiguous(Exception):
    """A write went out and its answer was lost: it may or may not have been applied."""


class DriveClient:
    """Drive v3 on the store's authorised HTTP client (same token, budget and deadline)."""

    def __init__(
        self, http: KspoHTTPClient, identity: Identity | None, *, sheets_root: str
    ) -> None:
        self.http = http
        self.identity = identity
        self.root = DRIVE_ROOT if is_google(sheets_root) else sheets_root.rstrip("/")

    # --- one call, retried --------------------------------------------------------------------

    def _send(
        self,
        method: str,
        url: str,
        budget: _Budget,
        *,
        idempotent: bool,
        **kw: Any,
    ) -> requests.Response:
        """One request, retried while that is safe; raises _Ambiguous when a write that is
        not idempotent went out and its answer was lost."""
        while True:
            resp: requests.Response | None = None
            try:
                self.http.calls += 1
                resp = self.http.session.request(method, url, timeout=budget.timeout(), **kw)
            except auth_errors.RefreshError as exc:
                raise refresh_failure(exc, self.identity) from None
            except auth_errors.TransportError:
                problem = "could not reach Google's token endpoint"
            except requests.exceptions.ConnectionError as exc:
                if not idempotent and not _before_send(exc):
                    raise _Ambiguous from None
                problem = "connection failed"
            except requests.exceptions.Timeout:
                if not idempotent:
                    raise _Ambiguous from None
                problem = "timed out"
            else:
                if resp.status_code < 400 or resp.status_code == 404:
                    return resp
                reason = _reason(resp)
                if resp.status_code in RETRYABLE or reason in (
                    "rateLimitExceeded",
                    "userRateLimitExceeded",
                ):
                    if not idempotent and resp.status_code >= 500:
                        raise _Ambiguous
                    problem = f"HTTP {resp.status_code}"
                else:
                    self._raise(resp, reason)
            budget.wait(problem, resp)

    def _raise(self, resp: requests.Response, reason: str) -> None:
        message = _message(resp)
        code = resp.status_code
        if reason == "storageQuotaExceeded" and (
            self.identity is None or self.identity.is_service_account
        ):
            raise ServiceAccountStorage(
                f"The service account cannot keep the pack in that folder ({message})",
                hint=SA_FIXES,
            )
        if reason == "storageQuotaExceeded":
            raise WriteError(
                f"The Google account's Drive is full ({message})",
                hint="Free some space in Drive (or the shared drive), then run again; nothing was listed.",
            )
        if code == 401:
            raise CredentialsError(
                f"Google Drive refused the credentials (401: {message})",
                hint="Sign in again with kspo auth login, or download a new service-account key.",
            )
        scopes_short = "insufficient" in message.lower() and "scope" in message.lower()
        if code == 403 and (scopes_short or reason == "insufficientPermissions"):
            who = self.identity.path if self.identity else "the credentials"
            raise CredentialsError(
                f"The credentials do not allow Google Drive ({message})",
                hint=f"Sign in again and tick the Drive box Google shows: kspo auth login --out {who}",
            )
        if code == 403 and (
            reason in ("accessNotConfigured", "SERVICE_DISABLED")
            or "has not been used" in message
            or "is disabled" in message
        ):
            raise SourceError(
                f"The Google Drive API is not enabled for this project ({message})",
                hint="Enable the Google Drive API in the Cloud console (APIs & Services > Library),"
                " in the project of the service account or OAuth client.",
            )
        if code == 403:
            raise WriteError(
                f"Google Drive refused the upload (403 {reason}: {message})",
                hint="The account needs edit rights on the folder (drive.folder in the config);"
                " nothing was listed in the spreadsheet.",
            )
        raise WriteError(
            f"Google Drive answered {code} {reason}: {message}",
            hint="Nothing was listed in the spreadsheet; run again, and report it if it stays.",
        )

    def _json(self, method: str, path: str, *, idempotent: bool = True, **kw: Any) -> Any:
        budget = _Budget(self.http)
        resp = self._send(method, self.root + path, budget, idempotent=idempotent, **kw)
        with resp:
            if resp.status_code == 404:
                raise DriveNotFound(f"Not found in Google Drive: {_message(resp)}")
            if resp.status_code == 204 or not resp.content:
                return None
            try:
                return resp.json()
            except ValueError:
                raise RemoteError(
                    "Google Drive answered with a malformed response.",
                    hint="Run again later; nothing was listed in the spreadsheet.",
                ) from None

    # --- what the tool does with Drive ----------------------------------------------------------

    def get(self, file_id: str) -> DriveFile:
        data = self._json(
            "GET",
            f"/drive/v3/files/{file_id}",
            params={**ALL_DRIVES, "fields": FILE_FIELDS},
        )
        return DriveFile.of(data)

    def find(self, query: str) -> list[DriveFile]:
        """Every file matching `query` (not trashed), oldest first, across shared drives."""
        out: list[DriveFile] = []
        token = ""
        while True:
            params = {
                **ALL_DRIVES,
                "includeItemsFromAllDrives": "true",
                "corpora": "allDrives",
                "q": f"({query}) and trashed = false",
                "fields": f"nextPageToken,files({FILE_FIELDS})",
                "orderBy": "createdTime",
                "pageSize": "100",
            }
            if token:
                params["pageToken"] = token
            data = self._json("GET", "/drive/v3/files", params=params) or {}
            out += [DriveFile.of(f) for f in data.get("files") or []]
            token = data.get("nextPageToken") or ""
            if not token:
                return out

    def create_folder(
        self, name: str, parent: str | None, app_properties: dict[str, str], query: str
    ) -> DriveFile:
        """A folder; when the answer is lost, the folder is looked for before trying again."""
        body: dict[str, Any] = {
            "name": name,
            "mimeType": FOLDER_MIME,
            "appProperties": app_properties,
        }
        if parent:
            body["parents"] = [parent]
        for _ in range(3):
            try:
                data = self._json(
                    "POST",
                    "/drive/v3/files",
                    idempotent=False,
                    params={**ALL_DRIVES, "fields": FILE_FIELDS},
                    json=body,
                )
                return DriveFile.of(data)
            except _Ambiguous:
                found = self.find(query)
                if found:
                    return found[0]
        raise RemoteError(
            "Google Drive kept dropping the request that makes the packs' folder.",
            hint="Run again later; nothing was listed in the spreadsheet.",
        )

    def trash(self, file_id: str) -> None:
        self._json(
            "PATCH",
            f"/drive/v3/files/{file_id}",
            params={**ALL_DRIVES, "fields": "id"},
            json={"trashed": True},
        )

    def upload(
        self,
        path: Path,
        *,
        metadata: dict[str, Any],
        mime: str,
        replace: DriveFile | None = None,
        say: Callable[[str], None] | None = None,
    ) -> DriveFile:
        """Upload `path` as a new file (metadata names its folder) or, with `replace`, as a
        new revision of that file (same ID, same link)."""
        size = path.stat().st_size
        for _ in range(3):
            session = self._session(metadata, mime, size, replace)
            done = self._send_file(session, path, size, say)
            if done is not None:
                return DriveFile.of(done)
            # the session expired (404): start a new one
        raise RemoteError(
            "Google Drive kept losing the upload session.",
            hint="Run again later; an upload that did not finish left no file.",
        )

    def _session(
        self, metadata: dict[str, Any], mime: str, size: int, replace: DriveFile | None
    ) -> str:
        if replace is None:
            method, path = "POST", "/upload/drive/v3/files"
        else:
            method, path = "PATCH", f"/upload/drive/v3/files/{replace.id}"
        budget = _Budget(self.http)
        # Starting a session changes nothing in Drive: safe to send again.
        resp = self._send(
            method,
            self.root + path,
            budget,
            idempotent=True,
            params={**ALL_DRIVES, "uploadType": "resumable", "fields": FILE_FIELDS},
            json=metadata,
            headers={"X-Upload-Content-Type": mime, "X-Upload-Content-Length": str(size)},
        )
        with resp:
            if resp.status_code == 404:
                raise DriveNotFound(f"Not found in Google Drive: {_message(resp)}")
            where = resp.headers.get("Location", "")
        if _origin(where) != _origin(self.root):
            # the session URL carries our token on every chunk: never anywhere else
            raise RemoteError(
                f"Google Drive sent the upload to an unexpected address ({_origin(where)[1] or 'none'}).",
                hint="Nothing was uploaded; run again, and report it if it stays.",
            )
        return where

    def _send_file(
        self, session: str, path: Path, size: int, say: Callable[[str], None] | None
    ) -> dict[str, Any] | None:
        """Send the file's bytes from wherever the session is; the file's resource when
        done, None when the session is gone."""
        budget = _Budget(self.http)
        offset = 0
        with open(path, "rb") as fh:
            while True:
                fh.seek(offset)
                chunk = fh.read(CHUNK)
                end = offset + len(chunk) - 1
                headers = {
                    "Content-Range": f"bytes {offset}-{end}/{size}" if chunk else f"bytes */{size}"
                }
                try:
                    resp = self._send(
                        "PUT", session, budget, idempotent=False, data=chunk, headers=headers
                    )
                except _Ambiguous:
                    resp = self._status(session, size, budget)
                with resp:
                    state = self._progress(resp)
                if state is None:
                    return None
                if isinstance(state, dict):
                    return state
                if state > offset:
                    budget.progressed()
                    if say is not None and size > CHUNK:
                        say(
                            f"uploaded {state / 2**20:,.1f} of {size / 2**20:,.1f} MiB of {path.name}"
                        )
                elif not chunk:
                    raise RemoteError(
                        "Google Drive did not take the upload's last bytes.",
                        hint="Run again later; an upload that did not finish left no file.",
                    )
                else:
                    budget.wait("the upload made no progress")
                offset = state

    def _status(self, session: str, size: int, budget: _Budget) -> requests.Response:
        """Ask the session how much arrived (after a chunk whose answer was lost)."""
        while True:
            budget.wait("connection lost during the upload")
            try:
                return self._send(
                    "PUT",
                    session,
                    budget,
                    idempotent=True,
                    data=b"",
                    headers={"Content-Range": f"bytes */{size}"},
                )
            except _Ambiguous:  # pragma: no cover - idempotent calls never raise it
                continue

    @staticmethod
    def _progress(resp: requests.Response) -> int | dict[str, Any] | None:
        """What an upload answer says: bytes received so far (308), the file (200/201),
        or None when the session no longer exists (404)."""
        if resp.status_code in (200, 201):
            try:
                data = resp.json()
            except ValueError:
                raise RemoteError(
                    "Google Drive answered the upload with a malformed response.",
                    hint="Run again: the next run finds the file it made and updates it.",
                ) from None
            return data if isinstance(data, dict) else {}
        if resp.status_code == 404:
            return None
        if resp.status_code == 308:
            got = resp.headers.get("Range", "")
            return int(got.rpartition("-")[2]) + 1 if got.startswith("bytes=") else 0
        raise WriteError(
            f"Google Drive refused the upload ({resp.status_code}: {resp.text[:200]})",
            hint="Nothing was listed in the spreadsheet; run again.",
        )


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def _reason(resp: requests.Response) -> str:
    try:
        err = resp.json().get("error", {})
    except (ValueError, AttributeError):
        return ""
    if not isinstance(err, dict):
        return ""
    for item in err.get("errors") or []:
        if isinstance(item, dict) and item.get("reason"):
            return str(item["reason"])
    for item in err.get("details") or []:
        if isinstance(item, dict) and item.get("reason"):
            return str(item["reason"])
    return str(err.get("status", ""))


def _message(resp: requests.Response) -> str:
    try:
        err = resp.json().get("error", {})
        return str(err.get("message", ""))[:300]
    except (ValueError, AttributeError):
        return resp.text[:200]
