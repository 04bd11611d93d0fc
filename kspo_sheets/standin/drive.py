"""Drive v3 as the stand-in serves it: files.create / get / list / update / delete / copy /
export, about.get, and uploads (multipart, media and resumable, creating a file or a new
revision of one). Spreadsheets are Drive files too, as gspread creates, finds and deletes
them; everything else lives in DriveState."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from typing import Any

from .drive_query import QueryError, parse_query
from .drive_state import (
    FOLDER,
    SPREADSHEET,
    DriveError,
    DriveFile,
    UploadSession,
    _flag,
    iso,
    not_found,
)
from .errors import ApiError, invalid
from .fields import MaskError, apply_mask, parse_mask
from .model import Spreadsheet
from .oauth import DRIVE, DRIVE_FILE, Account, scope_error
from .raw import Raw
from .state import SheetsState

FILE_DEFAULT = "kind,id,name,mimeType"
LIST_DEFAULT = "kind,incompleteSearch,files(kind,id,name,mimeType)"
CHUNK = 256 * 1024  # resumable chunks are multiples of this, except the last


def spreadsheet_resource(ss: Spreadsheet) -> dict[str, Any]:
    return {
        "kind": "drive#file",
        "id": ss.spreadsheet_id,
        "name": ss.properties.get("title", ""),
        "mimeType": SPREADSHEET,
        "createdTime": iso(ss.created),
        "modifiedTime": iso(ss.modified),
        "trashed": False,
        "parents": [],
    }


def _masked(resource: dict[str, Any], params: dict[str, list[str]], default: str) -> Any:
    fields = params.get("fields", [""])[-1] or default
    if fields == "*":
        return resource
    try:
        return apply_mask(resource, parse_mask(fields))
    except MaskError:
        raise invalid(f"Invalid field selection {fields}") from None


def _who(caller: Account | None, state: SheetsState) -> Account:
    who = caller or Account(state.owner_email, "owner")
    if not who.allows(DRIVE, DRIVE_FILE):
        raise scope_error()
    return who


def handle(
    state: SheetsState,
    caller: Account | None,
    method: str,
    rest: str,
    params: dict[str, list[str]],
    body: Any,
) -> tuple[int, Any]:
    """Route ``/drive/v3/...`` (``rest`` is what follows ``/drive/v3``)."""
    who = _who(caller, state)
    drive = state.drive
    parts = [p for p in rest.split("/") if p]
    if parts == ["about"] and method == "GET":
        user = {
            "kind": "drive#user",
            "displayName": who.email.split("@")[0],
            "emailAddress": who.email,
            "me": True,
        }
        return 200, _masked({"kind": "drive#about", "user": user}, params, "kind,user")
    if not parts or parts[0] != "files":
        raise ApiError(404, f"The requested URL /drive/v3{rest} was not found on this server.")
    parts = parts[1:]
    if method == "POST" and not parts:
        if not isinstance(body, dict):
            raise invalid("The request body is not a file resource.")
        if body.get("mimeType") == SPREADSHEET:
            sid = state.create_spreadsheet(body.get("name") or "Untitled spreadsheet")
            return 200, _masked(spreadsheet_resource(state.get(sid)), params, FILE_DEFAULT)
        made = drive.create(who, body, b"", params)
        return 200, _masked(made.resource(), params, FILE_DEFAULT)
    if method == "GET" and not parts:
        return 200, _list(state, who, params)
    file_id = parts[0]
    if file_id in state.spreadsheets:
        return _spreadsheet(state, method, parts, params, body)
    f = drive.get(who, file_id, params)
    if len(parts) == 1 and method == "GET":
        if (params.get("alt") or [""])[-1] == "media":
            if f.mime == FOLDER:
                raise DriveError(
                    403, "Only files with binary content can be downloaded.", "fileNotDownloadable"
                )
            return 200, Raw(200, f.content, {"Content-Type": f.mime})
        return 200, _masked(f.resource(), params, FILE_DEFAULT)
    if len(parts) == 1 and method == "PATCH":
        drive.update(who, f, body or {}, None)
        return 200, _masked(f.resource(), params, FILE_DEFAULT)
    if len(parts) == 1 and method == "DELETE":
        if drive.role(who, f) not in ("owner", "organizer"):
            raise DriveError(
                403,
                "The user does not have sufficient permissions for this file.",
                "insufficientFilePermissions",
            )
        for child in [f, *_descendants(state, f.id)]:
            drive.files.pop(child.id, None)
        return 204, None
    if parts[1:] == ["export"] and method == "GET":
        raise DriveError(403, "Export only supports Docs Editors files.", "fileNotExportable")
    raise not_found(file_id)


def _descendants(state: SheetsState, folder_id: str) -> list[DriveFile]:
    out: list[DriveFile] = []
    for child in state.drive.children(folder_id):
        out += [child, *_descendants(state, child.id)]
    return out


def _spreadsheet(
    state: SheetsState, method: str, parts: list[str], params: dict[str, list[str]], body: Any
) -> tuple[int, Any]:
    ss = state.spreadsheets[parts[0]]
    if len(parts) == 1 and method == "GET":
        return 200, _masked(spreadsheet_resource(ss), params, FILE_DEFAULT)
    if len(parts) == 1 and method == "DELETE":
        state.delete_spreadsheet(parts[0])
        return 204, None
    if parts[1:] == ["copy"] and method == "POST":
        name = (body or {}).get("name") or f"Copy of {ss.properties.get('title', '')}"
        new = state.new_spreadsheet_id()
        copy = ss.cow_copy()
        copy.spreadsheet_id = new
        copy.properties["title"] = name
        copy.created = copy.modified = time.time()
        state.spreadsheets[new] = copy
        return 200, _masked(spreadsheet_resource(copy), params, FILE_DEFAULT)
    if parts[1:] == ["comments"] and method == "GET":
        return 200, {"comments": []}
    if parts[1:] == ["export"] and method == "GET":
        wanted = (params.get("mimeType") or [""])[-1]
        if wanted != "text/csv":
            raise invalid(f"Export to {wanted} is not modelled by the stand-in.")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        for row in state.values(ss.spreadsheet_id, ss.sheets[0].title):
            writer.writerow(row)
        # Google ends the last row without a line break
        return 200, Raw(
            200, out.getvalue().removesuffix("\r\n").encode(), {"Content-Type": "text/csv"}
        )
    raise ApiError(404, f"File not found: {parts[0]}.")


def _list(state: SheetsState, who: Account, params: dict[str, list[str]]) -> Any:
    try:
        match = parse_query((params.get("q") or [""])[-1])
    except QueryError:
        raise DriveError(
            400, "Invalid Value", "invalid", location="q", locationType="parameter"
        ) from None
    corpora = (params.get("corpora") or ["user"])[-1]
    in_drive = (params.get("driveId") or [""])[-1]
    all_drives = _flag(params, "includeItemsFromAllDrives")
    if corpora == "drive" and not (in_drive and all_drives and _flag(params, "supportsAllDrives")):
        raise DriveError(
            403,
            "The includeItemsFromAllDrives parameter must be set to true when driveId is set.",
            "teamDriveIncludeItemsRequired" if not all_drives else "invalid",
        )
    found: list[dict[str, Any]] = []
    if who.full or DRIVE in who.scopes:
        found += [spreadsheet_resource(ss) for ss in state.spreadsheets.values()]
    for f in state.drive.files.values():
        if not f.parents or not state.drive.visible(who, f):
            continue  # roots (My Drive, a shared drive) are not listed as files
        if f.drive_id and not all_drives:
            continue
        if corpora == "drive" and f.drive_id != in_drive:
            continue
        found.append(f.resource())
    found = [r for r in found if match(r)]
    order = (params.get("orderBy") or [""])[-1]
    for key in reversed([k.strip() for k in order.split(",") if k.strip()]):
        name, _, direction = key.partition(" ")

        def sort_key(r: dict[str, Any], n: str = name) -> str:
            return str(r.get(n, ""))

        found.sort(key=sort_key, reverse=direction == "desc")
    size = int((params.get("pageSize") or ["100"])[-1] or 100)
    start = int((params.get("pageToken") or ["0"])[-1] or 0)
    page: dict[str, Any] = {
        "kind": "drive#fileList",
        "incompleteSearch": False,
        "files": found[start : start + size],
    }
    if start + size < len(found):
        page["nextPageToken"] = str(start + size)
    return _masked(page, params, LIST_DEFAULT)


# --- uploads -------------------------------------------------------------------------------

_UPLOAD = re.compile(r"^/upload/drive/v3/files(?:/([^/]+))?$")


def upload(
    state: SheetsState,
    caller: Account | None,
    method: str,
    path: str,
    params: dict[str, list[str]],
    raw: bytes,
    headers: dict[str, str],
    base_url: str,
) -> Raw | tuple[int, Any]:
    """``/upload/drive/v3/files[/ID]`` with uploadType multipart, media or resumable."""
    match = _UPLOAD.match(path)
    if match is None:
        raise ApiError(404, f"The requested URL {path} was not found on this server.")
    upload_id = (params.get("upload_id") or [""])[-1]
    if upload_id and method == "PUT":
        return _resumable_put(state, upload_id, raw, headers)
    who = _who(caller, state)
    drive = state.drive
    kind = (params.get("uploadType") or [""])[-1]
    file_id = match.group(1)
    target = drive.get(who, file_id, params) if file_id else None
    if (method, bool(file_id)) not in (("POST", False), ("PATCH", True)):
        raise ApiError(404, f"The requested URL {path} was not found on this server.")
    if kind == "resumable":
        metadata = _json(raw)
        total_text = headers.get("x-upload-content-length")
        total = int(total_text) if total_text and total_text.isdigit() else None
        if target is None:
            parents = metadata.get("parents") or [drive.root_of(who.email)]
            parent = drive.writable_parent(who, str(parents[0]), params)
            drive.check_storage(
                who, parent, str(metadata.get("mimeType") or "application/octet-stream")
            )
        session = UploadSession(drive.new_id("AD", 40), who, metadata, params, total, file_id)
        drive.sessions[session.id] = session
        where = f"{base_url}{path}?uploadType=resumable&upload_id={session.id}"
        return Raw(200, b"", {"Location": where, "X-GUploader-UploadID": session.id})
    if kind == "multipart":
        metadata, content = _multipart(raw, headers.get("content-type", ""))
    elif kind == "media":
        metadata, content = {}, raw
        if target is None:
            metadata["mimeType"] = headers.get("content-type") or "application/octet-stream"
    else:
        raise invalid(f"Invalid uploadType value: {kind!r}")
    made = _finish(state, who, target, metadata, content, params)
    return 200, _masked(made.resource(), params, FILE_DEFAULT)


def _finish(
    state: SheetsState,
    who: Account,
    target: DriveFile | None,
    metadata: dict[str, Any],
    content: bytes,
    params: dict[str, list[str]],
) -> DriveFile:
    if target is None:
        return state.drive.create(who, metadata, content, params)
    return state.drive.update(who, target, metadata, content)


def _resumable_put(state: SheetsState, upload_id: str, raw: bytes, headers: dict[str, str]) -> Raw:
    session = state.drive.sessions.get(upload_id)
    if session is None:
        return Raw(404, b"Not Found", {"Content-Type": "text/plain"})
    if session.done is not None:
        return Raw(
            200,
            json.dumps(session.done).encode(),
            {"Content-Type": "application/json; charset=UTF-8"},
        )
    spec = headers.get("content-range", "")
    m = re.fullmatch(r"bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)", spec.strip())
    if m is None:
        return Raw(400, b"Failed to parse Content-Range header.", {"Content-Type": "text/plain"})
    total = None if m.group(3) == "*" else int(m.group(3))
    if total is not None:
        if session.total is not None and session.total != total:
            return Raw(400, b"Content-Range total does not match.", {"Content-Type": "text/plain"})
        session.total = total
    if m.group(1) is not None:
        start, end = int(m.group(1)), int(m.group(2))
        if end - start + 1 != len(raw) or start > len(session.received):
            return Raw(400, b"Invalid request.", {"Content-Type": "text/plain"})
        if end + 1 != session.total and len(raw) % CHUNK:
            return Raw(
                400,
                b"Chunk size must be a multiple of 262144 bytes.",
                {"Content-Type": "text/plain"},
            )
        session.received[start:] = b""
        session.received += raw
    if session.total is not None and len(session.received) == session.total:
        target = state.drive.files.get(session.file_id) if session.file_id else None
        if session.file_id and target is None:
            return Raw(404, b"Not Found", {"Content-Type": "text/plain"})
        made = _finish(
            state, session.caller, target, session.metadata, bytes(session.received), session.params
        )
        session.done = _masked(made.resource(), session.params, FILE_DEFAULT)
        return Raw(
            200,
            json.dumps(session.done).encode(),
            {"Content-Type": "application/json; charset=UTF-8"},
        )
    out = {"Content-Length": "0"}
    if session.received:
        out["Range"] = f"bytes=0-{len(session.received) - 1}"
    return Raw(308, b"", out)


def _json(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise invalid("Invalid JSON payload received.") from None
    if not isinstance(data, dict):
        raise invalid("The request body is not a file resource.")
    return data


def _multipart(raw: bytes, content_type: str) -> tuple[dict[str, Any], bytes]:
    m = re.search(r'boundary="?([^";]+)"?', content_type)
    if "multipart/related" not in content_type or m is None:
        raise invalid("Bad content type. Please use multipart.")
    delimiter = b"--" + m.group(1).encode()
    parts = [p for p in raw.split(delimiter)[1:] if not p.startswith(b"--")]
    if len(parts) != 2:
        raise invalid("Multipart body must hold the metadata and the media.")
    bodies = []
    for part in parts:
        _head, _, body = part.partition(b"\r\n\r\n")
        bodies.append(body.removesuffix(b"\r\n"))
    return _json(bodies[0]), bodies[1]
