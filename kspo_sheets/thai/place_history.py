"""Tambon, แขวง, amphoe and เขต that DOPA abolished, split, moved or renamed, from the records
the gazetteer package (geothai) ships: the date each ended, the areas that took its place, and
the Royal Gazette notice behind the change where one is known. Old registers still carry
those names, so a finding says what happened and which names to use now.

geothai gives two kinds of successor: from a reviewed notice (the change is proven), and, for
codes DOPA dropped in its 2006 clean-up, "the one current area of the same name in the
province" (likely but not proven). Messages say which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import geothai
from geothai.abolished import abolished_areas

from kspo_sheets.thai.dates import format_be
from kspo_sheets.thai.place_names import name_keys

BANGKOK = "10"


@dataclass(frozen=True, slots=True)
class Area:
    """A current tambon or amphoe, with the amphoe and province it is in."""

    code: str
    name_th: str
    name_en: str
    amphoe_th: str  # อำเภอกะทู้, เขตบางนา
    amphoe_en: str
    province_th: str  # จังหวัดภูเก็ต, กรุงเทพมหานคร
    province_en: str


@dataclass(frozen=True, slots=True)
class Change:
    """A tambon or amphoe that no longer exists, and what took its place."""

    code: str
    level: str  # "subdistrict" or "district"
    name_th: str
    name_en: str
    ended: dt.date  # when the change took effect, or (listed) when DOPA dropped the code
    listed: bool  # True: no notice is known, `ended` is the date of DOPA's list
    successors: tuple[Area, ...]
    proven: bool  # the successors come from a reviewed notice
    notice: str  # the notice's title ("" when none is known)

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def amphoe_code(self) -> str:
        return self.code[:4]


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@cache
def _current() -> dict[str, Area]:
    out: dict[str, Area] = {}
    for p in geothai.provinces():
        province_th = p.name_th if p.code == BANGKOK else f"จังหวัด{p.name_th}"
        for d in geothai.districts(p.code):
            where = (amphoe_th(d.name_th), d.name_en, province_th, p.name_en)
            out[d.code] = Area(d.code, d.name_th, d.name_en, *where)
            for s in geothai.subdistricts(d.code):
                out[s.code] = Area(s.code, s.name_th, s.name_en, *where)
    return out


@cache
def _changes() -> tuple[Change, ...]:
    current = _current()
    out = []
    for a in abolished_areas():
        if a.level == "province":
            continue
        in_force = a.successors_in_force
        out.append(
            Change(
                code=a.code,
                level=a.level,
                name_th=a.name_th,
                name_en=a.name_en or "",
                ended=_date(in_force or a.abolished_on),
                listed=in_force is None,
                successors=tuple(current[c] for c in a.successors if c in current),
                proven=a.successors_basis == "notice",
                notice=(a.successors_source or "").split(", ราชกิจจานุเบกษา")[0],
            )
        )
    return tuple(out)


@cache
def _by_code() -> dict[str, Change]:
    return {c.code: c for c in _changes()}


@cache
def _index(province_code: str, level: str) -> dict[str, tuple[Change, ...]]:
    """The province's former areas of one level, by every key their names are found under."""
    out: dict[str, list[Change]] = {}
    for c in _changes():
        if c.province_code == province_code and c.level == level:
            for k in name_keys(c.name_th, c.name_en):
                out.setdefault(k, []).append(c)
    return {k: tuple(v) for k, v in out.items()}


def _best_first(found: Iterable[Change], amphoe_code: str | None) -> list[Change]:
    """In the row's amphoe first, then those with successors, then the latest."""
    return sorted(
        found,
        key=lambda c: (c.amphoe_code != amphoe_code, not c.successors, -c.ended.toordinal()),
    )


def former_tambons(
    province_code: str, keys: Iterable[str], amphoe_code: str | None
) -> list[Change]:
    """Former tambon of the province under any of these keys, the likeliest first."""
    index = _index(province_code, "subdistrict")
    found = {c for k in keys for c in index.get(k, ())}
    return _best_first(found, amphoe_code)


def former_amphoes(province_code: str, keys: Iterable[str]) -> list[Change]:
    """Former amphoe of the province under any of these keys, the likeliest first."""
    index = _index(province_code, "district")
    found = {c for k in keys for c in index.get(k, ())}
    return _best_first(found, None)


def former_tambon_code(code6: str) -> Change | None:
    """The former tambon with this 6-digit code, if DOPA abolished one."""
    c = _by_code().get(code6)
    return c if c is not None and c.level == "subdistrict" else None


# --- what a finding says ----------------------------------------------------------------


def amphoe_th(name_th: str) -> str:
    return name_th if name_th.startswith("เขต") else f"อำเภอ{name_th}"


def _own_th(c: Change) -> str:
    if c.level == "district":
        return "เขต" + c.name_th if c.province_code == BANGKOK else "อำเภอ" + c.name_th
    return ("แขวง" if c.province_code == BANGKOK else "ตำบล") + c.name_th


def _area_th(a: Area, tambon: bool) -> str:
    if not tambon:
        return amphoe_th(a.name_th)
    return ("แขวง" if a.code.startswith(BANGKOK) else "ตำบล") + a.name_th


def _date_en(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _when(c: Change) -> tuple[str, str]:
    th_date = format_be(c.ended, "abbr")
    en_date = _date_en(c.ended)
    if c.listed:
        return (
            f"ถูกยกเลิกรหัสในทะเบียนกรมการปกครองเมื่อ {th_date}",
            f"was dropped from DOPA's register on {en_date}",
        )
    return f"ถูกยกเลิกตั้งแต่ {th_date}", f"was abolished on {en_date}"


def describe(c: Change, here_amphoe: str | None, listing: tuple[str, str]) -> tuple[str, str]:
    """What happened to a former area and what to type now, in Thai and English.

    here_amphoe: the row's amphoe code (to say so when the current tambon is in another);
    listing: the current names to choose from, for an area that nothing took the place of.
    """
    tambon = c.level == "subdistrict"
    bangkok = c.province_code == BANGKOK
    word_th = ("แขวง" if bangkok else "ตำบล") if tambon else ("เขต" if bangkok else "อำเภอ")
    word_en = "tambon" if tambon else "amphoe"
    when_th, when_en = _when(c)
    old_th = _own_th(c)
    old_en = f"{c.name_th} ({c.name_en})" if c.name_en else c.name_th
    notice = f" (ตาม{c.notice})" if c.notice else ""
    likely_th = "" if c.proven else " (ตามชื่อที่ตรงกันในทะเบียน ไม่มีประกาศยืนยัน)"
    likely_en = "" if c.proven else " (matched by name; no notice confirms it)"
    new = c.successors
    if not new:
        where = f" ใน{_old_amphoe_th(c)}" if tambon else ""
        return (
            f"{old_th}{where} {when_th} ไม่มีข้อมูลว่า{word_th}ใดมาแทน ใส่ชื่อ{word_th}ปัจจุบัน: {listing[0]}",
            f"{old_en} {when_en}; no record says which {word_en} took its place."
            f" Type a current {word_en}: {listing[1]}.",
        )
    if len(new) > 1:
        into_th = [_area_th(a, tambon) for a in new]
        into_en = [f"{a.name_th} ({a.name_en})" for a in new]
        return (
            f"{old_th} {when_th} แบ่งเป็น{' '.join(into_th[:-1])}และ{into_th[-1]}{notice}"
            f" ใส่ชื่อ{word_th}ปัจจุบัน: {' หรือ '.join(a.name_th for a in new)}",
            f"{old_en} {when_en} and split into"
            f" {', '.join(into_en[:-1])} and {into_en[-1]}; type the current {word_en}:"
            f" {' or '.join(a.name_th for a in new)}.",
        )
    a = new[0]
    other_province = a.code[:2] != c.province_code
    if tambon:
        moved = a.code[:4] != c.amphoe_code
        where_th = a.amphoe_th + (f" {a.province_th}" if other_province else "")
        where_en = f"amphoe {a.amphoe_en}" + (f", {a.province_en}" if other_province else "")
    else:
        moved = other_province
        where_th, where_en = a.province_th, a.province_en
    renamed = a.name_th != c.name_th
    fix_th, fix_en = (f"ใส่ชื่อ {a.name_th}", f"type {a.name_th}") if renamed else ("", "")
    if tambon and a.code[:4] != here_amphoe:
        fix_th += (" และ" if fix_th else "") + f"แก้อำเภอเป็น {a.amphoe_th}"
        fix_en += (" and " if fix_en else "") + f"correct the amphoe to {a.amphoe_th}"
    if other_province:
        fix_th = f"ตรวจว่าแถวนี้อยู่ใน{a.province_th} ไม่ใช่จังหวัดนี้"
        fix_en = f"check the row: the place is now in {a.province_en}, not this province"
    if renamed:
        return (
            f"{old_th} {when_th} ปัจจุบันคือ{_area_th(a, tambon)} ใน{where_th}{notice}{likely_th}"
            f" {fix_th}",
            f"{old_en} {when_en}; it is now {a.name_th} ({a.name_en}) in {where_en}{likely_en}:"
            f" {fix_en}.",
        )
    if moved:
        if c.listed:
            since_th = f" (รหัสเดิมถูกยกเลิกในทะเบียนกรมการปกครองเมื่อ {format_be(c.ended, 'abbr')})"
            since_en = f" (its old code {when_en})"
        else:
            since_th = f" ตั้งแต่ {format_be(c.ended, 'abbr')}"
            since_en = f" on {_date_en(c.ended)}"
        return (
            f"{old_th} ย้ายไปขึ้นกับ{where_th}{since_th}{notice}{likely_th} {fix_th}",
            f"{old_en} moved to {where_en}{since_en}{likely_en}: {fix_en}.",
        )
    return (
        f"{old_th} {when_th} ปัจจุบันคือ{_area_th(a, tambon)}{notice}{likely_th} {fix_th}",
        f"{old_en} {when_en}; it is now {a.name_th} ({a.name_en}){likely_en}: {fix_en}.",
    )


def _old_amphoe_th(c: Change) -> str:
    """The amphoe a former tambon was in, by its name (current or former)."""
    a = _current().get(c.amphoe_code)
    if a is not None:
        return a.amphoe_th
    old = _by_code().get(c.amphoe_code)
    return amphoe_th(old.name_th) if old is not None else f"อำเภอรหัส {c.amphoe_code}"
