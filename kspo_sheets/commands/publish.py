"""Putting a built meeting pack where staff are: Google Drive, and a row in the packs tab
(เอกสารประชุม) of their spreadsheet with links that open it.

Order matters for "nothing half-done": the packs tab is checked first (a staff tab of that
name stops the run before anything is uploaded), the files go up next, and only then is
the tab rewritten, whole and in one batchUpdate, from what Drive holds. A failed upload
therefore never shows in the spreadsheet, and a failed tab write is put right by the next
run, which lists everything Drive has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kspo_sheets import __version__
from kspo_sheets.config.province import Config
from kspo_sheets.errors import OwnedTabError
from kspo_sheets.model import Snapshot
from kspo_sheets.pack.sheets import Meeting
from kspo_sheets.status.packs import PackRecord, packs_tab
from kspo_sheets.stores.base import WritePlan
from kspo_sheets.stores.google.batch import is_tool_made
from kspo_sheets.stores.google.credentials import Identity
from kspo_sheets.stores.google.drive import DriveClient, DriveFile
from kspo_sheets.stores.google.pack_shelf import PackKey, PackShelf
from kspo_sheets.stores.google.store import GoogleStore
from kspo_sheets.stores.lock import RunLock, lock_dir


@dataclass
class Published:
    identity: Identity | None
    folder: DriveFile
    made_folder: bool
    tab: str
    uploads: list[tuple[DriveFile, bool]] = field(default_factory=list)  # (file, replaced)
    listed: int = 0


def check_packs_tab(config: Config, snapshot: Snapshot) -> None:
    """Stop before any upload when a staff tab has the packs tab's name."""
    tab = snapshot.tabs.get(config.packs_tab)
    if tab is not None and not is_tool_made(tab):
        raise OwnedTabError(
            f"Tab '{config.packs_tab}' exists but was not made by kspo-sheets; nothing was uploaded.",
            hint="Rename that tab (it is staff data), or map the tool's tab to another name in"
            " the config (owned_tabs.packs).",
        )


def publish_pack(
    config: Config,
    store: GoogleStore,
    snapshot: Snapshot,
    files: dict[str, Path],
    *,
    meeting: Meeting,
    as_of: dt.date,
    include_personal: bool,
    now: dt.datetime | None = None,
    say: Callable[[str], None] | None = None,
) -> Published:
    """Upload the pack's files (kind -> path) and list every pack in the packs tab."""
    check_packs_tab(config, snapshot)
    built = now or dt.datetime.now(dt.UTC)
    lock = RunLock(
        lock_dir() / f"google-{store.key}.packs.lock",
        f"the meeting-pack upload for {store.description}",
    )
    with lock:
        http = store.http
        drive = DriveClient(http, store.identity, sheets_root=store.root)
        shelf = PackShelf(drive, store.identity, config, store.key)
        folder = shelf.folder()
        done = Published(store.identity, folder, shelf.made_folder, config.packs_tab)
        key = PackKey(store.key, meeting.number or "-", meeting.date, as_of, include_personal)
        for kind, path in files.items():
            if say is not None:
                say(f"uploading {path.name} to Google Drive")
            done.uploads.append(
                shelf.put(path, key, kind, folder, built=built, version=__version__, say=say)
            )
        records = pack_records(shelf.listing())
        done.listed = len(records)
        if say is not None:
            say(f"listing {len(records)} pack(s) in the tab {config.packs_tab}")
        plan = WritePlan(owned=[packs_tab(config, records)], marks=[])
        store.write(snapshot, plan)
    return done


def pack_records(files: list[DriveFile]) -> list[PackRecord]:
    """Drive's pack files, one record per pack (its xlsx and PDF together)."""
    by_pack: dict[tuple[str, str, str], PackRecord] = {}
    for f in files:
        p = f.app_properties
        try:
            data_date = dt.date.fromisoformat(p.get("kspo_data_date", ""))
        except ValueError:
            continue  # not one of ours after all, or damaged: leave it out of the list
        kind = p.get("kspo_kind", "")
        meeting_date = _date(p.get("kspo_meeting_date", ""))
        built = _when(p.get("kspo_built", ""))
        ident = (p.get("kspo_meeting", "-"), data_date.isoformat(), p.get("kspo_personal", "no"))
        record = by_pack.get(ident)
        if record is None:
            record = by_pack[ident] = PackRecord(
                ident[0], meeting_date, data_date, ident[2] == "yes"
            )
        record.files[kind] = (f.name, f.link)
        if built is not None and (record.built is None or built > record.built):
            record.built = built
            record.version = p.get("kspo_version", "")
            record.meeting_date = meeting_date or record.meeting_date
    return list(by_pack.values())


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _when(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
