"""The meeting pack: a printable Excel workbook for one committee meeting, and its PDF.

The pack follows the committee's agenda (cover, summary, the three agenda items, a
data-quality appendix), masks personal data unless asked not to, and is deterministic:
the same registers at the same run date give a byte-identical file. It is written to a
temporary file beside its final name and moved into place, so a crash or a full disk
never leaves half a pack, and an existing pack is only replaced when asked.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import xlsxwriter
from xlsxwriter.exceptions import XlsxWriterException

from kspo_sheets.config.province import Config
from kspo_sheets.errors import WriteError
from kspo_sheets.model import Progress, ValidationResult
from kspo_sheets.pack.layout import BODY_PT, DEFAULT_COLUMN_PX, FONT, ROW_PT
from kspo_sheets.pack.sheets import CONFIDENTIAL, Meeting, PackWriter
from kspo_sheets.thai.text import thai_digits_to_arabic

__all__ = [
    "CONFIDENTIAL",
    "Meeting",
    "build_pack",
    "convert_pdf",
    "meeting_from_config",
    "pack_filename",
]

WORKBOOK_OPTIONS = {
    # User text that starts with = + - @ stays text; the tool writes no formulas at all.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "constant_memory": False,
    # Parts are assembled in memory: no stray temporary files, fixed zip member times.
    "in_memory": True,
    # The pack's font is the workbook's default: empty cells and rows read like the rest,
    # and column widths count its digits (see pack/layout.py).
    "default_format_properties": {"font_name": FONT, "font_size": BODY_PT},
    "default_column_width": DEFAULT_COLUMN_PX,
    "default_row_height": round(ROW_PT * 4 / 3),
}


def _slug(text: str) -> str:
    """Shell-safe ASCII: 4/2562 -> 4-2562 (Thai digits as Arabic, anything else a dash)."""
    text = thai_digits_to_arabic(text)
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def pack_filename(province_code: str, meeting_number: str | None, as_of: dt.date) -> str:
    """kspo-pack-83-meeting-4-2562-data-2562-09-10.xlsx (the data date in BE)."""
    parts = ["kspo-pack", _slug(province_code) or "xx"]
    number = _slug(meeting_number or "")
    if number:
        parts.append(f"meeting-{number}")
    parts.append(f"data-{as_of.year + 543:04d}-{as_of.month:02d}-{as_of.day:02d}")
    return "-".join(parts) + ".xlsx"


def meeting_from_config(
    config: Config,
    number: str | None = None,
    date: dt.date | None = None,
    place: str | None = None,
) -> Meeting:
    """The meeting's number, date and place: given values first, then the config's `meeting`."""
    from kspo_sheets.thai.dates import parse_date

    m = config.meeting
    if date is None and m.get("date"):
        parsed, _ = parse_date(m["date"])
        date = parsed if isinstance(parsed, dt.date) else None
    return Meeting(number or m.get("number") or None, date, place or m.get("place") or None)


def default_out_dir(config: Config) -> Path:
    return Path(config.meeting.get("output_dir") or "packs")


def build_pack(
    config: Config,
    result: ValidationResult,
    progress: Progress,
    *,
    out_dir: Path | None = None,
    meeting_number: str | None = None,
    meeting_date: dt.date | None = None,
    place: str | None = None,
    include_personal: bool = False,
    overwrite: bool = False,
) -> Path:
    """Write the meeting pack into out_dir (default: the config's meeting.output_dir); return its path.

    Raises WriteError when the pack exists and overwrite is False, or when writing fails
    (then no file, whole or partial, is left behind).
    """
    meeting = meeting_from_config(config, meeting_number, meeting_date, place)
    folder = Path(out_dir) if out_dir is not None else default_out_dir(config)
    path = folder / pack_filename(config.province_code, meeting.number, result.as_of)
    if path.exists() and not overwrite:
        raise WriteError(
            f"{path} already exists; not replacing it",
            hint="Pass --force to replace it, or choose another folder with --out-dir.",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(
            f"Cannot create the folder {folder}: {exc.strerror or exc}",
            hint="Choose a folder you can write to with --out-dir.",
        ) from None
    _atomic_write(path, config, result, progress, meeting, include_personal)
    return path


def _write_workbook(
    target: Path,
    config: Config,
    result: ValidationResult,
    progress: Progress,
    meeting: Meeting,
    include_personal: bool,
) -> None:
    # A fresh copy: xlsxwriter writes into the default font's properties it is given.
    options = {
        **WORKBOOK_OPTIONS,
        "default_format_properties": {"font_name": FONT, "font_size": BODY_PT},
    }
    wb = xlsxwriter.Workbook(str(target), options)
    created = dt.datetime(result.as_of.year, result.as_of.month, result.as_of.day)
    title = " ".join(p for p in ("เอกสารประกอบการประชุม", config.committee_th, meeting.text()) if p)
    wb.set_properties(
        {
            "title": title,
            "subject": f"ข้อมูล ณ วันที่ {result.as_of.isoformat()}",
            "author": "kspo-sheets",
            "company": config.province_name_en,
            "keywords": "สานพลังประชารัฐ, คสป., meeting pack"
            + (", CONFIDENTIAL" if include_personal else ""),
            # Fixed from the data date, never "now": the same inputs give the same bytes.
            "created": created,
        }
    )
    PackWriter(wb, config, result, progress, meeting, include_personal=include_personal).write()
    wb.close()


def _atomic_write(
    path: Path,
    config: Config,
    result: ValidationResult,
    progress: Progress,
    meeting: Meeting,
    include_personal: bool,
) -> None:
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        _write_workbook(tmp, config, result, progress, meeting, include_personal)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        # A pack with unmasked personal data is readable by its owner only.
        os.chmod(tmp, 0o600 if include_personal else 0o644)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except (OSError, XlsxWriterException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise WriteError(
            f"Could not write the meeting pack {path}: {reason}",
            hint="Check free disk space and that the folder is writable; nothing was written.",
        ) from None
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform; the file itself is synced
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_pdf(xlsx: Path, *, timeout: float = 300) -> Path:
    """Convert a pack to PDF beside it with LibreOffice (headless); return the PDF's path."""
    exe = find_soffice()
    if exe is None:
        raise WriteError(
            "Cannot make a PDF: LibreOffice is not installed (no soffice or libreoffice on PATH)",
            hint="Install it (Debian/Ubuntu: sudo apt-get install libreoffice-calc fonts-thai-tlwg),"
            " or open the .xlsx and print it to PDF.",
        )
    xlsx = Path(xlsx)
    final = xlsx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix=".kspo-pdf-", dir=xlsx.parent) as work:
        # A private profile, so a LibreOffice the user has open does not swallow the job.
        profile = Path(work, "profile").resolve().as_uri()
        cmd = [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            work,
            str(xlsx.resolve()),
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise WriteError(
                f"LibreOffice took longer than {timeout:.0f} s to convert {xlsx}",
                hint="Close other LibreOffice windows and try again.",
            ) from None
        except OSError as exc:
            raise WriteError(f"Could not run {exe}: {exc}") from None
        made = Path(work, xlsx.stem + ".pdf")
        if done.returncode != 0 or not made.exists():
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise WriteError(
                f"LibreOffice could not convert {xlsx} to PDF"
                + (f": {detail[-1]}" if detail else ""),
                hint="Open the .xlsx in LibreOffice or Excel and print it to PDF instead.",
            )
        try:
            os.replace(made, final)
        except OSError as exc:
            raise WriteError(f"Could not write {final}: {exc.strerror or exc}") from None
    return final
