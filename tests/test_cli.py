"""The CLI as an operator and cron see it: output, formats and exit codes."""

from __future__ import annotations

import csv
import io
import json

import click
import pytest
from click.testing import CliRunner
from helpers import PHUKET, clean_tabs, write_xlsx

from kspo_sheets.cli import cli
from kspo_sheets.commands.sample import build_sample

CONFIG = ["--config", str(PHUKET)]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "sample.xlsx"
    planted = build_sample(path)
    return path, planted


@pytest.fixture
def clean(tmp_path):
    return write_xlsx(tmp_path / "clean.xlsx", *clean_tabs())


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def all_commands(group: click.Group, prefix: str = ""):
    for name, cmd in group.commands.items():
        yield f"{prefix}{name}", cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, f"{prefix}{name} ")


def test_every_command_has_help():
    for name, cmd in all_commands(cli):
        assert cmd.help, f"kspo {name} has no help text"
        res = invoke(*name.split(), "--help")
        assert res.exit_code == 0 and "Usage" in res.output


def test_validate_table_in_thai_then_english(sample):
    path, _ = sample
    res = invoke("validate", *CONFIG, "--source", str(path), "--as-of", "2019-09-10")
    assert res.exit_code == 1
    assert "ผู้ผลิต" in res.output and "ข้อผิดพลาด" in res.output
    assert "national_id.checksum" in res.output
    res = invoke(
        "validate", *CONFIG, "--source", str(path), "--as-of", "10/09/2562", "--lang", "en"
    )
    assert res.exit_code == 1 and "Errors" in res.output and "Did you mean" in res.output


def test_validate_json_is_the_documented_shape(sample):
    path, planted = sample
    res = invoke(
        "validate", *CONFIG, "--source", str(path), "--as-of", "2019-09-10", "--format", "json"
    )
    assert res.exit_code == 1
    doc = json.loads(res.output)
    assert len(doc["findings"]) == len(planted)
    keys = {
        "register",
        "row",
        "row_id",
        "column",
        "cell",
        "value",
        "severity",
        "code",
        "message_th",
        "message_en",
    }
    assert all(keys <= set(f) for f in doc["findings"])
    assert doc["as_of"] == "2019-09-10"


def test_validate_csv(sample):
    path, planted = sample
    res = invoke(
        "validate", *CONFIG, "--source", str(path), "--as-of", "2019-09-10", "--format", "csv"
    )
    # as a program reads it: UTF-8, its byte-order mark dropped (encoding utf-8-sig)
    text = res.output.encode("utf-8").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(planted)
    assert rows[0].keys() >= {"register", "cell", "code", "message_th"}


def test_validate_csv_opens_in_excel_on_thai_windows(sample):
    path, _ = sample
    args = ["validate", *CONFIG, "--source", str(path), "--as-of", "2019-09-10", "--format", "csv"]
    res = CliRunner().invoke(cli, args)
    # Excel reads a CSV as UTF-8 only when it starts with the byte-order mark; without it a
    # Thai Windows desktop reads TIS-620 and shows the Thai text as garbage.
    assert res.stdout_bytes.startswith(b"\xef\xbb\xbf")
    assert "หมู่บ้าน" in res.stdout_bytes.decode("utf-8-sig")
    bare = CliRunner().invoke(cli, [*args, "--no-bom"])
    assert bare.stdout_bytes.startswith(b"register,")
    assert bare.stdout_bytes == res.stdout_bytes[3:]


def test_counts_read_as_english(tmp_path, clean):
    res = invoke("sync", *CONFIG, "--source", str(clean), "--as-of", "2019-09-10", "-v")
    assert res.exit_code == 0, res.output
    assert "1 row" in res.output and "1 rows" not in res.output
    assert "0 errors, 0 warnings, 0 notices" in res.output


def test_as_of_with_a_christian_era_year_is_refused(clean):
    res = CliRunner().invoke(
        cli, ["validate", *CONFIG, "--source", str(clean), "--as-of", "10/09/2019"]
    )
    assert res.exit_code == 2
    assert "10/09/2562" in res.stderr and "2019-09-10" in res.stderr
    res = CliRunner().invoke(
        cli,
        ["pack", *CONFIG, "--source", str(clean), "--date", "10/09/2019", "--as-of", "2019-09-10"],
    )
    assert res.exit_code == 2 and "--date" in res.stderr


def test_pack_error_is_said_once_and_verbose_counts_registers(tmp_path, sample):
    path, _ = sample
    args = [
        "pack",
        *CONFIG,
        "--source",
        str(path),
        "--as-of",
        "2019-09-10",
        "--out-dir",
        str(tmp_path),
    ]
    res = CliRunner().invoke(cli, [*args, "-v"])
    assert res.exit_code == 0, res.output
    # the six registers, not every tab in the workbook
    assert "validating 6 registers" in res.stderr
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 4
    assert res.stderr.count("already exists") == 1
    assert res.stderr.startswith("Error: ")


def test_standin_on_a_busy_port_says_so_without_a_traceback():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        res = CliRunner().invoke(cli, ["standin", "--port", str(port)])
    assert res.exit_code == 2
    assert res.stderr.startswith("Error: Cannot listen on") and "--port 0" in res.stderr
    assert "Traceback" not in res.output


def test_exit_codes_clean_and_fail_on(clean):
    res = invoke("validate", *CONFIG, "--source", str(clean), "--as-of", "2019-09-10")
    assert res.exit_code == 0, res.output
    # the clean workbook's certificate expires 30/09/2563: a notice at 2020-07-15
    res = invoke("validate", *CONFIG, "--source", str(clean), "--as-of", "2020-07-15")
    assert res.exit_code == 0 and "cert.expiring" in res.output
    res = invoke(
        "validate", *CONFIG, "--source", str(clean), "--as-of", "2020-07-15", "--fail-on", "notice"
    )
    assert res.exit_code == 1
    res = invoke(
        "validate", *CONFIG, "--source", str(clean), "--as-of", "2020-07-15", "--fail-on", "warning"
    )
    assert res.exit_code == 0


def test_exit_code_config_error(tmp_path, clean):
    bad = tmp_path / "bad.yaml"
    bad.write_text("province: {code: '99'}\n", encoding="utf-8")
    res = invoke("validate", "--config", str(bad), "--source", str(clean))
    assert res.exit_code == 2 and "province.code" in res.output


def test_exit_code_usage_error(clean):
    res = invoke("validate", *CONFIG, "--source", str(clean), "--as-of", "someday")
    assert res.exit_code == 2 and "--as-of" in res.output


def test_exit_code_source_unreadable(tmp_path):
    res = invoke("validate", *CONFIG, "--source", str(tmp_path / "missing.xlsx"))
    assert res.exit_code == 3 and "kspo demo" in res.output
    notxlsx = tmp_path / "notes.xlsx"
    notxlsx.write_text("not a workbook")
    res = invoke("validate", *CONFIG, "--source", str(notxlsx))
    assert res.exit_code == 3 and "save it again" in res.output


def test_sync_is_quiet_under_cron_and_json_for_programs(tmp_path, clean):
    res = invoke("sync", *CONFIG, "--source", str(clean), "--as-of", "2019-09-10")
    assert res.exit_code == 0 and res.output == ""
    res = invoke("sync", *CONFIG, "--source", str(clean), "--as-of", "2019-09-10", "--json")
    events = [json.loads(line) for line in res.output.splitlines()]
    assert [e["event"] for e in events][-1] == "done"
    assert {"stage"} <= {e["event"] for e in events}
    doc = events[-1]
    assert doc["written"] is True and doc["counts"]["error"] == 0
    assert {i["id"] for i in doc["indicators"]} >= {"network_villages"}
    res = invoke("sync", *CONFIG, "--source", str(clean), "--as-of", "2019-09-10", "--dry-run")
    assert res.exit_code == 0 and "Dry run" in res.output


def test_log_file_records_events_and_errors(tmp_path, clean):
    log = tmp_path / "logs" / "kspo.log"
    res = invoke(
        "sync", *CONFIG, "--source", str(clean), "--as-of", "2019-09-10", "--log-file", str(log)
    )
    assert res.exit_code == 0 and res.output == ""
    text = log.read_text(encoding="utf-8")
    assert "reading" in text and "wrote" in text
    res = invoke(
        "sync", *CONFIG, "--source", str(tmp_path / "gone.xlsx"), "--log-file", str(log), "--json"
    )
    assert res.exit_code == 3
    last = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    assert last["event"] == "error" and last["exit_code"] == 3


def test_demo_writes_the_sample_and_says_what_next(tmp_path):
    out = tmp_path / "s.xlsx"
    res = invoke("demo", "--out", str(out))
    assert res.exit_code == 0 and out.exists() and "kspo validate" in res.output
    res = invoke("demo", "--out", str(out))
    assert "--force" in res.output


def test_standin_command_serves_a_workbook_for_google_mode(sample, tmp_path):
    import os
    import re
    import subprocess
    import sys

    path, planted = sample
    proc = subprocess.Popen(
        [sys.executable, "-m", "kspo_sheets", "standin", "--port", "0", "--load", str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        head = [proc.stdout.readline() for _ in range(3)]
        url = re.search(r"(http://127\.0\.0\.1:\d+)", head[0]).group(1)
        key = re.search(r"spreadsheet key (\S+)", head[1]).group(1)
        env = {**os.environ, "KSPO_SHEETS_API_ROOT": url}
        res = subprocess.run(
            [
                sys.executable,
                "-m",
                "kspo_sheets",
                "validate",
                *CONFIG,
                "--source",
                key,
                "--as-of",
                "2019-09-10",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert res.returncode == 1, res.stderr
        assert len(json.loads(res.stdout)["findings"]) == len(planted)
    finally:
        proc.terminate()
        proc.wait(10)
