"""Writing a zip: entries copied from another zip as they are stored, and new ones deflated.

The standard library's zipfile can only copy an entry by inflating and deflating it again.
A part staff made is instead copied here as its stored (compressed) bytes, with its
checksum, time and attributes: the same bytes in the new file as in the old, and no time
spent compressing what did not change. Entries larger than 4 GiB, offsets past 4 GiB and
more than 65,535 entries get ZIP64 records, as the format requires.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_END64 = struct.Struct("<IQHHIIQQQQ")
_LOCATOR64 = struct.Struct("<IIQI")
_MAX32 = 0xFFFFFFFF  # from here on a size or offset needs ZIP64 (tests lower these)
_MAX16 = 0xFFFF  # from here on the entry count needs ZIP64
_FULL32, _FULL16 = 0xFFFFFFFF, 0xFFFF  # what the classic fields then hold


def _dos_time(date_time: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    return (h << 11) | (mi << 5) | (s // 2), ((max(y, 1980) - 1980) << 9) | (mo << 5) | d


def _name_bytes(name: str, flags: int) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), flags & ~0x800
    except UnicodeEncodeError:
        return name.encode("utf-8"), flags | 0x800


@dataclass(slots=True)
class _Entry:
    name: str = ""
    flags: int = 0
    method: int = zipfile.ZIP_DEFLATED
    time: int = 0
    date: int = 0
    crc: int = 0
    csize: int = 0
    size: int = 0
    attr: int = 0
    made_by: int = (3 << 8) | 20
    comment: bytes = b""
    offset: int = 0


class ZipWriter:
    """Appends entries to `out`; `close()` writes the central directory."""

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.entries: list[_Entry] = []
        self.pos = 0
        self.comment = b""

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.pos += len(data)

    def _local(self, e: _Entry, name: bytes) -> None:
        zip64 = e.size >= _MAX32 or e.csize >= _MAX32
        extra = struct.pack("<HHQQ", 1, 16, e.size, e.csize) if zip64 else b""
        sizes = (_FULL32, _FULL32) if zip64 else (e.csize, e.size)
        self._write(
            _LOCAL.pack(
                0x04034B50,
                45 if zip64 else 20,
                e.flags,
                e.method,
                e.time,
                e.date,
                e.crc,
                *sizes,
                len(name),
                len(extra),
            )
        )
        self._write(name + extra)

    def copy(self, raw: IO[bytes], info: zipfile.ZipInfo) -> None:
        """Copy entry `info` of the zip open as `raw`, as it is stored."""
        raw.seek(info.header_offset)
        head = raw.read(_LOCAL.size)
        if len(head) != _LOCAL.size or head[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header for {info.filename}")
        name_len, extra_len = struct.unpack("<HH", head[26:30])
        e = _Entry()
        name, e.flags = _name_bytes(info.filename, info.flag_bits & ~0x08)  # sizes go in the header
        e.method, e.crc, e.csize, e.size = (
            info.compress_type,
            info.CRC,
            info.compress_size,
            info.file_size,
        )
        e.time, e.date = _dos_time(info.date_time)
        e.attr, e.made_by, e.comment = (
            info.external_attr,
            (info.create_system << 8) | info.create_version,
            info.comment,
        )
        e.name, e.offset = info.filename, self.pos
        self._local(e, name)
        raw.seek(info.header_offset + _LOCAL.size + name_len + extra_len)
        left = info.compress_size
        while left:
            chunk = raw.read(min(left, 1 << 20))
            if not chunk:
                raise zipfile.BadZipFile(f"{info.filename} is cut short")
            self._write(chunk)
            left -= len(chunk)
        self.entries.append(e)

    def add(
        self,
        name: str,
        data: bytes,
        date_time: tuple[int, int, int, int, int, int],
        *,
        attr: int = 0o600 << 16,
        stored: bool = False,
        comment: bytes = b"",
    ) -> None:
        """A new entry holding `data`, deflated (or stored, where the original was)."""
        e = _Entry()
        raw_name, e.flags = _name_bytes(name, 0)
        e.method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        body = data if stored else _deflate(data)
        e.crc, e.csize, e.size = zlib.crc32(data), len(body), len(data)
        e.time, e.date = _dos_time(date_time)
        e.attr, e.made_by, e.comment = attr, (3 << 8) | 20, comment
        e.name, e.offset = name, self.pos
        self._local(e, raw_name)
        self._write(body)
        self.entries.append(e)

    def close(self) -> None:
        start = self.pos
        for e in self.entries:
            name, _ = _name_bytes(e.name, e.flags)
            big = [v for v in (e.size, e.csize, e.offset) if v >= _MAX32]
            extra = b""
            if big:
                values = [v for v in (e.size, e.csize, e.offset) if v >= _MAX32]
                extra = struct.pack("<HH", 1, 8 * len(values)) + b"".join(
                    struct.pack("<Q", v) for v in values
                )
            fields = (
                0x02014B50,
                e.made_by,
                45 if big else 20,
                e.flags,
                e.method,
                e.time,
                e.date,
                e.crc,
                _FULL32 if e.csize >= _MAX32 else e.csize,
                _FULL32 if e.size >= _MAX32 else e.size,
                len(name),
                len(extra),
                len(e.comment),
                0,
                0,
                e.attr,
                _FULL32 if e.offset >= _MAX32 else e.offset,
            )
            self._write(_CENTRAL.pack(*fields) + name + extra + e.comment)
        size, count = self.pos - start, len(self.entries)
        if count >= _MAX16 or size >= _MAX32 or start >= _MAX32:
            end64 = self.pos
            self._write(_END64.pack(0x06064B50, 44, 45, 45, 0, 0, count, count, size, start))
            self._write(_LOCATOR64.pack(0x07064B50, 0, end64, 1))
        self._write(
            _END.pack(
                0x06054B50,
                0,
                0,
                _FULL16 if count >= _MAX16 else count,
                _FULL16 if count >= _MAX16 else count,
                _FULL32 if size >= _MAX32 else size,
                _FULL32 if start >= _MAX32 else start,
                len(self.comment),
            )
            + self.comment
        )


def _deflate(data: bytes) -> bytes:
    z = zlib.compressobj(6, zlib.DEFLATED, -15)
    return z.compress(data) + z.flush()
