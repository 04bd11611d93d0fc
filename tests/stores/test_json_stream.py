"""The streaming reader of large answers: same result as json.loads, however the bytes come."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.model import CellError, Formula
from kspo_sheets.stores.google import json_stream
from kspo_sheets.stores.google.batch import ReplyDigest
from kspo_sheets.stores.google.json_stream import Truncated, parse_stream
from kspo_sheets.stores.google.read import ROW_PATH, parse_spreadsheet, read_spreadsheet

PATH = ROW_PATH


@pytest.fixture(autouse=True)
def small_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """One piece at a time into the window, so values and numbers straddle its edge."""
    monkeypatch.setattr(json_stream, "WINDOW", 1)


def pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)] or [b""]


def streamed(doc: Any, size: int, path: tuple[str, ...] = PATH, **dumps: Any) -> tuple[Any, list]:
    items: list[tuple[tuple[int, ...], Any]] = []
    data = json.dumps(doc, ensure_ascii=False, **dumps).encode()
    out = parse_stream(pieces(data, size), path, lambda at, item, _p: items.append((at, item)))
    return out, items


def rebuild(out: Any, items: list[tuple[tuple[int, ...], Any]]) -> Any:
    """The document json.loads gives, from the skeleton and the streamed rows."""
    for (s, b, _i), row in items:
        out["sheets"][s]["data"][b].setdefault("rowData", []).append(row)
    return out


SHEET_DOC = {
    "spreadsheetId": "abc",
    "properties": {"title": "ทะเบียน", "locale": "th_TH"},
    "sheets": [
        {
            "properties": {"sheetId": 7, "title": "ผู้ผลิต", "index": 0},
            "data": [
                {
                    "rowData": [
                        {"values": [{"userEnteredValue": {"stringValue": "รหัส"}}]},
                        {},
                        {
                            "values": [
                                {"userEnteredValue": {"numberValue": 12345678901234567890}},
                                {"userEnteredValue": {"numberValue": -1.5e-7}},
                                {"userEnteredValue": {"stringValue": 'ก"\\\n\u0e50\U0001f600'}},
                                {"note": "[kspo] หมายเหตุ"},
                                None,
                                {"userEnteredValue": {"boolValue": False}},
                            ]
                        },
                    ]
                }
            ],
            "conditionalFormats": [{"ranges": [], "booleanRule": {}}],
        },
        {"properties": {"sheetId": 8, "title": "ว่าง"}, "data": [{}]},
        {"properties": {"sheetId": 9, "title": "ไม่มีข้อมูล"}},
    ],
}


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_same_as_json_loads_whatever_the_piece_size(size: int, indent: int | None) -> None:
    """Pieces of one byte split Thai letters' UTF-8 and numbers mid-way; both still parse."""
    out, items = streamed(SHEET_DOC, size, indent=indent)
    assert [at for at, _ in items] == [(0, 0, 0), (0, 0, 1), (0, 0, 2)]
    assert "rowData" not in out["sheets"][0]["data"][0]
    assert rebuild(out, items) == SHEET_DOC


def test_keys_in_any_order_and_paths_through_other_shapes() -> None:
    doc = {
        "sheets": [
            {"data": [{"rowData": [{"values": [1]}], "startRow": 3}], "properties": {"title": "x"}},
            {"data": None},
            {"data": "not a list"},
        ],
        "spreadsheetId": "k",
    }
    out, items = streamed(doc, 5)
    assert items == [((0, 0, 0), {"values": [1]})]
    assert out == {
        "sheets": [
            {"data": [{"startRow": 3}], "properties": {"title": "x"}},
            {},
            {"data": "not a list"},
        ],
        "spreadsheetId": "k",
    }
    assert streamed([1, 2], 1) == ([1, 2], [])  # not an object: returned whole


def test_parents_show_the_keys_read_so_far() -> None:
    doc = {
        "sheets": [{"properties": {"title": "a"}, "data": [{"startColumn": 2, "rowData": [{}]}]}]
    }
    seen: list[Any] = []
    data = json.dumps(doc).encode()
    parse_stream(pieces(data, 4), PATH, lambda at, item, parents: seen.append(parents))
    (parents,) = seen
    assert parents[-2]["properties"] == {"title": "a"}
    assert parents[-1] == {"startColumn": 2}


@pytest.mark.parametrize(
    "text",
    [
        b"",
        b'{"sheets": [{"data": [{"rowData": [{"values": [',
        b'{"spreadsheetId": "',
        b'{"sheets": [',
        b'{"sheets": [{"data": [{"rowData": [{}]}]}',
        b'{"spreadsheetId": 12',
    ],
)
def test_a_cut_off_answer_is_truncated(text: bytes) -> None:
    with pytest.raises(Truncated):
        parse_stream(pieces(text, 3), PATH, lambda *_: None)


@pytest.mark.parametrize(
    "text",
    [
        b'{"sheets": [{"data": [{"rowData": [{}} ]}]}',
        b'{"sheets" [] }',
        b'{"a": 1 "b": 2}',
        b'{"a": 1} trailing',
        b'{"sheets": [1 2]}',
        b"{3: 4}",
        b'{"a": nul}',
    ],
)
def test_malformed_answers_are_errors(text: bytes) -> None:
    with pytest.raises(ValueError):
        parse_stream(pieces(text, 2), PATH, lambda *_: None)


def test_bad_utf8_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_stream([b'{"a": "\xff"}'], PATH, lambda *_: None)


json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)
row = st.dictionaries(st.sampled_from(["values", "x"]), json_value, max_size=2)
block = st.fixed_dictionaries(
    {"rowData": st.lists(row, max_size=4)},
    optional={"startRow": st.integers(0, 5), "startColumn": st.integers(0, 5), "z": json_value},
)
sheet = st.fixed_dictionaries(
    {"data": st.lists(block, max_size=3)},
    optional={"properties": st.dictionaries(st.text(max_size=3), json_value, max_size=2)},
)
document = st.fixed_dictionaries(
    {"sheets": st.lists(sheet, max_size=3)}, optional={"spreadsheetId": st.text(max_size=5)}
)


@settings(max_examples=300, deadline=None)
@given(doc=document, size=st.integers(1, 40), indent=st.sampled_from([None, 1, 2]))
def test_any_document_any_pieces(doc: dict[str, Any], size: int, indent: int | None) -> None:
    out, items = streamed(doc, size, indent=indent)
    expected = json.loads(json.dumps(doc))
    for sheet_ in expected["sheets"]:
        for block_ in sheet_["data"]:
            if not block_["rowData"]:
                block_.pop("rowData")
    assert rebuild(out, items) == expected


# --- the spreadsheet readers ----------------------------------------------------------------


def grid_doc() -> dict[str, Any]:
    cell = lambda v: {"userEnteredValue": v}  # noqa: E731
    return {
        "spreadsheetId": "key",
        "sheets": [
            {
                "properties": {"sheetId": 1, "title": "ผู้ผลิต", "index": 0},
                "data": [
                    {
                        "rowData": [
                            {
                                "values": [
                                    cell({"stringValue": "รหัส"}),
                                    cell({"stringValue": "วันที่"}),
                                ]
                            },
                            {
                                "values": [
                                    {**cell({"stringValue": "P-0001"}), "note": "[kspo] x"},
                                    {
                                        **cell({"numberValue": 45000}),
                                        "userEnteredFormat": {"numberFormat": {"type": "DATE"}},
                                    },
                                    cell({"formulaValue": "=1/0"})
                                    | {
                                        "effectiveValue": {"errorValue": {"type": "DIVIDE_BY_ZERO"}}
                                    },
                                    cell({"errorValue": {"type": "#N/A"}}),
                                    cell({"numberValue": 2.0}),
                                ]
                            },
                        ]
                    },
                    {
                        "startRow": 4,
                        "startColumn": 2,
                        "rowData": [{"values": [cell({"boolValue": True})]}],
                    },
                ],
            },
            {"properties": {"sheetId": 2, "title": "ว่าง"}, "data": [{}]},
        ],
    }


@pytest.mark.parametrize("size", [5, 1000, 1 << 20])
def test_streamed_read_gives_the_same_snapshot(size: int) -> None:
    doc = grid_doc()
    whole = parse_spreadsheet(doc, "src")
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    got = read_spreadsheet(pieces(data, size), "src")
    assert got == whole
    rows = got.tabs["ผู้ผลิต"].rows
    assert rows[1][:2] == ["P-0001", dt.date(2023, 3, 15)]
    assert rows[1][2] == Formula("=1/0", CellError("DIVIDE_BY_ZERO"))
    assert rows[1][4] == 2 and type(rows[1][4]) is int
    assert rows[4] == [None, None, True]
    assert got.tabs["ผู้ผลิต"].meta["notes"] == {(1, 0): "[kspo] x"}
    assert got.tabs["ว่าง"].rows == []


def feed(digest: ReplyDigest, reply: dict[str, Any]) -> None:
    """The digest made by walking a whole parsed reply: what streaming must agree with."""
    for sheet in reply["updatedSpreadsheet"]["sheets"]:
        digest.seen = True
        title = sheet["properties"]["title"]
        for block in sheet.get("data", []):
            c0, r0 = block.get("startColumn", 0), block.get("startRow", 0)
            for i, rd in enumerate(block.get("rowData", [])):
                vals = rd.get("values") or []
                if vals and vals[0]:
                    digest._keep(title, c0, r0 + i, vals[0])


def test_reply_digest_streamed_or_whole_agree() -> None:
    def col(c: int, cells: list[dict[str, Any]], start: bool = True) -> dict[str, Any]:
        block: dict[str, Any] = {"startRow": 0} if start else {}
        if c:
            block["startColumn"] = c
        block["rowData"] = [{"values": [x]} if x else {} for x in cells]
        return block

    ids = [{"userEnteredValue": {"stringValue": v}} for v in ("รหัส", "P-2", "P-1")]
    noted = [{}, {"note": "[kspo] a", "userEnteredValue": {"numberValue": 3.0}}, {"note": "staff"}]
    reply = {
        "spreadsheetId": "k",
        "updatedSpreadsheet": {
            "sheets": [
                {
                    "properties": {"title": "ผู้ผลิต"},
                    "data": [col(0, ids, start=False), col(3, noted)],
                },
                # properties after the data: those rows are placed once the title is known
                {"data": [col(0, ids)], "properties": {"title": "อื่น"}},
            ]
        },
    }
    tabs = {"ผู้ผลิต": (0, {3}), "อื่น": (0, set())}
    whole = ReplyDigest(tabs)
    feed(whole, reply)
    live = ReplyDigest(tabs)
    data = json.dumps(reply, ensure_ascii=False).encode()
    live.finish(parse_stream(pieces(data, 7), ReplyDigest.PATH, live.on_item))
    for digest in (whole, live):
        assert digest.seen
        assert dict(digest.ids) == {
            "ผู้ผลิต": {0: "รหัส", 1: "P-2", 2: "P-1"},
            "อื่น": {0: "รหัส", 1: "P-2", 2: "P-1"},
        }
        assert dict(digest.notes) == {("ผู้ผลิต", 3): {1: "[kspo] a", 2: "staff"}}


def test_reply_digest_refuses_a_block_start_given_after_its_rows() -> None:
    reply = {
        "updatedSpreadsheet": {
            "sheets": [
                {
                    "properties": {"title": "t"},
                    "data": [{"rowData": [{"values": [{"note": "n"}]}], "startColumn": 4}],
                }
            ]
        }
    }
    digest = ReplyDigest({"t": (0, {4})})
    data = json.dumps(reply).encode()
    with pytest.raises(ValueError, match="start after its rows"):
        digest.finish(parse_stream([data], ReplyDigest.PATH, digest.on_item))
