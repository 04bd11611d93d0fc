"""kspo auth login against the stand-in's consent page and token endpoint: a browser on
this machine, or a headless server where the person pastes back the address."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from drive_helpers import DRIVE_FILE, PERSON, SHEETS, province

from kspo_sheets.cli import cli
from kspo_sheets.errors import EXIT_CREDENTIALS, EXIT_OK, CredentialsError
from kspo_sheets.standin import StandIn
from kspo_sheets.stores.google.oauth_login import login


@pytest.fixture
def client_file(sheets_standin: StandIn, tmp_path: Path) -> Path:
    client_id, secret = sheets_standin.state.oauth.add_client()
    path = tmp_path / "client_secret_desktop.json"
    path.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": client_id,
                    "client_secret": secret,
                    "auth_uri": f"{sheets_standin.url}/o/oauth2/auth",
                    "token_uri": f"{sheets_standin.url}/token",
                    "redirect_uris": ["http://localhost"],
                }
            }
        ),
        encoding="utf-8",
    )
    return path


def browser(url: str) -> bool:
    """A browser on this machine: follows Google's redirect back to the loopback address."""
    requests.get(url, timeout=10)
    return True


def test_login_with_a_browser_saves_a_private_sign_in_that_then_works(
    sheets_standin: StandIn,
    client_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", browser)
    out = tmp_path / "me" / "authorized_user.json"
    res = CliRunner().invoke(
        cli,
        [
            "auth",
            "login",
            "--client-secrets",
            str(client_file),
            "--out",
            str(out),
            "--config",
            str(province(tmp_path)),
        ],
    )
    assert res.exit_code == EXIT_OK, res.output
    assert f"Signed in as {PERSON}" in res.output and f"--credentials {out}" in res.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    saved = json.loads(out.read_text())
    assert saved["type"] == "authorized_user" and saved["account"] == PERSON
    assert sorted(saved["scopes"]) == sorted([SHEETS, DRIVE_FILE]) and "token" not in saved
    assert saved["refresh_token"] not in res.output
    # the sign-in works: doctor names the account, validate reads with it
    monkeypatch.setenv("KSPO_SHEETS_API_ROOT", sheets_standin.url)
    key = sheets_standin.state.create_spreadsheet("ทะเบียน", {"Sheet1": [["x"]]})
    doctor = CliRunner().invoke(
        cli,
        ["doctor", "--config", str(province(tmp_path)), "--source", key, "--credentials", str(out)],
    )
    assert f"Google account {PERSON}" in doctor.output, doctor.output
    # and signing in again needs no client file: the sign-in names its client
    again = CliRunner().invoke(
        cli, ["auth", "login", "--out", str(out), "--config", str(province(tmp_path))]
    )
    assert again.exit_code == EXIT_OK, again.output
    assert json.loads(out.read_text())["refresh_token"] != saved["refresh_token"]


def test_login_on_a_headless_server_takes_the_pasted_address(
    sheets_standin: StandIn, client_file: Path, tmp_path: Path
) -> None:
    printed: list[str] = []
    shown = threading.Event()

    def say(text: str) -> None:
        printed.append(text)
        if "http" in text:
            shown.set()

    def paste() -> str:
        # the person opens the printed address on another computer; the browser is sent to
        # http://127.0.0.1:PORT/... which does not load there, so they copy it from the bar
        shown.wait(10)
        url = next(t.split()[-1] for t in printed if "/o/oauth2/auth" in t)
        answer = requests.get(url, allow_redirects=False, timeout=10)
        return answer.headers["Location"]

    out = tmp_path / "authorized_user.json"
    who = login(
        client_file, out, [SHEETS, DRIVE_FILE], open_browser=False, say=say, read_line=paste
    )
    assert who.email == PERSON and out.exists()
    assert any("paste it here" in t for t in printed)


@pytest.mark.parametrize(
    ("consent", "message"),
    [
        ({"consent_denied": True}, "did not grant access"),
        ({"consent_scopes": {DRIVE_FILE}}, "did not allow Google Sheets"),
    ],
)
def test_a_refused_consent_saves_nothing(
    sheets_standin: StandIn, client_file: Path, tmp_path: Path, consent: dict, message: str
) -> None:
    for name, value in consent.items():
        setattr(sheets_standin.state.oauth, name, value)
    out = tmp_path / "authorized_user.json"
    with pytest.raises(CredentialsError, match=message):
        login(
            client_file,
            out,
            [SHEETS, DRIVE_FILE],
            open_browser=True,
            say=lambda _: None,
            browser=browser,
        )
    assert not out.exists()


def test_a_sign_in_without_drive_is_kept_and_says_what_it_cannot_do(
    sheets_standin: StandIn, client_file: Path, tmp_path: Path
) -> None:
    sheets_standin.state.oauth.consent_scopes = {SHEETS}
    printed: list[str] = []
    out = tmp_path / "authorized_user.json"
    who = login(
        client_file,
        out,
        [SHEETS, DRIVE_FILE],
        open_browser=True,
        say=printed.append,
        browser=browser,
    )
    assert who.scopes == (SHEETS,)
    assert any("cannot upload to Drive" in t for t in printed)


def test_a_stale_or_foreign_address_is_refused(
    sheets_standin: StandIn, client_file: Path, tmp_path: Path
) -> None:
    with pytest.raises(CredentialsError, match="state does not match"):
        login(
            client_file,
            tmp_path / "a.json",
            [SHEETS],
            open_browser=False,
            say=lambda _: None,
            read_line=lambda: "http://127.0.0.1:1/?state=someone-else&code=4/0abc",
        )
    res = CliRunner().invoke(
        cli,
        [
            "auth",
            "login",
            "--client-secrets",
            str(tmp_path / "missing.json"),
            "--out",
            str(tmp_path / "b.json"),
            "--config",
            str(province(tmp_path)),
        ],
    )
    assert res.exit_code == EXIT_CREDENTIALS and "Desktop app" in res.output
