"""The Drive client's resumable upload against the stand-in: chunks, lost answers, 5xx,
an expired session, and the budget; plus the search language it relies on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from google_helpers import FAST

from kspo_sheets.errors import RemoteError
from kspo_sheets.standin import StandIn
from kspo_sheets.standin.drive_query import QueryError, parse_query
from kspo_sheets.stores.google import drive as drive_module
from kspo_sheets.stores.google.drive import DriveClient, has_property, quote_value
from kspo_sheets.stores.google.store import GoogleStore

KIB = 1024


@pytest.fixture
def client(sheets_standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> DriveClient:
    monkeypatch.setattr(drive_module, "CHUNK", 256 * KIB)
    store = GoogleStore("unused", root=sheets_standin.url, policy=FAST, sleep=lambda s: None)
    return DriveClient(store.http, store.identity, sheets_root=sheets_standin.url)


def blob(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "pack.xlsx"
    path.write_bytes(os.urandom(size))
    return path


def made(standin: StandIn):
    return [f for f in standin.state.drive.files.values() if f.name == "pack.xlsx"]


def test_a_file_goes_up_in_chunks_and_its_revision_keeps_the_id(
    sheets_standin: StandIn, client: DriveClient, tmp_path: Path
) -> None:
    path = blob(tmp_path, 1000 * KIB)
    first = client.upload(
        path,
        metadata={"name": "pack.xlsx", "appProperties": {"kspo": "pack"}},
        mime="application/octet-stream",
    )
    puts = sheets_standin.count("PUT", "/upload/drive/v3/files")
    assert puts == 4  # 256 + 256 + 256 + 232 KiB
    (f,) = made(sheets_standin)
    assert (f.id, f.content, f.revisions) == (first.id, path.read_bytes(), 1)
    path.write_bytes(os.urandom(300 * KIB))
    again = client.upload(
        path,
        metadata={"appProperties": {"kspo": "pack", "v": "2"}},
        mime="application/octet-stream",
        replace=first,
    )
    assert again.id == first.id and f.revisions == 2 and f.content == path.read_bytes()
    assert client.find(has_property("kspo", "pack"))[0].app_properties == {"kspo": "pack", "v": "2"}


def test_a_chunk_taken_but_unanswered_and_a_503_are_resumed_not_resent(
    sheets_standin: StandIn, client: DriveClient, tmp_path: Path
) -> None:
    path = blob(tmp_path, 900 * KIB)
    sheets_standin.drop(method="PUT", path="upload_id=", processed=True)  # taken, answer lost
    sheets_standin.fail(503, method="PUT", path="upload_id=")
    sheets_standin.drop(method="PUT", path="upload_id=")  # lost before it arrived
    client.upload(path, metadata={"name": "pack.xlsx"}, mime="application/octet-stream")
    (f,) = made(sheets_standin)
    assert f.content == path.read_bytes()


def test_an_expired_session_starts_over_and_a_dead_line_gives_up_leaving_no_file(
    sheets_standin: StandIn, client: DriveClient, tmp_path: Path
) -> None:
    path = blob(tmp_path, 600 * KIB)

    def expire(state) -> None:
        state.drive.sessions.clear()

    sheets_standin.faults.fail(404, method="PUT", path="upload_id=", times=1)
    client.upload(path, metadata={"name": "pack.xlsx"}, mime="application/octet-stream")
    assert len(made(sheets_standin)) == 1 and made(sheets_standin)[0].content == path.read_bytes()
    assert sheets_standin.count("POST", "/upload/drive/v3/files") == 2  # a second session
    sheets_standin.drop(method="PUT", path="upload_id=", times=10_000)
    with pytest.raises(RemoteError, match="left no file"):
        client.upload(
            blob(tmp_path, 600 * KIB),
            metadata={"name": "other.xlsx"},
            mime="application/octet-stream",
        )
    assert not [f for f in sheets_standin.state.drive.files.values() if f.name == "other.xlsx"]


def test_an_upload_session_elsewhere_is_refused(
    sheets_standin: StandIn, client: DriveClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kspo_sheets.standin.drive as standin_drive

    real = standin_drive.upload

    def elsewhere(*args, **kw):
        answer = real(*args, **kw)
        if hasattr(answer, "headers") and "Location" in answer.headers:
            answer.headers["Location"] = "https://evil.invalid/upload?upload_id=x"
        return answer

    monkeypatch.setattr(standin_drive, "upload", elsewhere)
    with pytest.raises(RemoteError, match="unexpected address"):
        client.upload(
            blob(tmp_path, KIB), metadata={"name": "pack.xlsx"}, mime="application/octet-stream"
        )


def test_the_search_language_the_client_writes_is_the_one_the_stand_in_reads() -> None:
    tricky = "4/2562 'พิเศษ' \\ สมัย"
    query = " and ".join([has_property("kspo_meeting", tricky), f"name = {quote_value('a')}"])
    match = parse_query(f"({query}) and trashed = false")
    assert match({"appProperties": {"kspo_meeting": tricky}, "name": "a", "trashed": False})
    assert not match({"appProperties": {"kspo_meeting": "4/2562"}, "name": "a", "trashed": False})
    assert parse_query("'X' in parents or not name contains 'x'")({"parents": ["X"]})
    assert parse_query('mimeType="a" and name = "b"')({"mimeType": "a", "name": "b"})
    for bad in ("name =", "appProperties has { key='k' }", "size > '3'", "(name = 'a'"):
        with pytest.raises(QueryError):
            parse_query(bad)
