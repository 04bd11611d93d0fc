"""Synthetic ผู้ผลิต (producers) rows for the validation benchmark, typed the ways staff type.

Every cell is a string, as a sheet hands text over. About 2% of rows carry one planted
mistake (see PLANTS); the rest are valid in the layouts people use: BE dates in several
forms, Thai digits now and then, phones and national IDs with and without separators.

The producer ID pattern of the contract is ^P-\\d{4}$: only 10,000 IDs exist. Rows are
numbered over that space and wrap (row 10,001 has P-0001 again), so a register above 10,000
rows carries an id.duplicate finding on every row whose ID repeats. That is what the real
contract says about such a register; the benchmark reports it rather than widening the
pattern.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from kspo_sheets.config.province import Config
from kspo_sheets.thai.gazetteer import Gazetteer
from kspo_sheets.thai.national_id import make_valid_id

AS_OF = dt.date(2024, 9, 10)  # the run date every implementation checks against
SEED = 2567
ID_SPACE = 10_000
PLANT_RATE = 0.02

_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")  # fmt: skip
_FULL = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")  # fmt: skip
_FIRST = ("สมชาย", "สมศรี", "มาลี", "ประเสริฐ", "วิไล", "สุนทร", "บุญมี", "จันทร์เพ็ญ", "อารีย์", "ทองดี", "ปรีชา", "สุดา")  # fmt: skip
_SURNAMES = ("ใจดี", "มีสุข", "ทองคำ", "แก้วมณี", "ศรีสุข", "บุญรอด", "รักษ์ไทย", "สายทอง", "พูลผล", "เพชรงาม")  # fmt: skip
_TITLES = ("นาย", "นาง", "นางสาว")
_GROUPS = ("วิสาหกิจชุมชนผักปลอดภัย", "กลุ่มเกษตรกรทำสวน", "สหกรณ์การเกษตร", "กลุ่มแม่บ้าน")
_PRODUCTS = ("ผักบุ้ง, คะน้า", "ทุเรียน", "ปลากะพง", "ไก่ไข่", "ข้าวไร่", "มังคุด, เงาะ", "กุ้งขาว", "สับปะรดภูเก็ต")  # fmt: skip

# (value as typed, weight): the contract's values with the aliases staff use now and then.
_KINDS = (("บุคคล", 68), ("เกษตรกร", 2), ("วิสาหกิจชุมชน", 11), ("วสช.", 2), ("กลุ่มเกษตรกร", 11), ("สหกรณ์", 6))  # fmt: skip
_PERSON = frozenset(("บุคคล", "เกษตรกร"))
_CATEGORIES = (("พืชผัก", 33), ("ผัก", 2), ("ผลไม้", 20), ("ประมง", 18), ("ปศุสัตว์", 12), ("ข้าว", 7), ("อื่นๆ", 7), ("อื่น ๆ", 1))  # fmt: skip
_CERTS = (("GAP", 43), ("gap", 2), ("เกษตรอินทรีย์", 8), ("organic", 2), ("PGS", 10), ("อยู่ระหว่างขอรับรอง", 15), ("ไม่มี", 18), ("-", 2))  # fmt: skip
_CERTIFIED = frozenset(("GAP", "gap", "เกษตรอินทรีย์", "organic", "PGS"))
_CONSENT = ("ใช่", "ใช่", "ใช่", "ไม่ใช่", "Y", "N", "✓", "1", "0", "ยินยอม", "ไม่ยินยอม")

# Planted mistakes: kind -> the finding code it must produce.
PLANTS: dict[str, str] = {
    "id_format": "id.format",
    "id_blank": "required.missing",
    "village_unknown": "ref.missing",
    "village_format": "village.code_format",
    "name_blank": "required.missing",
    "kind_invalid": "enum.invalid",
    "nid_checksum": "national_id.checksum",
    "nid_short": "national_id.invalid",
    "nid_missing": "required.missing",
    "nid_repeat": "value.duplicate",
    "phone_invalid": "phone.invalid",
    "phone_zero": "phone.missing_zero",
    "category_invalid": "enum.invalid",
    "cert_missing": "required.missing",
    "date_impossible": "date.impossible",
    "date_invalid": "date.invalid",
    "date_ce": "date.ce_year",
    "area_invalid": "area.invalid",
    "area_negative": "number.negative",
    "kg_invalid": "number.invalid",
    "kg_negative": "number.negative",
    "consent_invalid": "yesno.invalid",
}
_PLANT_KINDS = tuple(PLANTS)


@dataclass
class Synthetic:
    """The two tabs as rows of strings (header first) and what was planted."""

    producer_header: list[str]
    producers: list[list[str]]
    village_header: list[str]
    villages: list[list[str]]
    village_ids: list[str]
    planted: Counter[str] = field(default_factory=Counter)


def _weighted(pairs: tuple[tuple[str, int], ...], n: int = 1000) -> list[str]:
    """A lookup list to draw from with one random index: cheaper than random.choices per row."""
    total = sum(w for _, w in pairs)
    out: list[str] = []
    for v, w in pairs:
        out.extend([v] * round(w * n / total))
    return out


def _date_text(rng: random.Random, d: dt.date) -> str:
    day, month, year = d.day, d.month, d.year + 543
    k = rng.randrange(8)
    if k <= 1:
        return f"{day:02d}/{month:02d}/{year}"
    if k == 2:
        return f"{day}/{month}/{year % 100:02d}"
    if k == 3:
        return f"{day} {_ABBR[month - 1]} {year}"
    if k == 4:
        return f"{day} {_ABBR[month - 1]} {year % 100:02d}"
    if k == 5:
        return f"{day} {_FULL[month - 1]} {year}"
    if k == 6:
        return f"{day:02d}/{month:02d}/{year}".translate(_THAI)
    return f"{day}-{month}-{year}"


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.2:
        d = f"076{rng.randrange(2, 6)}{rng.randrange(100000):05d}"
        k = rng.randrange(4)
        return (f"{d[:3]}-{d[3:6]}-{d[6:]}", f"{d[:3]} {d[3:]}", d, f"0-{d[1:5]}-{d[5:]}")[k]
    d = f"0{'689'[rng.randrange(3)]}{rng.randrange(100_000_000):08d}"
    k = rng.randrange(7)
    if k <= 1:
        return f"{d[:3]}-{d[3:6]}-{d[6:]}"
    if k == 2:
        return d
    if k == 3:
        return f"{d[:3]} {d[3:6]} {d[6:]}"
    if k == 4:
        return f"+66 {d[1:3]} {d[3:6]} {d[6:]}"
    if k == 5:
        return f"{d[:3]}-{d[3:]}"
    return f"{d[:3]}-{d[3:6]}-{d[6:]}".translate(_THAI)


def _typed_nid(rng: random.Random, digits: str) -> str:
    k = rng.randrange(10)
    if k <= 3:
        return digits
    if k <= 6:
        return f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}"
    if k <= 8:
        return f"{digits[0]} {digits[1:5]} {digits[5:10]} {digits[10:12]} {digits[12]}"
    return digits.translate(_THAI)


def _area(rng: random.Random) -> str:
    k = rng.randrange(6)
    rai = rng.randrange(0, 40)
    if k == 0:
        return str(rai + 1)
    if k == 1:
        return f"{rai}.{rng.randrange(1, 10)}"
    if k == 2:
        return f"{rai}-{rng.randrange(4)}-{rng.randrange(100)}"
    if k == 3:
        return f"{rai + 1} ไร่ {rng.randrange(1, 4)} งาน"
    if k == 4:
        return f"{rai + 1} ไร่"
    return str(rai + 1).translate(_THAI)


def _kg(rng: random.Random) -> str:
    k = rng.randrange(5)
    x = rng.randrange(10, 5000)
    if k == 0:
        return f"{x:,}"
    if k == 1:
        return str(x)
    if k == 2:
        return str(x).translate(_THAI)
    if k == 3:
        return f"{x} กก."
    return f"{x}.5"


def villages(config: Config, gazetteer: Gazetteer) -> tuple[list[str], list[list[str]], list[str]]:
    """A small, valid หมู่บ้าน tab: three villages in every tambon of the province."""
    spec = config.registers["villages"]
    header = [c.header for c in spec.columns]
    rows: list[list[str]] = []
    ids: list[str] = []
    for i, t in enumerate(gazetteer.tambons()):
        amphoe = gazetteer.amphoe_by_code(t.amphoe_code)
        assert amphoe is not None
        for moo in (1, 2, 3):
            code = f"{t.code}{moo:02d}"
            ids.append(code)
            net = (i + moo) % 2 == 0
            values = {
                "village_id": code,
                "name": f"บ้าน{t.name_th} หมู่ {moo}",
                "moo": str(moo),
                "tambon": t.name_th,
                "amphoe": amphoe.name_th,
                "nawatwithi": "ใช่",
                "safe_food_network": "ใช่" if net else "ไม่ใช่",
                "joined_on": "15/01/2566" if net else "",
                "working_group": "เกษตร",
                "coordinator": "นายสมชาย ใจดี",
                "phone": "081-234-5678",
                "note": "",
            }
            rows.append([values[c.key] for c in spec.columns])
    return header, rows, ids


def producers(
    n: int, config: Config, gazetteer: Gazetteer, *, seed: int = SEED, id_digits: int = 4
) -> Synthetic:
    """`n` producer rows (plus a header row) and the villages tab they refer to.

    IDs are P- and `id_digits` digits, numbered over that space and wrapping past its end.
    """
    rng = random.Random(seed)
    vheader, vrows, village_ids = villages(config, gazetteer)
    spec = config.registers["producers"]
    keys = [c.key for c in spec.columns]
    assert keys == [
        "producer_id", "village_id", "name", "kind", "national_id", "phone", "category",
        "products", "certification", "cert_expiry", "area_rai", "monthly_kg", "consent",
    ]  # fmt: skip
    kinds = _weighted(_KINDS)
    categories = _weighted(_CATEGORIES)
    certs = _weighted(_CERTS)
    tambons = [t.code for t in gazetteer.tambons()]
    # A bijection of 0..10**11-1 (multiplier coprime to 10): unique national IDs, no set kept.
    mul, add = 61_803_398_877, 12_345_678_901
    rows: list[list[str]] = []
    planted: Counter[str] = Counter()
    last_nid = ""
    rand, rrange = rng.random, rng.randrange
    space = 10**id_digits
    for i in range(n):
        kind = kinds[rrange(len(kinds))]
        person = kind in _PERSON
        cert = certs[rrange(len(certs))]
        if person:
            name = f"{_TITLES[rrange(3)]}{_FIRST[rrange(len(_FIRST))]} {_SURNAMES[rrange(len(_SURNAMES))]}"  # fmt: skip
            digits = make_valid_id(f"{1 + 2 * (i & 1)}{(i * mul + add) % 10**11:011d}")
            nid = _typed_nid(rng, digits)
        else:
            name = f"{_GROUPS[rrange(len(_GROUPS))]}บ้าน{_SURNAMES[rrange(len(_SURNAMES))]}"
            nid = ""
        if cert in _CERTIFIED or rand() < 0.05:
            expiry = _date_text(rng, AS_OF + dt.timedelta(days=rrange(-60, 1000)))
        else:
            expiry = ""
        row = [
            f"P-{(i + 1) % space:0{id_digits}d}",
            village_ids[rrange(len(village_ids))],
            name,
            kind,
            nid,
            _phone(rng) if rand() < 0.95 else "",
            categories[rrange(len(categories))],
            _PRODUCTS[rrange(len(_PRODUCTS))],
            cert,
            expiry,
            _area(rng),
            _kg(rng),
            _CONSENT[rrange(len(_CONSENT))],
        ]
        if rand() < PLANT_RATE:
            plant = _PLANT_KINDS[rrange(len(_PLANT_KINDS))]
            if _plant(rng, plant, row, tambons, last_nid):
                planted[plant] += 1
        if person and row[4]:
            last_nid = digits
        rows.append(row)
    header = [c.header for c in spec.columns]
    return Synthetic(header, rows, vheader, vrows, village_ids, planted)


def _plant(rng: random.Random, plant: str, row: list[str], tambons: list[str], last: str) -> bool:
    """Put one mistake in `row`; False where the row cannot carry it (e.g. no person)."""
    person = row[3] in _PERSON
    certified = row[8] in _CERTIFIED
    if plant == "id_format":
        row[0] = row[0].replace("-", "")  # P0001
    elif plant == "id_blank":
        row[0] = ""
    elif plant == "village_unknown":
        row[1] = f"{tambons[rng.randrange(len(tambons))]}99"
    elif plant == "village_format":
        row[1] = row[1][:7]
    elif plant == "name_blank":
        row[2] = ""
    elif plant == "kind_invalid":
        row[3], row[4] = "บริษัทจำกัด", ""
    elif plant == "nid_checksum" and person:
        d = row[4].replace("-", "").replace(" ", "").translate(_ARABIC)
        row[4] = d[:12] + str((int(d[12]) + 1) % 10)
    elif plant == "nid_short" and person:
        row[4] = row[4][:-1]
    elif plant == "nid_missing" and person:
        row[4] = ""
    elif plant == "nid_repeat" and person and last:
        row[4] = _typed_nid(rng, last)
    elif plant == "phone_invalid":
        row[5] = "081-234-567"
    elif plant == "phone_zero":
        row[5] = f"8{rng.randrange(100_000_000):08d}"
    elif plant == "category_invalid":
        row[6] = "ผลไม้แปรรูป"
    elif plant == "cert_missing" and certified:
        row[9] = ""
    elif plant == "date_impossible" and row[9]:
        row[9] = "31/02/2568"
    elif plant == "date_invalid" and row[9]:
        row[9] = "ยังไม่ได้รับ"
    elif plant == "date_ce" and row[9]:
        row[9] = f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/2026"
    elif plant == "area_invalid":
        row[10] = "5-4-10"
    elif plant == "area_negative":
        row[10] = f"-{rng.randrange(1, 9)}"
    elif plant == "kg_invalid":
        row[11] = "ห้าสิบ"
    elif plant == "kg_negative":
        row[11] = f"-{rng.randrange(1, 99)}"
    elif plant == "consent_invalid":
        row[12] = "อาจจะ"
    else:
        return False
    return True
