"""A local, in-memory stand-in for the Google Sheets API v4, served over real HTTP.

Tests start a :class:`StandIn`, seed spreadsheets through ``standin.state`` and point the
tool (or gspread, via :func:`gspread_client`) at ``standin.url``. Nothing leaves the machine.
"""

from __future__ import annotations

from .client import GOOGLE_ROOTS, RootedHTTPClient, gspread_client
from .errors import ApiError
from .faults import Faults
from .server import RequestRecord, StandIn
from .state import SheetsState

__all__ = [
    "GOOGLE_ROOTS",
    "ApiError",
    "Faults",
    "RequestRecord",
    "RootedHTTPClient",
    "SheetsState",
    "StandIn",
    "gspread_client",
]
