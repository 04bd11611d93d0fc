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


def test_cli_reference_shows_the_help_as_it_is_printed():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Usage: kspo kspo" not in readme
    assert "Usage: kspo demo [OPTIONS]" in readme
    assert "  --help " not in readme.split("<!-- cli-start -->")[1]
    assert "-h, --help" in readme
