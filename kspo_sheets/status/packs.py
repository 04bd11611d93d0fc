"""The packs tab (เอกสารประชุม): one row per meeting pack kspo pack put in Google Drive,
newest first, with links that open the files. Rebuilt whole from what Drive holds, so it
never lists a file that did not upload and never loses one that did."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kspo_sheets.config.province import Config
from kspo_sheets.status.layout import column_widths, lay_out_rows, wrapped_header
from kspo_sheets.stores.base import OwnedTab
from kspo_sheets.thai.dates import format_be

BANGKOK = dt.timezone(dt.timedelta(hours=7), "Asia/Bangkok")

PACKS_HEADER = [
    "ครั้งที่ประชุม (meeting)",
    "วันประชุม (meeting date)",
    "ข้อมูล ณ วันที่ (data as of)",
    "สร้างเมื่อ (built, เวลาไทย)",
    "ข้อมูลส่วนบุคคล (personal data)",
    "ไฟล์ Excel (.xlsx)",
    "ไฟล์ PDF",
    "kspo-sheets",
]
# (min, max) points of text per column at 14 pt (see OwnedTab.widths)
PACKS_BOUNDS = [
    (70.0, 110.0),
    (70.0, 100.0),
    (70.0, 100.0),
    (90.0, 140.0),
    (110.0, 220.0),
    (150.0, 330.0),
    (150.0, 300.0),
    (50.0, 80.0),
]
PACKS_WIDTHS = [high for _, high in PACKS_BOUNDS]
PERSONAL = "มี · ลับ เฉพาะกรรมการ (CONFIDENTIAL)"
MASKED = "ไม่มี · ปิดบังแล้ว (masked)"


@dataclass
class PackRecord:
    """One pack as Drive holds it: its xlsx (and PDF) with their names and links."""

    meeting: str
    meeting_date: dt.date | None
    data_date: dt.date
    personal: bool
    built: dt.datetime | None = None
    version: str = ""
    files: dict[str, tuple[str, str]] = field(default_factory=dict)  # kind -> (name, url)


def built_text(when: dt.datetime | None) -> str:
    """10 ก.ย. 2562 06:00 น. (Thai time, Buddhist Era)."""
    if when is None:
        return ""
    local = when.astimezone(BANGKOK)
    return f"{format_be(local.date(), 'abbr')} {local:%H:%M} น."


def packs_tab(config: Config, records: list[PackRecord]) -> OwnedTab:
    tab = OwnedTab("packs", config.packs_tab, PACKS_HEADER, [])
    newest = sorted(
        records,
        key=lambda r: (
            r.meeting_date or dt.date.min,
            r.data_date,
            r.built or dt.datetime.min.replace(tzinfo=dt.UTC),
        ),
        reverse=True,
    )
    for r in newest:
        i = len(tab.rows)
        row: list[object] = [
            "" if r.meeting in ("", "-") else r.meeting,
            format_be(r.meeting_date, "abbr") if r.meeting_date else "",
            format_be(r.data_date, "abbr"),
            built_text(r.built),
            PERSONAL if r.personal else MASKED,
        ]
        for j, kind in ((5, "xlsx"), (6, "pdf")):
            name, url = r.files.get(kind, ("", ""))
            row.append(name)
            if url:
                tab.urls[(i, j)] = url
        row.append(r.version)
        tab.rows.append(row)
        if r.personal:
            tab.styles[(i, 4)] = "warning"
    if not newest:
        tab.rows.append(["ยังไม่มีเอกสารประชุมใน Google Drive (no packs uploaded yet)"])
    # widths from what the tab holds; the one-line note of an empty tab sets none
    tab.widths = column_widths(tab.header, tab.rows, PACKS_BOUNDS, skip=set() if newest else {0})
    tab.header = wrapped_header(tab.header, tab.widths)
    lay_out_rows(tab)
    return tab
