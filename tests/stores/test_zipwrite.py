"""The zip writer: copies keep their stored bytes; big sizes, offsets and counts get ZIP64."""

from __future__ import annotations

import io
import zipfile

import pytest

from kspo_sheets.stores.xlsx import zipwrite
from kspo_sheets.stores.xlsx.zipwrite import ZipWriter


def _source() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("stored.txt", (2019, 9, 10, 9, 0, 0)), b"as is")
        deflated = zipfile.ZipInfo("xl/ผู้ผลิต.xml", (2001, 2, 3, 4, 5, 6))
        deflated.compress_type = zipfile.ZIP_DEFLATED
        deflated.external_attr = 0o644 << 16
        deflated.comment = b"staff"
        z.writestr(deflated, "ข้อมูล".encode() * 1000)
    return buf.getvalue()


def _stored(data: bytes, info: zipfile.ZipInfo) -> bytes:
    head = data[info.header_offset : info.header_offset + 30]
    start = (
        info.header_offset
        + 30
        + int.from_bytes(head[26:28], "little")
        + int.from_bytes(head[28:30], "little")
    )
    return data[start : start + info.compress_size]


@pytest.mark.parametrize("zip64", [False, True])
def test_copies_keep_their_stored_bytes_and_new_entries_read_back(monkeypatch, zip64: bool) -> None:
    if zip64:  # every size, offset and count counts as past the classic format's limits
        monkeypatch.setattr(zipwrite, "_MAX32", 8)
        monkeypatch.setattr(zipwrite, "_MAX16", 2)
    src = _source()
    out = io.BytesIO()
    writer = ZipWriter(out)
    with zipfile.ZipFile(io.BytesIO(src)) as z:
        for info in z.infolist():
            writer.copy(io.BytesIO(src), info)
    writer.add("new.xml", b"<new/>" * 50, (2026, 12, 4, 8, 0, 0))
    writer.comment = b"kept"
    writer.close()
    data = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(src)) as a, zipfile.ZipFile(io.BytesIO(data)) as b:
        assert b.testzip() is None and b.comment == b"kept"
        assert b.namelist() == [*a.namelist(), "new.xml"]
        for old in a.infolist():
            new = b.getinfo(old.filename)
            assert (new.date_time, new.external_attr, new.comment, new.CRC) == (
                old.date_time,
                old.external_attr,
                old.comment,
                old.CRC,
            )
            assert _stored(data, new) == _stored(src, old)
            assert b.read(old.filename) == a.read(old.filename)
        assert b.read("new.xml") == b"<new/>" * 50
