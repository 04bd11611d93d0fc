"""The README's generated sections match the code."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT


def test_readme_is_current():
    res = subprocess.run(
        [sys.executable, "scripts/docs.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"COLUMNS": "80", "PATH": "/usr/bin:/bin"},
    )
    assert res.returncode == 0, res.stderr
