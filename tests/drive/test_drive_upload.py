"""kspo pack from a Google spreadsheet: the pack goes to Google Drive and is listed in the
spreadsheet's packs tab, end to end against the stand-in over real HTTP."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from drive_helpers import (
    DRIVE,
    DRIVE_FILE,
    PERSON,
    SERVICE,
    SHEETS,
    person_sign_in,
    province,
    service_account_key,
)
from google_helpers import seed

from kspo_sheets.cli import cli
from kspo_sheets.commands.sample import build_sample
from kspo_sheets.errors import (
    EXIT_CONFIG,
    EXIT_CREDENTIALS,
    EXIT_OK,
    EXIT_REMOTE,
    EXIT_WRITE,
)
from kspo_sheets.model import Snapshot
from kspo_sheets.standin import StandIn
from kspo_sheets.standin.drive_state import FOLDER, DriveFile
from kspo_sheets.stores.base import MARKER
from kspo_sheets.stores.xlsx.store import read_workbook

PACKS = "เอกสารประชุม"
XLSX = "kspo-pack-83-meeting-4-2562-data-2562-09-10.xlsx"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    path = tmp_path_factory.mktemp("drive") / "sample.xlsx"
    build_sample(path)
    return read_workbook(path)


@pytest.fixture
def env(sheets_standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> StandIn:
    monkeypatch.setenv("KSPO_SHEETS_API_ROOT", sheets_standin.url)
    monkeypatch.setenv("KSPO_RETRY_BUDGET", "2")
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    return sheets_standin


def pack(config: Path, key: str, *args: str, as_of: str = "2019-09-10") -> Result:
    return CliRunner().invoke(
        cli, ["pack", "--config", str(config), "--source", key, "--as-of", as_of, *args]
    )


def packs(standin: StandIn) -> list[DriveFile]:
    return [f for f in standin.state.drive.files.values() if f.app_properties.get("kspo") == "pack"]


def listed(standin: StandIn, key: str) -> list[list[str]]:
    """The packs tab's rows below its marker and header, as shown."""
    return standin.state.values(key, PACKS)[2:]


def links(standin: StandIn, key: str) -> list[str]:
    sheet = standin.state.sheet(key, PACKS)
    out = []
    for line in sheet.rows[2:]:
        for cell in line:
            formula = ((cell or {}).get("userEnteredValue") or {}).get("formulaValue", "")
            if formula:
                out.append(formula)
    return out


def test_the_pack_goes_to_drive_and_a_rerun_makes_a_new_revision_of_the_same_file(
    env: StandIn, sample: Snapshot, tmp_path: Path
) -> None:
    key = seed(env, sample)
    config = province(tmp_path)
    first = pack(config, key)
    assert first.exit_code == EXIT_OK, first.output
    (made,) = packs(env)
    assert made.name == XLSX and made.content[:2] == b"PK" and made.revisions == 1
    assert made.app_properties | {"kspo_built": "", "kspo_version": ""} == {
        "kspo": "pack",
        "kspo_sheet": key,
        "kspo_meeting": "4/2562",
        "kspo_meeting_date": "2019-09-10",
        "kspo_data_date": "2019-09-10",
        "kspo_personal": "no",
        "kspo_kind": "xlsx",
        "kspo_built": "",
        "kspo_version": "",
    }
    # no folder in the config: one made once, named after the committee, holding the pack
    (folder,) = [
        f for f in env.state.drive.files.values() if f.app_properties.get("kspo") == "folder"
    ]
    assert folder.mime == FOLDER and folder.name.startswith("เอกสารประชุม คณะกรรมการ")
    assert made.parents == [folder.id]
    assert f"https://drive.google.com/file/d/{made.id}/view" in first.output
    assert "Made the folder" in first.output and "a new file" in first.output
    assert "Wrote" not in first.output  # Drive is where it goes: no copy left on this disk
    # the spreadsheet lists it, under the tool's marker, with a link that opens the file
    assert env.state.values(key, PACKS)[0][0].startswith(f"สร้างโดย {MARKER}")
    (row,) = listed(env, key)
    assert row[:5] == ["4/2562", "10 ก.ย. 2562", "10 ก.ย. 2562", row[3], "ไม่มี · ปิดบังแล้ว (masked)"]
    assert re.fullmatch(r"\d{1,2} \S+ 25\d\d \d\d:\d\d น\.", row[3]), row[3]  # Thai time, BE
    assert links(env, key) == [
        f'=HYPERLINK("https://drive.google.com/file/d/{made.id}/view","{XLSX}")'
    ]

    again = pack(config, key)
    assert again.exit_code == EXIT_OK, again.output
    (same,) = packs(env)
    assert (same.id, same.revisions) == (made.id, 2)  # same link, a new revision
    assert (
        "a new revision of the same file" in again.output and "Made the folder" not in again.output
    )
    assert len(listed(env, key)) == 1

    later = pack(config, key, as_of="2019-09-11")
    assert later.exit_code == EXIT_OK, later.output
    assert len(packs(env)) == 2
    rows = listed(env, key)
    assert [r[2] for r in rows] == ["11 ก.ย. 2562", "10 ก.ย. 2562"]  # newest first


def test_a_confidential_pack_never_replaces_the_masked_ones_link(
    env: StandIn, sample: Snapshot, tmp_path: Path
) -> None:
    key = seed(env, sample)
    config = province(tmp_path)
    assert pack(config, key).exit_code == EXIT_OK
    res = pack(config, key, "--include-personal")
    assert res.exit_code == EXIT_OK, res.output
    by_personal = {f.app_properties["kspo_personal"]: f for f in packs(env)}
    assert set(by_personal) == {"yes", "no"}
    assert by_personal["yes"].name.endswith("-confidential.xlsx")
    assert by_personal["no"].revisions == 1
    rows = listed(env, key)
    assert {r[4] for r in rows} == {
        "ไม่มี · ปิดบังแล้ว (masked)",
        "มี · ลับ เฉพาะกรรมการ (CONFIDENTIAL)",
    }


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_pdf_goes_up_beside_the_workbook_on_the_same_row(
    env: StandIn, sample: Snapshot, tmp_path: Path
) -> None:
    key = seed(env, sample)
    res = pack(province(tmp_path), key, "--pdf")
    assert res.exit_code == EXIT_OK, res.output
    kinds = {f.app_properties["kspo_kind"]: f for f in packs(env)}
    assert set(kinds) == {"xlsx", "pdf"} and kinds["pdf"].content.startswith(b"%PDF")
    (row,) = listed(env, key)
    assert row[5:7] == [XLSX, XLSX.replace(".xlsx", ".pdf")]
    assert len(links(env, key)) == 2


def test_a_person_signed_in_with_kspo_auth_login_is_refreshed_and_used(
    env: StandIn, sample: Snapshot, tmp_path: Path
) -> None:
    key = seed(env, sample)
    creds, _ = person_sign_in(env, tmp_path)
    config = province(tmp_path)
    res = pack(config, key, "--credentials", str(creds), "-v")
    assert res.exit_code == EXIT_OK, res.output
    assert f"Google account {PERSON}" in res.output
    (made,) = packs(env)
    assert made.owner == PERSON
    # the token was asked for Sheets and drive.file, and every API call carried it
    assert env.state.oauth.token_requests[-1] == {
        "grant_type": "refresh_token",
        "scope": f"{SHEETS} {DRIVE_FILE}",
    }
    assert all(r.authorization for r in env.requests if not r.path.startswith("/token"))
    # the sync asks for Sheets only, from the same sign-in
    env.state.oauth.token_requests.clear()
    synced = CliRunner().invoke(
        cli,
        [
            "sync",
            "--config",
            str(config),
            "--source",
            key,
            "--as-of",
            "2019-09-10",
            "--credentials",
            str(creds),
        ],
    )
    assert synced.exit_code == EXIT_OK, synced.output
    assert env.state.oauth.token_requests == [{"grant_type": "refresh_token", "scope": SHEETS}]


def test_a_revoked_sign_in_exits_7_and_says_to_sign_in_again(
    env: StandIn, sample: Snapshot, tmp_path: Path
) -> None:
    key = seed(env, sample)
    creds, refresh = person_sign_in(env, tmp_path)
    env.state.oauth.revoke(refresh)
    res = pack(province(tmp_path), key, "--credentials", str(creds))
    assert res.exit_code == EXIT_CREDENTIALS, res.output
    assert "revoked or has expired" in res.output and "invalid_grant" in res.output
    assert f"kspo auth login --out {creds}" in res.output
    assert refresh not in res.output and "Traceback" not in res.output
    assert packs(env) == []


def test_a_sign_in_without_drive_exits_7_before_anything_is_uploaded(
    env: StandIn, sample: Snapshot, tmp_path: Path
) -> None:
    key = seed(env, sample)
    creds, _ = person_sign_in(env, tmp_path, scopes={SHEETS})
    res = pack(province(tmp_path), key, "--credentials", str(creds))
    assert res.exit_code == EXIT_CREDENTIALS, res.output
    assert "invalid_scope" in res.output and "kspo auth login" in res.output
    # --no-upload still builds the pack locally with that sign-in
    local = pack(
        province(tmp_path),
        key,
        "--credentials",
        str(creds),
        "--no-upload",
        "--out-dir",
        str(tmp_path / "p"),
    )
    assert local.exit_code == EXIT_OK, local.output
    assert (tmp_path / "p" / XLSX).exists() and packs(env) == []


@pytest.mark.parametrize("where", ["my-drive-folder", "no-folder"])
def test_a_service_account_cannot_keep_files_in_my_drive_one_clear_error_nothing_done(
    env: StandIn, sample: Snapshot, tmp_path: Path, where: str
) -> None:
    key = seed(env, sample)
    creds = service_account_key(env, tmp_path)
    folder = None
    if where == "my-drive-folder":
        folder = env.state.drive.add_folder("เอกสาร คสป.", PERSON, shared_with={SERVICE: "writer"})
    res = pack(
        province(
            tmp_path,
            folder=folder and f"https://drive.google.com/drive/folders/{folder}",
            access="full",
        ),
        key,
        "--credentials",
        str(creds),
    )
    assert res.exit_code == EXIT_CREDENTIALS, res.output
    assert res.output.count("Error:") == 1
    assert "shared drive" in res.output and "kspo auth login" in res.output
    assert packs(env) == [] and PACKS not in env.state.get(key).titles()
    assert not [f for f in env.state.drive.files.values() if f.app_properties.get("kspo")]


def test_the_stand_in_refuses_a_service_account_file_outside_a_shared_drive_as_google_does(
    env: StandIn, sample: Snapshot, tmp_path: Path
) -> None:
    """Had the tool not refused first, Google's own answer gives the same single error."""
    key = seed(env, sample)
    creds = service_account_key(env, tmp_path)
    drive_id = env.state.drive.add_shared_drive("คสป.", {SERVICE: "fileOrganizer"})
    # the folder looks like a shared drive's to the tool, but Google says "no storage"
    env.fail(
        403,
        path="/upload/drive/v3/files",
        message="Service Accounts do not have storage quota.",
        times=1,
    )
    res = pack(province(tmp_path, folder=drive_id, access="full"), key, "--credentials", str(creds))
    assert res.exit_code in (EXIT_CREDENTIALS, EXIT_WRITE), res.output
    assert packs(env) == [] and PACKS not in env.state.get(key).titles()


def test_a_shared_drive_takes_the_service_accounts_pack(
    env: StandIn, sample: Snapshot, tmp_path: Path
) -> None:
    key = seed(env, sample)
    creds = service_account_key(env, tmp_path)
    drive_id = env.state.drive.add_shared_drive(
        "เอกสารประชุม คสป. ภูเก็ต", {SERVICE: "fileOrganizer", PERSON: "writer"}
    )
    config = province(
        tmp_path, folder=f"https://drive.google.com/drive/folders/{drive_id}", access="full"
    )
    res = pack(config, key, "--credentials", str(creds), "-v")
    assert res.exit_code == EXIT_OK, res.output
    assert f"service account {SERVICE}" in res.output
    (made,) = packs(env)
    assert made.drive_id == drive_id and made.parents == [drive_id] and made.owner is None
    assert env.state.oauth.token_requests[-1]["scope"] == f"{SHEETS} {DRIVE}"
    assert pack(config, key, "--credentials", str(creds)).exit_code == EXIT_OK
    assert [f.revisions for f in packs(env)] == [2]


def test_drive_file_cannot_reach_a_folder_a_person_made_and_the_error_says_what_to_do(
    env: StandIn, sample: Snapshot, tmp_path: Path
) -> None:
    key = seed(env, sample)
    creds, _ = person_sign_in(env, tmp_path)
    folder = env.state.drive.add_folder("เอกสาร คสป.", PERSON)
    res = pack(province(tmp_path, folder=folder), key, "--credentials", str(creds))
    assert res.exit_code == EXIT_CONFIG, res.output
    assert "drive.folder" in res.output and "drive.access: full" in res.output
    assert packs(env) == []
    # with the whole of Drive allowed (and signed in for it), the same folder works
    full, _ = person_sign_in(env, tmp_path, scopes={SHEETS, DRIVE})
    res = pack(province(tmp_path, folder=folder, access="full"), key, "--credentials", str(full))
    assert res.exit_code == EXIT_OK, res.output
    assert packs(env)[0].parents == [folder]


def test_a_staff_tab_with_the_packs_tab_name_stops_the_run_before_any_upload(
    env: StandIn, sample: Snapshot, tmp_path: Path
) -> None:
    key = seed(env, sample)
    env.state.add_sheet(key, PACKS, [["วาระการประชุม", "ผู้รับผิดชอบ"]])
    res = pack(province(tmp_path), key)
    assert res.exit_code == EXIT_WRITE, res.output
    assert "owned_tabs.packs" in res.output
    assert packs(env) == [] and env.state.values(key, PACKS) == [["วาระการประชุม", "ผู้รับผิดชอบ"]]


def test_an_upload_cut_off_for_good_leaves_no_file_and_no_row_then_the_next_run_makes_one(
    env: StandIn, sample: Snapshot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kspo_sheets.stores.google.drive as drive

    monkeypatch.setattr(drive, "CHUNK", 256 * 1024)
    key = seed(env, sample)
    config = province(tmp_path)
    env.drop(method="PUT", path="upload_id=", times=1000)
    res = pack(config, key)
    assert res.exit_code == EXIT_REMOTE, res.output
    assert "left no file" in res.output
    assert packs(env) == [] and PACKS not in env.state.get(key).titles()
    assert env.state.drive.sessions  # a session was started and half-filled, then abandoned
    env.faults.clear()
    res = pack(config, key)
    assert res.exit_code == EXIT_OK, res.output
    assert len(packs(env)) == 1 and len(listed(env, key)) == 1


def test_real_credentials_are_never_sent_to_a_root_that_is_not_googles(
    env: StandIn, sample: Snapshot, tmp_path: Path
) -> None:
    key = seed(env, sample)
    creds, _ = person_sign_in(env, tmp_path)
    data: dict[str, Any] = __import__("json").loads(creds.read_text())
    data["token_uri"] = "https://oauth2.googleapis.com/token"
    creds.write_text(__import__("json").dumps(data))
    res = pack(province(tmp_path), key, "--credentials", str(creds))
    assert res.exit_code == EXIT_OK, res.output
    assert env.requests and not [r for r in env.requests if r.authorization]
    assert env.state.oauth.token_requests == []


def test_upload_needs_a_google_source(tmp_path: Path) -> None:
    book = tmp_path / "sample.xlsx"
    build_sample(book)
    res = CliRunner().invoke(
        cli, ["pack", "--config", str(province(tmp_path)), "--source", str(book), "--upload"]
    )
    assert res.exit_code == EXIT_CONFIG and "--upload needs a Google spreadsheet" in res.output
