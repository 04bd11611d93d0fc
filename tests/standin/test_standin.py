"""The Sheets API stand-in: gspread works against it unchanged, it answers like Google
(shapes checked against real recordings in test_standin_conformance.py), and it misbehaves
on demand so the tool's retry and conflict handling can be tested without the internet."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import gspread
import pytest
import requests
from gspread.utils import ValueInputOption, ValueRenderOption

from kspo_sheets.standin import SheetsState, StandIn, gspread_client
from kspo_sheets.standin.a1 import format_range, parse_range
from kspo_sheets.standin.fields import apply_mask, parse_mask

REGISTER: list[list[object]] = [
    ["ชื่อ", "โทรศัพท์", "วันที่", "จำนวน"],
    ["สมชาย", "0812345678", dt.date(2024, 1, 5), 3],
    ["สมหญิง", "", dt.date(2024, 2, 1), 1.5],
]


@pytest.fixture
def register(sheets_standin: StandIn) -> str:
    return sheets_standin.state.create_spreadsheet(
        "ทะเบียนประชารัฐ", {"ทะเบียน": REGISTER, "Sheet2": [["x"]]}
    )


def api(standin: StandIn, sid: str, tail: str = "") -> str:
    return f"{standin.url}/v4/spreadsheets/{sid}{tail}"


def batch(standin: StandIn, sid: str, *requests_: dict[str, Any]) -> requests.Response:
    return requests.post(api(standin, sid, ":batchUpdate"), json={"requests": list(requests_)})


# --- gspread against the stand-in ------------------------------------------------------


def test_gspread_reads_and_writes_through_the_standin(
    sheets_standin: StandIn, register: str
) -> None:
    client = gspread_client(sheets_standin.url)
    sheet = client.open_by_key(register)
    assert [ws.title for ws in sheet.worksheets()] == ["ทะเบียน", "Sheet2"]
    ws = sheet.worksheet("ทะเบียน")
    assert ws.get_all_values() == [
        ["ชื่อ", "โทรศัพท์", "วันที่", "จำนวน"],
        ["สมชาย", "0812345678", "2024-01-05", "3"],
        ["สมหญิง", "", "2024-02-01", "1.5"],
    ]
    ws.update([["=1+1", "0899999999"]], "A5")  # RAW: text stays text, no formula
    ws.update([["=1+1", "1,234.5"]], "A6", value_input_option=ValueInputOption.user_entered)
    ws.batch_update([{"range": "D2", "values": [[4]]}])
    ws.format("A1:D1", {"textFormat": {"bold": True}, "backgroundColor": {"red": 0.5}})
    ws.append_row(["สมศรี", "0800000000"])
    state = sheets_standin.state
    # append goes under the last table (rows 5-6), not into the gap at row 4
    assert state.values(register, "ทะเบียน")[3:] == [
        [],
        ["=1+1", "0899999999"],
        ["2", "1,234.5"],
        ["สมศรี", "0800000000"],
    ]
    assert state.cell(register, "ทะเบียน", 4, 0)["userEnteredValue"] == {"stringValue": "=1+1"}
    assert state.cell(register, "ทะเบียน", 5, 0)["userEnteredValue"] == {"formulaValue": "=1+1"}
    assert state.cell(register, "ทะเบียน", 1, 3)["effectiveValue"] == {"numberValue": 4}
    header = state.cell(register, "ทะเบียน", 0, 0)["userEnteredFormat"]
    # Google keeps 8 bits per channel and mirrors colours into *ColorStyle
    assert header["backgroundColor"] == {"red": 0.49803922}
    assert header["backgroundColorStyle"] == {"rgbColor": {"red": 0.49803922}}
    assert header["textFormat"] == {"bold": True}


def test_gspread_unformatted_values_give_date_serials(
    sheets_standin: StandIn, register: str
) -> None:
    ws = gspread_client(sheets_standin.url).open_by_key(register).sheet1
    values = ws.get("A2:D3", value_render_option=ValueRenderOption.unformatted)
    assert values == [["สมชาย", "0812345678", 45296, 3], ["สมหญิง", "", 45323, 1.5]]


def test_gspread_errors_are_googles(sheets_standin: StandIn) -> None:
    client = gspread_client(sheets_standin.url)
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        client.open_by_key("no-such-spreadsheet")


def test_gspread_create_and_delete_go_through_drive(sheets_standin: StandIn) -> None:
    client = gspread_client(sheets_standin.url)
    sheet = client.create("รายงาน")
    assert sheet.sheet1.title == "Sheet1"
    assert client.open("รายงาน").id == sheet.id
    client.del_spreadsheet(sheet.id)
    assert sheet.id not in sheets_standin.state.spreadsheets


def test_anonymous_client_sends_no_token(sheets_standin: StandIn, register: str) -> None:
    gspread_client(sheets_standin.url).open_by_key(register)
    requests.get(api(sheets_standin, register), headers={"Authorization": "Bearer x"})
    assert [r.authorization for r in sheets_standin.requests] == [False, True]


# --- values endpoints ------------------------------------------------------------------


def test_values_are_trimmed_and_holes_are_empty_strings(sheets_standin: StandIn) -> None:
    sid = sheets_standin.state.create_spreadsheet(
        "t", {"Sheet1": [["a", None, "c", None], [], [None, "b2"], [None, None]]}
    )
    answer = requests.get(api(sheets_standin, sid, "/values/'Sheet1'!A1:D5")).json()
    assert answer == {
        "range": "Sheet1!A1:D5",
        "majorDimension": "ROWS",
        "values": [["a", "", "c"], [], ["", "b2"]],
    }
    columns = requests.get(
        api(sheets_standin, sid, "/values/Sheet1!A1:C3"), params={"majorDimension": "COLUMNS"}
    ).json()
    assert columns["values"] == [["a"], ["", "", "b2"], ["c"]]


def test_empty_range_has_no_values_key(sheets_standin: StandIn, register: str) -> None:
    answer = requests.get(api(sheets_standin, register, "/values/Sheet2!C5:D9")).json()
    assert answer == {"range": "Sheet2!C5:D9", "majorDimension": "ROWS"}


def test_ranges_echo_quotes_only_where_google_does(sheets_standin: StandIn, register: str) -> None:
    whole = requests.get(api(sheets_standin, register, "/values/ทะเบียน")).json()
    assert whole["range"] == "'ทะเบียน'!A1:Z1000"
    assert format_range("Sheet1", 0, 2, 0, 2) == "Sheet1!A1:B2"
    assert format_range("My tab", 3, 4, 1, 2) == "'My tab'!B4"
    assert format_range("D3", 0, 1, 0, 4) == "'D3'!A1:D1"


def test_a1_parsing() -> None:
    titles = ["Sheet1", "DF1"]
    assert parse_range("'It''s'!B2:A1", titles).bounds(10, 10) == (0, 2, 0, 2)
    assert parse_range("Sheet1!A2:2", titles).bounds(10, 5) == (1, 2, 0, 5)
    assert parse_range("Sheet1!A1:C", titles).bounds(10, 5) == (0, 10, 0, 3)
    assert parse_range("Sheet1", titles).whole_sheet
    # Google reads bare "DF1" as a cell on the first sheet, not as the tab DF1
    assert parse_range("DF1", titles).title is None
    with pytest.raises(ValueError):
        parse_range("Sheet1!A0", titles)


def test_render_options(sheets_standin: StandIn) -> None:
    sid = sheets_standin.state.create_spreadsheet("t", {"S": []})
    put = requests.put(
        api(sheets_standin, sid, "/values/S!A1"),
        params={"valueInputOption": "USER_ENTERED"},
        json={"values": [["=4/2", "2020-01-01", "'0812", "TRUE", "12.5%"]]},
    )
    assert put.json() == {
        "spreadsheetId": sid,
        "updatedRange": "S!A1:E1",
        "updatedRows": 1,
        "updatedColumns": 5,
        "updatedCells": 5,
    }

    def get(**params: str) -> list[Any]:
        return requests.get(api(sheets_standin, sid, "/values/S!A1:E1"), params=params).json()[
            "values"
        ][0]

    assert get() == ["2", "2020-01-01", "0812", "TRUE", "12.5%"]
    assert get(valueRenderOption="UNFORMATTED_VALUE") == [2, 43831, "0812", True, 0.125]
    assert (
        get(valueRenderOption="UNFORMATTED_VALUE", dateTimeRenderOption="FORMATTED_STRING")[1]
        == "2020-01-01"
    )
    assert get(valueRenderOption="FORMULA")[0] == "=4/2"


def test_the_renders_the_read_asks_for(sheets_standin: StandIn) -> None:
    """What kspo's read relies on (stores/google/reader.py), as Google's reference and the
    recordings show it: FORMULA gives formulas, and numbers and date serials unformatted;
    FORMATTED_STRING gives date, time, datetime and duration cells as text in their own
    format and every other number as a number; an error cell shows its error text."""
    cells = [
        {"userEnteredValue": {"formulaValue": "=4/2"}},
        {
            "userEnteredValue": {"numberValue": 43718},
            "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "d/m/yyyy"}},
        },
        {
            "userEnteredValue": {"numberValue": 1.5},
            "userEnteredFormat": {"numberFormat": {"type": "DURATION", "pattern": "[h]:mm:ss"}},
        },
        {
            "userEnteredValue": {"numberValue": 1500},
            "userEnteredFormat": {"numberFormat": {"type": "NUMBER", "pattern": "#,##0"}},
        },
        {"userEnteredValue": {"errorValue": {"type": "N_A", "message": "x"}}},
        {"userEnteredValue": {"stringValue": "=text"}},
    ]
    sid = sheets_standin.state.create_spreadsheet("t", {"S": [cells]})

    def get(**params: str) -> list[Any]:
        answer = requests.get(
            api(sheets_standin, sid, "/values:batchGet"), params={"ranges": "S", **params}
        ).json()
        return answer["valueRanges"][0]["values"][0]

    assert get(valueRenderOption="FORMULA") == ["=4/2", 43718, 1.5, 1500, "#N/A", "=text"]
    assert get(valueRenderOption="UNFORMATTED_VALUE", dateTimeRenderOption="FORMATTED_STRING") == [
        2,
        "10/9/2019",
        "36:00:00",
        1500,
        "#N/A",
        "=text",
    ]


def test_a_values_answer_is_written_as_it_is_made_and_counted(sheets_standin: StandIn) -> None:
    """A batchGet of rows is rendered while it is sent (a big read never sits whole in the
    stand-in) and gives what a whole answer gives; the log counts the bytes each answer
    carried."""
    from kspo_sheets.standin.json_out import Chunked, dumps
    from kspo_sheets.standin.values_api import value_range, values_batch_get

    rows = [["a", None, 3], [], [None, "=1+1"], [None], []]
    sid = sheets_standin.state.create_spreadsheet("t", {"S": rows, "E": []})
    ss = sheets_standin.state.get(sid)
    params = {"ranges": ["S", "E", "S!B2:C9"], "valueRenderOption": ["FORMULA"]}
    lazy = values_batch_get(ss, params)
    assert isinstance(lazy, Chunked)
    whole = [
        value_range(s, (r0, r1, c0, c1), "ROWS", "FORMULA", "SERIAL_NUMBER")
        for s, (r0, r1, c0, c1) in [
            (ss.sheets[0], (0, 1000, 0, 26)),
            (ss.sheets[1], (0, 1000, 0, 26)),
            (ss.sheets[0], (1, 9, 1, 3)),
        ]
    ]
    assert dumps(lazy) == dumps({"spreadsheetId": sid, "valueRanges": whole})
    answer = requests.get(
        api(sheets_standin, sid, "/values:batchGet"), params={**params, "prettyPrint": "false"}
    )
    (record,) = sheets_standin.requests
    assert record.response_bytes == len(answer.content) > 0


def test_write_outside_range_or_grid_is_refused(sheets_standin: StandIn) -> None:
    sid = sheets_standin.state.create_spreadsheet("t", {"S": []}, grid=(3, 2))
    too_wide = requests.put(
        api(sheets_standin, sid, "/values/S!A1:B1"),
        params={"valueInputOption": "RAW"},
        json={"values": [["1", "2", "3"]]},
    )
    assert too_wide.status_code == 400
    assert too_wide.json()["error"]["message"] == (
        "Requested writing within range [S!A1:B1], but tried writing to column [C]"
    )
    beyond = requests.get(api(sheets_standin, sid, "/values/S!A1:A9"))
    assert beyond.json()["error"] == {
        "code": 400,
        "message": "Range (S!A1:A9) exceeds grid limits. Max rows: 3, max columns: 2",
        "status": "INVALID_ARGUMENT",
    }


def test_append_grows_the_grid_and_reports_the_table(sheets_standin: StandIn) -> None:
    sid = sheets_standin.state.create_spreadsheet(
        "t", {"S": [["h1", "h2"], ["a", "b"]]}, grid=(2, 3)
    )
    answer = requests.post(
        api(sheets_standin, sid, "/values/S:append"),
        params={"valueInputOption": "RAW"},
        json={"values": [["c", "d"], ["e"]]},
    ).json()
    assert answer["tableRange"] == "S!A1:B2"
    assert answer["updates"]["updatedRange"] == "S!A3:B4"
    assert sheets_standin.state.sheet(sid, "S").row_count == 4


def test_values_batch_endpoints(sheets_standin: StandIn, register: str) -> None:
    body = {
        "valueInputOption": "RAW",
        "data": [
            {"range": "Sheet2!A1", "values": [["y"]]},
            {"range": "Sheet2!B3", "values": [["z"]]},
        ],
    }
    done = requests.post(api(sheets_standin, register, "/values:batchUpdate"), json=body).json()
    assert (done["totalUpdatedCells"], done["totalUpdatedSheets"]) == (2, 1)
    got = requests.get(
        api(sheets_standin, register, "/values:batchGet"),
        params={"ranges": ["Sheet2!A1", "Sheet2!A1:B3"]},
    ).json()
    assert [vr.get("values") for vr in got["valueRanges"]] == [[["y"]], [["y"], [], ["", "z"]]]
    cleared = requests.post(
        api(sheets_standin, register, "/values:batchClear"), json={"ranges": ["Sheet2!A1:B3"]}
    ).json()
    assert cleared["clearedRanges"] == ["Sheet2!A1:B3"]
    assert sheets_standin.state.values(register, "Sheet2") == []


# --- spreadsheets.get with grid data and field masks ------------------------------------


def test_grid_data_with_field_mask(sheets_standin: StandIn, register: str) -> None:
    sheets_standin.state.set_note(register, "ทะเบียน", 2, 1, "ไม่มีเบอร์")
    fields = (
        "sheets(properties(title,gridProperties(rowCount)),data(startRow,rowData(values("
        "formattedValue,note,userEnteredFormat(numberFormat))))),properties.title,spreadsheetId"
    )
    answer = requests.get(
        api(sheets_standin, register), params={"ranges": "'ทะเบียน'!A2:C3", "fields": fields}
    ).json()
    assert answer == {
        "spreadsheetId": register,
        "properties": {"title": "ทะเบียนประชารัฐ"},
        "sheets": [
            {
                "properties": {"title": "ทะเบียน", "gridProperties": {"rowCount": 1000}},
                "data": [
                    {
                        "startRow": 1,
                        "rowData": [
                            {
                                "values": [
                                    {"formattedValue": "สมชาย"},
                                    {"formattedValue": "0812345678"},
                                    {
                                        "formattedValue": "2024-01-05",
                                        "userEnteredFormat": {
                                            "numberFormat": {
                                                "type": "DATE",
                                                "pattern": "yyyy-mm-dd",
                                            }
                                        },
                                    },
                                ]
                            },
                            {
                                "values": [
                                    {"formattedValue": "สมหญิง"},
                                    {"note": "ไม่มีเบอร์"},
                                    {
                                        "formattedValue": "2024-02-01",
                                        "userEnteredFormat": {
                                            "numberFormat": {
                                                "type": "DATE",
                                                "pattern": "yyyy-mm-dd",
                                            }
                                        },
                                    },
                                ]
                            },
                        ],
                    }
                ],
            }
        ],
    }


def test_metadata_only_without_grid_data(sheets_standin: StandIn, register: str) -> None:
    answer = requests.get(api(sheets_standin, register), params={"includeGridData": "false"}).json()
    assert "data" not in answer["sheets"][0]
    assert answer["sheets"][0]["properties"] == {
        "sheetId": 0,
        "title": "ทะเบียน",
        "index": 0,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": 1000, "columnCount": 26},
    }
    assert answer["properties"]["locale"] == "th_TH"
    assert answer["properties"]["timeZone"] == "Asia/Bangkok"


def test_grid_data_is_trimmed_like_google(sheets_standin: StandIn) -> None:
    sid = sheets_standin.state.create_spreadsheet("t", {"S": [["a", None, "c"], [], ["d"], []]})
    answer = requests.get(
        api(sheets_standin, sid),
        params={"ranges": "S!A1:E9", "fields": "sheets.data.rowData.values.formattedValue"},
    ).json()
    assert answer == {
        "sheets": [
            {
                "data": [
                    {
                        "rowData": [
                            {"values": [{"formattedValue": "a"}, {}, {"formattedValue": "c"}]},
                            {},
                            {"values": [{"formattedValue": "d"}]},
                        ]
                    }
                ]
            }
        ]
    }


def test_field_mask_parsing() -> None:
    tree = parse_mask("sheets(properties/title,data.rowData),spreadsheetId")
    assert tree == {
        "sheets": {"properties": {"title": None}, "data": {"rowData": None}},
        "spreadsheetId": None,
    }
    resource = {
        "spreadsheetId": "x",
        "sheets": [{"properties": {"title": "A", "index": 0}}],
        "other": 1,
    }
    assert apply_mask(resource, tree) == {
        "spreadsheetId": "x",
        "sheets": [{"properties": {"title": "A"}}],
    }


# --- batchUpdate ------------------------------------------------------------------------


def test_batch_update_is_all_or_nothing(sheets_standin: StandIn, register: str) -> None:
    before = sheets_standin.state.export(register)
    answer = batch(
        sheets_standin,
        register,
        {
            "updateCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 1,
                    "startColumnIndex": 0,
                    "endColumnIndex": 1,
                },
                "rows": [{"values": [{"note": "changed"}]}],
                "fields": "note",
            }
        },
        {"addSheet": {"properties": {"title": "สรุป"}}},
        {
            "repeatCell": {
                "range": {"sheetId": 0},
                "cell": {"userEnteredFormat": {"wrapStrategy": "WRAP"}},
                "fields": "userEnteredFormat.wrapStrategy",
            }
        },
        {"addSheet": {"properties": {"title": "Sheet2"}}},
    )
    assert answer.status_code == 400
    assert answer.json() == {
        "error": {
            "code": 400,
            "message": 'Invalid requests[3].addSheet: A sheet with the name "Sheet2" already '
            "exists. Please enter another name.",
            "status": "INVALID_ARGUMENT",
        }
    }
    assert sheets_standin.state.export(register) == before


def test_batch_update_replies_and_state(sheets_standin: StandIn, register: str) -> None:
    rule = {
        "ranges": [
            {
                "sheetId": 0,
                "startRowIndex": 1,
                "endRowIndex": 10,
                "startColumnIndex": 1,
                "endColumnIndex": 2,
            }
        ],
        "booleanRule": {"condition": {"type": "BLANK"}, "format": {"backgroundColor": {"red": 1}}},
    }
    answer = batch(
        sheets_standin,
        register,
        {
            "addSheet": {
                "properties": {"title": "สรุป", "gridProperties": {"rowCount": 5, "columnCount": 3}}
            }
        },
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount",
            }
        },
        {"addConditionalFormatRule": {"rule": rule, "index": 0}},
        {
            "addProtectedRange": {
                "protectedRange": {
                    "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                    "description": "หัวตาราง",
                    "warningOnly": True,
                }
            }
        },
        {
            "setDataValidation": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 3,
                    "startColumnIndex": 3,
                    "endColumnIndex": 4,
                },
                "rule": {
                    "condition": {"type": "NUMBER_GREATER", "values": [{"userEnteredValue": "0"}]},
                    "strict": True,
                    "showCustomUi": False,
                },
            }
        },
        {
            "updateDimensionProperties": {
                "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
                "properties": {"pixelSize": 250},
                "fields": "pixelSize",
            }
        },
    ).json()
    replies = answer["replies"]
    assert replies[0]["addSheet"]["properties"]["title"] == "สรุป"
    assert replies[0]["addSheet"]["properties"]["index"] == 2
    assert replies[1:3] == [{}, {}]
    protected = replies[3]["addProtectedRange"]["protectedRange"]
    assert set(protected) == {
        "protectedRangeId",
        "range",
        "description",
        "warningOnly",
        "requestingUserCanEdit",
        "editors",
    }
    assert protected["range"] == {"startRowIndex": 0, "endRowIndex": 1}
    meta = requests.get(
        api(sheets_standin, register),
        params={
            "fields": "sheets(properties.gridProperties,conditionalFormats,protectedRanges.protectedRangeId,data.columnMetadata)",
            "ranges": "'ทะเบียน'!A1:B2",
        },
    ).json()["sheets"][0]
    assert meta["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert meta["conditionalFormats"][0]["ranges"] == [
        {"startRowIndex": 1, "endRowIndex": 10, "startColumnIndex": 1, "endColumnIndex": 2}
    ]
    assert meta["protectedRanges"] == [{"protectedRangeId": protected["protectedRangeId"]}]
    assert meta["data"][0]["columnMetadata"] == [{"pixelSize": 250}, {"pixelSize": 100}]
    assert sheets_standin.state.cell(register, "ทะเบียน", 2, 3)["dataValidation"] == {
        "condition": {"type": "NUMBER_GREATER", "values": [{"userEnteredValue": "0"}]},
        "strict": True,
    }
    deleted = batch(
        sheets_standin,
        register,
        {"deleteConditionalFormatRule": {"sheetId": 0, "index": 0}},
        {"deleteProtectedRange": {"protectedRangeId": protected["protectedRangeId"]}},
    )
    assert deleted.json()["replies"][0]["deleteConditionalFormatRule"]["rule"]["booleanRule"]
    assert sheets_standin.state.sheet(register, "ทะเบียน").protected_ranges == []


def test_update_cells_beyond_the_grid_is_an_error(sheets_standin: StandIn) -> None:
    sid = sheets_standin.state.create_spreadsheet("t", {"S": [["a"]]}, grid=(2, 2))
    answer = batch(
        sheets_standin,
        sid,
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 2, "columnIndex": 0},
                "rows": [{"values": [{"userEnteredValue": {"stringValue": "x"}}]}],
                "fields": "userEnteredValue",
            }
        },
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == (
        "Invalid requests[0].updateCells: Range (S!A3) exceeds grid limits. Max rows: 2, max columns: 2"
    )


def test_unknown_sheet_and_unknown_request(sheets_standin: StandIn, register: str) -> None:
    no_grid = batch(sheets_standin, register, {"deleteSheet": {"sheetId": 12345}})
    assert (
        no_grid.json()["error"]["message"]
        == "Invalid requests[0].deleteSheet: No grid with id: 12345"
    )
    unknown = batch(sheets_standin, register, {"makeCoffee": {}})
    assert unknown.status_code == 400
    assert 'Unknown name "makeCoffee"' in unknown.json()["error"]["message"]
    not_modelled = batch(sheets_standin, register, {"copyPaste": {}})
    assert not_modelled.status_code == 501


def test_inserted_rows_move_anchored_ranges(sheets_standin: StandIn, register: str) -> None:
    batch(
        sheets_standin,
        register,
        {
            "addProtectedRange": {
                "protectedRange": {"range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 3}}
            }
        },
        {
            "mergeCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 3,
                    "startColumnIndex": 3,
                    "endColumnIndex": 4,
                },
                "mergeType": "MERGE_ALL",
            }
        },
        {
            "insertDimension": {
                "range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}
            }
        },
    )
    sheet = sheets_standin.state.sheet(register, "ทะเบียน")
    assert sheet.protected_ranges[0]["range"]["startRowIndex"] == 2
    assert sheet.merges[0]["startRowIndex"] == 2
    assert sheet.row_count == 1001
    assert sheets_standin.state.values(register, "ทะเบียน")[1] == []


# --- staff edits ------------------------------------------------------------------------


def test_staff_edits_move_whole_cells(sheets_standin: StandIn) -> None:
    state = sheets_standin.state
    sid = state.create_spreadsheet("t", {"S": [["name", "n"], ["b", 2], ["c", 3], ["a", 1]]})
    state.set_note(sid, "S", 1, 0, "note on b")
    state.sort_rows(sid, "S", 1, 0)
    assert state.values(sid, "S") == [["name", "n"], ["a", "1"], ["b", "2"], ["c", "3"]]
    assert state.cell(sid, "S", 2, 0)["note"] == "note on b"
    state.insert_rows(sid, "S", 1, 1, [["new", 9]])
    state.delete_rows(sid, "S", 3)
    assert state.values(sid, "S") == [["name", "n"], ["new", "9"], ["a", "1"], ["c", "3"]]


def test_state_round_trips_through_a_resource() -> None:
    state = SheetsState()
    sid = state.create_spreadsheet(
        "t",
        {
            "S": [
                [
                    "a",
                    dt.date(2024, 1, 1),
                    {
                        "userEnteredValue": {"formulaValue": "=SUM(B1)"},
                        "effectiveValue": {"numberValue": 7},
                    },
                ]
            ]
        },
    )
    exported = state.export(sid)
    copy = SheetsState()
    assert copy.load_spreadsheet(exported) == sid
    assert copy.values(sid, "S") == [["a", "2024-01-01", "7"]]


# --- errors -------------------------------------------------------------------------------


def test_error_envelopes(sheets_standin: StandIn, register: str) -> None:
    missing = requests.get(api(sheets_standin, "nope"))
    assert (missing.status_code, missing.json()) == (
        404,
        {
            "error": {
                "code": 404,
                "message": "Requested entity was not found.",
                "status": "NOT_FOUND",
            }
        },
    )
    assert requests.get(f"{sheets_standin.url}/v5/elsewhere").status_code == 404
    broken = requests.post(
        api(sheets_standin, register, ":batchUpdate"),
        data=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert broken.json()["error"]["status"] == "INVALID_ARGUMENT"


# --- faults -------------------------------------------------------------------------------


def test_quota_error_with_retry_after(sheets_standin: StandIn, register: str) -> None:
    sheets_standin.fail(429, retry_after=2, times=2, method="GET")
    url = api(sheets_standin, register, "/values/Sheet2!A1")
    for _ in range(2):
        answer = requests.get(url)
        assert answer.status_code == 429
        assert answer.headers["Retry-After"] == "2"
        assert answer.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert requests.get(url).status_code == 200
    assert [r.fault for r in sheets_standin.requests] == ["fail", "fail", None]


def test_server_errors_and_path_filter(sheets_standin: StandIn, register: str) -> None:
    sheets_standin.fail(503, path=":batchUpdate")
    sheets_standin.fail(500)
    assert requests.get(api(sheets_standin, register)).json()["error"]["status"] == "INTERNAL"
    unavailable = batch(sheets_standin, register, {"addSheet": {}})
    assert (unavailable.status_code, unavailable.json()["error"]["status"]) == (503, "UNAVAILABLE")
    assert len(sheets_standin.state.get(register).sheets) == 2  # a failed request changes nothing
    assert sheets_standin.faults.pending == 0


def test_slow_answers_can_time_a_client_out(sheets_standin: StandIn, register: str) -> None:
    sheets_standin.slow(0.3, times=2)
    started = time.monotonic()
    assert requests.get(api(sheets_standin, register)).status_code == 200
    assert time.monotonic() - started >= 0.3
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(api(sheets_standin, register), timeout=0.1)


def test_dropped_connection(sheets_standin: StandIn, register: str) -> None:
    url = api(sheets_standin, register, "/values/Sheet2!A1")
    sheets_standin.drop(method="PUT")
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.put(url, params={"valueInputOption": "RAW"}, json={"values": [["lost"]]})
    assert sheets_standin.state.values(register, "Sheet2") == [["x"]]
    sheets_standin.drop(method="PUT", processed=True)  # written, but the answer never arrives
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.put(url, params={"valueInputOption": "RAW"}, json={"values": [["applied"]]})
    assert sheets_standin.state.values(register, "Sheet2") == [["applied"]]
    assert [r.status for r in sheets_standin.requests] == [None, None]


def test_malformed_answer(sheets_standin: StandIn, register: str) -> None:
    sheets_standin.malformed()
    answer = requests.get(api(sheets_standin, register))
    assert answer.status_code == 200
    with pytest.raises(ValueError):
        answer.json()


def test_staff_edit_between_read_and_write(sheets_standin: StandIn, register: str) -> None:
    def staff_inserts_a_row(state: SheetsState) -> None:
        state.insert_rows(register, "ทะเบียน", 1, 1, [["แทรก", "0811111111"]])

    sheets_standin.between(staff_inserts_a_row, after_path="/values/")
    base = api(sheets_standin, register, "/values/'ทะเบียน'!A2:B2")
    requests.get(api(sheets_standin, register))  # metadata GET: not the read that arms it
    read = requests.get(base).json()["values"]
    assert read == [["สมชาย", "0812345678"]]
    assert sheets_standin.state.values(register, "ทะเบียน")[1][0] == "สมชาย"  # not yet
    requests.put(
        base, params={"valueInputOption": "RAW"}, json={"values": [["สมชาย", "0822222222"]]}
    )
    rows = sheets_standin.state.values(register, "ทะเบียน")
    assert rows[1][:2] == ["สมชาย", "0822222222"]  # the blind write hit the staff's new row
    assert rows[2][:2] == ["สมชาย", "0812345678"]


def test_requests_are_counted_and_logged(sheets_standin: StandIn, register: str) -> None:
    sheets_standin.fail(500)
    requests.get(api(sheets_standin, register))
    requests.put(
        api(sheets_standin, register, "/values/Sheet2!A1"),
        params={"valueInputOption": "RAW"},
        json={"values": [["y"]]},
    )
    assert sheets_standin.request_count == 2
    assert sheets_standin.count(method="PUT") == 1
    last = sheets_standin.requests[-1]
    assert (last.method, last.path, last.query, last.status) == (
        "PUT",
        f"/v4/spreadsheets/{register}/values/Sheet2!A1",
        {"valueInputOption": ["RAW"]},
        200,
    )
    assert last.body_size > 0 and last.duration >= 0
    sheets_standin.reset_counts()
    assert sheets_standin.request_count == 0


# --- command line -------------------------------------------------------------------------


def test_module_serves_a_loaded_file(tmp_path: Path) -> None:
    seed = tmp_path / "register.json"
    seed.write_text(
        json.dumps({"spreadsheetId": "abc", "title": "t", "sheets": {"S": [["hello"]]}})
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "kspo_sheets.standin", "--port", "0", "--load", str(seed)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("loaded abc")
        url = process.stdout.readline().strip().rsplit(" ", 1)[-1]
        answer = requests.get(f"{url}/v4/spreadsheets/abc/values/S!A1", timeout=5).json()
        assert answer["values"] == [["hello"]]
    finally:
        process.terminate()
        process.wait(timeout=5)


def test_batch_update_reply_honours_the_fields_mask(sheets_standin):
    import requests as http

    key = sheets_standin.state.create_spreadsheet("m", {"A": [["id", "x"], ["P-1", "v"]]})
    sheets_standin.state.set_note(key, "A", 1, 1, "note")
    body = {
        "requests": [
            {
                "updateCells": {
                    "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 0},
                    "rows": [{"values": [{"userEnteredFormat": {"textFormat": {"bold": True}}}]}],
                    "fields": "userEnteredFormat",
                }
            }
        ],
        "includeSpreadsheetInResponse": True,
        "responseRanges": ["A!A:B"],
        "responseIncludeGridData": True,
    }
    url = f"{sheets_standin.url}/v4/spreadsheets/{key}:batchUpdate"
    full = http.post(url, json=body, timeout=10).json()
    masked = http.post(
        url,
        json=body,
        params={
            "fields": "spreadsheetId,updatedSpreadsheet(sheets(properties(title),data(startRow,rowData(values(userEnteredValue,note)))))"
        },
        timeout=10,
    ).json()
    assert set(masked) == {"spreadsheetId", "updatedSpreadsheet"}
    sheet = masked["updatedSpreadsheet"]["sheets"][0]
    assert set(sheet) == {"properties", "data"} and set(sheet["properties"]) == {"title"}
    cells = sheet["data"][0]["rowData"][1]["values"]
    assert cells[0] == {"userEnteredValue": {"stringValue": "P-1"}}
    assert cells[1] == {"userEnteredValue": {"stringValue": "v"}, "note": "note"}
    assert len(str(masked)) < len(str(full))
    bad = http.post(url, json=body, params={"fields": "updatedSpreadsheet("}, timeout=10)
    assert bad.status_code == 400


@pytest.mark.parametrize("path", ["", "/values/Sheet1!A1:B2", "/nope"])
def test_pretty_print_false_gives_compact_json(
    sheets_standin: StandIn, register: str, path: str
) -> None:
    """Google's prettyPrint system parameter: indented by default, compact when false; the
    same document either way (also for errors and the chunked grid answer)."""
    url = f"{sheets_standin.url}/v4/spreadsheets/{register}{path}"
    params = {"includeGridData": "true"} if not path else {}
    pretty = requests.get(url, params=params, timeout=10)
    compact = requests.get(url, params={**params, "prettyPrint": "false"}, timeout=10)
    assert pretty.status_code == compact.status_code
    assert pretty.content.startswith(b"{\n  ")
    doc = json.loads(compact.content)
    assert doc == json.loads(pretty.content)
    assert compact.content == json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def test_kspo_asks_for_compact_answers(sheets_standin: StandIn, register: str) -> None:
    from kspo_sheets.stores.google.store import GoogleStore

    GoogleStore(register, root=sheets_standin.url).read()
    assert sheets_standin.requests
    for record in sheets_standin.requests:
        assert record.query["prettyPrint"] == ["false"]


def test_a_batch_past_the_cell_limit_is_refused_whole(
    sheets_standin: StandIn, register: str
) -> None:
    """Google's 10-million-cell limit (lowered here): the request that crosses it is named,
    and nothing in the batch is applied."""
    state = sheets_standin.state
    cells = state.get(register).cell_count()
    state.cell_limit = cells + 100
    grow = {
        "addSheet": {
            "properties": {"title": "ใหม่", "gridProperties": {"rowCount": 10, "columnCount": 10}}
        }
    }
    ok = batch(sheets_standin, register, grow)
    assert ok.status_code == 200, ok.text
    too_big = {
        "appendDimension": {
            "sheetId": ok.json()["replies"][0]["addSheet"]["properties"]["sheetId"],
            "dimension": "ROWS",
            "length": 1,
        }
    }
    resp = batch(sheets_standin, register, {"addSheet": {"properties": {"title": "อีก"}}}, too_big)
    assert resp.status_code == 400
    assert resp.json()["error"]["message"] == (
        "Invalid requests[0].addSheet: This action would increase the number of cells in the"
        f" workbook above the limit of {cells + 100} cells."
    )
    assert [s.title for s in state.get(register).sheets] == ["ทะเบียน", "Sheet2", "ใหม่"]
    shrink = {
        "deleteSheet": {"sheetId": ok.json()["replies"][0]["addSheet"]["properties"]["sheetId"]}
    }
    assert batch(sheets_standin, register, shrink).status_code == 200


def test_a_colour_google_printed_reads_back_the_same(
    sheets_standin: StandIn, register: str
) -> None:
    """Google prints a channel as a float32 in its shortest decimal (229/255 is 0.8980392,
    a hair under 229/255); written back, it must not drop a level."""
    printed = [0.8980392, 0.9843137, 0.7411765, 0.33333334, 0.003921569, 0.49803922]
    for value in printed:
        rule = {
            "ranges": [{"sheetId": 0, "startRowIndex": 1, "startColumnIndex": 1}],
            "booleanRule": {
                "condition": {"type": "BLANK"},
                "format": {"backgroundColor": {"red": value}},
            },
        }
        assert batch(sheets_standin, register, {"addConditionalFormatRule": {"rule": rule}}).ok
        got = sheets_standin.state.rules(register, "ทะเบียน")[0]
        assert got["booleanRule"]["format"]["backgroundColor"] == {"red": value}


def test_staff_rule_edits_and_a_deleted_rule_in_the_reply(
    sheets_standin: StandIn, register: str
) -> None:
    """Staff add, drag and remove rules in the rules pane; a delete's reply names its rule."""
    state = sheets_standin.state

    def rule(text: str) -> dict[str, Any]:
        return {
            "ranges": [{"startRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 1}],
            "booleanRule": {
                "condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": text}]},
                "format": {"backgroundColor": {"red": 0.5}},
            },
        }

    for text in ("a", "b", "c"):
        state.add_rule(register, "ทะเบียน", rule(text), index=0)
    order = lambda: [  # noqa: E731
        r["booleanRule"]["condition"]["values"][0]["userEnteredValue"]
        for r in state.rules(register, "ทะเบียน")
    ]
    assert order() == ["c", "b", "a"]
    state.move_rule(register, "ทะเบียน", 2, 0)
    assert order() == ["a", "c", "b"]
    assert state.delete_rule(register, "ทะเบียน", 1)["booleanRule"]["format"] == {
        "backgroundColor": {"red": 0.49803922}
    }
    answer = batch(sheets_standin, register, {"deleteConditionalFormatRule": {"index": 1}})
    gone = answer.json()["replies"][0]["deleteConditionalFormatRule"]["rule"]
    assert gone["booleanRule"]["condition"]["values"] == [{"userEnteredValue": "b"}]
    assert gone["ranges"] == [{"startRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 1}]
    assert order() == ["a"]
    refused = batch(sheets_standin, register, {"deleteConditionalFormatRule": {"index": 1}})
    assert refused.status_code == 400
    assert "deleteConditionalFormatRule" in refused.json()["error"]["message"]
