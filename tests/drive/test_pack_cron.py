"""The cron recipe for packs: scripts/cron/kspo-pack.sh run for real, every morning, acting
only the morning before the meeting."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from drive_helpers import province
from google_helpers import seed
from helpers import ROOT, clean_tabs, snapshot

from kspo_sheets.standin import StandIn

WRAPPER = ROOT / "scripts" / "cron" / "kspo-pack.sh"


def test_the_pack_job_is_silent_until_the_morning_before_the_meeting_then_uploads(
    sheets_standin: StandIn, tmp_path: Path
) -> None:
    key = seed(sheets_standin, snapshot(*clean_tabs()))
    config = province(tmp_path, source={"google": key})
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "KSPO_CONFIG": str(config),
        "KSPO_LOG_DIR": str(tmp_path / "logs"),
        "KSPO_LOCK_DIR": str(tmp_path / "locks"),
        "KSPO_SHEETS_API_ROOT": sheets_standin.url,
    }

    def run(as_of: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(WRAPPER), "--as-of", as_of],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )

    early = run("2019-09-08")  # the meeting (10/09/2562) is two days away
    assert (early.returncode, early.stdout, early.stderr) == (0, "", "")
    assert not sheets_standin.state.drive.files
    due = run("2019-09-09")
    assert due.returncode == 0, due.stderr
    assert re.search(
        r"Uploaded kspo-pack-83-meeting-4-2562-data-2562-09-09\.xlsx .*https://drive\.google\.com/file/d/",
        due.stdout,
    )
    (log,) = (tmp_path / "logs").glob("kspo-pack-*.log")
    assert "nothing to do" in log.read_text(encoding="utf-8")
    assert os.access(WRAPPER, os.X_OK)
    crontab = (WRAPPER.parent / "crontab-pack.example").read_text(encoding="utf-8")
    (job,) = [
        line
        for line in crontab.splitlines()
        if line and not line.startswith("#") and "=" not in line.split()[0]
    ]
    assert job.split(None, 5)[5].startswith("/opt/kspo-sheets/scripts/cron/kspo-pack.sh")
