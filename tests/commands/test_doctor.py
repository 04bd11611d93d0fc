"""`kspo doctor`: the key file is checked whatever the API root, and an unreachable Google
is reported within seconds (its own short retry budget), with the exit code of the table."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from google_helpers import seed
from helpers import PHUKET, clean_tabs, snapshot

from kspo_sheets.cli import cli
from kspo_sheets.errors import EXIT_CONFIG, EXIT_CREDENTIALS, EXIT_OK, EXIT_REMOTE
from kspo_sheets.standin import StandIn

EMAIL = "kspo-sync@kspo-test.iam.gserviceaccount.com"
KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdef"


def key_file(
    folder: Path, *, token_uri: str, mode: int = 0o600, kind: str = "service_account"
) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    info = {"type": kind, "client_email": EMAIL, "private_key": pem, "token_uri": token_uri}
    if kind != "service_account":  # an OAuth client secret, as people download by mistake
        info = {"installed": {"client_id": "x.apps.googleusercontent.com", "client_secret": "s"}}
    path = folder / "key.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    os.chmod(path, mode)
    return path


def doctor(*args: str) -> Result:
    return CliRunner().invoke(cli, ["doctor", "--config", str(PHUKET), *args])


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_key_file_is_checked_against_a_root_that_is_not_googles(
    sheets_standin: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KSPO_SHEETS_API_ROOT", sheets_standin.url)
    sid = seed(sheets_standin, snapshot(*clean_tabs()))
    key = key_file(tmp_path, token_uri="https://oauth2.googleapis.com/token")
    res = doctor("--source", sid, "--credentials", str(key))
    assert res.exit_code == EXIT_OK, res.output
    assert f"✓ credentials: {key} is a private service-account key for {EMAIL}" in res.output
    assert f"API root {sheets_standin.url} is not Google's, so anonymous" in res.output
    assert not [r for r in sheets_standin.requests if r.authorization]

    os.chmod(key, 0o644)
    res = doctor("--source", sid, "--credentials", str(key))
    assert res.exit_code == EXIT_CREDENTIALS, res.output
    assert "readable by other users" in res.output and f"chmod 600 {key}" in res.output

    key = key_file(tmp_path, token_uri="", kind="oauth_client")
    res = doctor("--source", sid, "--credentials", str(key))
    assert res.exit_code == EXIT_CREDENTIALS, res.output
    assert "neither a service-account key nor a sign-in" in res.output

    res = doctor("--source", sid, "--credentials", str(tmp_path / "gone.json"))
    assert res.exit_code == EXIT_CREDENTIALS and "not found" in res.output, res.output
    res = doctor("--source", sid)
    assert res.exit_code == EXIT_OK and "anonymous credentials are used" in res.output


def test_no_network_is_reported_within_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Google's root, and a token endpoint nobody answers at: the sync's 120-second retry
    budget would keep an operator waiting two minutes; doctor gives up after a few. Not a
    timed test: the retry policy doctor hands the store is what bounds the wait."""
    from kspo_sheets.commands import doctor as doctor_module

    monkeypatch.delenv("KSPO_SHEETS_API_ROOT", raising=False)
    monkeypatch.delenv("KSPO_RETRY_BUDGET", raising=False)
    given = []
    real = doctor_module._doctor_policy

    def spy():  # type: ignore[no-untyped-def]
        policy = real()
        given.append(policy)
        return policy

    monkeypatch.setattr(doctor_module, "_doctor_policy", spy)
    key = key_file(tmp_path, token_uri=f"http://127.0.0.1:{closed_port()}/token")
    res = doctor("--source", KEY, "--credentials", str(key))
    assert res.exit_code == EXIT_REMOTE, res.output
    assert f"✓ credentials: {key} is a private service-account key for {EMAIL}" in res.output
    assert "✗ access: cannot reach Google: " in res.output and "token endpoint" in res.output
    assert "Traceback" not in res.output
    (policy,) = given
    assert policy.budget <= doctor_module.DOCTOR_BUDGET <= 5, policy
    assert policy.timeout <= 5, policy


def test_an_unreachable_stand_in_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("KSPO_SHEETS_API_ROOT", root)
    res = doctor("--source", KEY)
    assert res.exit_code == EXIT_REMOTE, res.output
    assert f"✗ access: cannot reach {root}: " in res.output


@pytest.mark.parametrize(
    ("env", "value", "words"),
    [
        ("KSPO_SHEETS_API_ROOT", "notaurl", "is not an http:// or https:// URL"),
        ("KSPO_LOCK_DIR", "/proc/kspo-nowhere", "KSPO_LOCK_DIR"),
        ("KSPO_RETRY_BUDGET", "soon", "KSPO_RETRY_BUDGET"),
    ],
)
def test_a_bad_environment_is_a_failed_check_not_a_traceback(
    sheets_standin: StandIn, monkeypatch: pytest.MonkeyPatch, env: str, value: str, words: str
) -> None:
    sid = seed(sheets_standin, snapshot(*clean_tabs()))
    monkeypatch.setenv("KSPO_SHEETS_API_ROOT", sheets_standin.url)
    monkeypatch.setenv(env, value)
    res = doctor("--source", sid)
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert res.exit_code == EXIT_CONFIG, res.output
    assert "✗" in res.output and words in res.output
