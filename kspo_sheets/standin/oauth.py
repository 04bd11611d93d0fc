"""Google's OAuth 2.0 endpoints as the stand-in plays them: the consent page (answered at
once, as the account a test chose), the token endpoint (an authorization code with PKCE, a
refresh token, a service account's signed assertion) and the bearer tokens it mints.

A request without an Authorization header is the stand-in's anonymous owner, as before;
a bearer token must be one this module minted and still valid (401 otherwise), and its
scopes decide what the request may do (403 ACCESS_TOKEN_SCOPE_INSUFFICIENT).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from .errors import ApiError

SHEETS = "https://www.googleapis.com/auth/spreadsheets"
DRIVE = "https://www.googleapis.com/auth/drive"
DRIVE_FILE = "https://www.googleapis.com/auth/drive.file"
EMAIL = "https://www.googleapis.com/auth/userinfo.email"
TOKEN_PATHS = ("/token", "/oauth2/v4/token")
AUTH_PATHS = ("/o/oauth2/auth", "/o/oauth2/v2/auth")
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"


@dataclass
class Account:
    """Who a request acts for. ``app`` is what drive.file counts as "this app": the OAuth
    client for a person, the service account itself for a service account."""

    email: str
    kind: str  # "user" | "service_account" | "owner" (the anonymous stand-in owner)
    app: str = ""
    scopes: frozenset[str] = frozenset()

    @property
    def full(self) -> bool:
        return self.kind == "owner"

    def allows(self, *wanted: str) -> bool:
        return self.full or bool(self.scopes & set(wanted))


@dataclass
class _Grant:
    account: Account
    client_id: str
    revoked: bool = False


@dataclass
class _Code:
    grant: _Grant
    redirect_uri: str
    challenge: str | None
    used: bool = False


@dataclass
class OAuth:
    """Clients, sign-ins, service accounts and the tokens handed out."""

    clients: dict[str, str] = field(default_factory=dict)  # client_id -> secret
    service_accounts: dict[str, str | None] = field(default_factory=dict)  # e-mail -> PEM
    refresh_tokens: dict[str, _Grant] = field(default_factory=dict)
    access_tokens: dict[str, tuple[Account, float]] = field(default_factory=dict)
    codes: dict[str, _Code] = field(default_factory=dict)
    # who consents on the consent page, and which of the asked scopes they tick (None: all)
    consent_email: str = "somchai.staff@gmail.com"
    consent_scopes: set[str] | None = None
    consent_denied: bool = False
    token_lifetime: float = 3600.0
    token_requests: list[dict[str, str]] = field(default_factory=list)

    # --- seeding -----------------------------------------------------------------------

    def add_client(self, client_id: str = "", secret: str = "") -> tuple[str, str]:
        client_id = (
            client_id or f"{secrets.randbelow(10**12):012d}-standin.apps.googleusercontent.com"
        )
        secret = secret or "GOCSPX-" + secrets.token_urlsafe(20)
        self.clients[client_id] = secret
        return client_id, secret

    def sign_in(self, email: str, scopes: set[str], client_id: str) -> str:
        """A refresh token for `email`, as if they had consented to `scopes` for the client."""
        token = "1//0" + secrets.token_urlsafe(48)
        self.refresh_tokens[token] = _Grant(
            Account(email, "user", client_id, frozenset(scopes)), client_id
        )
        return token

    def revoke(self, refresh_token: str) -> None:
        """As when the person removes the app at myaccount.google.com/permissions."""
        self.refresh_tokens[refresh_token].revoked = True
        for token, (account, _) in list(self.access_tokens.items()):
            grant = self.refresh_tokens[refresh_token]
            if account.email == grant.account.email and account.app == grant.account.app:
                del self.access_tokens[token]

    def add_service_account(self, email: str, public_pem: str | None = None) -> None:
        self.service_accounts[email] = public_pem

    # --- bearer tokens -------------------------------------------------------------------

    def _mint(self, account: Account) -> str:
        token = "ya29.standin-" + secrets.token_urlsafe(32)
        self.access_tokens[token] = (account, time.time() + self.token_lifetime)
        return token

    def caller(self, authorization: str | None) -> Account | None:
        """The account a request acts for; None without an Authorization header."""
        if not authorization:
            return None
        kind, _, token = authorization.partition(" ")
        found = self.access_tokens.get(token.strip()) if kind.lower() == "bearer" else None
        if found is None or found[1] < time.time():
            raise ApiError(
                401,
                "Request had invalid authentication credentials. Expected OAuth 2 access token,"
                " login cookie or other valid authentication credential. See"
                " https://developers.google.com/identity/sign-in/web/devconsole-project.",
            )
        return found[0]

    # --- the consent page -----------------------------------------------------------------

    def authorize(self, query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        """GET /o/oauth2/auth: consent at once and send the browser to the redirect URI."""
        one = {k: v[-1] for k, v in query.items()}
        client_id = one.get("client_id", "")
        redirect = one.get("redirect_uri", "")
        if client_id not in self.clients or not redirect:
            return 400, {"Content-Type": "text/html"}, b"Error 400: invalid_request"
        host = urlsplit(redirect).hostname or ""
        if urlsplit(redirect).scheme != "http" or host not in ("127.0.0.1", "localhost", "::1"):
            # a desktop client may only be sent back to a loopback address
            return 400, {"Content-Type": "text/html"}, b"Error 400: redirect_uri_mismatch"
        back = {"state": one.get("state", "")}
        if self.consent_denied:
            back["error"] = "access_denied"
        else:
            asked = set(one.get("scope", "").split())
            granted = asked if self.consent_scopes is None else asked & self.consent_scopes
            granted |= {s for s in asked if s in ("openid", EMAIL)}
            grant = _Grant(
                Account(self.consent_email, "user", client_id, frozenset(granted)), client_id
            )
            code = "4/0" + secrets.token_urlsafe(30)
            challenge = one.get("code_challenge") if one.get("code_challenge_method") else None
            self.codes[code] = _Code(grant, redirect, challenge)
            back.update(code=code, scope=" ".join(sorted(granted)))
        sep = "&" if "?" in redirect else "?"
        return 302, {"Location": redirect + sep + urlencode(back)}, b""

    # --- the token endpoint ----------------------------------------------------------------

    def token(
        self, raw_body: bytes, authorization: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        form = {k: v[-1] for k, v in parse_qs(raw_body.decode("utf-8", "replace")).items()}
        kind, _, value = (authorization or "").partition(" ")
        if kind.lower() == "basic":
            # the client may send its id and secret as HTTP Basic auth instead of in the form
            try:
                pair = base64.b64decode(value).decode()
            except ValueError:
                pair = ""
            user, _, password = pair.partition(":")
            form.setdefault("client_id", unquote(user))
            form.setdefault("client_secret", unquote(password))
        # what was asked, never the secrets that came with it
        record = {k: v for k, v in form.items() if k in ("grant_type", "scope")}
        if form.get("grant_type") == JWT_BEARER:
            record["scope"] = str(_claims(form.get("assertion", "")).get("scope", ""))
        self.token_requests.append(record)
        grant_type = form.get("grant_type", "")
        if grant_type == JWT_BEARER:
            return self._assertion(form.get("assertion", ""))
        if self.clients.get(form.get("client_id", "")) != form.get("client_secret") or not form.get(
            "client_secret"
        ):
            return 401, {"error": "invalid_client", "error_description": "Unauthorized"}
        if grant_type == "refresh_token":
            grant = self.refresh_tokens.get(form.get("refresh_token", ""))
            if grant is None or grant.revoked or grant.client_id != form.get("client_id"):
                return 400, {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                }
            asked = set(form.get("scope", "").split()) or set(grant.account.scopes)
            if not asked <= grant.account.scopes:
                return 400, {
                    "error": "invalid_scope",
                    "error_description": "Some requested scopes were invalid. {valid=["
                    + ", ".join(sorted(asked & grant.account.scopes))
                    + "], invalid=["
                    + ", ".join(sorted(asked - grant.account.scopes))
                    + "]}",
                }
            account = Account(grant.account.email, "user", grant.account.app, frozenset(asked))
            return 200, self._answer(account)
        if grant_type == "authorization_code":
            code = self.codes.get(form.get("code", ""))
            if code is None or code.used or code.redirect_uri != form.get("redirect_uri"):
                return 400, {"error": "invalid_grant", "error_description": "Bad Request"}
            if code.challenge is not None:
                verifier = form.get("code_verifier", "")
                digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                if digest.decode().rstrip("=") != code.challenge:
                    return 400, {
                        "error": "invalid_grant",
                        "error_description": "Missing code verifier.",
                    }
            code.used = True
            refresh = "1//0" + secrets.token_urlsafe(48)
            self.refresh_tokens[refresh] = code.grant
            answer = self._answer(code.grant.account)
            answer["refresh_token"] = refresh
            if "openid" in code.grant.account.scopes:
                answer["id_token"] = _unsigned_jwt(
                    {
                        "iss": "https://accounts.google.com",
                        "aud": code.grant.client_id,
                        "sub": str(abs(hash(code.grant.account.email))),
                        "email": code.grant.account.email,
                        "email_verified": True,
                        "iat": int(time.time()),
                        "exp": int(time.time()) + 3600,
                    }
                )
            return 200, answer
        return 400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"}

    def _assertion(self, assertion: str) -> tuple[int, dict[str, Any]]:
        claims = _claims(assertion)
        email = str(claims.get("iss", ""))
        if email not in self.service_accounts or not _signed_by(
            assertion, self.service_accounts[email]
        ):
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        scopes = frozenset(str(claims.get("scope", "")).split())
        return 200, self._answer(Account(email, "service_account", email, scopes))

    def _answer(self, account: Account) -> dict[str, Any]:
        return {
            "access_token": self._mint(account),
            "expires_in": int(self.token_lifetime) - 1,
            "scope": " ".join(sorted(account.scopes)),
            "token_type": "Bearer",
        }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unsigned_jwt(claims: dict[str, Any]) -> str:
    header = _b64(json.dumps({"alg": "RS256", "kid": "standin", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(claims).encode())}.{_b64(b'standin-signature')}"


def _claims(jwt: str) -> dict[str, Any]:
    try:
        body = jwt.split(".")[1]
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (IndexError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _signed_by(jwt: str, public_pem: str | None) -> bool:
    """Check the assertion's RS256 signature when the test registered the public key."""
    if public_pem is None:
        return True
    from google.auth import crypt

    head, body, signature = [*jwt.split("."), "", ""][:3]
    try:
        verifier = crypt.RSAVerifier.from_string(public_pem)
        raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    except ValueError:
        return False
    return bool(verifier.verify(f"{head}.{body}".encode(), raw))


def scope_error() -> ApiError:
    return ApiError(
        403,
        "Request had insufficient authentication scopes.",
        details=[
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                "domain": "googleapis.com",
            }
        ],
    )
