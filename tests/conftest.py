from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["kspo_sheets.standin.pytest_plugin"]


@pytest.fixture(autouse=True)
def private_locks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Locks in each test's own folder, so another test run on the machine never collides."""
    monkeypatch.setenv("KSPO_LOCK_DIR", str(tmp_path / "locks"))
