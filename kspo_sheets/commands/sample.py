"""The sample workbook behind `kspo demo`: Phuket's six registers as staff really keep them,
with a known list of mistakes planted in otherwise clean data.

Everything is drawn from `random.Random(seed)` and dated relative to `as_of`, so one seed
always gives the same cell values and the planted list stays true for any run date. The
data are invented (names, phones and ID numbers included); place codes are DOPA's.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kspo_sheets.thai.national_id import format_national_id, make_valid_id

AS_OF = dt.date(2019, 9, 10)

# Tab, title and (key, header as typed) per register, in the layout of configs/registers.yaml.
# Some headers carry the line breaks, double spaces and trailing NBSP staff leave in them.
LAYOUT: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "villages": (
        "หมู่บ้าน",
        "ทะเบียนหมู่บ้านชุมชนท่องเที่ยว OTOP นวัตวิถี และเครือข่ายอาหารปลอดภัย",
        [
            ("village_id", "รหัสหมู่บ้าน"),
            ("name", "ชื่อหมู่บ้าน/ชุมชน"),
            ("moo", "หมู่ที่"),
            ("tambon", "ตำบล"),
            ("amphoe", "อำเภอ"),
            ("nawatwithi", "ชุมชนท่องเที่ยว\nOTOP นวัตวิถี"),
            ("safe_food_network", "เครือข่ายอาหารปลอดภัย"),
            ("joined_on", "วันที่เข้าร่วม\nเครือข่าย"),
            ("working_group", "คณะทำงาน"),
            ("coordinator", "ผู้ประสานงาน"),
            ("phone", "โทรศัพท์"),
            ("note", "หมายเหตุ"),
        ],
    ),
    "producers": (
        "ผู้ผลิต",
        "ทะเบียนผู้ผลิตในเครือข่ายอาหารปลอดภัย",
        [
            ("producer_id", "รหัสผู้ผลิต"),
            ("village_id", "รหัสหมู่บ้าน"),
            ("name", "ชื่อผู้ผลิต/กลุ่ม"),
            ("kind", "ประเภทผู้ผลิต"),
            ("national_id", "เลขประจำตัว\nประชาชน"),
            ("phone", "โทรศัพท์\u00a0"),
            ("category", "หมวดผลผลิต"),
            ("products", "ผลผลิต"),
            ("certification", "มาตรฐาน"),
            ("cert_expiry", "วันหมดอายุ  ใบรับรอง"),
            ("area_rai", "พื้นที่  (ไร่)"),
            ("monthly_kg", "ผลผลิตต่อเดือน\n(กก.)"),
            ("consent", "ยินยอมเปิดเผยข้อมูล"),
        ],
    ),
    "buyers": (
        "ผู้ซื้อ 4 ร",
        "ทะเบียนผู้ซื้อ 4 ร (โรงพยาบาล โรงเรียน โรงแรม ร้านอาหาร)",
        [
            ("buyer_id", "รหัสผู้ซื้อ"),
            ("name", "ชื่อหน่วยงาน/\nสถานประกอบการ"),
            ("buyer_type", "ประเภท"),
            ("amphoe", "อำเภอ"),
            ("contact", "ผู้ติดต่อ"),
            ("phone", "โทรศัพท์"),
        ],
    ),
    "linkages": (
        "การเชื่อมโยง",
        "ทะเบียนการเชื่อมโยงผลผลิตสู่ผู้ซื้อ 4 ร",
        [
            ("linkage_id", "รหัสการเชื่อมโยง"),
            ("producer_id", "รหัสผู้ผลิต"),
            ("buyer_id", "รหัสผู้ซื้อ"),
            ("product", "สินค้า"),
            ("monthly_kg", "ปริมาณต่อเดือน (กก.) "),
            ("monthly_baht", "มูลค่าต่อเดือน\n(บาท)"),
            ("started_on", "วันที่เริ่ม"),
            ("status", "สถานะ"),
        ],
    ),
    "target_products": (
        "ผลิตภัณฑ์เป้าหมาย",
        "ผลิตภัณฑ์เป้าหมายของคณะทำงานขับเคลื่อนการพัฒนาผลิตภัณฑ์ตามแนวทางประชารัฐ 3 ด้าน",
        [
            ("product_id", "รหัสผลิตภัณฑ์"),
            ("name", "ผลิตภัณฑ์"),
            ("field", "ด้าน"),
            ("village_id", "รหัสหมู่บ้าน"),
            ("indicator", "ตัวชี้วัด"),
            ("target", "เป้าหมาย"),
            ("actual", "ผลการดำเนินงาน"),
            ("fiscal_year", "ปีงบประมาณ"),
        ],
    ),
    "honorees": (
        "ผู้ได้รับการเชิดชูเกียรติ",
        "หน่วยงาน องค์กรที่เสนอเชิดชูเกียรติ ผู้สนับสนุนการพัฒนาเศรษฐกิจฐานรากและประชารัฐ",
        [
            ("honoree_id", "รหัส"),
            ("organisation", "หน่วยงาน/องค์กร"),
            ("sector", "ภาค"),
            ("contribution", "ผลงานการสนับสนุน"),
            ("nominated_by", "เสนอโดยคณะทำงาน"),
            ("nominated_on", "วันที่เสนอ"),
            ("decision", "ผลการพิจารณา"),
            ("fiscal_year", "ปีงบประมาณ"),
        ],
    ),
}

ROW_COUNTS = {
    "villages": 23,
    "producers": 150,
    "buyers": 40,
    "linkages": 200,
    "target_products": 18,
    "honorees": 15,
}


@dataclass(frozen=True)
class Planted:
    """One mistake planted in the sample: where it is and the finding code it must raise."""

    register: str  # register key, e.g. "producers"
    row_id: str  # the row's ID as typed ("" for none)
    column: str  # column key ("" for a register-level finding)
    code: str  # a code of kspo_sheets.codes
    note: str  # what was planted, in English


def describe(planted: list[Planted]) -> str:
    """The planted mistakes as a Markdown table, for the docs."""
    lines = ["| register | row ID | column | code | what was planted |", "|---|---|---|---|---|"]
    for p in planted:
        lines.append(f"| {p.register} | {p.row_id} | {p.column} | {p.code} | {p.note} |")
    return "\n".join(lines)


# --- invented people, places and things ------------------------------------------------------

_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_MONTH_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")  # fmt: skip
_MONTH_FULL = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")  # fmt: skip
_AMPHOE = {"8301": "เมืองภูเก็ต", "8302": "กะทู้", "8303": "ถลาง"}
_AMPHOE_TYPED = {
    "8301": ("เมืองภูเก็ต", "อ.เมือง", "อ.เมืองภูเก็ต", "อำเภอเมืองภูเก็ต"),
    "8302": ("กะทู้", "อ.กะทู้", "อำเภอกะทู้"),
    "8303": ("ถลาง", "อ.ถลาง", "อำเภอถลาง"),
}
_TAMBON = {
    "830103": "เกาะแก้ว", "830104": "รัษฎา", "830105": "วิชิต", "830106": "ฉลอง",
    "830107": "ราไวย์", "830108": "กะรน", "830201": "กะทู้", "830202": "ป่าตอง",
    "830203": "กมลา", "830301": "เทพกระษัตรี", "830302": "ศรีสุนทร", "830303": "เชิงทะเล",
    "830304": "ป่าคลอก", "830305": "ไม้ขาว", "830306": "สาคู",
}  # fmt: skip
_FIELD_ALIAS = {"เกษตร": "ด้านเกษตร", "แปรรูป": "การแปรรูป", "ท่องเที่ยวโดยชุมชน": "ท่องเที่ยว"}

# The 23 OTOP Nawatwithi villages: (code, name, working group, in the safe-food network).
_VILLAGES: list[tuple[str, str, str, bool]] = [
    ("83030301", "บ้านบางเทา", "ท่องเที่ยวโดยชุมชน", True),
    ("83030302", "บ้านเชิงทะเล", "เกษตร", True),
    ("83030403", "บ้านบางโรง", "ท่องเที่ยวโดยชุมชน", True),
    ("83030405", "บ้านผักฉีด", "เกษตร", True),
    ("83030402", "บ้านยามู", "ท่องเที่ยวโดยชุมชน", False),
    ("83030504", "บ้านในยาง", "เกษตร", True),
    ("83030505", "บ้านท่าฉัตรไชย", "แปรรูป", False),
    ("83030601", "บ้านสาคู", "เกษตร", True),
    ("83030202", "บ้านลิพอน", "แปรรูป", False),
    ("83030103", "บ้านดอน", "เกษตร", True),
    ("83010404", "ชุมชนบ้านกู้กู", "แปรรูป", True),
    ("83020104", "บ้านกะทู้", "แปรรูป", False),
    ("83020203", "บ้านนาใน", "ท่องเที่ยวโดยชุมชน", False),
    ("83020303", "บ้านกมลา", "เกษตร", True),
    ("83020306", "บ้านนาคา", "แปรรูป", False),
    ("83010302", "บ้านสะปำ", "เกษตร", True),
    ("83010403", "บ้านเกาะสิเหร่", "ท่องเที่ยวโดยชุมชน", True),
    ("83010506", "บ้านแหลมพันวา", "ท่องเที่ยวโดยชุมชน", False),
    ("83010601", "บ้านบางคณฑี", "เกษตร", False),
    ("83010702", "ชุมชนบ้านราไวย์", "ท่องเที่ยวโดยชุมชน", True),
    ("83010801", "บ้านกะรน", "เกษตร", True),
    ("83030401", "บ้านป่าคลอก", "แปรรูป", False),
    ("83030604", "บ้านหาดสุรินทร์", "ท่องเที่ยวโดยชุมชน", False),
]
# Network villages left without a regular (ส่งประจำ) linkage, so the indicator is not 100%.
_NO_REGULAR = ("83030103", "83010403")

_FIRST_M = ("สมชาย", "ประเสริฐ", "วิชัย", "สุเทพ", "อนันต์", "บุญมี", "สมศักดิ์", "ธีระ", "มานพ", "ยุทธนา", "อับดุลเลาะ", "สุริยา")  # fmt: skip
_FIRST_F = ("สมศรี", "มาลี", "วันเพ็ญ", "จันทร์เพ็ญ", "สุนีย์", "ปราณี", "กัลยา", "รัตนา", "อัมพร", "นงลักษณ์", "ฮาลีเมาะ", "ละเอียด")  # fmt: skip
_SURNAMES = ("ใจดี", "ทองคำ", "แซ่ตัน", "หลีกภัย", "ณ ถลาง", "บุญส่ง", "เกิดทรัพย์", "ศรีสมุทร", "หมัดหลี", "แก้วมณี", "ทะเลลึก", "ปานแก้ว", "สุวรรณรัตน์", "จันทร์หอม")  # fmt: skip
_PRODUCTS = {
    "พืชผัก": ("ผักเหลียง", "ผักบุ้ง", "ผักกาดหอม", "ถั่วฝักยาว", "พริกขี้หนู", "ผักสลัดไฮโดรโปนิกส์", "มะเขือเปราะ"),
    "ผลไม้": ("สับปะรดภูเก็ต", "ทุเรียนบ้าน", "มังคุด", "เงาะ", "มะพร้าวน้ำหอม", "กล้วยหอม"),
    "ประมง": ("กุ้งมังกร", "ปลากะพงขาว", "หอยนางรม", "ปูดำ", "หอยแมลงภู่", "ปลาเก๋า"),
    "ปศุสัตว์": ("ไข่ไก่", "ไก่พื้นเมือง", "เป็ดเนื้อ", "แพะเนื้อ"),
    "ข้าว": ("ข้าวไร่ดอกข่า", "ข้าวเหนียวดำ", "ข้าวกล้องหอมมะลิ"),
    "อื่นๆ": ("เห็ดนางฟ้า", "น้ำผึ้งชันโรง", "เห็ดแครง"),
}  # fmt: skip
_PRICE = {"พืชผัก": 45, "ผลไม้": 60, "ประมง": 280, "ปศุสัตว์": 90, "ข้าว": 55, "อื่นๆ": 120}
_GROUP_KINDS = {
    "วิสาหกิจชุมชน": ("วิสาหกิจชุมชนกลุ่มแม่บ้าน{v}", "วิสาหกิจชุมชนผักปลอดภัย{v}"),
    "กลุ่มเกษตรกร": ("กลุ่มเกษตรกรทำสวน{v}", "กลุ่มประมงพื้นบ้าน{v}"),
    "สหกรณ์": ("สหกรณ์การเกษตร{v} จำกัด",),
}
_BUYERS: list[tuple[str, str, str]] = [
    ("โรงพยาบาลวชิระภูเก็ต", "โรงพยาบาล", "8301"),
    ("โรงพยาบาลป่าตอง", "โรงพยาบาล", "8302"),
    ("โรงพยาบาลถลาง", "โรงพยาบาล", "8303"),
    ("โรงพยาบาลส่งเสริมสุขภาพตำบลเชิงทะเล", "โรงพยาบาล", "8303"),
    ("โรงพยาบาลส่งเสริมสุขภาพตำบลกมลา", "โรงพยาบาล", "8302"),
    ("โรงพยาบาลส่งเสริมสุขภาพตำบลราไวย์", "โรงพยาบาล", "8301"),
    ("โรงเรียนบ้านบางเทา", "โรงเรียน", "8303"),
    ("โรงเรียนบ้านป่าคลอก", "โรงเรียน", "8303"),
    ("โรงเรียนบ้านกะทู้", "โรงเรียน", "8302"),
    ("โรงเรียนบ้านกมลา", "โรงเรียน", "8302"),
    ("โรงเรียนบ้านราไวย์", "โรงเรียน", "8301"),
    ("โรงเรียนบ้านฉลอง", "โรงเรียน", "8301"),
    ("โรงเรียนเทศบาลบ้านสะปำ", "โรงเรียน", "8301"),
    ("โรงเรียนบ้านสาคู", "โรงเรียน", "8303"),
    ("โรงเรียนบ้านเชิงทะเล", "โรงเรียน", "8303"),
    ("โรงแรมอันดามันซีวิว", "โรงแรม", "8302"),
    ("ภูเก็ตบีชรีสอร์ท", "โรงแรม", "8302"),
    ("โรงแรมบางเทาลากูน", "โรงแรม", "8303"),
    ("โรงแรมกะรนบุรี", "โรงแรม", "8301"),
    ("โรงแรมเมืองเก่าภูเก็ต", "โรงแรม", "8301"),
    ("ไม้ขาวบีชวิลล่า", "โรงแรม", "8303"),
    ("โรงแรมกมลาเบย์", "โรงแรม", "8302"),
    ("โรงแรมราไวย์พาร์ค", "โรงแรม", "8301"),
    ("โรงแรมป่าตองการ์เด้น", "โรงแรม", "8302"),
    ("ศรีสุนทรรีสอร์ท", "โรงแรม", "8303"),
    ("โรงแรมในหานซีบรีซ", "โรงแรม", "8301"),
    ("โรงแรมเชิงทะเลพาเลซ", "โรงแรม", "8303"),
    ("ร้านป้าแดงอาหารใต้", "ร้านอาหาร", "8301"),
    ("ร้านครัวบ้านกะทู้", "ร้านอาหาร", "8302"),
    ("ร้านหมี่ต้นโพธิ์", "ร้านอาหาร", "8301"),
    ("ร้านข้าวแกงบ้านดอน", "ร้านอาหาร", "8303"),
    ("ร้านซีฟู้ดราไวย์", "ร้านอาหาร", "8301"),
    ("ร้านโกปี๊เมืองเก่า", "ร้านอาหาร", "8301"),
    ("ร้านอาหารบ้านสวนถลาง", "ร้านอาหาร", "8303"),
    ("ร้านเต้าส้อแม่จู", "ร้านอาหาร", "8301"),
    ("ครัวกมลา", "ร้านอาหาร", "8302"),
    ("ร้านปลาเผาป่าคลอก", "ร้านอาหาร", "8303"),
    ("ร้านก๋วยเตี๋ยวป่าตอง", "ร้านอาหาร", "8302"),
    ("ร้านอาหารทะเลบางโรง", "ร้านอาหาร", "8303"),
    ("ร้านสลัดสวนผักฉลอง", "ร้านอาหาร", "8301"),
]
_BUYER_TYPE_TYPED = {"โรงพยาบาล": ("โรงพยาบาล", "รพ."), "โรงเรียน": ("โรงเรียน", "รร.")}
# Target products: (name, field, village index or None, indicator, target).
_TARGETS: list[tuple[str, str, int | None, str, int]] = [
    ("สับปะรดภูเก็ตปลอดภัย", "เกษตร", 5, "ปริมาณผลผลิต (กก.)", 12000),
    ("ผักเหลียงอินทรีย์", "เกษตร", 3, "รายได้ (บาท)", 250000),
    ("ทุเรียนบ้านกมลา", "เกษตร", 13, "รายได้ (บาท)", 400000),
    ("ข้าวไร่ดอกข่า", "เกษตร", 7, "ปริมาณผลผลิต (กก.)", 3000),
    ("ไข่ไก่อารมณ์ดี", "เกษตร", 1, "จำนวนสมาชิก (คน)", 25),
    ("กุ้งมังกรเลี้ยงในกระชัง", "เกษตร", 19, "รายได้ (บาท)", 900000),
    ("น้ำพริกกุ้งเสียบ", "แปรรูป", 10, "รายได้ (บาท)", 180000),
    ("ผ้าบาติกลายชุมชน", "แปรรูป", 11, "รายได้ (บาท)", 150000),
    ("ขนมเต้าส้อ", "แปรรูป", None, "ยอดจำหน่าย (ชิ้น)", 20000),
    ("สบู่น้ำมันมะพร้าว", "แปรรูป", 14, "รายได้ (บาท)", 80000),
    ("ปลาเค็มบ้านบางโรง", "แปรรูป", 2, "ปริมาณผลผลิต (กก.)", 1500),
    ("กาแฟโบราณบ้านลิพอน", "แปรรูป", 8, "รายได้ (บาท)", 120000),
    ("ท่องเที่ยวชุมชนบ้านบางเทา", "ท่องเที่ยวโดยชุมชน", 0, "จำนวนนักท่องเที่ยว (คน)", 3000),
    ("ล่องเรือชมป่าชายเลนบ้านบางโรง", "ท่องเที่ยวโดยชุมชน", 2, "จำนวนนักท่องเที่ยว (คน)", 2500),
    ("โฮมสเตย์เกาะสิเหร่", "ท่องเที่ยวโดยชุมชน", 16, "รายได้ (บาท)", 350000),
    ("ตลาดชุมชนบ้านยามู", "ท่องเที่ยวโดยชุมชน", 4, "จำนวนนักท่องเที่ยว (คน)", 5000),
    ("เส้นทางจักรยานแหลมพันวา", "ท่องเที่ยวโดยชุมชน", 17, "จำนวนนักท่องเที่ยว (คน)", 1200),
    ("วิถีชาวเลราไวย์", "ท่องเที่ยวโดยชุมชน", 19, "รายได้ (บาท)", 500000),
]
_HONOREES: list[tuple[str, str, str, str]] = [
    ("สำนักงานเกษตรจังหวัดภูเก็ต", "ภาครัฐ", "เกษตร", "ส่งเจ้าหน้าที่ตรวจรับรองแปลง GAP ให้เกษตรกรในหมู่บ้านเป้าหมายทุกเดือน"),
    ("มหาวิทยาลัยราชภัฏภูเก็ต", "สถาบันการศึกษา", "แปรรูป", "พัฒนาบรรจุภัณฑ์และฉลากสินค้าแปรรูปให้กลุ่มวิสาหกิจชุมชน 12 กลุ่ม"),
    ("ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร สาขาภูเก็ต", "รัฐวิสาหกิจ", "เกษตร", "จัดสินเชื่อดอกเบี้ยต่ำให้ผู้ผลิตในเครือข่ายอาหารปลอดภัย"),
    ("หอการค้าจังหวัดภูเก็ต", "ภาคเอกชน", "ท่องเที่ยวโดยชุมชน", "เชื่อมโยงชุมชนท่องเที่ยวกับผู้ประกอบการนำเที่ยวและจัดงานแสดงสินค้า"),
    ("สมาคมโรงแรมไทย ภาคใต้ฝั่งอันดามัน", "ภาคเอกชน", "เกษตร", "ชักชวนโรงแรมสมาชิกรับซื้อผักและผลไม้ปลอดภัยจากชุมชนเป็นประจำ"),
    ("บริษัท ประชารัฐรักสามัคคี ภูเก็ต (วิสาหกิจเพื่อสังคม) จำกัด", "ภาคเอกชน", "แปรรูป", "เป็นพี่เลี้ยงด้านการตลาดและช่องทางจำหน่ายออนไลน์ให้ชุมชน"),
    ("สำนักงานพัฒนาชุมชนจังหวัดภูเก็ต", "ภาครัฐ", "ท่องเที่ยวโดยชุมชน", "ประสานงานชุมชนท่องเที่ยว OTOP นวัตวิถี 23 หมู่บ้านและจัดอบรมมัคคุเทศก์ชุมชน"),
    ("มูลนิธิชุมชนท้องถิ่นพัฒนา ภูเก็ต", "ภาคประชาสังคม", "ท่องเที่ยวโดยชุมชน", "จัดเวทีแลกเปลี่ยนเรียนรู้และทำแผนท่องเที่ยวชุมชนร่วมกับชาวบ้าน"),
    ("การไฟฟ้าส่วนภูมิภาคจังหวัดภูเก็ต", "รัฐวิสาหกิจ", "แปรรูป", "ติดตั้งระบบโซลาร์เซลล์ให้โรงเรือนแปรรูปของกลุ่มแม่บ้าน"),
    ("สำนักงานสาธารณสุขจังหวัดภูเก็ต", "ภาครัฐ", "เกษตร", "ผลักดันโรงพยาบาลในจังหวัดให้ใช้วัตถุดิบจากเครือข่ายอาหารปลอดภัย"),
    ("วิทยาลัยเทคนิคภูเก็ต", "สถาบันการศึกษา", "แปรรูป", "ออกแบบและผลิตเครื่องซีลสุญญากาศให้กลุ่มแปรรูปอาหารทะเล"),
    ("ชมรมร้านอาหารปลอดภัยภูเก็ต", "ภาคประชาสังคม", "เกษตร", "รวบรวมคำสั่งซื้อของร้านอาหารสมาชิกส่งตรงถึงกลุ่มผู้ผลิต"),
    ("ธนาคารออมสิน ภาค 17", "รัฐวิสาหกิจ", "ท่องเที่ยวโดยชุมชน", "สนับสนุนงบปรับปรุงโฮมสเตย์และป้ายสื่อความหมายในชุมชน"),
]  # fmt: skip


def _thai(text: str) -> str:
    return text.translate(_THAI_DIGITS)


def _be(d: dt.date) -> int:
    return d.year + 543


@dataclass
class _Builder:
    rng: random.Random
    as_of: dt.date
    rows: dict[str, list[dict[str, Any] | None]] = field(default_factory=dict)
    planted: list[Planted] = field(default_factory=list)
    national_ids: set[str] = field(default_factory=set)

    # --- values typed the ways people type them --------------------------------------------

    def date(self, d: dt.date) -> Any:
        """A date as one of the forms staff type, or a real date cell."""
        day, month, year = d.day, d.month, _be(d)
        forms: list[Callable[[], Any]] = [
            lambda: f"{day:02d}/{month:02d}/{year}",
            lambda: f"{day:02d}/{month:02d}/{year}",
            lambda: f"{day}/{month}/{year % 100:02d}",
            lambda: f"{day} {_MONTH_ABBR[month - 1]} {year}",
            lambda: f"{day} {_MONTH_ABBR[month - 1]} {year % 100:02d}",
            lambda: f"{day} {_MONTH_FULL[month - 1]} {year}",
            lambda: _thai(f"{day:02d}/{month:02d}/{year}"),
            lambda: d,
            lambda: d,
        ]
        return self.rng.choice(forms)()

    def phone(self, landline: float = 0.2) -> str:
        r = self.rng
        if r.random() < landline:
            d = "076" + r.choice("2345") + "".join(r.choice("0123456789") for _ in range(5))
            forms = [f"{d[:3]}-{d[3:6]}-{d[6:]}", f"{d[:3]} {d[3:]}", d, f"0-{d[1:5]}-{d[5:]}"]
        else:
            d = "0" + r.choice("689") + "".join(r.choice("0123456789") for _ in range(8))
            forms = [
                f"{d[:3]}-{d[3:6]}-{d[6:]}",
                f"{d[:3]}-{d[3:6]}-{d[6:]}",
                d,
                f"{d[:3]} {d[3:6]} {d[6:]}",
                f"+66 {d[1:3]} {d[3:6]} {d[6:]}",
                f"{d[:3]}-{d[3:]}",
                _thai(f"{d[:3]}-{d[3:6]}-{d[6:]}"),
            ]
        return r.choice(forms)

    def national_id(self) -> str:
        while True:
            first12 = self.rng.choice("13") + "".join(
                self.rng.choice("0123456789") for _ in range(11)
            )
            digits = make_valid_id(first12)
            if digits not in self.national_ids:
                self.national_ids.add(digits)
                return digits

    def typed_id(self, digits: str) -> str:
        return self.rng.choice(
            [
                format_national_id(digits),
                digits,
                digits,
                f"{digits[0]} {digits[1:5]} {digits[5:10]} {digits[10:12]} {digits[12]}",
            ]
        )

    def person(self) -> str:
        if self.rng.random() < 0.5:
            first, title = self.rng.choice(_FIRST_M), "นาย"
        else:
            first, title = self.rng.choice(_FIRST_F), self.rng.choice(("นาง", "นางสาว"))
        return f"{title}{first} {self.rng.choice(_SURNAMES)}"

    def plant(self, register: str, row: dict[str, Any], column: str, code: str, note: str) -> None:
        id_key = LAYOUT[register][2][0][0]
        self.planted.append(Planted(register, str(row.get(id_key) or ""), column, code, note))

    def days(self, lo: int, hi: int) -> dt.date:
        return self.as_of + dt.timedelta(days=self.rng.randint(lo, hi))


def _villages(b: _Builder) -> list[dict[str, Any]]:
    r = b.rng
    out: list[dict[str, Any]] = []
    for code, name, group, network in _VILLAGES:
        amphoe = code[:4]
        tambon = _TAMBON[code[:6]]
        moo = int(code[6:])
        out.append(
            {
                "village_id": code if r.random() < 0.8 else int(code),
                "name": name,
                "moo": r.choice([moo, moo, str(moo), _thai(str(moo))]),
                "tambon": r.choice([tambon, tambon, "ต." + tambon]),
                "amphoe": r.choice(_AMPHOE_TYPED[amphoe]),
                "nawatwithi": r.choice(["ใช่", "ใช่", "ใช่", "✓"]),
                "safe_food_network": "ใช่" if network else r.choice(["ไม่ใช่", "ไม่ใช่", ""]),
                "joined_on": b.date(b.days(-18, 0)) if network else None,
                "working_group": group,
                "coordinator": b.person(),
                "phone": b.phone(0.1),
                "note": "",
            }
        )
    v = {code: row for (code, *_), row in zip(_VILLAGES, out, strict=True)}
    v["83030302"]["nawatwithi"] = "ไม่ใช่"  # a network village outside OTOP Nawatwithi: no error
    v["83030301"]["note"] = '=HYPERLINK("https://www.facebook.com/bangtao.otop","เพจชุมชน")'
    v["83030403"]["note"] = "+66 81 234 5678 (ไลน์กลุ่ม)"
    v["83010601"]["note"] = "@ร้านป้าแดง รับผักทุกวันพุธ"
    v["83010404"]["note"] = "ชุมชนเข้มแข็ง มีตลาดนัดทุกวันอาทิตย์"

    # (village, values typed, column, code, what was planted)
    # fmt: off
    plants: list[tuple[str, dict[str, Any], str, str, str]] = [
        ("83030401", {"village_id": "8303041"}, "village_id", "village.code_format", "7-digit village code (a digit dropped)"),
        ("83030604", {"village_id": "84030604"}, "village_id", "village.code_province", "code starts 84 (Surat Thani), not 83"),
        ("83010601", {"tambon": "ราไวย์"}, "tambon", "village.code_tambon", "tambon Rawai, but the code is Chalong's"),
        ("83030202", {"moo": 5}, "moo", "village.moo_mismatch", "moo 5 where the code ends in 02"),
        ("83020104", {"moo": 104}, "moo", "number.range", "moo 104, outside 1-99 (unparsed, so no moo_mismatch)"),
        ("83020203", {"tambon": "ป่าตอ"}, "tambon", "place.tambon_unknown", "near miss of ป่าตอง"),
        ("83020306", {"tambon": "เชิงทะเล", "amphoe": "กะทู้"}, "tambon", "place.tambon_unknown", "เชิงทะเล is in Thalang, not Kathu"),
        ("83010801", {"joined_on": None}, "joined_on", "required.missing", "network village with no joining date"),
        ("83010403", {"joined_on": b.date(b.days(100, 160))}, "joined_on", "date.future", "joining date after the run date"),
        ("83030402", {"phone": r.randint(810000000, 899999999)}, "phone", "phone.missing_zero", "mobile typed as a number, 0 lost"),
    ]
    # fmt: on
    for code, values, column, finding, note in plants:
        v[code].update(values)
        b.plant("villages", v[code], column, finding, note)
    return out


_KINDS = (("บุคคล", 70), ("วิสาหกิจชุมชน", 13), ("กลุ่มเกษตรกร", 11), ("สหกรณ์", 6))
_CATEGORIES = (("พืชผัก", 35), ("ผลไม้", 20), ("ประมง", 18), ("ปศุสัตว์", 12), ("ข้าว", 7), ("อื่นๆ", 8))  # fmt: skip
_CERTS = (("GAP", 45), ("เกษตรอินทรีย์", 10), ("PGS", 10), ("อยู่ระหว่างขอรับรอง", 15), ("ไม่มี", 20))  # fmt: skip
_CERTIFIED = ("GAP", "เกษตรอินทรีย์", "PGS")
# Rows of ผู้ผลิต whose ID is planted wrong (0-based): nothing links to them.
_P_BAD_FORMAT, _P_DUP_FIRST, _P_DUP_SECOND = 11, 148, 149


def _pick(r: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return r.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _producers(b: _Builder) -> tuple[list[dict[str, Any]], list[str], list[list[str]]]:
    """The producers, each one's village code, and each one's product list."""
    r = b.rng
    bad = {"83030401", "83030604"}  # villages whose own code is planted wrong
    codes = [c for c, *_ in _VILLAGES if c not in bad]
    network = [c for c, _, _, net in _VILLAGES if net]
    plain = [c for c in codes if c not in network]
    n = ROW_COUNTS["producers"]
    special = (_P_BAD_FORMAT, _P_DUP_FIRST, _P_DUP_SECOND)
    # Every network village gets producers; rows with planted IDs sit outside the network.
    spread = network + r.choices(codes, [4 if c in network else 1 for c in codes], k=n - 3 - len(network))  # fmt: skip
    r.shuffle(spread)
    for i in special:
        spread.insert(i, r.choice(plain))
    names = {c: name for c, name, *_ in _VILLAGES}
    rows: list[dict[str, Any]] = []
    products: list[list[str]] = []
    anchors: dict[str, int] = {}
    for i, code in enumerate(spread):
        kind = _pick(r, _KINDS)
        place = names[code].removeprefix("ชุมชน").removeprefix("บ้าน")
        category = _pick(r, _CATEGORIES)
        items = r.sample(_PRODUCTS[category], k=r.choice((1, 1, 2)))
        cert = _pick(r, _CERTS)
        if code in network and code not in anchors and i not in special:
            anchors[code] = i  # a certified producer in every network village
            cert = "GAP"
        if category == "ประมง":
            area: Any = None
        else:
            area = r.choice(
                [
                    r.randint(1, 25),
                    round(r.uniform(0.5, 12), 1),
                    f"{r.randint(0, 15)}-{r.randint(0, 3)}-{r.randint(0, 99)}",
                    _thai(str(r.randint(1, 9))),
                ]
            )
        kg = r.randint(30, 1500)
        row = {
            "producer_id": f"P-{i + 1:04d}",
            "village_id": code if r.random() < 0.85 else int(code),
            "name": b.person() if kind == "บุคคล" else r.choice(_GROUP_KINDS[kind]).format(v=place),
            "kind": "วสช." if kind == "วิสาหกิจชุมชน" and r.random() < 0.3 else kind,
            "national_id": b.typed_id(b.national_id()) if kind == "บุคคล" else None,
            "phone": b.phone(),
            "category": "ผัก" if category == "พืชผัก" and r.random() < 0.15 else category,
            "products": ", ".join(items),
            "certification": "-" if cert == "ไม่มี" and r.random() < 0.3 else cert,
            "cert_expiry": b.date(b.days(120, 900)) if cert in _CERTIFIED else None,
            "area_rai": area,
            "monthly_kg": r.choice([kg, kg, f"{kg:,}", _thai(str(kg)), f"{kg} กก."]),
            "consent": _pick(r, (("ใช่", 80), ("ไม่ใช่", 10), ("Y", 5), ("✓", 5))),
        }
        rows.append(row)
        products.append(items)
    rows[_P_BAD_FORMAT]["producer_id"] = f"p-{_P_BAD_FORMAT + 1}"
    b.plant(
        "producers",
        rows[_P_BAD_FORMAT],
        "producer_id",
        "id.format",
        "lower-case ID without zero padding",
    )
    rows[_P_DUP_SECOND]["producer_id"] = rows[_P_DUP_FIRST]["producer_id"]
    for i in (_P_DUP_FIRST, _P_DUP_SECOND):
        b.plant(
            "producers", rows[i], "producer_id", "id.duplicate", "the same ID typed on two rows"
        )
    rows[3]["products"] = f"-5 กก. จากเดิม ({products[3][0]})"  # text, though it starts with -

    pool = [i for i in range(n) if i not in special and i not in anchors.values()]
    picks = iter(r.sample(pool, 20))

    def take(**values: Any) -> dict[str, Any]:
        row = rows[next(picks)]
        if values.pop("person", False) and row["kind"] != "บุคคล":
            row.update(kind="บุคคล", name=b.person(), national_id=b.typed_id(b.national_id()))
        if "certification" in values:
            values.setdefault("cert_expiry", None)
        row.update(values)
        return row

    twelve = b.national_id()[:12]
    good = b.national_id()
    same = b.national_id()
    expired = b.days(-200, -30)
    # (values typed on a clean row, column, code, what was planted)
    # fmt: off
    plants: list[tuple[dict[str, Any], str, str, str]] = [
        ({"village_id": "83010299"}, "village_id", "ref.missing", "village 83010299 is not in หมู่บ้าน"),
        ({"person": True, "national_id": f"{twelve[0]}-{twelve[1:5]}-{twelve[5:10]}-{twelve[10:]}"},
         "national_id", "national_id.invalid", "12 digits"),
        ({"person": True, "national_id": good[:12] + str((int(good[12]) + 1) % 10)},
         "national_id", "national_id.checksum", "13 digits, wrong check digit"),
        ({"person": True, "national_id": format_national_id(same)},
         "national_id", "value.duplicate", "same national ID on two rows (typed with dashes)"),
        ({"person": True, "national_id": same},
         "national_id", "value.duplicate", "same national ID on two rows (typed plain)"),
        ({"name": ""}, "name", "required.missing", "blank name"),
        ({"person": True, "national_id": None}, "national_id", "required.missing", "person with no national ID"),
        ({"certification": "GAP"}, "cert_expiry", "required.missing", "GAP with no expiry date"),
        ({"phone": "0812"}, "phone", "phone.invalid", "4-digit phone"),
        ({"phone": r.randint(810000000, 899999999)}, "phone", "phone.missing_zero", "mobile as a number, 0 lost"),
        ({"category": "เครื่องดื่ม", "products": "น้ำสมุนไพรพร้อมดื่ม"}, "category", "enum.invalid", "category not in the list"),
        ({"certification": "GAP", "cert_expiry": f"{expired.day:02d}/{expired.month:02d}/{_be(expired)}"},
         "cert_expiry", "cert.expired", "GAP expired (typed date)"),
        ({"certification": "เกษตรอินทรีย์", "cert_expiry": b.days(-120, -1)},
         "cert_expiry", "cert.expired", "organic certificate expired (date cell)"),
        ({"certification": "PGS", "cert_expiry": b.date(b.days(20, 80))},
         "cert_expiry", "cert.expiring", "PGS expiring within 90 days"),
        ({"area_rai": "5-7-30"}, "area_rai", "area.invalid", "7 ngan (max 3)"),
        ({"monthly_kg": "ประมาณร้อย"}, "monthly_kg", "number.invalid", "words, not a number"),
        ({"monthly_kg": -50}, "monthly_kg", "number.negative", "-50 kg a month"),
        ({"consent": "อาจจะ"}, "consent", "yesno.invalid", "'maybe' for consent"),
        ({"certification": "GAP", "cert_expiry": "ไม่ทราบ"}, "cert_expiry", "date.invalid", "'unknown' as a date"),
        ({"certification": "PGS", "cert_expiry": "31/02/2563"}, "cert_expiry", "date.impossible", "31 February"),
    ]
    # fmt: on
    for values, column, code, note in plants:
        b.plant("producers", take(**values), column, code, note)
    return rows, spread, products


def _buyers(b: _Builder) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The buyers and the first buyer ID of each type (kept clean, for regular linkages)."""
    r = b.rng
    order = list(_BUYERS)
    r.shuffle(order)
    rows: list[dict[str, Any]] = []
    first: dict[str, str] = {}
    for i, (name, kind, amphoe) in enumerate(order):
        bid = f"B-{i + 1:03d}"
        contact = b.person()
        if kind != "ร้านอาหาร" and r.random() < 0.4:
            contact = r.choice(("ฝ่ายโภชนาการ", "แผนกจัดซื้อ"))
        first.setdefault(kind, bid)
        rows.append(
            {
                "buyer_id": bid,
                "name": name,
                "buyer_type": r.choice(_BUYER_TYPE_TYPED.get(kind, (kind,))),
                "amphoe": r.choice(_AMPHOE_TYPED[amphoe]),
                "contact": contact,
                "phone": b.phone(0.1 if kind == "ร้านอาหาร" else 0.6),
            }
        )
    spare = [row for row in rows if row["buyer_id"] not in first.values()]
    row_a, row_b, row_c = r.sample(spare, 3)
    row_a["amphoe"] = "หาดใหญ่"
    b.plant("buyers", row_a, "amphoe", "place.amphoe_unknown", "Hat Yai is in Songkhla")
    row_b["buyer_type"] = "ตลาด"
    b.plant("buyers", row_b, "buyer_type", "enum.invalid", "'market' is not one of the 4 ร")
    row_c["phone"] = "076-21"
    b.plant("buyers", row_c, "phone", "phone.invalid", "5-digit phone")
    return rows, first


def _money(r: random.Random, baht: float) -> Any:
    whole = round(baht / 50) * 50
    return r.choice(
        [
            f"{whole:,}",
            str(whole),
            whole,
            f"{whole:,} บาท",
            f"{whole + 0.5:,.2f}",
            _thai(f"{whole:,}"),
        ]
    )


def _linkages(
    b: _Builder,
    producers: list[dict[str, Any]],
    spread: list[str],
    products: list[list[str]],
    first_buyer: dict[str, str],
    buyers: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    r = b.rng
    special = (_P_BAD_FORMAT, _P_DUP_FIRST, _P_DUP_SECOND)
    good = [i for i in range(len(producers)) if i not in special]
    network = [c for c, _, _, net in _VILLAGES if net and c not in _NO_REGULAR]
    buyer_ids = [row["buyer_id"] for row in buyers]
    regular_buyers = list(first_buyer.values())
    category = {
        p: next(c for c, items in _PRODUCTS.items() if products[p][0] in items) for p in good
    }
    links: list[tuple[int, str, str, bool]] = []  # producer index, buyer, status, guaranteed
    for k, code in enumerate(network):
        p = next(i for i in good if spread[i] == code)
        buyer = regular_buyers[k] if k < len(regular_buyers) else r.choice(buyer_ids)
        links.append((p, buyer, "ส่งประจำ", True))
    statuses = (("ส่งประจำ", 55), ("ทดลองส่ง", 20), ("เจรจา", 15), ("ยุติ", 10))
    while len(links) < ROW_COUNTS["linkages"]:
        p = r.choice(good)
        status = _pick(r, statuses)
        if status == "ส่งประจำ" and spread[p] in _NO_REGULAR:
            status = "ทดลองส่ง"
        links.append((p, r.choice(buyer_ids), status, False))
    starts = sorted(b.days(-420, -3) for _ in links)
    r.shuffle(links)
    rows: list[dict[str, Any]] = []
    for i, ((p, buyer, status, _), start) in enumerate(zip(links, starts, strict=True)):
        kg = r.randint(20, 400) if status != "เจรจา" else None
        price = _PRICE[category[p]] * r.uniform(0.8, 1.2)
        typed_status = "ประจำ" if status == "ส่งประจำ" and r.random() < 0.08 else status
        rows.append(
            {
                "linkage_id": f"L-{i + 1:04d}",
                "producer_id": producers[p]["producer_id"],
                "buyer_id": buyer,
                "product": r.choice(products[p]),
                "monthly_kg": kg if kg is None or r.random() < 0.8 else f"{kg} กก.",
                "monthly_baht": None if kg is None else _money(r, kg * price),
                "started_on": b.date(start),
                "status": typed_status,
            }
        )
    guaranteed = {i for i, link in enumerate(links) if link[3]}
    picks = iter(r.sample([i for i in range(len(rows)) if i not in guaranteed], 9))

    def plant(column: str, value: Any, code: str, note: str) -> None:
        row = rows[next(picks)]
        row[column] = value
        b.plant("linkages", row, column, code, note)

    ce, bc = b.days(-300, -30), b.days(-300, -30)
    # fmt: off
    plant("producer_id", "P-9999", "ref.missing", "producer P-9999 does not exist")
    plant("producer_id", "P0012", "id.format", "producer ID without the dash")
    plant("status", "รอ", "enum.invalid", "status not in the list")
    plant("monthly_baht", "ห้าพันบาท", "money.invalid", "amount in words")
    plant("started_on", f"{ce.day:02d}/{ce.month:02d}/{ce.year}", "date.ce_year", "CE year in a BE column")
    plant("started_on", f"{bc.day:02d}/{bc.month:02d}/{_be(bc) + 543}", "date.double_converted", "BE year + 543 again")
    plant("started_on", "29/02/2561", "date.impossible", "29 February in a non-leap year")
    plant("started_on", "ต้นปี 62", "date.invalid", "'early 62' is not a date")
    plant("product", "", "required.missing", "blank product")
    # fmt: on
    return rows


def _targets(b: _Builder, fy: int) -> list[dict[str, Any]]:
    r = b.rng
    rows: list[dict[str, Any]] = []
    for i, (name, fld, vidx, indicator, target) in enumerate(_TARGETS):
        actual = round(target * r.uniform(0.3, 1.3))
        unit = indicator[indicator.index("(") + 1 : -1]
        rows.append(
            {
                "product_id": f"T-{i + 1:03d}",
                "name": name,
                "field": fld if r.random() < 0.85 else _FIELD_ALIAS[fld],
                "village_id": None if vidx is None else _VILLAGES[vidx][0],
                "indicator": indicator,
                "target": r.choice([target, f"{target:,}"]),
                "actual": r.choice([actual, f"{actual:,}", f"{actual:,} {unit}"]),
                "fiscal_year": r.choice([fy, fy, str(fy), _thai(str(fy))])
                if i not in (3, 9)
                else fy - 1,
            }
        )
    rows[1]["fiscal_year"] = fy - 543
    b.plant("target_products", rows[1], "fiscal_year", "year.ce", "fiscal year typed in CE")
    rows[7]["fiscal_year"] = f"{fy}-{fy + 1}"
    b.plant("target_products", rows[7], "fiscal_year", "year.invalid", "a span of two years")
    rows[14]["target"] = 0
    b.plant("target_products", rows[14], "target", "number.not_positive", "target of 0")
    return rows


def _honorees(b: _Builder, fy: int) -> list[dict[str, Any]]:
    r = b.rng
    entries = [
        *_HONOREES,
        ("สำนักงานพาณิชย์จังหวัดภูเก็ต", "ภาครัฐ", "แปรรูป", "จัดพื้นที่ตลาดประชารัฐให้ชุมชนนำสินค้าแปรรูปมาจำหน่ายทุกสัปดาห์"),
    ]  # fmt: skip
    meeting = b.as_of - dt.timedelta(days=11)  # the working groups met on 30/08/2562
    decisions = ["อนุมัติ"] * 8 + ["รอพิจารณา"] * 5 + ["ไม่อนุมัติ"] * 2
    r.shuffle(decisions)
    rows: list[dict[str, Any]] = []
    for org, sector, group, contribution in entries:
        rows.append(
            {
                "honoree_id": "",
                "organisation": org,
                "sector": sector,
                "contribution": contribution,
                "nominated_by": group,
                "nominated_on": b.date(meeting if r.random() < 0.7 else b.days(-40, -5)),
                "decision": "",
                "fiscal_year": fy,
            }
        )
    again = dict(rows[1], organisation="มหาวิทยาลัยราชภัฏ ภูเก็ต", nominated_by="ท่องเที่ยวโดยชุมชน",
                 contribution="อบรมการเล่าเรื่องและสื่อออนไลน์ให้ชุมชนท่องเที่ยว")  # fmt: skip
    rows.insert(9, again)
    for i, row in enumerate(rows):
        row["honoree_id"] = f"H-{i + 1:03d}"
        row["decision"] = decisions[i]
    b.plant(
        "honorees",
        again,
        "organisation",
        "honoree.duplicate",
        "same organisation again this fiscal year",
    )
    rows[4]["nominated_on"] = "31/02/2562"
    b.plant("honorees", rows[4], "nominated_on", "date.impossible", "31 February")
    rows[12]["sector"] = "ภาคประชาชน"
    b.plant("honorees", rows[12], "sector", "enum.invalid", "sector not in the list")
    return rows


# --- the workbook --------------------------------------------------------------------------

_README = [
    "ตัวอย่างทะเบียนโครงการสร้างเครือข่ายอาหารปลอดภัยโดยกลไกประชารัฐ จังหวัดภูเก็ต",
    "ข้อมูลในไฟล์นี้สมมติขึ้นทั้งหมด (ชื่อ เบอร์โทรศัพท์ เลขประจำตัวประชาชน) ใช้ทดลองโปรแกรม kspo เท่านั้น",
    "รหัสหมู่บ้าน = รหัสตำบล 6 หลัก + หมู่ที่ 2 หลัก ตามรหัสของกรมการปกครอง",
    "มีข้อผิดพลาดที่ตั้งใจใส่ไว้ {n} จุด ลองตรวจด้วยคำสั่ง: kspo validate --source <ไฟล์นี้> --as-of {as_of}",
]
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_BLANK_AFTER = {"villages": (10,), "producers": (57, 103), "linkages": (88,), "honorees": ()}
_WIDTHS = {"name": 34, "organisation": 40, "contribution": 60, "products": 28, "note": 36}


def _write(path: Path, b: _Builder, fy: int) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    stamp = dt.datetime(b.as_of.year, b.as_of.month, b.as_of.day, 9, 0)
    wb.properties.creator = "สำนักงานพัฒนาชุมชนจังหวัดภูเก็ต"
    wb.properties.created = wb.properties.modified = stamp
    readme = wb.active
    assert readme is not None
    readme.title = "คำอธิบาย"
    for i, line in enumerate(_README, start=1):
        readme.cell(i, 1, line.format(n=len(b.planted), as_of=b.as_of.isoformat()))
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 100

    thin = Side(style="thin", color="A6A6A6")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="C6E0B4")
    for key, (tab, title, columns) in LAYOUT.items():
        ws = wb.create_sheet(tab)
        ncol = len(columns)
        ws.cell(1, 1, f"{title} จังหวัดภูเก็ต ปีงบประมาณ {fy}").font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
        for j, (ckey, header) in enumerate(columns, start=1):
            cell = ws.cell(3, j, header)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            letter = cell.column_letter
            ws.column_dimensions[letter].width = _WIDTHS.get(ckey, 16)
        ws.row_dimensions[3].height = 36
        ws.freeze_panes = "A4"
        r = 4
        for row in b.rows[key]:
            if row is not None:
                for j, (ckey, _) in enumerate(columns, start=1):
                    value = row.get(ckey)
                    cell = ws.cell(r, j)
                    cell.border = border
                    if value is None or value == "":
                        continue
                    cell.value = value
                    if isinstance(value, str):
                        # Text that starts with = + - @ stays text, as staff typed it.
                        cell.data_type = "s"
                    elif isinstance(value, dt.date):
                        cell.number_format = "d/m/yyyy" if value.day % 2 else "[$-th-TH]dd/mm/bbbb"
            r += 1
        for _ in range(3):  # rows staff formatted in advance and never filled
            for j in range(1, ncol + 1):
                ws.cell(r, j).border = border
            r += 1

    # What staff left on the sheets themselves: a highlight and a note. Syncs keep both.
    producers = wb["ผู้ผลิต"]
    producers.cell(10, 12).fill = PatternFill("solid", fgColor="FFFF00")
    linkages = wb["การเชื่อมโยง"]
    linkages.cell(9, 8).comment = Comment("รอยืนยันราคากับโรงแรมก่อนสิ้นเดือน", "สมศรี")
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_pinned(buffer.getvalue(), stamp))


def _pinned(xlsx: bytes, stamp: dt.datetime) -> bytes:
    """The workbook with its save time and zip member times fixed: one seed, one file."""
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + when.encode() + rb"\g<2>", data)
            member = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, data)
    return out.getvalue()


def _with_blanks(key: str, rows: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    out: list[dict[str, Any] | None] = list(rows)
    for i in sorted(_BLANK_AFTER.get(key, ()), reverse=True):
        out.insert(i, None)
    return out


def build_sample(path: Path, *, seed: int = 2562, as_of: dt.date = AS_OF) -> list[Planted]:
    """Write the sample workbook to `path`; return the mistakes planted in it.

    The same seed and as_of always give the same cell values. Validating the workbook with
    as_of gives exactly one finding per Planted and nothing else.
    """
    b = _Builder(random.Random(seed), as_of)
    fy = _be(as_of) + (1 if as_of.month >= 10 else 0)
    villages = _villages(b)
    producers, spread, products = _producers(b)
    buyers, first_buyer = _buyers(b)
    linkages = _linkages(b, producers, spread, products, first_buyer, buyers)
    registers = {
        "villages": villages,
        "producers": producers,
        "buyers": buyers,
        "linkages": linkages,
        "target_products": _targets(b, fy),
        "honorees": _honorees(b, fy),
    }
    b.rows = {key: _with_blanks(key, rows) for key, rows in registers.items()}
    _write(Path(path), b, fy)
    return list(b.planted)
