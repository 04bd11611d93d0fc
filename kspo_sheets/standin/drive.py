"""Just enough of Drive v3 for gspread's create / open-by-title / delete to work."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .errors import ApiError, invalid
from .fields import MaskError, apply_mask, parse_mask
from .model import Spreadsheet
from .state import SheetsState

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
_NAME_QUERY = re.compile(r"name\s*=\s*'((?:[^'\\]|\\.)*)'")


def _iso(ts: float) -> str:
    moment = dt.datetime.fromtimestamp(ts, tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def file_resource(ss: Spreadsheet) -> dict[str, Any]:
    return {
        "kind": "drive#file",
        "id": ss.spreadsheet_id,
        "name": ss.properties.get("title", ""),
        "mimeType": SPREADSHEET_MIME,
        "createdTime": _iso(ss.created),
        "modifiedTime": _iso(ss.modified),
    }


def _masked(resource: dict[str, Any], params: dict[str, list[str]]) -> Any:
    fields = params.get("fields", [""])[-1]
    if not fields:
        return resource
    try:
        return apply_mask(resource, parse_mask(fields))
    except MaskError:
        raise invalid(f"Invalid field selection {fields}") from None


def handle(
    state: SheetsState, method: str, rest: str, params: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    """Route ``/drive/v3/files...``; returns (status, JSON body or None)."""
    parts = [p for p in rest.split("/") if p]
    if method == "POST" and not parts:
        if not isinstance(body, dict) or body.get("mimeType") != SPREADSHEET_MIME:
            raise invalid("The stand-in's Drive only creates Google Sheets files.")
        sid = state.create_spreadsheet(body.get("name") or "Untitled spreadsheet")
        created = file_resource(state.get(sid))
        return 200, {k: created[k] for k in ("kind", "id", "name", "mimeType")}
    if method == "GET" and not parts:
        query = params.get("q", [""])[-1]
        name = _NAME_QUERY.search(query)
        files = [
            file_resource(ss)
            for ss in state.spreadsheets.values()
            if name is None or ss.properties.get("title") == name.group(1).replace("\\'", "'")
        ]
        return 200, _masked(
            {"kind": "drive#fileList", "incompleteSearch": False, "files": files}, params
        )
    if len(parts) == 1 and parts[0] in state.spreadsheets:
        ss = state.spreadsheets[parts[0]]
        if method == "GET":
            return 200, _masked(file_resource(ss), params)
        if method == "DELETE":
            state.delete_spreadsheet(parts[0])
            return 204, None
    raise ApiError(404, f"File not found: {parts[0] if parts else ''}.")
