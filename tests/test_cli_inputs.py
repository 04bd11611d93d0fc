"""Inputs that once ended in a traceback (and exit 1, which cron reads as "findings").

Each gives one `Error:` line saying what to do and an exit code from README's table:
2 config and usage, 3 source, 4 write, 6 Google gave up, 7 credentials.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from google_helpers import seed
from helpers import PHUKET, ROOT, clean_tabs, snapshot, write_xlsx

from kspo_sheets.cli import cli
from kspo_sheets.errors import EXIT_CONFIG, EXIT_CREDENTIALS, EXIT_SOURCE
from kspo_sheets.logs import JsonLines, finite
from kspo_sheets.standin import StandIn

AS_OF = "2019-09-10"
CONFIG = ["--config", str(PHUKET)]
KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdef"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def expect(res: Result, code: int, *words: str) -> None:
    """The documented exit code, an Error: line with the fix, and no traceback."""
    crash = res.exception if not isinstance(res.exception, SystemExit) else None
    assert crash is None, f"{crash!r}\n{res.output}"
    assert res.exit_code == code, res.output
    assert "Traceback" not in res.output
    errors = [line for line in res.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, res.output
    for w in words:
        assert w in res.output, (w, res.output)


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "registers.xlsx", *clean_tabs())


def province(tmp_path: Path, extra: str) -> Path:
    """configs/ copied, with `extra` YAML appended to the province's file."""
    for f in (ROOT / "configs").glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    path = tmp_path / "phuket.yaml"
    text = path.read_text(encoding="utf-8").replace("overrides: {}\n", "")
    path.write_text(text + extra + "\n", encoding="utf-8")
    return path


# --- config values, checked on load -------------------------------------------------------


@pytest.mark.parametrize("name", ["สถานะ/ตรวจ", "สถานะ[1]", "ตรวจ:2562", "a\\b", "why?", "all*"])
@pytest.mark.parametrize("command", ["sync", "init"])
def test_an_owned_tab_name_excel_refuses(tmp_path, workbook, name, command) -> None:
    config = province(tmp_path, f"owned_tabs: {{findings: {json.dumps(name)}}}")
    if command == "sync":
        res = run("sync", "--config", str(config), "--source", str(workbook), "--as-of", AS_OF)
    else:
        res = run("init", "--config", str(config), "--xlsx", str(tmp_path / "new.xlsx"))
    expect(res, EXIT_CONFIG, "owned_tabs.findings", "cannot contain / \\ ? * [ ] :")
    assert not (tmp_path / "new.xlsx").exists()
    assert openpyxl.load_workbook(workbook).sheetnames == [t.title for t in clean_tabs()]


def test_an_owned_tab_name_over_31_characters(tmp_path, workbook) -> None:
    name = "สถานะการตรวจสอบข้อมูลทะเบียนประชารัฐ"  # 36 characters
    config = province(tmp_path, f"owned_tabs: {{findings: {name}}}")
    res = run("sync", "--config", str(config), "--source", str(workbook), "--as-of", AS_OF)
    expect(res, EXIT_CONFIG, "owned_tabs.findings", "36 characters long", "at most 31")


@pytest.mark.parametrize(
    ("extra", "clash"),
    [
        ("owned_tabs: {findings: ประวัติการซิงก์}", "owned_tabs.history"),
        ("owned_tabs: {progress: ผู้ผลิต}", "registers.producers.tab"),
        ("owned_tabs: {findings: Status, history: STATUS}", "owned_tabs.findings"),
        ("overrides: {villages: {tab: สรุปความก้าวหน้า}}", "owned_tabs.progress"),
    ],
)
def test_two_tabs_with_one_name(tmp_path, workbook, extra, clash) -> None:
    """Two owned tabs of one name would overwrite each other; a register's name, or one
    that differs only in case, is the same tab to Excel and Google."""
    config = province(tmp_path, extra)
    res = run("sync", "--config", str(config), "--source", str(workbook), "--as-of", AS_OF)
    expect(res, EXIT_CONFIG, "phuket.yaml", "is already used by", clash)


def test_init_xlsx_refuses_a_register_tab_a_workbook_cannot_have(tmp_path) -> None:
    config = province(tmp_path, "overrides: {villages: {tab: 'หมู่บ้าน/ชุมชน'}}")
    res = run("init", "--config", str(config), "--xlsx", str(tmp_path / "new.xlsx"))
    expect(res, EXIT_CONFIG, "หมู่บ้าน/ชุมชน", "overrides.villages.tab")
    assert not (tmp_path / "new.xlsx").exists()


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "-3", "-0.5"])
@pytest.mark.parametrize("command", ["pack", "sync"])
def test_a_target_that_is_not_finite_or_is_negative(tmp_path, workbook, value, command) -> None:
    config = province(tmp_path, f"targets: {{network_villages: {value}}}")
    args = ["--config", str(config), "--source", str(workbook), "--as-of", AS_OF]
    if command == "pack":
        res = run("pack", *args, "--out-dir", str(tmp_path / "packs"))
    else:
        res = run("sync", *args, "--json")
    expect(res, EXIT_CONFIG, "targets.network_villages", "finite number of 0 or more")
    if command == "sync":  # --json: every line on stdout is JSON, NaN included
        lines = res.stdout.splitlines()
        assert lines and all(json.loads(line, parse_constant=_no_constant) for line in lines)
    assert not (tmp_path / "packs").exists()


def test_an_indicator_target_that_is_not_finite(tmp_path, workbook) -> None:
    config = province(tmp_path, "")
    ind = tmp_path / "indicators.yaml"
    text = ind.read_text(encoding="utf-8")
    ind.write_text(text.replace("target: 10\n", "target: .inf\n", 1), encoding="utf-8")
    res = run("validate", "--config", str(config), "--source", str(workbook))
    expect(res, EXIT_CONFIG, "indicators.0.target")


def _no_constant(name: str) -> None:
    raise AssertionError(f"bare {name} in JSON output")


def test_json_events_never_carry_a_bare_nan() -> None:
    """Whatever a run event carries, its JSON line parses: NaN and infinities are null."""
    import logging

    record = logging.LogRecord("kspo", logging.INFO, __file__, 1, "done", None, None)
    record.fields = {"percent": math.nan, "nested": [{"target": math.inf}], "n": 3}  # type: ignore[attr-defined]
    doc = json.loads(JsonLines().format(record), parse_constant=_no_constant)
    assert doc["percent"] is None and doc["nested"] == [{"target": None}] and doc["n"] == 3
    assert finite((1.5, -math.inf)) == [1.5, None]


# --- options ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "31/12/9999"])
def test_a_run_date_out_of_range(workbook, value) -> None:
    res = run("validate", *CONFIG, "--source", str(workbook), "--as-of", value)
    expect(res, EXIT_CONFIG, "--as-of", "2019-09-10")


def test_a_meeting_date_out_of_range(workbook, tmp_path) -> None:
    res = run("pack", *CONFIG, "--source", str(workbook), "--date", "9999-12-31")
    expect(res, EXIT_CONFIG, "--date", "between 1900 and 2399")


@pytest.mark.parametrize("value", ["1e300", "inf", "nan", "-5", "0.5"])
def test_a_timeout_that_is_no_usable_number_of_seconds(workbook, value) -> None:
    res = run("sync", *CONFIG, "--source", str(workbook), "--as-of", AS_OF, "--timeout", value)
    expect(res, EXIT_CONFIG, "--timeout")


def test_a_300_character_meeting_number_or_a_long_place(workbook, tmp_path) -> None:
    out = tmp_path / "packs"
    common = [*CONFIG, "--source", str(workbook), "--as-of", AS_OF, "--out-dir", str(out)]
    res = run("pack", *common, "--meeting", "4" * 300)
    expect(res, EXIT_CONFIG, "--meeting", "300 characters long; at most 60")
    res = run("pack", *common, "--place", "ห้องประชุม" * 30)
    expect(res, EXIT_CONFIG, "--place", "at most 200")
    assert not out.exists()


def test_a_long_meeting_number_in_the_config(tmp_path, workbook) -> None:
    config = province(tmp_path, "")
    text = config.read_text(encoding="utf-8").replace(
        "number: 4/2562", "number: '" + "4" * 300 + "'"
    )
    config.write_text(text, encoding="utf-8")
    res = run("pack", "--config", str(config), "--source", str(workbook), "--as-of", AS_OF)
    expect(res, EXIT_CONFIG, "meeting.number")


@pytest.mark.parametrize(
    "source",
    [
        "a" * 5000,
        "/tmp/" + "ข" * 5000 + ".xlsx",
        "https://docs.google.com/spreadsheets/d/" + "k" * 5000 + "/edit",
    ],
)
def test_a_5000_character_source(source) -> None:
    res = run("validate", *CONFIG, "--source", source)
    expect(res, EXIT_SOURCE, "characters long")
    assert len(res.output) < 1000  # the value is not echoed whole


def test_a_symbolic_link_loop_as_the_source(tmp_path) -> None:
    loop = tmp_path / "registers.xlsx"
    os.symlink(tmp_path / "other.xlsx", loop)
    os.symlink(loop, tmp_path / "other.xlsx")
    for command in ("sync", "validate", "pack"):
        res = run(command, *CONFIG, "--source", str(loop), "--as-of", AS_OF)
        expect(res, EXIT_SOURCE, "link loop", "ls -l")
    res = run("init", *CONFIG, "--xlsx", str(loop))
    expect(res, EXIT_SOURCE, "link loop")
    assert os.path.islink(loop)  # left as it was


@pytest.mark.parametrize("where", ["missing folder", "a file as its folder", "a folder"])
def test_an_unusable_log_file(tmp_path, workbook, where) -> None:
    (tmp_path / "plain").write_text("x")
    log = {
        "missing folder": Path("/proc/kspo-nowhere/kspo.log"),
        "a file as its folder": tmp_path / "plain" / "kspo.log",
        "a folder": tmp_path,
    }[where]
    res = run("sync", *CONFIG, "--source", str(workbook), "--as-of", AS_OF, "--log-file", str(log))
    expect(res, EXIT_CONFIG, "--log-file" if where == "a folder" else "log file")
    assert openpyxl.load_workbook(workbook).sheetnames == [t.title for t in clean_tabs()]


@pytest.mark.parametrize("where", ["/proc/kspo-nowhere", "a file"])
def test_an_unusable_lock_folder(tmp_path, workbook, monkeypatch, where) -> None:
    if where == "a file":
        where = str(tmp_path / "plain")
        Path(where).write_text("x")
    monkeypatch.setenv("KSPO_LOCK_DIR", where)
    res = run("sync", *CONFIG, "--source", str(workbook), "--as-of", AS_OF)
    expect(res, EXIT_CONFIG, "KSPO_LOCK_DIR", "nothing was read or written")
    assert openpyxl.load_workbook(workbook).sheetnames == [t.title for t in clean_tabs()]


# --- Google ---------------------------------------------------------------------------------


@pytest.mark.parametrize("root", ["notaurl", "sheets.googleapis.com", "ftp://x", "http://[::1"])
def test_an_api_root_that_is_not_a_url(monkeypatch, root) -> None:
    monkeypatch.setenv("KSPO_SHEETS_API_ROOT", root)
    res = run("validate", *CONFIG, "--source", KEY)
    expect(res, EXIT_CONFIG, "KSPO_SHEETS_API_ROOT", "Unset it")


def test_a_401_from_a_root_that_is_not_googles(sheets_standin: StandIn, monkeypatch) -> None:
    """kspo sends no credentials there, so a 401 cannot be mended by refreshing them."""
    key = seed(sheets_standin, snapshot(*clean_tabs()))
    monkeypatch.setenv("KSPO_SHEETS_API_ROOT", sheets_standin.url)
    sheets_standin.fail(401, times=5)
    res = run("sync", *CONFIG, "--source", key, "--as-of", AS_OF)
    expect(res, EXIT_CREDENTIALS, "401", "KSPO_SHEETS_API_ROOT")
    assert sheets_standin.count(method="POST") == 0
