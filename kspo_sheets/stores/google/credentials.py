"""Credentials for Google: a service-account key, or a person's sign-in (an OAuth
"authorized user" file written by ``kspo auth login``), told apart by the file itself.

Either kind goes through the same checks: the file exists, is readable by its owner only,
and is what it says it is. Real credentials are used against Google's API roots only; any
other root (the project's stand-in) gets anonymous credentials, unless the file's own token
endpoint is that same loopback stand-in, so the token it mints goes back where it came from.
"""

from __future__ import annotations

import ipaddress
import json
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from google.auth import exceptions as auth_errors
from google.auth.credentials import AnonymousCredentials, Credentials

from kspo_sheets.errors import CredentialsError

SHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets"
DRIVE_FILE_SCOPE = "https://www.googleapis.com/auth/drive.file"
DRIVE_SCOPE = "https://www.googleapis.com/auth/drive"
# asked for at sign-in only, so the file can say whose account it is
IDENTITY_SCOPES = ("openid", "https://www.googleapis.com/auth/userinfo.email")
GOOGLE_TOKEN_HOSTS = frozenset(
    {"oauth2.googleapis.com", "accounts.google.com", "www.googleapis.com"}
)
SERVICE_ACCOUNT = "service_account"
AUTHORIZED_USER = "authorized_user"
ANONYMOUS = "anonymous"


def drive_scope(access: str) -> str:
    """The Drive scope for the config's drive.access: file -> drive.file, full -> drive."""
    return DRIVE_SCOPE if access == "full" else DRIVE_FILE_SCOPE


def scope_name(scope: str) -> str:
    return scope.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Identity:
    """Who the tool acts as: the kind of credentials, the account's e-mail, the file."""

    kind: str
    email: str | None = None
    path: str | None = None
    scopes: tuple[str, ...] = ()  # what a sign-in was granted (authorized users only)

    @property
    def is_service_account(self) -> bool:
        return self.kind == SERVICE_ACCOUNT

    def describe(self) -> str:
        """One line for an operator: which kind of credentials, which account, which file."""
        if self.kind == SERVICE_ACCOUNT:
            return f"service account {self.email} (key {self.path})"
        if self.kind == AUTHORIZED_USER:
            who = self.email or "an account whose e-mail the file does not record"
            return f"Google account {who} (signed in with kspo auth login; {self.path})"
        return "no credentials: the API root is not Google's"


ANONYMOUS_IDENTITY = Identity(ANONYMOUS)


def _private(path: Path) -> None:
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError) as exc:  # missing, or a name no file can have
        shown = str(path) if len(str(path)) <= 120 else str(path)[:120] + "…"
        raise CredentialsError(
            f"Credentials file not found: {shown}"
            if isinstance(exc, FileNotFoundError)
            else f"Credentials file {shown!r} cannot be opened"
            f" ({getattr(exc, 'strerror', None) or exc})",
            hint="Pass --credentials with a service-account key (JSON) from the Google Cloud"
            " console, or the file `kspo auth login` wrote.",
        ) from None
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        raise CredentialsError(
            f"Credentials file {path} is readable by other users (mode {stat.filemode(mode)})",
            hint=f"Run: chmod 600 {path}",
        )


def read_credentials_file(path: Path) -> tuple[dict[str, Any], Identity]:
    """The file's JSON and who it is for, after checking it exists, is private and is a
    service-account key or an authorized-user file."""
    _private(path)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise CredentialsError(
            f"Credentials file {path} is not a JSON credentials file",
            hint="Download a new JSON key for the service account (IAM > Service accounts >"
            " Keys), or sign in again with kspo auth login.",
        ) from None
    kind = info.get("type") if isinstance(info, dict) else None
    if kind == SERVICE_ACCOUNT and isinstance(info.get("client_email"), str):
        return info, Identity(SERVICE_ACCOUNT, info["client_email"], str(path))
    if kind == AUTHORIZED_USER and all(
        isinstance(info.get(k), str) and info.get(k)
        for k in ("refresh_token", "client_id", "client_secret")
    ):
        scopes = info.get("scopes") or ()
        return info, Identity(
            AUTHORIZED_USER,
            str(info.get("account") or "") or None,
            str(path),
            tuple(s for s in scopes if isinstance(s, str)),
        )
    if kind == "installed" or (isinstance(info, dict) and "installed" in info):
        hint = (
            "This is an OAuth client secret, not a sign-in. Run: kspo auth login"
            f" --client-secrets {path} (it writes the file to pass as --credentials)."
        )
    else:
        hint = (
            'Use a service-account key (its JSON has "type": "service_account") or the file'
            ' kspo auth login writes ("type": "authorized_user").'
        )
    raise CredentialsError(
        f"Credentials file {path} is neither a service-account key nor a sign-in", hint=hint
    )


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"


def token_uri_of(info: dict[str, Any]) -> str:
    return str(info.get("token_uri") or GOOGLE_TOKEN_URI)


def is_google_token_uri(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "https" and (parts.hostname or "") in GOOGLE_TOKEN_HOSTS


def usable_at(info: dict[str, Any], root: str, google_root: bool) -> bool:
    """Whether these credentials may be sent to `root`: Google's roots take real ones; a
    loopback root takes only credentials whose token endpoint is that same root."""
    if google_root:
        return True
    uri = token_uri_of(info)
    return not is_google_token_uri(uri) and _is_loopback(root) and _origin(uri) == _origin(root)


def load_credentials(
    path: str | None,
    root: str,
    *,
    google_root: bool,
    scopes: tuple[str, ...] = (SHEETS_SCOPE,),
) -> tuple[Credentials, Identity]:
    """Credentials for `root` asking for `scopes`, and who they are for.

    A sign-in is refreshed for `scopes` only (the sync asks for Sheets alone even when the
    sign-in also allows Drive). Without a usable file at a root that is not Google's, the
    credentials are anonymous: a real token is never sent anywhere else.
    """
    if not path:
        if not google_root:
            return AnonymousCredentials(), ANONYMOUS_IDENTITY
        raise CredentialsError(
            "No credentials for Google",
            hint="Pass --credentials KEY.json (a service-account key, or the file kspo auth"
            " login wrote), set GOOGLE_APPLICATION_CREDENTIALS, or set source.credentials in"
            " the config.",
        )
    info, identity = read_credentials_file(Path(path))
    if not usable_at(info, root, google_root):
        return AnonymousCredentials(), identity
    try:
        if identity.kind == SERVICE_ACCOUNT:
            from google.oauth2 import service_account

            creds: Credentials = service_account.Credentials.from_service_account_info(
                info, scopes=list(scopes)
            )
        else:
            from google.oauth2.credentials import Credentials as UserCredentials

            # A refresh token goes to Google's token endpoint only (as google-auth's own
            # loader insists), or back to the loopback stand-in that minted it.
            token_uri = GOOGLE_TOKEN_URI if google_root else token_uri_of(info)
            creds = UserCredentials(
                token=None,  # never a cached token: refreshed for exactly `scopes`
                refresh_token=info["refresh_token"],
                token_uri=token_uri,
                client_id=info["client_id"],
                client_secret=info["client_secret"],
                scopes=list(scopes),
                account=str(info.get("account") or ""),
            )
    except (ValueError, KeyError) as exc:
        raise CredentialsError(
            f"Credentials file {path} could not be used ({exc.__class__.__name__})",
            hint="Download a new JSON key for the service account, or sign in again with"
            " kspo auth login.",
        ) from None
    return creds, identity


def refresh_failure(exc: auth_errors.RefreshError, identity: Identity | None) -> CredentialsError:
    """Google's token endpoint said no: what that means for this kind of credentials."""
    reason = refresh_reason(exc)
    if identity is not None and identity.kind == AUTHORIZED_USER:
        who = identity.email or "the signed-in account"
        if "invalid_scope" in reason:
            return CredentialsError(
                f"The sign-in for {who} does not allow what this command needs ({reason})",
                hint=f"Sign in again, ticking every box Google shows: kspo auth login --out {identity.path}",
            )
        return CredentialsError(
            f"Google refused the sign-in for {who}: it was revoked or has expired ({reason})",
            hint=f"Sign in again: kspo auth login --out {identity.path} (an app left in"
            " 'Testing' on the OAuth consent screen loses its sign-ins after 7 days; publish it).",
        )
    return CredentialsError(
        f"Google refused to give the service account a token ({reason})",
        hint="The key may be revoked or deleted, or this machine's clock is wrong; "
        "download a new JSON key for the service account.",
    )


def refresh_reason(exc: auth_errors.RefreshError) -> str:
    """The token endpoint's error code and description only: never what was sent to it."""
    data = exc.args[1] if len(exc.args) > 1 else None
    if isinstance(data, dict) and data.get("error"):
        text = str(data["error"])
        if data.get("error_description"):
            text += f": {data['error_description']}"
        return text[:200]
    return exc.__class__.__name__
