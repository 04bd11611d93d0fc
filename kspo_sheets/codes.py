"""Every finding code the tool can emit, with its default severity. Codes are stable: other
tools filter on them, so rename none; add new ones here and in the README."""

from __future__ import annotations

from kspo_sheets.model import Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTICE

CODES: dict[str, tuple[Severity, str]] = {
    # structure
    "register.missing": (E, "a register's tab is not in the source"),
    "header.missing": (E, "a required column's header was not found"),
    "header.duplicate": (W, "two columns carry the same header; the first is used"),
    "cell.formula": (N, "a formula in a staff register; its last computed value is used"),
    "cell.error": (E, "the cell holds an error value such as #REF! or #N/A"),
    "text.too_long": (W, "a cell longer than Google Sheets allows (50,000 characters)"),
    # presence and identity
    "required.missing": (E, "a required value is blank"),
    "id.format": (E, "an ID does not have the register's form (P-0001, B-001, ...)"),
    "id.duplicate": (E, "the same ID on two rows"),
    "ref.missing": (E, "a reference to a row that does not exist in the other register"),
    "value.duplicate": (W, "the same value on two rows where it should be unique"),
    "honoree.duplicate": (W, "the same organisation nominated twice in one fiscal year"),
    # dates and years
    "date.invalid": (E, "not a date in any form the tool reads"),
    "date.impossible": (E, "a day that does not exist (31/02/2562, 29/02/2561)"),
    "date.ce_year": (W, "a year that looks like CE (2019) in a Buddhist Era column"),
    "date.double_converted": (E, "a year converted to BE twice (2562 + 543 = 3105)"),
    "date.future": (E, "a date after the run date where it cannot be"),
    "year.invalid": (E, "not a Buddhist Era year"),
    "year.ce": (W, "a fiscal year that looks like CE (2019)"),
    # numbers
    "number.invalid": (E, "not a number"),
    "number.negative": (E, "a negative number where it cannot be"),
    "number.not_positive": (E, "zero or less where the value must be above zero"),
    "number.range": (E, "a number outside its allowed range"),
    "money.invalid": (E, "not an amount of money"),
    "area.invalid": (E, "not an area in rai or ไร่-งาน-ตารางวา"),
    # people and contact
    "phone.invalid": (E, "not a Thai phone number"),
    "phone.missing_zero": (W, "a phone number that lost its leading zero"),
    "phone.area_code": (E, "a landline area code that is not in the national numbering plan"),
    "phone.old_mobile": (W, "a 9-digit mobile number from before 2006 (now 08 + 8 digits)"),
    "phone.range": (E, "a block of lines whose end is lower than its start, or too long"),
    "national_id.invalid": (E, "not 13 digits"),
    "national_id.checksum": (E, "13 digits whose check digit is wrong"),
    # choices
    "yesno.invalid": (E, "not a yes/no answer"),
    "enum.invalid": (E, "not one of the allowed values"),
    # places
    "place.amphoe_unknown": (E, "not an amphoe of the province"),
    "place.tambon_unknown": (E, "not a tambon of the amphoe"),
    "place.abolished": (E, "a tambon or amphoe that was abolished, split, merged or moved"),
    "village.code_format": (E, "a village code that is not 8 digits"),
    "village.code_province": (E, "a village code whose tambon is not in the province"),
    "village.code_tambon": (E, "a village code that disagrees with the tambon or amphoe column"),
    "village.moo_mismatch": (E, "หมู่ที่ differs from the last two digits of the village code"),
    # certificates
    "cert.expired": (W, "a certificate past its expiry date"),
    "cert.expiring": (N, "a certificate that expires within 90 days"),
}


def severity_of(code: str) -> Severity:
    return CODES[code][0]


# A few Thai words for each code, for the narrow columns of the meeting pack and the
# progress tab ("why a row was left out"). A code missing here shows as itself.
SHORT_TH: dict[str, str] = {
    "register.missing": "ไม่พบแท็บทะเบียน",
    "header.missing": "ไม่พบหัวคอลัมน์",
    "header.duplicate": "หัวคอลัมน์ซ้ำ",
    "cell.formula": "เป็นสูตร",
    "cell.error": "เซลล์แสดงข้อผิดพลาด",
    "text.too_long": "ข้อความยาวเกิน",
    "required.missing": "ไม่ได้กรอก",
    "id.format": "รหัสผิดรูปแบบ",
    "id.duplicate": "รหัสซ้ำ",
    "ref.missing": "อ้างรหัสที่ไม่มีในทะเบียน",
    "value.duplicate": "ค่าซ้ำ",
    "honoree.duplicate": "เสนอซ้ำในปีงบประมาณเดียวกัน",
    "date.invalid": "วันที่อ่านไม่ได้",
    "date.impossible": "วันที่ไม่มีจริง",
    "date.ce_year": "ปีเป็น ค.ศ.",
    "date.double_converted": "ปี พ.ศ. บวกซ้ำ",
    "date.future": "วันที่เกินวันที่ข้อมูล",
    "year.invalid": "ปีงบประมาณอ่านไม่ได้",
    "year.ce": "ปีงบประมาณเป็น ค.ศ.",
    "number.invalid": "ไม่ใช่ตัวเลข",
    "number.negative": "ตัวเลขติดลบ",
    "number.not_positive": "ต้องมากกว่าศูนย์",
    "number.range": "ตัวเลขเกินช่วง",
    "money.invalid": "จำนวนเงินอ่านไม่ได้",
    "area.invalid": "พื้นที่อ่านไม่ได้",
    "phone.invalid": "เบอร์โทรศัพท์ไม่ถูกต้อง",
    "phone.missing_zero": "เบอร์โทรขาดเลข 0",
    "phone.area_code": "รหัสทางไกลไม่มีจริง",
    "phone.old_mobile": "เบอร์มือถือแบบเก่า 9 หลัก",
    "phone.range": "ช่วงเบอร์โทรไม่ถูกต้อง",
    "national_id.invalid": "เลขประจำตัวไม่ครบ 13 หลัก",
    "national_id.checksum": "เลขประจำตัวผิด (หลักตรวจสอบ)",
    "yesno.invalid": "ไม่ใช่ ใช่/ไม่ใช่",
    "enum.invalid": "ค่าไม่อยู่ในรายการ",
    "place.amphoe_unknown": "อำเภอไม่อยู่ในจังหวัด",
    "place.tambon_unknown": "ตำบลไม่อยู่ในอำเภอ",
    "place.abolished": "ตำบล/อำเภอถูกยุบหรือเปลี่ยนแล้ว",
    "village.code_format": "รหัสหมู่บ้านผิดรูปแบบ",
    "village.code_province": "รหัสหมู่บ้านเป็นของจังหวัดอื่น",
    "village.code_tambon": "รหัสหมู่บ้านไม่ตรงกับตำบล/อำเภอ",
    "village.moo_mismatch": "หมู่ที่ไม่ตรงกับรหัสหมู่บ้าน",
    "cert.expired": "ใบรับรองหมดอายุ",
    "cert.expiring": "ใบรับรองใกล้หมดอายุ",
}


def short_th(code: str) -> str:
    """A few Thai words for a finding code (the code itself where there are none)."""
    return SHORT_TH.get(code, code)
