"""A raw cell value as Thai staff see it on screen (dates in the Buddhist Era), for
findings, notes and status text."""

from __future__ import annotations

import datetime as dt

from kspo_sheets.model import CellError, CellValue, Formula
from kspo_sheets.thai.dates import format_be


def display(value: CellValue) -> str:
    """A raw cell value as staff see it, for findings and status text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_be(value)
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, CellError):
        return value.code
    return str(value)
