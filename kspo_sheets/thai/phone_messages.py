"""What a phone finding says: each problem as (code, Thai, English), never quoting the number.

Phone numbers are personal data (PDPA): a message names the shape that is expected and the
fix, with the area code or the first digits where that helps, but never the subscriber's digits.
"""

from __future__ import annotations

from kspo_sheets.thai import numbering_plan as plan

Problem = tuple[str, str, str]  # (code, th, en)

EXPECTED_TH = "มือถือ 10 หลัก เช่น 081-234-5678 หรือโทรศัพท์บ้าน 9 หลัก เช่น 02-123-4567"
EXPECTED_EN = "a 10-digit mobile such as 081-234-5678 or a 9-digit landline such as 02-123-4567"
MAX_RANGE = 100  # lines in one block: more is a slip, not a switchboard


def invalid(reason_th: str, reason_en: str) -> Problem:
    return (
        "phone.invalid",
        f"เบอร์โทรศัพท์ไม่ถูกต้อง ({reason_th}) ให้พิมพ์{EXPECTED_TH}",
        f"Not a Thai phone number ({reason_en}); type {EXPECTED_EN}",
    )


NOT_A_PHONE = invalid("ไม่ใช่เบอร์โทรศัพท์", "it is not a phone number")


def digits_problem(digits: str) -> Problem:
    """A run of digits that makes no number: how many there are, and what its start needs."""
    if digits == "+":
        return invalid("เป็นเบอร์ต่างประเทศ", "it has another country's code")
    n = len(digits)
    if n == 0:
        return invalid("ไม่มีตัวเลข", "there are no digits")
    th, en = f"พบตัวเลข {n} หลัก", f"it has {n} digits"
    want = plan.expected_length(digits)
    if want is None or abs(n - want) != 1 or digits[:1] != "0":
        pass  # no likely slip of one digit to point at
    elif want == 10:
        th += " เบอร์มือถือที่ขึ้นต้นด้วย 06, 08 หรือ 09 มี 10 หลัก"
        en += "; a mobile beginning 06, 08 or 09 has 10"
    else:
        th += " เบอร์โทรศัพท์บ้านมี 9 หลักรวมรหัสพื้นที่"
        en += "; a landline has 9 with its area code"
    return invalid(th, en)


def area_problem(area: str) -> Problem:
    th = (
        f"รหัสพื้นที่ {area} ไม่มีใน{plan.PLAN_TH} โทรศัพท์บ้านใช้รหัส {plan.AREA_CODES_TH}"
        f" ถ้าเป็นเบอร์มือถือเก่าก่อน {plan.RENUMBERED_TH} ให้เพิ่มเลข 8 หลังเลข 0"
        " ตรวจเบอร์กับเจ้าของเบอร์"
    )
    en = (
        f"Area code {area} is not in {plan.PLAN_EN}; landlines use {plan.AREA_CODES_TH}."
        f" If it is a mobile number from before {plan.RENUMBERED_EN}, insert 8 after the 0."
        " Check the number with its owner"
    )
    return "phone.area_code", th, en


def old_mobile(number: str) -> Problem:
    x = number[2:3]
    th = (
        f"เบอร์มือถือแบบเก่า 9 หลัก (ใช้ก่อน {plan.RENUMBERED_TH}) ปัจจุบันเพิ่มเลข 8 หลังเลข 0"
        f" เป็น 10 หลัก: 0{x}x-xxx-xxx เป็น 08{x}-xxx-xxxx"
    )
    en = (
        f"An old 9-digit mobile number (before {plan.RENUMBERED_EN}); mobiles now have 8"
        f" inserted after the 0: 0{x}x-xxx-xxx is 08{x}-xxx-xxxx"
    )
    if x != "1":  # 06 and 09 also begin today's 10-digit mobiles: one may have lost a digit
        th += f" (หรือถ้าเป็นเบอร์ 0{x} แบบ 10 หลัก แสดงว่าตัวเลขขาดไป 1 หลัก)"
        en += f" (or, if it is a 10-digit 0{x} number, a digit is missing)"
    th += " ตรวจกับเจ้าของเบอร์แล้วแก้ในเซลล์"
    en += ". Check with the owner and correct the cell"
    return "phone.old_mobile", th, en


def missing_zero(number: str) -> Problem:
    if len(number) == 10:
        shape_th, shape_en = "มือถือ 10 หลัก รูปแบบ 0xx-xxx-xxxx", "a 10-digit mobile, 0xx-xxx-xxxx"
    else:
        shape_th, shape_en = "โทรศัพท์บ้าน 9 หลัก รูปแบบ 0x-xxx-xxxx", "a 9-digit landline, 0x-xxx-xxxx"
    return (
        "phone.missing_zero",
        f"เบอร์โทรศัพท์ขาดเลข 0 ข้างหน้า (เซลล์ถูกแปลงเป็นตัวเลข) ให้เติม 0 เป็น{shape_th}"
        " และตั้งรูปแบบเซลล์เป็นข้อความธรรมดา",
        f"The phone number lost its leading zero (the cell was turned into a number): add the 0"
        f" to make {shape_en}, and format the cell as plain text",
    )


def service_problem() -> Problem:
    return invalid(
        "เป็นหมายเลขบริการ เช่น 1xxx หรือ 1800 ซึ่งคอลัมน์นี้ไม่รับ ใส่เบอร์ของผู้ติดต่อโดยตรง",
        "it is a service number such as 1xxx or 1800, which this column does not take;"
        " give the contact's own number",
    )


def range_problem(what: str) -> Problem:
    """A block of lines (02-123-4560-9) that cannot be one."""
    if what == "reversed":
        th = "เลขท้ายช่วงน้อยกว่าเบอร์แรก (เช่น 02-123-4569-0) ให้เขียนจากน้อยไปมาก เช่น 02-123-4560-9"
        en = (
            "its end is lower than its start (as 02-123-4569-0);"
            " write it low to high, as 02-123-4560-9"
        )
    elif what == "wide":
        th = f"ช่วงกว้างเกิน {MAX_RANGE} เลขหมาย ตรวจเลขท้ายช่วงอีกครั้ง"
        en = f"it covers more than {MAX_RANGE} lines; check its end"
    else:
        th = (
            "เลขท้ายช่วงยาวกว่าเบอร์แรก ให้เขียนเฉพาะเลขท้าย 1-3 หลัก เช่น 02-123-4560-9 หรือเขียนเบอร์สุดท้ายเต็ม"
        )
        en = (
            "its end is longer than its start; write its last 1-3 digits,"
            " as 02-123-4560-9, or the whole last number"
        )
    return "phone.range", f"ช่วงเบอร์ไม่ถูกต้อง: {th}", f"Not a block of phone lines: {en}"
