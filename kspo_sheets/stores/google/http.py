"""HTTP to the Sheets API through gspread's client: root, auth, retries and error words.

gspread 6.2.1's BackOffHTTPClient retries for ever; this client retries 429, 5xx,
timeouts and dropped connections with capped exponential backoff and full jitter,
honours Retry-After, and gives up after a bounded time with a RemoteError.
"""

from __future__ import annotations

import email.utils
import ipaddress
import json
import os
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from google.auth import exceptions as auth_errors
from google.auth.credentials import Credentials
from gspread.http_client import HTTPClient

from kspo_sheets.errors import (
    ConfigError,
    CredentialsError,
    RemoteError,
    RunTimeout,
    SourceError,
    WriteError,
)
from kspo_sheets.stores.google.credentials import (
    SHEETS_SCOPE,
    Identity,
    read_credentials_file,
    refresh_failure,
)
from kspo_sheets.stores.google.credentials import load_credentials as _load_credentials

GOOGLE_ROOT = "https://sheets.googleapis.com"
SCOPES = (SHEETS_SCOPE,)
RETRYABLE = frozenset({429, 500, 502, 503, 504})
STREAM_CHUNK = 1 << 18  # bytes read from a streamed answer at a time
T = TypeVar("T")


def api_root() -> str:
    """KSPO_SHEETS_API_ROOT, or Google's; refused at once unless it is an http(s) URL."""
    given = os.environ.get("KSPO_SHEETS_API_ROOT") or GOOGLE_ROOT
    root = given.strip().rstrip("/")
    try:
        parts = urlsplit(root)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError:
        usable = False
    if not usable:
        shown = given if len(given) <= 80 else given[:80] + "…"
        raise ConfigError(
            f"KSPO_SHEETS_API_ROOT={shown!r} is not an http:// or https:// URL",
            hint="Unset it to use Google's Sheets API, or set it to the stand-in's URL"
            " (kspo standin prints it, e.g. http://127.0.0.1:8765).",
        )
    return root


def _parts(root: str) -> tuple[str, str]:
    try:
        parts = urlsplit(root)
        return parts.scheme, parts.hostname or ""
    except ValueError:
        return "", ""


def is_google(root: str) -> bool:
    return _parts(root) == ("https", "sheets.googleapis.com")


def is_loopback(root: str) -> bool:
    host = _parts(root)[1]
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_key_file(path: Path) -> dict[str, Any]:
    """The credentials file as a dict, after checking it exists, parses and is private."""
    info, _ = read_credentials_file(path)
    return info


def load_credentials(
    path: str | None, root: str, scopes: tuple[str, ...] = SCOPES
) -> tuple[Credentials, Identity]:
    """Credentials for `root` and who they are for (see stores/google/credentials.py).

    Real credentials go to Google's root only: any other root gets anonymous credentials.
    """
    return _load_credentials(path, root, google_root=is_google(root), scopes=scopes)


DEFAULT_RETRY_BUDGET = 120.0


def retry_budget() -> float:
    """KSPO_RETRY_BUDGET (seconds spent on retries before giving up), else 120."""
    text = os.environ.get("KSPO_RETRY_BUDGET", "").strip()
    if not text:
        return DEFAULT_RETRY_BUDGET
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise ConfigError(
            f"KSPO_RETRY_BUDGET={text!r} is not a number of seconds",
            hint="Set it to the seconds to keep retrying Google Sheets (e.g. 120), or unset it.",
        )
    return value


@dataclass
class RetryPolicy:
    base: float = 1.0  # first back-off, seconds
    cap: float = 32.0  # longest single back-off
    # give up once this much time has gone on retries
    budget: float = field(default_factory=retry_budget)
    timeout: float = 60.0  # per request (connect and read)


def _retry_after(resp: requests.Response | None) -> float | None:
    if resp is None:
        return None
    value = resp.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time()) if when else None


def _google_message(resp: requests.Response) -> tuple[str, str]:
    try:
        err = resp.json().get("error", {})
        return str(err.get("message", "")), str(err.get("status", ""))
    except ValueError:
        return resp.text[:200], ""


class KspoHTTPClient(HTTPClient):
    """gspread's HTTP client with a configurable root, bounded retries and clear errors."""

    def __init__(
        self,
        auth: Credentials,
        *,
        root: str,
        policy: RetryPolicy | None = None,
        deadline: float | None = None,
        account: str | None = None,
        identity: Identity | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(auth)
        self.root = root.rstrip("/")
        self.policy = policy or RetryPolicy()
        self.deadline = deadline  # time.monotonic() value by which the whole run must end
        self.account = account
        self.identity = identity
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.calls = 0

    def _url(self, endpoint: str) -> str:
        if endpoint.startswith(GOOGLE_ROOT):
            return self.root + endpoint[len(GOOGLE_ROOT) :]
        return endpoint

    def request(
        self,
        method: str,
        endpoint: str,
        params: Any = None,
        data: Any = None,
        json: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: Any = None,
        *,
        stream: bool = False,
    ) -> requests.Response:
        url = self._url(endpoint)
        started = time.monotonic()
        attempt = 0
        writing = method.lower() != "get"
        while True:
            attempt += 1
            resp: requests.Response | None = None
            problem: str
            timeout = self.policy.timeout
            if self.deadline is not None:
                left = self.deadline - time.monotonic()
                if left <= 0:
                    raise RunTimeout(
                        "The run's time budget (--timeout) ran out while talking to Google Sheets.",
                        hint="Nothing half-written: run again, or raise --timeout.",
                    )
                timeout = min(timeout, left)
            try:
                self.calls += 1
                resp = self.session.request(
                    method=method,
                    url=url,
                    params=params,
                    data=data,
                    json=json,
                    files=files,
                    headers=headers,
                    timeout=timeout,
                    stream=stream,
                )
            except requests.exceptions.ConnectionError as exc:
                if writing and not _before_send(exc):
                    raise RemoteError(
                        "The connection dropped after the write was sent; Google applies a write whole or not at all.",
                        hint="Run the sync again: it reads the spreadsheet afresh and rewrites the status tabs whole.",
                    ) from None
                problem = "connection failed"
            except requests.exceptions.Timeout:
                if writing:
                    raise RemoteError(
                        "Google Sheets did not answer the write in time; it is applied whole or not at all.",
                        hint="Run the sync again: it reads the spreadsheet afresh and rewrites the status tabs whole.",
                    ) from None
                problem = "timed out"
            # The access token is fetched before the request goes out, so nothing was sent.
            except auth_errors.RefreshError as exc:
                raise refresh_failure(exc, self.identity) from None
            except auth_errors.TransportError:
                problem = "could not reach Google's token endpoint"
            # A 401 makes the session refresh its credentials, which anonymous ones (any
            # root but Google's) cannot do.
            except auth_errors.GoogleAuthError as exc:
                raise CredentialsError(
                    f"{self.root} refused the request as unauthenticated (401), and kspo"
                    f" sends credentials only to Google's Sheets API ({exc.__class__.__name__})",
                    hint="Check KSPO_SHEETS_API_ROOT: unset it to use Google, or point it at"
                    " the project's stand-in (kspo standin).",
                ) from None
            else:
                if resp.ok:
                    return resp
                if resp.status_code not in RETRYABLE:
                    self._raise(resp, writing)
                resp.close()
                problem = f"HTTP {resp.status_code}"
            spent = time.monotonic() - started
            wait = self.rng.uniform(0, min(self.policy.cap, self.policy.base * 2 ** (attempt - 1)))
            after = _retry_after(resp)
            if after is not None:
                wait = max(wait, after)
            if spent + wait > self.policy.budget or (
                self.deadline is not None and time.monotonic() + wait > self.deadline
            ):
                raise RemoteError(
                    f"Google Sheets API gave up after {attempt} attempts in {spent:.0f} s (last: {problem}).",
                    hint="Quota or an outage at Google; nothing was half-written. The next scheduled run will retry.",
                )
            self.sleep(wait)

    def _raise(self, resp: requests.Response, writing: bool) -> None:
        message, status = _google_message(resp)
        code = resp.status_code
        who = f" with {self.account}" if self.account else " with the service account"
        if code == 404:
            raise SourceError(
                f"Spreadsheet not found (404: {message})",
                hint="Check the key or URL in --source / the config.",
            )
        if code == 403:
            if (
                "has not been used" in message
                or "SERVICE_DISABLED" in message
                or "disabled" in message.lower()
            ):
                raise SourceError(
                    f"The Google Sheets API is not enabled for this project ({message})",
                    hint="Enable the Google Sheets API in the Cloud console for the service account's project.",
                )
            raise SourceError(
                f"No access to the spreadsheet (403: {message})",
                hint=f"Share the spreadsheet (Editor){who}.",
            )
        if code == 401:
            raise CredentialsError(
                f"Google refused the credentials (401: {message})",
                hint="The key may be revoked or deleted; download a new JSON key for the service account.",
            )
        if code == 400 and not writing:
            raise SourceError(
                f"Google Sheets rejected the read (400 {status}: {message})",
                hint="This is a bug in kspo-sheets or a changed API; please report it with this message.",
            )
        if code == 400:
            raise WriteError(
                f"Google Sheets rejected the request (400 {status}: {message})",
                hint="Nothing was applied: Google applies a batch whole or not at all.",
            )
        raise RemoteError(f"Google Sheets answered {code} {status}: {message}")

    def get_json(self, url_path: str, params: Any = None) -> Any:
        """GET and parse; a garbled or cut-off answer to a read is retried like a 5xx."""
        return self.get_streamed(url_path, _parse_whole, params=params)

    def post_json(self, url_path: str, body: Mapping[str, Any], params: Any = None) -> Any:
        return self.post_streamed(url_path, body, _parse_whole, params=params)

    def get_streamed(
        self, url_path: str, consume: Callable[[Iterator[bytes]], T], params: Any = None
    ) -> T:
        """GET, handing the answer's bytes to `consume` as they arrive (the answer is never
        held whole). A garbled or cut-off answer is retried like a 5xx."""
        for attempt in range(1, 4):
            resp = self.request("get", GOOGLE_ROOT + url_path, params=params, stream=True)
            try:
                return consume(resp.iter_content(STREAM_CHUNK))
            except (ValueError, requests.exceptions.RequestException):
                if attempt == 3:
                    break
                self.sleep(self.rng.uniform(0, self.policy.base * attempt))
            finally:
                resp.close()
        raise RemoteError(
            "Google Sheets kept answering with a malformed or cut-off response.",
            hint="Run again later; nothing was written.",
        )

    def post_streamed(
        self,
        url_path: str,
        body: Mapping[str, Any] | bytes,
        consume: Callable[[Iterator[bytes]], T],
        params: Any = None,
    ) -> T:
        """POST, handing the answer's bytes to `consume` as they arrive. A body given as
        bytes is sent as it is (UTF-8 JSON: Thai text takes half the bytes of \\u escapes)."""
        if isinstance(body, bytes):
            resp = self.request(
                "post",
                GOOGLE_ROOT + url_path,
                data=body,
                params=params,
                headers={"Content-Type": "application/json; charset=utf-8"},
                stream=True,
            )
        else:
            resp = self.request(
                "post", GOOGLE_ROOT + url_path, json=body, params=params, stream=True
            )
        try:
            return consume(resp.iter_content(STREAM_CHUNK))
        except ValueError:
            raise RemoteError(
                "Google Sheets answered the write with a malformed response.",
                hint="Run again later; nothing was half-written.",
            ) from None
        except requests.exceptions.RequestException:
            raise RemoteError(
                "The connection dropped while Google Sheets was answering the write: the write was applied, but its answer was lost.",
                hint="Run the sync again: it reads the spreadsheet afresh and puts any misplaced note right.",
            ) from None
        finally:
            resp.close()


def _before_send(exc: requests.exceptions.ConnectionError) -> bool:
    """True when the connection failed before the request went out (refused, DNS)."""
    text = repr(exc)
    return any(
        s in text
        for s in (
            "NewConnectionError",
            "Connection refused",
            "Failed to resolve",
            "NameResolutionError",
        )
    )


def _parse_whole(chunks: Iterator[bytes]) -> Any:
    """A small answer, parsed once it has all arrived."""
    return json.loads(b"".join(chunks))
