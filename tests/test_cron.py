"""Running on a schedule: the cron wrapper for real, the crontab line, the systemd units."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from helpers import PHUKET, ROOT, clean_tabs, write_xlsx

from kspo_sheets.errors import EXIT_CONFIG, EXIT_LOCKED, EXIT_OK, EXIT_SOURCE
from kspo_sheets.stores.xlsx.store import XlsxStore

CRON = ROOT / "scripts" / "cron"
WRAPPER = CRON / "kspo-sync.sh"


def wrapper(
    tmp_path: Path, *args: str, umask: int = -1, **env: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run the wrapper as cron would: another directory, a bare environment, no TTY."""
    logs = tmp_path / "logs"
    base = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "KSPO_CONFIG": str(PHUKET),
        "KSPO_LOG_DIR": str(logs),
        "KSPO_LOCK_DIR": str(tmp_path / "locks"),
    }
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    done = subprocess.run(
        ["bash", str(WRAPPER), *args],
        cwd=elsewhere,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        umask=umask,
    )
    return done, logs / f"kspo-sync-{dt.date.today():%Y-%m}.log"


def test_the_wrapper_syncs_quietly_from_any_directory_and_logs(tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "registers.xlsx", *clean_tabs())
    done, log = wrapper(tmp_path, "--source", str(book), "--as-of", "2019-09-10")
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout == "" and done.stderr == ""  # cron mails nothing
    text = log.read_text(encoding="utf-8")
    assert f"reading {book}" in text and f"wrote {book}" in text
    # arguments pass through, and a later run appends to the month's log
    done, log = wrapper(tmp_path, "--source", str(book), "--as-of", "2019-09-10", "--json")
    assert done.returncode == EXIT_OK
    assert json.loads(done.stdout.splitlines()[-1])["event"] == "done"
    lines = log.read_text(encoding="utf-8").splitlines()
    assert lines[0] == text.splitlines()[0] and json.loads(lines[-1])["event"] == "done"


def test_the_wrapper_exits_with_kspo_code_and_says_why(tmp_path: Path) -> None:
    done, log = wrapper(tmp_path, "--source", str(tmp_path / "gone.xlsx"))
    assert done.returncode == EXIT_SOURCE and done.stdout == ""
    assert done.stderr.startswith("Error: Workbook not found") and "→" in done.stderr
    assert "Workbook not found" in log.read_text(encoding="utf-8")
    book = write_xlsx(tmp_path / "registers.xlsx", *clean_tabs())
    with XlsxStore(book).lock():  # a run that is still going
        done, _ = wrapper(tmp_path, "--source", str(book))
    assert done.returncode == EXIT_LOCKED and "Another kspo run" in done.stderr


def test_a_run_under_a_strict_umask_keeps_the_workbooks_permissions(tmp_path: Path) -> None:
    """systemd runs the service with UMask=0027: a group-shared workbook stays shared."""
    book = write_xlsx(tmp_path / "registers.xlsx", *clean_tabs())
    book.chmod(0o664)
    done, _ = wrapper(tmp_path, "--source", str(book), "--as-of", "2019-09-10", umask=0o077)
    assert done.returncode == EXIT_OK, done.stderr
    assert "สถานะการตรวจสอบ" in openpyxl.load_workbook(book).sheetnames  # it was rewritten
    assert book.stat().st_mode & 0o777 == 0o664


def test_the_wrapper_without_its_virtualenv_or_log_folder_says_what_to_do(tmp_path: Path) -> None:
    done, _ = wrapper(tmp_path, KSPO_VENV=str(tmp_path / "no-venv"))
    assert done.returncode == EXIT_CONFIG and "scripts/demo" in done.stderr
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    done, _ = wrapper(tmp_path, KSPO_LOG_DIR=str(blocker / "logs"))
    assert done.returncode == EXIT_CONFIG and "KSPO_LOG_DIR" in done.stderr


def test_the_crontab_example_runs_the_wrapper_nightly_and_mails_on_failure() -> None:
    lines = [
        line
        for line in (CRON / "crontab.example").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    env = dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z_]+=", line))
    assert {"MAILTO", "KSPO_CONFIG", "GOOGLE_APPLICATION_CREDENTIALS"} <= set(env)
    (job,) = [line for line in lines if not re.match(r"^[A-Z_]+=", line)]
    minute, hour, dom, month, dow, command = job.split(None, 5)
    assert minute.isdigit() and hour.isdigit() and (dom, month, dow) == ("*", "*", "*")
    assert command.endswith("/scripts/cron/kspo-sync.sh") and "%" not in command
    text = (CRON / "crontab.example").read_text(encoding="utf-8")
    assert all(f"{code} " in text for code in range(8))  # the exit codes, explained


def _units(tmp_path: Path) -> list[Path]:
    out = []
    for name in ("kspo-sync.service", "kspo-sync.timer"):
        text = (CRON / name).read_text(encoding="utf-8").replace("/opt/kspo-sheets", str(ROOT))
        (tmp_path / name).write_text(text, encoding="utf-8")
        out.append(tmp_path / name)
    return out


def _settings(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            out.setdefault(key, []).append(value)
    return out


def test_the_systemd_units_are_a_hardened_oneshot_and_a_persistent_nightly_timer() -> None:
    service = _settings(CRON / "kspo-sync.service")
    assert service["Type"] == ["oneshot"]
    assert service["ExecStart"] == ["/opt/kspo-sheets/scripts/cron/kspo-sync.sh"]
    assert service["EnvironmentFile"] == ["/etc/kspo-sheets/kspo-sync.env"]
    assert service["NoNewPrivileges"] == ["yes"] and service["ProtectSystem"] == ["strict"]
    timer = _settings(CRON / "kspo-sync.timer")
    assert timer["Persistent"] == ["true"] and timer["RandomizedDelaySec"]
    assert timer["OnCalendar"] == ["*-*-* 02:15:00"] and timer["WantedBy"] == ["timers.target"]
    assert os.access(WRAPPER, os.X_OK)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_verify_passes(tmp_path: Path) -> None:
    done = subprocess.run(
        ["systemd-analyze", "verify", *map(str, _units(tmp_path))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    ours = [line for line in (done.stdout + done.stderr).splitlines() if "kspo-sync" in line]
    assert done.returncode == 0 and not ours, done.stdout + done.stderr
