"""One province's amphoe and tambon from the DOPA gazetteer (the `geothai` package), and the
parsers that match what staff type in the place columns against them.

Everything is indexed once, at construction, under a reduced key (see `_key`), so checking a
cell is a dict lookup; registers run to 100k rows. Misses are rarer but repeat too, so their
suggestions are memoised.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import geothai

from kspo_sheets.codes import severity_of
from kspo_sheets.errors import ConfigError
from kspo_sheets.model import Issue, Parsed
from kspo_sheets.thai import place_history
from kspo_sheets.thai.place_names import fold as _fold
from kspo_sheets.thai.place_names import key as _key
from kspo_sheets.thai.place_names import name_keys as _name_keys
from kspo_sheets.thai.text import normalise


@dataclass(frozen=True, slots=True)
class Amphoe:
    code: str  # 4 digits
    name_th: str


@dataclass(frozen=True, slots=True)
class Tambon:
    code: str  # 6 digits
    name_th: str
    amphoe_code: str


@dataclass(frozen=True, slots=True)
class VillageCode:
    code8: str
    tambon: Tambon
    moo: int


class UnknownProvinceError(ConfigError, ValueError):
    """The province code is not one of DOPA's."""


# No place name comes close to this; longer text is reported without a fuzzy search.
_MAX_NAME = 80
_CUTOFF = 0.7
_MEMO_MAX = 20_000
_LIST_MAX = 12

_DASHES = re.compile(r"[\s\-\u2010-\u2015\u2212]")

_AMPHOE_PREFIX = re.compile(
    r"(?:กิ่ง\s*อำเภอ|กิ่ง\s*อ\s*\.|อำเภอ|เขต|อ\s*\.|อ\s|(?:amphoe|amphur|amphor|khet)\b\.?)\s*",
    re.I,
)
_TAMBON_PREFIX = re.compile(r"(?:ตำบล|แขวง|ต\s*\.|ต\s|(?:tambon|khwaeng)\b\.?)\s*", re.I)
_AMPHOE_SUFFIX = re.compile(r"\s+district$", re.I)
_TAMBON_SUFFIX = re.compile(r"\s+sub-?district$", re.I)


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `name` (difflib, after the same reduction as lookups), or None."""
    if not isinstance(name, str):
        return None
    by_key: dict[str, str] = {}
    for c in candidates:
        by_key.setdefault(_key(normalise(c)), c)
    hit = _closest(_key(normalise(name)), by_key)
    return by_key[hit[1]] if hit else None


def _closest(key: str, keys: Iterable[str]) -> tuple[float, str] | None:
    """(ratio, key) of the nearest key at or above the cutoff."""
    if not 1 < len(key) <= _MAX_NAME:
        return None
    best: tuple[float, str] | None = None
    sm = difflib.SequenceMatcher()
    sm.set_seq2(key)
    for k in keys:
        sm.set_seq1(k)
        if sm.real_quick_ratio() < _CUTOFF or sm.quick_ratio() < _CUTOFF:
            continue
        r = sm.ratio()
        if r >= _CUTOFF and (best is None or r > best[0] or (r == best[0] and k < best[1])):
            best = (r, k)
    return best


def _listing(names: list[str], th: bool) -> str:
    shown = ", ".join(names[:_LIST_MAX])
    more = len(names) - _LIST_MAX
    if more > 0:
        shown += f" และอีก {more} แห่ง" if th else f" and {more} more"
    return shown


@cache
def _national_amphoe() -> dict[str, tuple[geothai.District, ...]]:
    """Every district of the country by key, to say which province a stray name belongs to."""
    out: dict[str, list[geothai.District]] = {}
    for p in geothai.provinces():
        for d in geothai.districts(p.code):
            for k in _name_keys(d.name_th, d.name_en):
                out.setdefault(k, []).append(d)
    return {k: tuple(v) for k, v in out.items()}


def _as_text(value: object) -> str | None:
    """A cell as text to look up: strings as typed, whole numbers as digits, else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return None


class Gazetteer:
    """The amphoe and tambon of one province, with parsers for the place columns."""

    suggest = staticmethod(suggest)

    def __init__(self, province_code: str) -> None:
        code = normalise(str(province_code)) if province_code is not None else ""
        province = geothai.province(code) if len(code) == 2 else None
        if province is None:
            raise UnknownProvinceError(
                f"Unknown province code {province_code!r}.",
                hint="Use the 2-digit DOPA province code, e.g. '83' for Phuket, '84' for Surat Thani.",
            )
        self.province_code: str = province.code
        self.province_name_th: str = province.name_th
        self.province_name_en: str = province.name_en
        bangkok = province.code == "10"
        self._province_th = province.name_th if bangkok else f"จังหวัด{province.name_th}"
        self._province_suffix = re.compile(
            r"\s*(?:จ\s*\.|จังหวัด)\s*" + re.escape(province.name_th) + r"$"
        )

        self._amphoes: dict[str, Amphoe] = {}
        self._tambons: dict[str, Tambon] = {}
        self._tambons_of: dict[str, tuple[Tambon, ...]] = {}
        self._name_en: dict[str, str] = {}
        amphoe_keys: dict[str, list[Amphoe]] = {}
        tambon_keys: dict[str, list[Tambon]] = {}
        for d in geothai.districts(province.code):
            a = Amphoe(d.code, d.name_th)
            self._amphoes[a.code] = a
            self._name_en[a.code] = d.name_en
            keys = _name_keys(d.name_th, d.name_en) | {d.code}
            # Staff write the capital district "อ.เมือง"; it is always XX01 (Bangkok has none).
            if d.code.endswith("01") and not bangkok:
                en = _key(province.name_en)
                keys |= {"เมือง", "mueang", "muang", "mueang" + en, "muang" + en}
            for k in keys:
                amphoe_keys.setdefault(k, []).append(a)
            tambons = []
            for s in geothai.subdistricts(d.code):
                t = Tambon(s.code, s.name_th, d.code)
                tambons.append(t)
                self._tambons[t.code] = t
                self._name_en[t.code] = s.name_en
                for k in _name_keys(s.name_th, s.name_en) | {s.code}:
                    tambon_keys.setdefault(k, []).append(t)
            self._tambons_of[d.code] = tuple(tambons)
        self._amphoe_keys = {k: tuple(v) for k, v in amphoe_keys.items()}
        self._tambon_keys = {k: tuple(v) for k, v in tambon_keys.items()}
        # Keys difflib may suggest from: names only, not codes.
        self._amphoe_names = [k for k in self._amphoe_keys if not k.isdigit()]
        self._tambon_names_of = {
            ac: sorted({k for t in ts for k in _name_keys(t.name_th, self._name_en[t.code])})
            for ac, ts in self._tambons_of.items()
        }
        self._tambon_names = [k for k in self._tambon_keys if not k.isdigit()]

        self._example_code = next(iter(self._tambons), province.code + "0101") + "01"

        self._memo_amphoe: dict[str, Parsed] = {}
        self._memo_tambon: dict[tuple[str, str | None], Parsed] = {}
        self._memo_village: dict[str, Parsed] = {}
        self._miss_memo: dict[tuple[str, ...], Issue] = {}

    # --- lists and codes -------------------------------------------------------------------

    def amphoe_names(self) -> list[str]:
        """Thai names of the province's amphoe in code order (the capital as "เมืองภูเก็ต")."""
        return [a.name_th for a in self._amphoes.values()]

    def tambon_names(self, amphoe_code: str) -> list[str]:
        """Thai names of an amphoe's tambon in code order; [] for an unknown amphoe."""
        return [t.name_th for t in self.tambons(amphoe_code)]

    def amphoes(self) -> list[Amphoe]:
        return list(self._amphoes.values())

    def tambons(self, amphoe_code: str | None = None) -> list[Tambon]:
        """The tambon of one amphoe, or of the whole province when amphoe_code is None."""
        if amphoe_code is None:
            return list(self._tambons.values())
        return list(self._tambons_of.get(amphoe_code, ())) if isinstance(amphoe_code, str) else []

    def amphoe_by_code(self, code4: str) -> Amphoe | None:
        return self._amphoes.get(code4.strip()) if isinstance(code4, str) else None

    def tambon_by_code(self, code6: str) -> Tambon | None:
        return self._tambons.get(code6.strip()) if isinstance(code6, str) else None

    def name_en(self, code: str) -> str | None:
        """The English name of an amphoe (4 digits) or tambon (6 digits) of the province."""
        return self._name_en.get(code) if isinstance(code, str) else None

    # --- amphoe ------------------------------------------------------------------------------

    def parse_amphoe(self, value: object) -> Parsed:
        """An Amphoe from a name as typed (อ./อำเภอ/เขต, "เมือง", English, 4-digit code)."""
        if isinstance(value, str):
            hit = self._memo_amphoe.get(value)
            if hit is None:
                hit = self._parse_amphoe(value)
                if len(self._memo_amphoe) >= _MEMO_MAX:
                    self._memo_amphoe.clear()
                if len(value) <= _MAX_NAME:
                    self._memo_amphoe[value] = hit
            return hit
        return self._parse_amphoe(value)

    def _amphoe_candidates(self, text: str) -> list[str]:
        s = _AMPHOE_SUFFIX.sub("", self._province_suffix.sub("", _fold(text)))
        m = _AMPHOE_PREFIX.match(s)
        if m and m.end() < len(s):
            return [_key(s[m.end() :]), _key(s)]
        k = _key(s)
        # A bare "อ" glued on ("อกะทู้"), tried only after the name as typed.
        return [k, k[1:]] if k.startswith("อ") and len(k) > 1 else [k]

    def _parse_amphoe(self, value: object) -> Parsed:
        text = _as_text(value)
        where_th, where_en = self._province_th, self.province_name_en
        if text is None:
            return None, _issue(
                "place.amphoe_unknown",
                f"ไม่ใช่ชื่ออำเภอ พิมพ์ชื่ออำเภอใน{where_th}",
                f"Not an amphoe name; type an amphoe of {where_en}.",
            )
        text = normalise(text)
        if not text:
            return None, _issue(
                "place.amphoe_unknown",
                f"ไม่ได้ระบุอำเภอ พิมพ์ชื่ออำเภอใน{where_th}",
                f"No amphoe given; type an amphoe of {where_en}.",
            )
        if len(text) > _MAX_NAME:
            return None, self._amphoe_list_issue(
                "ข้อความยาวเกินกว่าจะเป็นชื่ออำเภอ", "Too long for an amphoe name"
            )
        keys = self._amphoe_candidates(text)
        for k in keys:
            found = self._amphoe_keys.get(k)
            if found:
                if len(found) == 1:
                    return found[0], None
                names = ", ".join(a.name_th for a in found)
                return None, _issue(
                    "place.amphoe_unknown",
                    f"ชื่อนี้ตรงกับหลายอำเภอ ({names}) พิมพ์ชื่อภาษาไทยให้ชัด",
                    f"Matches more than one amphoe ({names}); type the Thai name.",
                )
        return None, self._amphoe_miss(tuple(keys))

    def _amphoe_miss(self, keys: tuple[str, ...]) -> Issue:
        memo_key = ("a", *keys)
        hit = self._miss_memo.get(memo_key)
        if hit is None:
            hit = self._amphoe_miss_issue(keys)
            if len(self._miss_memo) >= _MEMO_MAX:
                self._miss_memo.clear()
            self._miss_memo[memo_key] = hit
        return hit

    def _amphoe_miss_issue(self, keys: tuple[str, ...]) -> Issue:
        code = "place.amphoe_unknown"
        # An amphoe that was abolished or moved to another province (Bueng Kan's, 2554).
        names = [k for k in keys if not k.isdigit()]
        former = place_history.former_amphoes(self.province_code, names)
        listing = (_listing(self.amphoe_names(), True), _listing(self.amphoe_names(), False))
        for old in former[:1]:
            if old.successors:
                return _issue("place.abolished", *place_history.describe(old, None, listing))
        # A tambon of this province typed in the amphoe column.
        for k in keys:
            for t in self._tambon_keys.get(k, ())[:1]:
                a = self._amphoes[t.amphoe_code]
                return _issue(
                    code,
                    f"{t.name_th} เป็นตำบลใน{self._amphoe_th(a)} ใส่ชื่ออำเภอ: {a.name_th}",
                    f"{t.name_th} is a tambon of amphoe {self._name_en[a.code]}; "
                    f"type the amphoe: {a.name_th}.",
                )
        # An amphoe of another province.
        for k in keys:
            elsewhere = [
                d for d in _national_amphoe().get(k, ()) if d.province_code != self.province_code
            ]
            if elsewhere:
                d = elsewhere[0]
                provs = [geothai.province(x.province_code) for x in elsewhere[:3]]
                th = ", ".join(f"จังหวัด{p.name_th}" for p in provs if p)
                en = ", ".join(p.name_en for p in provs if p)
                return _issue(
                    code,
                    f"{d.name_th} อยู่ใน{th} ไม่ใช่{self._province_th} "
                    f"ใช้อำเภอของ{self._province_th}: {_listing(self.amphoe_names(), True)}",
                    f"{d.name_th} ({d.name_en}) is in {en}, not {self.province_name_en}; "
                    f"use an amphoe of {self.province_name_en}: {_listing(self.amphoe_names(), False)}.",
                )
        for old in former[:1]:
            return _issue("place.abolished", *place_history.describe(old, None, listing))
        best = self._nearest(keys, self._amphoe_names)
        if best is not None:
            a = self._amphoe_keys[best][0]
            return _issue(
                code,
                f"ไม่มีอำเภอนี้ใน{self._province_th} หมายถึง {a.name_th}?",
                f"Not an amphoe of {self.province_name_en}. Did you mean {a.name_th} "
                f"({self._name_en[a.code]})?",
            )
        return self._amphoe_list_issue(
            f"ไม่มีอำเภอนี้ใน{self._province_th}", f"Not an amphoe of {self.province_name_en}"
        )

    def _amphoe_list_issue(self, th: str, en: str) -> Issue:
        return _issue(
            "place.amphoe_unknown",
            f"{th} ใช้ชื่อใดชื่อหนึ่ง: {_listing(self.amphoe_names(), True)}",
            f"{en}; use one of: {_listing(self.amphoe_names(), False)}.",
        )

    # --- tambon ------------------------------------------------------------------------------

    def parse_tambon(self, value: object, amphoe_code: str | None) -> Parsed:
        """A Tambon from a name as typed (ต./ตำบล/แขวง), within the amphoe when one is given,
        else anywhere in the province."""
        if not (isinstance(amphoe_code, str) and amphoe_code in self._amphoes):
            amphoe_code = None
        if isinstance(value, str):
            memo_key = (value, amphoe_code)
            hit = self._memo_tambon.get(memo_key)
            if hit is None:
                hit = self._parse_tambon(value, amphoe_code)
                if len(self._memo_tambon) >= _MEMO_MAX:
                    self._memo_tambon.clear()
                if len(value) <= _MAX_NAME:
                    self._memo_tambon[memo_key] = hit
            return hit
        return self._parse_tambon(value, amphoe_code)

    def _tambon_candidates(self, text: str) -> list[str]:
        s = _TAMBON_SUFFIX.sub("", self._province_suffix.sub("", _fold(text)))
        m = _TAMBON_PREFIX.match(s)
        if m and m.end() < len(s):
            return [_key(s[m.end() :]), _key(s)]
        k = _key(s)
        return [k, k[1:]] if k.startswith("ต") and len(k) > 1 else [k]

    def _parse_tambon(self, value: object, amphoe_code: str | None) -> Parsed:
        text = _as_text(value)
        where_th, where_en = self._where(amphoe_code)
        if text is None:
            return None, _issue(
                "place.tambon_unknown",
                f"ไม่ใช่ชื่อตำบล พิมพ์ชื่อตำบลใน{where_th}",
                f"Not a tambon name; type a tambon of {where_en}.",
            )
        text = normalise(text)
        if not text:
            return None, _issue(
                "place.tambon_unknown",
                f"ไม่ได้ระบุตำบล พิมพ์ชื่อตำบลใน{where_th}",
                f"No tambon given; type a tambon of {where_en}.",
            )
        if len(text) > _MAX_NAME:
            return None, self._tambon_list_issue(
                amphoe_code, "ข้อความยาวเกินกว่าจะเป็นชื่อตำบล", "Too long for a tambon name"
            )
        keys = self._tambon_candidates(text)
        elsewhere: tuple[Tambon, ...] = ()
        for k in keys:
            found = self._tambon_keys.get(k, ())
            if amphoe_code is not None:
                inside = [t for t in found if t.amphoe_code == amphoe_code]
                if len(inside) == 1:
                    return inside[0], None
                found = tuple(inside) or found
                if not inside:
                    elsewhere = elsewhere or found
                    continue
            if len(found) == 1:
                return found[0], None
            if found:
                return None, self._ambiguous_tambon(found)
        if elsewhere and amphoe_code is not None:
            moved = self._moved_from(tuple(keys), amphoe_code, elsewhere)
            if moved is not None:
                return None, moved
            here = self._amphoes[amphoe_code]
            places = ", ".join(self._amphoe_th(self._amphoes[t.amphoe_code]) for t in elsewhere)
            places_en = ", ".join(self._name_en[t.amphoe_code] for t in elsewhere)
            return None, _issue(
                "place.tambon_unknown",
                f"{elsewhere[0].name_th} อยู่ใน{places} ไม่ใช่{self._amphoe_th(here)} "
                "แก้ตำบลหรืออำเภอให้ตรงกัน",
                f"{elsewhere[0].name_th} is in amphoe {places_en}, not {self._name_en[here.code]}; "
                "fix the tambon or the amphoe.",
            )
        return None, self._tambon_miss(tuple(keys), amphoe_code)

    def _ambiguous_tambon(self, found: tuple[Tambon, ...]) -> Issue:
        names = ", ".join(
            f"{t.name_th} ({self._amphoe_th(self._amphoes[t.amphoe_code])})" for t in found
        )
        names_en = ", ".join(f"{t.name_th} ({self._name_en[t.amphoe_code]})" for t in found)
        if len({t.amphoe_code for t in found}) == 1:  # only English names collide in one amphoe
            fix_th, fix_en = "พิมพ์ชื่อภาษาไทย", "type the Thai name"
        else:
            fix_th, fix_en = "ระบุอำเภอให้ถูกต้อง", "fill in the amphoe"
        return _issue(
            "place.tambon_unknown",
            f"ชื่อนี้มีหลายตำบล: {names} {fix_th}",
            f"More than one tambon has this name: {names_en}; {fix_en}.",
        )

    def _moved_from(
        self, keys: tuple[str, ...], amphoe_code: str, elsewhere: tuple[Tambon, ...]
    ) -> Issue | None:
        """A tambon typed with the amphoe it was in before it moved to another one."""
        there = {t.code for t in elsewhere}
        names = [k for k in keys if not k.isdigit()]
        for old in place_history.former_tambons(self.province_code, names, amphoe_code):
            if old.amphoe_code == amphoe_code and any(a.code in there for a in old.successors):
                th, en = place_history.describe(old, amphoe_code, self._listing_of(amphoe_code))
                return _issue("place.abolished", th, en)
        return None

    def _listing_of(self, amphoe_code: str | None) -> tuple[str, str]:
        """The current tambon of an amphoe (or the province), listed for a message."""
        names = [t.name_th for t in self.tambons(amphoe_code)]
        return _listing(names, True), _listing(names, False)

    def _tambon_miss(self, keys: tuple[str, ...], amphoe_code: str | None) -> Issue:
        memo_key = ("t", amphoe_code or "", *keys)
        hit = self._miss_memo.get(memo_key)
        if hit is None:
            hit = self._tambon_miss_issue(keys, amphoe_code)
            if len(self._miss_memo) >= _MEMO_MAX:
                self._miss_memo.clear()
            self._miss_memo[memo_key] = hit
        return hit

    def _tambon_miss_issue(self, keys: tuple[str, ...], amphoe_code: str | None) -> Issue:
        code = "place.tambon_unknown"
        where_th, where_en = self._where(amphoe_code)
        # A tambon that was abolished, split or moved: say so, before anything it resembles.
        names = [k for k in keys if not k.isdigit()]
        for old in place_history.former_tambons(self.province_code, names, amphoe_code)[:1]:
            th, en = place_history.describe(old, amphoe_code, self._listing_of(amphoe_code))
            return _issue("place.abolished", th, en)
        for k in keys:
            if k.isdigit():
                continue
            for a in self._amphoe_keys.get(k, ())[:1]:
                return _issue(
                    code,
                    f"{a.name_th} เป็นชื่ออำเภอ ใส่ชื่อตำบลใน{where_th}",
                    f"{a.name_th} is an amphoe; type a tambon of {where_en}.",
                )
        best = None
        if amphoe_code is not None:
            best = self._nearest(keys, self._tambon_names_of.get(amphoe_code, []))
        if best is None:
            best = self._nearest(keys, self._tambon_names)
        if best is not None:
            t = self._tambon_keys[best][0]
            other = amphoe_code is not None and t.amphoe_code != amphoe_code
            a = self._amphoes[t.amphoe_code]
            return _issue(
                code,
                f"ไม่มีตำบลนี้ใน{where_th} หมายถึง {t.name_th}?"
                + (f" (อยู่ใน{self._amphoe_th(a)})" if other else ""),
                f"Not a tambon of {where_en}. Did you mean {t.name_th} ({self._name_en[t.code]})"
                + (f", in amphoe {self._name_en[a.code]}?" if other else "?"),
            )
        return self._tambon_list_issue(
            amphoe_code, f"ไม่มีตำบลนี้ใน{where_th}", f"Not a tambon of {where_en}"
        )

    def _tambon_list_issue(self, amphoe_code: str | None, th: str, en: str) -> Issue:
        names = [t.name_th for t in self.tambons(amphoe_code)]
        return _issue(
            "place.tambon_unknown",
            f"{th} ใช้ชื่อใดชื่อหนึ่ง: {_listing(names, True)}",
            f"{en}; use one of: {_listing(names, False)}.",
        )

    # --- village codes -----------------------------------------------------------------------

    def check_village_code(self, value: object) -> Parsed:
        """A VillageCode from 8 digits: the 6-digit tambon code and the 2-digit หมู่ที่."""
        if isinstance(value, str):
            hit = self._memo_village.get(value)
            if hit is None:
                hit = self._check_village_code(value)
                if len(self._memo_village) >= _MEMO_MAX:
                    self._memo_village.clear()
                if len(value) <= _MAX_NAME:
                    self._memo_village[value] = hit
            return hit
        return self._check_village_code(value)

    def _check_village_code(self, value: object) -> Parsed:
        # A number's minus sign is not a dash to ignore.
        text = None if isinstance(value, int | float) and value < 0 else _as_text(value)
        digits = (
            _DASHES.sub("", normalise(text)) if text is not None and len(text) <= _MAX_NAME else ""
        )
        if not (len(digits) == 8 and digits.isascii() and digits.isdigit()):
            if digits.isascii() and digits.isdigit():
                got_th, got_en = f" (มี {len(digits)} หลัก)", f" (it has {len(digits)})"
            elif text is not None and text.strip():
                got_th, got_en = " (มีตัวอักษรที่ไม่ใช่ตัวเลข)", " (it has characters other than digits)"
            else:
                got_th = got_en = ""
            return None, self._code_format_issue(got_th, got_en)
        tambon_code = digits[:6]
        if digits[:2] != self.province_code:
            p = geothai.province(digits[:2])
            named_th = f" ({p.name_th})" if p else ""
            named_en = f" ({p.name_en})" if p else ""
            return None, _issue(
                "village.code_province",
                f"รหัสหมู่บ้านขึ้นต้นด้วย {digits[:2]}{named_th} ไม่ใช่ {self.province_code} "
                f"({self.province_name_th}) ตรวจรหัสอีกครั้ง",
                f"The village code starts with {digits[:2]}{named_en}, not {self.province_code} "
                f"({self.province_name_en}); check the code.",
            )
        tambon = self._tambons.get(tambon_code)
        if tambon is None:
            return None, self._unknown_tambon_code_issue(tambon_code)
        moo = int(digits[6:])
        if moo == 0:
            return None, _issue(
                "village.code_format",
                "หมู่ที่ในรหัสหมู่บ้าน (2 หลักท้าย) เป็น 00 ไม่ได้ ตรวจรหัสอีกครั้ง",
                "The last two digits (หมู่ที่) of a village code cannot be 00; check the code.",
            )
        return VillageCode(digits, tambon, moo), None

    def _code_format_issue(self, got_th: str, got_en: str) -> Issue:
        ex = self._example_code
        return _issue(
            "village.code_format",
            f"รหัสหมู่บ้านต้องเป็นตัวเลข 8 หลัก{got_th}: รหัสตำบล 6 หลัก + หมู่ที่ 2 หลัก เช่น {ex}",
            f"A village code is 8 digits{got_en}: the 6-digit tambon code and 2-digit หมู่ที่, "
            f"e.g. {ex}.",
        )

    def _unknown_tambon_code_issue(self, tambon_code: str) -> Issue:
        old = place_history.former_tambon_code(tambon_code)
        if old is not None:
            th, en = place_history.describe(old, None, self._listing_of(None))
            new = [a for a in old.successors if a.code in self._tambons]
            use_th = f" ใช้รหัสตำบลใหม่ {', '.join(a.code for a in new)}" if new else ""
            use_en = f" Use the new tambon code {', '.join(a.code for a in new)}." if new else ""
            return _issue(
                "village.code_province",
                f"รหัสตำบล {tambon_code} เป็นรหัสเดิม: {th}{use_th}",
                f"Tambon code {tambon_code} is a former one: {en}{use_en}",
            )
        amphoe = self._amphoes.get(tambon_code[:4])
        if amphoe is not None:
            codes = [t.code for t in self._tambons_of[amphoe.code]]
            span = f"{codes[0]}-{codes[-1]}" if codes else ""
            return _issue(
                "village.code_province",
                f"ไม่มีตำบลรหัส {tambon_code} ใน{self._amphoe_th(amphoe)} (มีรหัส {span}) ตรวจรหัสอีกครั้ง",
                f"No tambon has code {tambon_code} in amphoe {self._name_en[amphoe.code]} "
                f"(codes {span}); check the code.",
            )
        return _issue(
            "village.code_province",
            f"ไม่มีตำบลรหัส {tambon_code} ใน{self._province_th} ตรวจรหัสอีกครั้ง",
            f"No tambon has code {tambon_code} in {self.province_name_en}; check the code.",
        )

    # --- helpers -----------------------------------------------------------------------------

    def _nearest(self, keys: Iterable[str], names: list[str]) -> str | None:
        best: tuple[float, str] | None = None
        for k in keys:
            hit = _closest(k, names)
            if hit is not None and (best is None or hit[0] > best[0]):
                best = hit
        return best[1] if best else None

    def _amphoe_th(self, a: Amphoe) -> str:
        return a.name_th if a.name_th.startswith("เขต") else f"อำเภอ{a.name_th}"

    def _where(self, amphoe_code: str | None) -> tuple[str, str]:
        if amphoe_code is None:
            return self._province_th, self.province_name_en
        a = self._amphoes[amphoe_code]
        return self._amphoe_th(a), f"amphoe {self._name_en[a.code]}"


def _issue(code: str, th: str, en: str) -> Issue:
    return Issue(severity_of(code), code, th, en)
