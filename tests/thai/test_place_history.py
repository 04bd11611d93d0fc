"""Former places: a tambon, แขวง, amphoe or เขต that was abolished, split or moved is reported
for what happened to it, from geothai's own records, never as "this is an amphoe name"."""

from __future__ import annotations

import pytest

from kspo_sheets.model import Severity
from kspo_sheets.thai.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def bangkok() -> Gazetteer:
    return Gazetteer("10")


def _code(g: Gazetteer, amphoe: str) -> str:
    a = g.parse_amphoe(amphoe)[0]
    assert a is not None
    return a.code


@pytest.mark.parametrize("typed", ["บางนา", "แขวงบางนา", "แขวง บางนา", "Bang Na"])
def test_a_split_khwaeng_names_what_took_its_place(bangkok: Gazetteer, typed: str) -> None:
    value, issue = bangkok.parse_tambon(typed, _code(bangkok, "เขตบางนา"))
    assert value is None and issue is not None
    assert (issue.code, issue.severity) == ("place.abolished", Severity.ERROR)
    assert "แขวงบางนา ถูกยกเลิกตั้งแต่ 26 ก.ค. 2560" in issue.th
    assert "แบ่งเป็นแขวงบางนาเหนือและแขวงบางนาใต้" in issue.th
    assert "บางนาเหนือ หรือ บางนาใต้" in issue.th
    assert "ยุบพื้นที่แขวงบางนา" in issue.th  # the notice that made the change
    assert "split into" in issue.en and "26 July 2017" in issue.en
    # A former tambon is never called an amphoe name.
    assert "เป็นชื่ออำเภอ" not in issue.th and "is an amphoe" not in issue.en


def test_a_khwaeng_split_in_four(bangkok: Gazetteer) -> None:
    _, issue = bangkok.parse_tambon("บางบอน", _code(bangkok, "บางบอน"))
    assert issue is not None and issue.code == "place.abolished"
    for now in ("บางบอนเหนือ", "บางบอนใต้", "คลองบางพราน", "คลองบางบอน"):
        assert now in issue.th and now in issue.en


def test_without_an_amphoe_the_latest_change_is_told(bangkok: Gazetteer) -> None:
    _, issue = bangkok.parse_tambon("บางนา", None)
    assert issue is not None and "บางนาเหนือ" in issue.th


def test_the_new_names_read(bangkok: Gazetteer) -> None:
    assert bangkok.parse_tambon("บางนาเหนือ", _code(bangkok, "บางนา"))[1] is None


def test_a_tambon_typed_with_the_amphoe_it_moved_from() -> None:
    korat = Gazetteer("30")
    value, issue = korat.parse_tambon("ท่าช้าง", "3006")  # now in เฉลิมพระเกียรติ (3032)
    assert value is None and issue is not None
    assert issue.code == "place.abolished"
    assert "ย้ายไปขึ้นกับอำเภอเฉลิมพระเกียรติ ตั้งแต่ 6 ธ.ค. 2539" in issue.th
    assert "แก้อำเภอเป็น อำเภอเฉลิมพระเกียรติ" in issue.th
    assert "moved to amphoe Chaloem Phra Kiat on 6 December 1996" in issue.en


def test_a_move_known_only_by_name_says_it_is_not_proven(bangkok: Gazetteer) -> None:
    _, issue = bangkok.parse_tambon("บางซื่อ", _code(bangkok, "ดุสิต"))
    assert issue is not None and issue.code == "place.abolished"
    assert "เขตบางซื่อ" in issue.th and "ไม่มีประกาศยืนยัน" in issue.th
    assert "no notice confirms it" in issue.en


def test_a_renamed_tambon_now_in_another_province() -> None:
    nong_khai = Gazetteer("43")
    _, issue = nong_khai.parse_tambon("หนองเข็ง", None)
    assert issue is not None and issue.code == "place.abolished"
    assert "ปัจจุบันคือตำบลโนนสว่าง" in issue.th and "จังหวัดบึงกาฬ" in issue.th
    assert "Non Sawang" in issue.en and "Bueng Kan" in issue.en


@pytest.mark.parametrize("typed", ["เซกา", "อ.เซกา", "อำเภอเซกา"])
def test_an_amphoe_moved_to_a_new_province(typed: str) -> None:
    nong_khai = Gazetteer("43")
    value, issue = nong_khai.parse_amphoe(typed)
    assert value is None and issue is not None
    assert (issue.code, issue.severity) == ("place.abolished", Severity.ERROR)
    assert "อำเภอเซกา ย้ายไปขึ้นกับจังหวัดบึงกาฬ ตั้งแต่ 23 มี.ค. 2554" in issue.th
    assert "พระราชบัญญัติตั้งจังหวัดบึงกาฬ" in issue.th
    assert "moved to Bueng Kan on 23 March 2011" in issue.en


def test_an_abolished_tambon_with_no_successor_lists_the_current_ones(bangkok: Gazetteer) -> None:
    _, issue = bangkok.parse_tambon("นางเลิ้ง", _code(bangkok, "ป้อมปราบศัตรูพ่าย"))
    assert issue is not None and issue.code == "place.abolished"
    assert "ไม่มีข้อมูลว่าแขวงใดมาแทน" in issue.th
    assert "ป้อมปราบ" in issue.th  # a current แขวง of the เขต, to choose from


def test_names_of_other_provinces_are_not_former_places_here() -> None:
    phuket = Gazetteer("83")
    _, issue = phuket.parse_tambon("บางนา", "8302")
    assert issue is not None and issue.code == "place.tambon_unknown"


def test_a_former_tambon_code_in_a_village_code() -> None:
    surat = Gazetteer("84")
    _, issue = surat.check_village_code("84080401")
    assert issue is not None and issue.code == "village.code_province"
    assert "841901" in issue.th and "ตะกุกใต้" in issue.th and "อำเภอวิภาวดี" in issue.th
    assert "Use the new tambon code 841901" in issue.en
