"""Credentials and configs for the Drive tests: a person's sign-in and a service account,
both minted by the stand-in's own token endpoint, and a province file with drive settings."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from helpers import ROOT

from kspo_sheets.standin import StandIn
from kspo_sheets.standin.oauth import DRIVE, DRIVE_FILE, SHEETS

PERSON = "somchai.staff@gmail.com"
SERVICE = "kspo-sync@kspo-test.iam.gserviceaccount.com"


def province(
    tmp_path: Path, *, folder: str | None = None, access: str = "file", **extra: Any
) -> Path:
    """A Phuket config in tmp_path (the contract and indicators from configs/)."""
    lines = [
        'province: {code: "83"}',
        f"contract: {ROOT / 'configs' / 'registers.yaml'}",
        f"indicators: {ROOT / 'configs' / 'indicators.yaml'}",
        "meeting: {number: 4/2562, date: 10/09/2562, place: ศาลากลางจังหวัดภูเก็ต}",
        "drive:",
        f"  folder: {json.dumps(folder) if folder else 'null'}",
        f"  access: {access}",
    ]
    for key, value in extra.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    path = tmp_path / "province.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def private(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def person_sign_in(
    standin: StandIn, folder: Path, *, scopes: set[str] | None = None, email: str = PERSON
) -> tuple[Path, str]:
    """An authorized-user file as kspo auth login writes it; (path, refresh token)."""
    client_id, secret = standin.state.oauth.add_client()
    granted = scopes if scopes is not None else {SHEETS, DRIVE_FILE}
    refresh = standin.state.oauth.sign_in(email, granted, client_id)
    path = private(
        folder / "authorized_user.json",
        {
            "type": "authorized_user",
            "client_id": client_id,
            "client_secret": secret,
            "refresh_token": refresh,
            "token_uri": f"{standin.url}/token",
            "account": email,
            "scopes": sorted(granted),
        },
    )
    return path, refresh


def service_account_key(standin: StandIn, folder: Path, email: str = SERVICE) -> Path:
    """A service-account key with a real (throwaway) RSA key the stand-in checks."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    standin.state.oauth.add_service_account(email, public)
    return private(
        folder / "service-account.json",
        {
            "type": "service_account",
            "project_id": "kspo-test",
            "private_key_id": "0123456789abcdef",
            "private_key": pem,
            "client_email": email,
            "client_id": "100000000000000000001",
            "token_uri": f"{standin.url}/token",
        },
    )


__all__ = ["DRIVE", "DRIVE_FILE", "PERSON", "SERVICE", "SHEETS"]
