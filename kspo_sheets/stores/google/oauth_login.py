"""`kspo auth login`: a person signs in once and the tool keeps an "authorized user" file
(a refresh token for the office's own OAuth client), for offices with personal Google
accounts and no service account that can keep files.

The consent runs as Google's installed-app flow (google-auth-oauthlib, with PKCE) and comes
back to a loopback address, the redirect Google allows desktop clients since it retired the
copy-paste ("out of band") flow in 2022. On a machine with a browser the browser is opened
and comes back by itself. On a headless server the address to open is printed; after
consenting on any computer, the browser is sent to http://127.0.0.1:PORT/… which either
reaches this machine (an `ssh -L PORT:127.0.0.1:PORT` tunnel) or fails to load, and then
the person pastes that address from the browser's address bar: whichever comes first.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import tempfile
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kspo_sheets.errors import CredentialsError, RemoteError
from kspo_sheets.stores.google.credentials import (
    AUTHORIZED_USER,
    IDENTITY_SCOPES,
    SHEETS_SCOPE,
    Identity,
    _is_loopback,
    is_google_token_uri,
    scope_name,
)

DONE_PAGE = (
    "<!doctype html><meta charset='utf-8'><title>kspo-sheets</title>"
    "<p style='font-family:sans-serif;font-size:18px'>ลงชื่อเข้าใช้เรียบร้อยแล้ว"
    " กลับไปที่หน้าจอคำสั่งได้เลย<br>Signed in: you can close this tab and go back to the"
    " terminal.</p>"
).encode()


def default_credentials_path() -> Path:
    """$XDG_CONFIG_HOME/kspo-sheets/authorized_user.json (~/.config/... by default)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kspo-sheets" / "authorized_user.json"


def read_client(path: Path) -> dict[str, Any]:
    """The OAuth client (a Desktop app's client_secret_….json from the Cloud console)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CredentialsError(
            f"OAuth client file not found: {path}",
            hint="In the Google Cloud console: APIs & Services > Credentials > Create"
            " credentials > OAuth client ID > Desktop app, then download its JSON.",
        ) from None
    except (OSError, UnicodeDecodeError, ValueError):
        raise CredentialsError(
            f"{path} is not an OAuth client JSON file",
            hint="Download the client's JSON again from the Cloud console (Credentials).",
        ) from None
    if isinstance(data, dict) and "installed" in data:
        client = data["installed"]
        if isinstance(client, dict) and all(
            client.get(k) for k in ("client_id", "client_secret", "auth_uri", "token_uri")
        ):
            return data
    kind = next(iter(data), "?") if isinstance(data, dict) else "?"
    raise CredentialsError(
        f"{path} is not a Desktop app OAuth client (it is {kind!r})",
        hint="Create an OAuth client ID of type 'Desktop app' (not 'Web application') and"
        " download its JSON; a service-account key is used with --credentials directly.",
    )


def client_from_sign_in(path: Path) -> dict[str, Any]:
    """The OAuth client an earlier sign-in used, to sign in again without its JSON."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        info = None
    if not isinstance(info, dict) or info.get("type") != AUTHORIZED_USER:
        raise CredentialsError(
            f"No earlier sign-in at {path} to take the OAuth client from",
            hint="Pass --client-secrets with the Desktop app client's JSON from the Cloud console.",
        )
    token_uri = str(info.get("token_uri") or "https://oauth2.googleapis.com/token")
    if is_google_token_uri(token_uri):
        auth_uri = "https://accounts.google.com/o/oauth2/auth"
    else:
        parts = urlsplit(token_uri)
        auth_uri = f"{parts.scheme}://{parts.netloc}/o/oauth2/auth"
    return {
        "installed": {
            "client_id": info.get("client_id"),
            "client_secret": info.get("client_secret"),
            "auth_uri": auth_uri,
            "token_uri": token_uri,
        }
    }


class _Listener:
    """A one-shot loopback server that catches the browser coming back from Google."""

    def __init__(self, port: int, answers: queue.Queue[str]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                if "state" not in query:  # a favicon or a stray visit
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                answers.put(f"http://127.0.0.1{self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(DONE_PAGE)))
                self.end_headers()
                self.wfile.write(DONE_PAGE)

            def log_message(self, *args: Any) -> None:
                pass

        try:
            self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        except OSError as exc:
            raise CredentialsError(
                f"Cannot listen on 127.0.0.1:{port} for Google's answer ({exc.strerror or exc})",
                hint="Choose another --port, or leave it out to use any free one.",
            ) from None
        self.port = int(self.server.server_address[1])
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def _oauthlib_env(endpoint: str) -> Iterator[None]:
    """oauthlib refuses plain http and a granted scope set that differs from the asked one;
    the tool checks the granted scopes itself, and plain http only ever reaches a loopback
    stand-in (Google's token endpoint is https)."""
    saved = {
        k: os.environ.get(k) for k in ("OAUTHLIB_RELAX_TOKEN_SCOPE", "OAUTHLIB_INSECURE_TRANSPORT")
    }
    os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = "1"
    if urlsplit(endpoint).scheme == "http" and _is_loopback(endpoint):
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def login(
    client_file: Path | None,
    out: Path,
    scopes: list[str],
    *,
    open_browser: bool,
    say: Callable[[str], None],
    port: int = 0,
    read_line: Callable[[], str] | None = None,
    browser: Callable[[str], Any] | None = None,
    timeout: float = 600.0,
) -> Identity:
    """Run the consent, check what was granted, and write the sign-in to `out` (mode 0600)."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    client = read_client(client_file) if client_file is not None else client_from_sign_in(out)
    token_uri = client["installed"]["token_uri"]
    asked = [*scopes, *IDENTITY_SCOPES]
    flow = InstalledAppFlow.from_client_config(
        client, scopes=asked, autogenerate_code_verifier=True
    )
    answers: queue.Queue[str] = queue.Queue()
    listener = _Listener(port, answers)
    try:
        flow.redirect_uri = f"http://127.0.0.1:{listener.port}/"
        with _oauthlib_env(client["installed"]["auth_uri"]):
            url, state = flow.authorization_url(access_type="offline", prompt="consent")
        if open_browser:
            opened = False
            with contextlib.suppress(Exception):
                opener = browser
                if opener is None:
                    import webbrowser

                    opener = webbrowser.open
                opened = bool(opener(url))
            if opened:
                say("A browser window should open to sign in with Google.")
        say(
            f"Open this address in a browser and sign in with the Google account to use:\n\n  {url}\n"
        )
        if read_line is not None:
            say(
                "After you allow access the browser goes to an address starting with"
                f" http://127.0.0.1:{listener.port}/ - if that page does not load, copy the"
                " whole address from the address bar and paste it here, then press Enter."
            )
            threading.Thread(target=lambda: _feed(read_line, answers), daemon=True).start()
        try:
            answer = answers.get(timeout=timeout)
        except queue.Empty:
            raise CredentialsError(
                f"No answer from the browser within {timeout / 60:.0f} minutes; nothing was saved.",
                hint="Run kspo auth login again (with --no-browser on a server).",
            ) from None
    finally:
        listener.close()
    code = _code(answer, state)
    try:
        with _oauthlib_env(token_uri):
            token = flow.fetch_token(code=code)
    except Exception as exc:  # oauthlib / requests errors: say which, show no secret
        name = exc.__class__.__name__
        if "Connection" in name or "Timeout" in name:
            raise RemoteError(
                f"Could not reach Google's token endpoint ({name}); nothing was saved.",
                hint="Check the network and run kspo auth login again.",
            ) from None
        raise CredentialsError(
            f"Google did not accept the sign-in ({name}: {getattr(exc, 'description', '') or exc})",
            hint="Run kspo auth login again; a code can be used once, within a few minutes.",
        ) from None
    granted = token.get("scope") or asked
    granted = granted.split() if isinstance(granted, str) else list(granted)
    if SHEETS_SCOPE not in granted:
        raise CredentialsError(
            "The sign-in did not allow Google Sheets, which every command needs; nothing was saved.",
            hint="Run kspo auth login again and tick 'See, edit, create and delete all your"
            " Google Sheets spreadsheets' on Google's page.",
        )
    email = _email(token.get("id_token"))
    refresh = token.get("refresh_token")
    if not refresh:
        raise CredentialsError(
            "Google gave no refresh token, so the sign-in would not last; nothing was saved.",
            hint="Remove kspo-sheets at https://myaccount.google.com/permissions and run"
            " kspo auth login again.",
        )
    info = {
        "type": AUTHORIZED_USER,
        "client_id": client["installed"]["client_id"],
        "client_secret": client["installed"]["client_secret"],
        "refresh_token": refresh,
        "token_uri": token_uri,
        "account": email or "",
        "scopes": [s for s in granted if s not in IDENTITY_SCOPES],
        "universe_domain": "googleapis.com",
    }
    write_private(out, json.dumps(info, indent=2) + "\n")
    missing = [scope_name(s) for s in scopes if s not in granted]
    if missing:
        say(
            f"Note: the sign-in did not allow {', '.join(missing)}: kspo pack cannot upload to"
            " Drive with it (use --no-upload, or sign in again and tick the Drive box)."
        )
    return Identity(AUTHORIZED_USER, email, str(out), tuple(info["scopes"]))


def _feed(read_line: Callable[[], str], answers: queue.Queue[str]) -> None:
    while True:
        try:
            line = read_line().strip()
        except (EOFError, OSError):
            return
        if line:
            answers.put(line)
            return


def _code(answer: str, state: str) -> str:
    query = parse_qs(urlsplit(answer.strip()).query)
    if "error" in query:
        raise CredentialsError(
            f"Google did not grant access ({query['error'][-1]}); nothing was saved.",
            hint="Run kspo auth login again and press Allow on Google's page.",
        )
    if query.get("state", [""])[-1] != state or not query.get("code"):
        raise CredentialsError(
            "That address is not the answer to this sign-in (its state does not match).",
            hint="Paste the address the browser was sent to after this run's link, or run"
            " kspo auth login again.",
        )
    return query["code"][-1]


def _email(id_token: Any) -> str | None:
    if not isinstance(id_token, str):
        return None
    from google.auth import jwt

    try:
        # Straight from the token endpoint over TLS: the signature adds nothing here.
        claims = jwt.decode(id_token, verify=False)
    except ValueError:
        return None
    email = claims.get("email")
    return str(email) if email else None


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` readable by its owner only, in one step (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
