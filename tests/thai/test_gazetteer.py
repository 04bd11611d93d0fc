"""The gazetteer: place names and village codes as staff really type them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.errors import KspoError
from kspo_sheets.model import Formula, Severity
from kspo_sheets.thai.gazetteer import Amphoe, Gazetteer, Tambon, VillageCode, suggest

MUEANG = Amphoe("8301", "เมืองภูเก็ต")
KATHU = Amphoe("8302", "กะทู้")
THALANG = Amphoe("8303", "ถลาง")
PA_TONG = Tambon("830202", "ป่าตอง", "8302")


@pytest.fixture(scope="module")
def phuket() -> Gazetteer:
    return Gazetteer("83")


@pytest.fixture(scope="module")
def surat() -> Gazetteer:
    return Gazetteer("84")


def test_province(phuket: Gazetteer) -> None:
    assert (phuket.province_code, phuket.province_name_th, phuket.province_name_en) == (
        "83",
        "ภูเก็ต",
        "Phuket",
    )
    assert phuket.amphoe_names() == ["เมืองภูเก็ต", "กะทู้", "ถลาง"]
    assert phuket.tambon_names("8302") == ["กะทู้", "ป่าตอง", "กมลา"]
    assert phuket.tambon_names("9999") == []
    assert len(phuket.tambon_names("8301")) == 8
    assert len(phuket.tambon_names("8303")) == 6


@pytest.mark.parametrize("code", ["99", "8", "", "830", "ภูเก็ต"])
def test_unknown_province_raises_naming_the_code(code: str) -> None:
    with pytest.raises(ValueError, match=repr(code)) as info:
        Gazetteer(code)
    assert isinstance(info.value, KspoError)  # the CLI reports it as a config error


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("เมืองภูเก็ต", MUEANG),
        ("อ.เมืองภูเก็ต", MUEANG),
        ("อ.เมือง", MUEANG),
        ("อ. เมือง", MUEANG),
        ("เมือง", MUEANG),
        ("เมืองฯ", MUEANG),
        ("อำเภอเมืองภูเก็ต", MUEANG),
        ("เมือง ภูเก็ต", MUEANG),
        ("Mueang Phuket", MUEANG),
        ("mueang", MUEANG),
        ("กะทู้", KATHU),
        ("อ.กะทู้", KATHU),
        ("อ กะทู้", KATHU),
        ("อกะทู้", KATHU),
        ("อำเภอกะทู้", KATHU),
        ("อำเภอ  กะทู้ ", KATHU),
        ("เขตกะทู้", KATHU),
        ("\u00a0กะทู้\u200b", KATHU),
        ("กะ\u200bทู้", KATHU),
        ("Kathu", KATHU),
        ("KATHU", KATHU),
        ("kathu district", KATHU),
        ("Amphoe Kathu", KATHU),
        ("กะทู้ จ.ภูเก็ต", KATHU),
        ("8302", KATHU),
        (8302, KATHU),
        ("ถลาง", THALANG),
        ("อ.ถลาง", THALANG),
        ("อําเภอถลาง", THALANG),  # ํา typed for ำ
        ("Thalang", THALANG),
    ],
)
def test_parse_amphoe(phuket: Gazetteer, typed: object, expected: Amphoe) -> None:
    assert phuket.parse_amphoe(typed) == (expected, None)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("กะทุ้", "หมายถึง กะทู้?"),
        ("ถลาน", "หมายถึง ถลาง?"),
        ("หาดใหญ่", "หาดใหญ่ อยู่ในจังหวัดสงขลา ไม่ใช่จังหวัดภูเก็ต"),
        ("ป่าตอง", "ป่าตอง เป็นตำบลในอำเภอกะทู้"),
        ("ไม่รู้", "เมืองภูเก็ต, กะทู้, ถลาง"),
        ("", "ไม่ได้ระบุอำเภอ"),
        ("   ", "ไม่ได้ระบุอำเภอ"),
        (None, "ไม่ใช่ชื่ออำเภอ"),
        (1.5, "ไม่ใช่ชื่ออำเภอ"),
        (True, "ไม่ใช่ชื่ออำเภอ"),
        (dt.date(2019, 9, 10), "ไม่ใช่ชื่ออำเภอ"),
        (Formula("=A1"), "ไม่ใช่ชื่ออำเภอ"),
        ("ก" * 50_000, "ยาวเกิน"),
        ("\x00\x01\x02", "เมืองภูเก็ต, กะทู้, ถลาง"),
    ],
)
def test_unknown_amphoe(phuket: Gazetteer, typed: object, says: str) -> None:
    value, issue = phuket.parse_amphoe(typed)
    assert value is None
    assert issue is not None
    assert (issue.severity, issue.code) == (Severity.ERROR, "place.amphoe_unknown")
    assert says in issue.th
    assert issue.en


def test_unknown_amphoe_english_names_the_province_and_suggestion(phuket: Gazetteer) -> None:
    _, issue = phuket.parse_amphoe("Kathoo")
    assert issue is not None
    assert "Phuket" in issue.en and "กะทู้ (Kathu)?" in issue.en


@pytest.mark.parametrize(
    ("typed", "amphoe_code", "expected"),
    [
        ("ป่าตอง", "8302", PA_TONG),
        ("ต.ป่าตอง", "8302", PA_TONG),
        ("ต. ป่าตอง", "8302", PA_TONG),
        ("ต ป่าตอง", "8302", PA_TONG),
        ("ตำบลป่าตอง", "8302", PA_TONG),
        ("ตําบล ป่าตอง", "8302", PA_TONG),
        ("แขวงป่าตอง", "8302", PA_TONG),
        (" ป่า ตอง\u00a0", "8302", PA_TONG),
        ("Pa Tong", "8302", PA_TONG),
        ("patong", None, PA_TONG),
        ("ป่าตอง", None, PA_TONG),
        ("830202", None, PA_TONG),
        ("กะทู้", "8302", Tambon("830201", "กะทู้", "8302")),
        ("กมลา", "8302", Tambon("830203", "กมลา", "8302")),
        ("ตลาดใหญ่", "8301", Tambon("830101", "ตลาดใหญ่", "8301")),
        ("ต.ตลาดเหนือ", "8301", Tambon("830102", "ตลาดเหนือ", "8301")),
        ("ฉลอง", "8301", Tambon("830106", "ฉลอง", "8301")),
        ("ราไวย์", None, Tambon("830107", "ราไวย์", "8301")),
        ("ตำบลเชิงทะเล", "8303", Tambon("830303", "เชิงทะเล", "8303")),
        ("ไม้ขาว", "8303", Tambon("830305", "ไม้ขาว", "8303")),
        ("ป่าคลอก", None, Tambon("830304", "ป่าคลอก", "8303")),
        # an amphoe code the province does not have: the whole province is searched
        ("ป่าตอง", "9999", PA_TONG),
    ],
)
def test_parse_tambon(
    phuket: Gazetteer, typed: str, amphoe_code: str | None, expected: Tambon
) -> None:
    assert phuket.parse_tambon(typed, amphoe_code) == (expected, None)


@pytest.mark.parametrize(
    ("typed", "amphoe_code", "says"),
    [
        ("ป่าตอง", "8303", "ป่าตอง อยู่ในอำเภอกะทู้ ไม่ใช่อำเภอถลาง"),
        ("ต.ฉลอง", "8302", "ฉลอง อยู่ในอำเภอเมืองภูเก็ต ไม่ใช่อำเภอกะทู้"),
        ("ป่าตอ", "8302", "หมายถึง ป่าตอง?"),
        ("ป่าตอ", None, "หมายถึง ป่าตอง?"),
        ("ป่าตอ", "8303", "หมายถึง ป่าตอง? (อยู่ในอำเภอกะทู้)"),
        ("กมลาา", "8302", "หมายถึง กมลา?"),
        ("ถลาง", "8303", "ถลาง เป็นชื่ออำเภอ"),
        ("บางนา", "8302", "กะทู้, ป่าตอง, กมลา"),
        ("", "8302", "ไม่ได้ระบุตำบล"),
        (None, None, "ไม่ใช่ชื่อตำบล"),
        ("ข" * 50_000, "8302", "ยาวเกิน"),
    ],
)
def test_unknown_tambon(
    phuket: Gazetteer, typed: object, amphoe_code: str | None, says: str
) -> None:
    value, issue = phuket.parse_tambon(typed, amphoe_code)
    assert value is None
    assert issue is not None
    assert (issue.severity, issue.code) == (Severity.ERROR, "place.tambon_unknown")
    assert says in issue.th
    assert issue.en


def test_tambon_of_another_amphoe_in_english(phuket: Gazetteer) -> None:
    _, issue = phuket.parse_tambon("ป่าตอง", "8303")
    assert issue is not None
    assert "Kathu" in issue.en and "Thalang" in issue.en


@pytest.mark.parametrize(
    ("typed", "code8", "tambon", "moo"),
    [
        ("83020201", "83020201", PA_TONG, 1),
        ("๘๓๐๒๐๒๐๑", "83020201", PA_TONG, 1),
        (83020201, "83020201", PA_TONG, 1),
        (83020201.0, "83020201", PA_TONG, 1),
        (" 83 0202 01 ", "83020201", PA_TONG, 1),
        ("83-02-02-01", "83020201", PA_TONG, 1),
        ("8302\u00a00201", "83020201", PA_TONG, 1),
        ("83030512", "83030512", Tambon("830305", "ไม้ขาว", "8303"), 12),
    ],
)
def test_village_code(
    phuket: Gazetteer, typed: object, code8: str, tambon: Tambon, moo: int
) -> None:
    assert phuket.check_village_code(typed) == (VillageCode(code8, tambon, moo), None)


@pytest.mark.parametrize(
    ("typed", "code", "says"),
    [
        ("8302020", "village.code_format", "มี 7 หลัก"),
        ("830202011", "village.code_format", "มี 9 หลัก"),
        (8302020, "village.code_format", "มี 7 หลัก"),
        ("83020200", "village.code_format", "00"),
        ("8302O201", "village.code_format", "ไม่ใช่ตัวเลข"),
        ("", "village.code_format", "8 หลัก"),
        (None, "village.code_format", "8 หลัก"),
        (True, "village.code_format", "8 หลัก"),
        (-83020201, "village.code_format", "8 หลัก"),
        (8.30202015e7, "village.code_format", "8 หลัก"),
        (float("nan"), "village.code_format", "8 หลัก"),
        ("8" * 50_000, "village.code_format", "8 หลัก"),
        ("84010101", "village.code_province", "84 (สุราษฎร์ธานี) ไม่ใช่ 83 (ภูเก็ต)"),
        ("99010101", "village.code_province", "ไม่ใช่ 83"),
        ("83020901", "village.code_province", "830209"),
        ("83990101", "village.code_province", "839901"),
    ],
)
def test_bad_village_code(phuket: Gazetteer, typed: object, code: str, says: str) -> None:
    value, issue = phuket.check_village_code(typed)
    assert value is None
    assert issue is not None
    assert (issue.severity, issue.code) == (Severity.ERROR, code)
    assert says in issue.th
    assert issue.en


def test_by_code(phuket: Gazetteer) -> None:
    assert phuket.amphoe_by_code("8302") == KATHU
    assert phuket.tambon_by_code("830202") == PA_TONG
    assert phuket.amphoe_by_code("8401") is None
    assert phuket.tambon_by_code("840101") is None
    assert phuket.tambon_by_code(830202) is None  # type: ignore[arg-type]


# Surat Thani: nothing above is Phuket-specific.


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("อ.เมือง", Amphoe("8401", "เมืองสุราษฎร์ธานี")),
        ("เมืองฯ", Amphoe("8401", "เมืองสุราษฎร์ธานี")),
        ("เกาะสมุย", Amphoe("8404", "เกาะสมุย")),
        ("อ.เกาะพะงัน", Amphoe("8405", "เกาะพะงัน")),
        ("Ko Pha-ngan", Amphoe("8405", "เกาะพะงัน")),
        ("ko phangan", Amphoe("8405", "เกาะพะงัน")),
        ("พุนพิน", Amphoe("8417", "พุนพิน")),
    ],
)
def test_second_province_amphoe(surat: Gazetteer, typed: str, expected: Amphoe) -> None:
    assert surat.parse_amphoe(typed) == (expected, None)


def test_second_province(surat: Gazetteer, phuket: Gazetteer) -> None:
    assert surat.province_name_th == "สุราษฎร์ธานี"
    assert len(surat.amphoe_names()) == 19
    _, issue = surat.parse_amphoe("กะทู้")
    assert issue is not None and "จังหวัดภูเก็ต" in issue.th
    # อ่างทอง is a tambon of Ko Samui starting with อ: not read as the prefix อ + "่างทอง".
    assert surat.parse_tambon("อ่างทอง", "8404") == (Tambon("840401", "อ่างทอง", "8404"), None)
    assert surat.parse_tambon("ต.เกาะเต่า", "8405") == (Tambon("840503", "เกาะเต่า", "8405"), None)
    # ตลาด is a whole tambon name, ต.ลาด would not be
    assert surat.parse_tambon("ตลาด", "8401") == (Tambon("840101", "ตลาด", "8401"), None)
    vc, issue = surat.check_village_code("84050302")
    assert issue is None and vc.tambon.name_th == "เกาะเต่า" and vc.moo == 2
    assert phuket.check_village_code("84050302")[1].code == "village.code_province"  # type: ignore[union-attr]


def test_same_tambon_name_in_two_amphoe(surat: Gazetteer) -> None:
    # คลองน้อย is in both Mueang Surat Thani and Chai Buri.
    assert surat.parse_tambon("คลองน้อย", "8418") == (
        Tambon("841803", "คลองน้อย", "8418"),
        None,
    )
    value, issue = surat.parse_tambon("คลองน้อย", None)
    assert value is None and issue is not None
    assert "อำเภอเมืองสุราษฎร์ธานี" in issue.th and "อำเภอชัยบุรี" in issue.th


def test_abolished_tambon_code_points_to_the_new_one(surat: Gazetteer) -> None:
    _, issue = surat.check_village_code("84080401")
    assert issue is not None and issue.code == "village.code_province"
    assert "841901" in issue.th


def test_bangkok_khet() -> None:
    bkk = Gazetteer("10")
    bang_na = bkk.parse_amphoe("บางนา")[0]
    assert bang_na is not None and bang_na.name_th == "เขตบางนา"
    assert bkk.parse_amphoe("เขต บางนา")[0] == bang_na
    assert bkk.parse_amphoe("เมือง")[0] is None  # Bangkok has no Mueang district


def test_repeated_calls_agree(phuket: Gazetteer) -> None:
    # Results are memoised; a second call must give the same answer, hit or miss.
    for typed in ["อ.กะทู้", "กะทุ้", "หาดใหญ่"]:
        assert phuket.parse_amphoe(typed) == phuket.parse_amphoe(typed)
    assert phuket.parse_tambon("ป่าตอง", "8303") == phuket.parse_tambon("ป่าตอง", "8303")
    assert phuket.parse_tambon("ป่าตอง", "8302")[0] == PA_TONG


@pytest.mark.parametrize(
    ("name", "candidates", "expected"),
    [
        ("กะทุ้", ["เมืองภูเก็ต", "กะทู้", "ถลาง"], "กะทู้"),
        ("ป่าตอ", ["กะทู้", "ป่าตอง", "กมลา"], "ป่าตอง"),
        ("ไม่ใกล้เคียงเลย", ["กะทู้", "ป่าตอง"], None),
        ("", ["กะทู้"], None),
        ("กะทู้", [], None),
    ],
)
def test_suggest(name: str, candidates: list[str], expected: str | None) -> None:
    assert suggest(name, candidates) == expected
    assert Gazetteer.suggest(name, candidates) == expected


_odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.text(alphabet="อำเภอตำบลกะทู้ป่าตอง .-\u00a0\u200b\x00ํา๘๓"),
    st.dates(),
)


@settings(max_examples=200, deadline=None)
@given(value=_odd_values, amphoe_code=st.sampled_from([None, "8301", "8302", "xx"]))
def test_odd_input_never_raises(phuket: Gazetteer, value: object, amphoe_code: str | None) -> None:
    for parsed in (
        phuket.parse_amphoe(value),
        phuket.parse_tambon(value, amphoe_code),
        phuket.check_village_code(value),
    ):
        got, issue = parsed
        assert (got is None) != (issue is None)
