"""A phone cell holding a list or a block of numbers is masked whole in every output: no part
of a second number shows in findings (table, JSON, CSV), the status tabs and notes, the run
log, or the meeting pack; the pack shows the row's primary (first) number, masked."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from helpers import PHUKET

from kspo_sheets.cli import cli
from kspo_sheets.commands.sample import build_sample

AS_OF = "2019-09-10"
# Buyers' phones as offices write them: a list, a block, a list with a wrong second number,
# a list whose second number is an old 9-digit mobile.
CELLS = {
    "B-001": "076-211-234, 089-765-4321",
    "B-002": "02-345-6780-9",
    "B-003": "076-211-235, 089-765-43",
    "B-004": "086-111-2222 / 01-999-8888",
}
SECOND = ["0897654321", "089-765-4321", "7654321", "765-43", "8976543", "999-8888", "9998888"]


def kspo(*args: str) -> str:
    res = CliRunner().invoke(cli, [*args, "--config", str(PHUKET)])
    assert res.exit_code in (0, 1), res.output
    return res.output


def test_a_list_of_numbers_never_shows_its_second_number(tmp_path: Path) -> None:
    book = tmp_path / "registers.xlsx"
    build_sample(book)
    wb = openpyxl.load_workbook(book)
    ws = wb["ผู้ซื้อ 4 ร"]
    header = next(
        r for r in ws.iter_rows(min_row=1, max_row=6) if any(c.value == "รหัสผู้ซื้อ" for c in r)
    )
    col = {c.value.strip(): c.column for c in header if isinstance(c.value, str)}
    for r in ws.iter_rows(min_row=header[0].row + 1):
        buyer = r[col["รหัสผู้ซื้อ"] - 1].value
        if buyer in CELLS:
            ws.cell(r[0].row, col["โทรศัพท์"], CELLS[buyer])
    wb.save(book)

    channels = {
        fmt: kspo("validate", "--source", str(book), "--as-of", AS_OF, "--format", fmt)
        for fmt in ("table", "json", "csv")
    }
    assert "xxx-xxx-xxxx, xxx-xxx-xxxx" in channels["json"]  # the wrong list, masked whole
    assert "The 2nd of the 2 numbers in the cell" in channels["json"]
    assert "phone.old_mobile" in channels["json"]
    log = tmp_path / "run.log"
    channels["sync"] = kspo(
        "sync", "--source", str(book), "--as-of", AS_OF, "--log-file", str(log), "-v"
    )
    channels["log"] = log.read_text(encoding="utf-8")
    with zipfile.ZipFile(book) as z:  # status tabs and notes the sync wrote
        written = [
            n for n in z.namelist() if n.endswith(".xml") and ("sheet" in n or "comment" in n)
        ]
        status = "\n".join(z.read(n).decode("utf-8") for n in written)
    # The staff cells themselves still hold what was typed; the tool's own output must not.
    for typed in CELLS.values():
        status = status.replace(typed.replace("&", "&amp;"), "")
    channels["workbook status tabs and notes"] = status
    out = tmp_path / "packs"
    kspo("pack", "--source", str(book), "--as-of", AS_OF, "--out-dir", str(out))
    (pack,) = out.glob("*.xlsx")
    with zipfile.ZipFile(pack) as z:
        channels["pack"] = "\n".join(z.read(n).decode("utf-8") for n in z.namelist())
    leaked = {name: [s for s in SECOND if s in text] for name, text in channels.items()}
    assert not {name: found for name, found in leaked.items() if found}
