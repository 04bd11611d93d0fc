"""Thailand's telephone numbering plan: which national numbers exist, by their leading digits.

The plan is the regulator's. The base is the National Telecommunications Commission's
(กทช., now กสทช. / NBTC) plan of 2549 BE (2006): ประกาศคณะกรรมการกิจการโทรคมนาคมแห่งชาติ
เรื่อง แผนเลขหมายโทรคมนาคม, ราชกิจจานุเบกษา เล่ม 123 ตอนที่ 50 ง หน้า 28, 19 พฤษภาคม 2549,
notified to the ITU as "Thailand (country code +66), communication of 2.VI.2006". It gives:

- fixed lines, 9 digits with the leading 0: 02 (Bangkok, Nonthaburi, Pathum Thani, Samut
  Prakan) and the provincial area codes 032, 034-039, 042-045, 053-056, 073-077;
- mobiles, 10 digits: from 1 September 2549 (2006) every 9-digit mobile number 0X-xxx-xxxx
  became 08X-xxx-xxxx (an 8 inserted after the leading 0), so 9-digit numbers beginning 01,
  06 or 09 are mobiles from before that date.

NBTC has since opened 033 (Chachoengsao, Chon Buri) and 052 (Chiang Mai and the upper north)
for fixed lines, and the 09 and 06 ranges for 10-digit mobiles (06 also carries VoIP); the
sets below are the 2549 plan with those additions, as the plan stood in 2567 BE (2024).
Short service numbers are 4 digits beginning with 1 (1669, 1111, 1300, ...); toll-free
numbers are 1800 + 6 digits. A number's area code says nothing about the row's province
(a buyer's head office may be in Bangkok), so none is compared with it.
"""

from __future__ import annotations

from dataclasses import dataclass

PLAN_TH = "แผนเลขหมายโทรคมนาคมของ กสทช. (ฉบับ พ.ศ. 2549 และที่เพิ่มเติม)"
PLAN_EN = "the NBTC numbering plan (2006, as amended)"

# Fixed-line area codes, with the leading 0.
AREA_CODES: frozenset[str] = frozenset(
    {"02"}
    | {f"03{d}" for d in "23456789"}
    | {f"04{d}" for d in "2345"}
    | {f"05{d}" for d in "23456"}
    | {f"07{d}" for d in "34567"}
)
AREA_CODES_TH = "02, 032-039, 042-045, 052-056, 073-077"
MOBILE_SECOND_DIGITS = frozenset("689")
# Second digits of 9-digit mobile numbers from before 1 September 2006 that no fixed line
# uses: such a number can only be an old mobile.
OLD_MOBILE_SECOND_DIGITS = frozenset("169")
RENUMBERED_TH = "1 ก.ย. 2549"
RENUMBERED_EN = "1 September 2006"

# How one number reads against the plan.
MOBILE = "mobile"
LANDLINE = "landline"
SERVICE = "service"  # a 4-digit 1xxx hotline
TOLL_FREE = "toll_free"  # 1800-xxx-xxx
MISSING_ZERO = "missing_zero"  # a mobile or landline that lost its leading 0
OLD_MOBILE = "old_mobile"  # a 9-digit mobile from before the 2006 renumbering
UNKNOWN_AREA = "unknown_area"  # 9 digits, 0 + an area code the plan does not have
LENGTH = "length"  # a count of digits no number of its kind has

VALID = frozenset({MOBILE, LANDLINE, SERVICE, TOLL_FREE})


@dataclass(frozen=True, slots=True)
class Reading:
    """What the plan makes of a string of digits: its kind, and the number to use (the
    corrected one for a lost 0 or an old mobile), or None when there is no such number."""

    kind: str
    number: str | None
    digits: str = ""  # as read, for LENGTH
    area: str = ""  # the area code, for UNKNOWN_AREA


def expected_length(digits: str) -> int | None:
    """How many digits a number beginning with these digits has (None: not known yet, or
    no number begins so). For reading numbers split into groups: 0 8.. is 10, 0 2.. is 9."""
    if not digits:
        return None
    first = digits[0]
    if first == "0":
        if len(digits) < 2:
            return None
        second = digits[1]
        if second in MOBILE_SECOND_DIGITS:
            return 10
        if second == "0":
            return None  # an international call prefix: not a Thai number
        return 9
    if first == "1":
        if len(digits) < 4:
            return 4 if len(digits) > 1 and not "1800".startswith(digits) else None
        return 10 if digits.startswith("1800") else 4
    if first in MOBILE_SECOND_DIGITS:
        return 9  # a mobile that lost its 0
    return 8  # a landline that lost its 0


def read_digits(digits: str) -> Reading:
    """Read a whole number (ASCII digits, no country code) against the plan."""
    n = len(digits)
    first = digits[:1]
    if first == "0" and n >= 2:
        second = digits[1]
        if second in MOBILE_SECOND_DIGITS:
            if n == 10:
                return Reading(MOBILE, digits)
            if n == 9 and second in OLD_MOBILE_SECOND_DIGITS:
                return Reading(OLD_MOBILE, "08" + digits[1:])
            return Reading(LENGTH, None, digits)
        if second == "1":
            if n == 9:
                return Reading(OLD_MOBILE, "08" + digits[1:])
            return Reading(LENGTH, None, digits)
        if second == "0":
            return Reading(LENGTH, None, digits)
        if n != 9:
            return Reading(LENGTH, None, digits)
        area = digits[:2] if second == "2" else digits[:3]
        if area not in AREA_CODES:
            return Reading(UNKNOWN_AREA, None, area=area)
        return Reading(LANDLINE, digits)
    if first == "1":
        if n == 4:
            return Reading(SERVICE, digits)
        if n == 10 and digits.startswith("1800"):
            return Reading(TOLL_FREE, digits)
        return Reading(LENGTH, None, digits)
    if n == 9 and first in MOBILE_SECOND_DIGITS:
        return Reading(MISSING_ZERO, "0" + digits)
    if n == 8 and first in "23457":
        fixed = read_digits("0" + digits)
        if fixed.kind == LANDLINE:
            return Reading(MISSING_ZERO, fixed.number)
        return fixed
    return Reading(LENGTH, None, digits)
