"""pytest fixture ``sheets_standin``: a running stand-in, fresh for every test.

Registered from tests/conftest.py with ``pytest_plugins = ["kspo_sheets.standin.pytest_plugin"]``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import StandIn


@pytest.fixture
def sheets_standin() -> Iterator[StandIn]:
    """A started StandIn (empty state, no faults); stopped after the test.

    Fails the test if the stand-in hit an internal error, so a stand-in bug never passes
    for a Google behaviour.
    """
    standin = StandIn().start()
    try:
        yield standin
    finally:
        standin.stop()
    if standin.internal_errors:
        pytest.fail("Sheets stand-in internal error:\n" + standin.internal_errors[0])
