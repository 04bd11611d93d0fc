"""Notes checked by row after a write, for any rows staff insert, delete or sort meanwhile.

A model of one staff tab (an ID column and a noted column; a note travels with its row)
against plan_notes() and fix_notes(): the write puts notes by the positions read, staff's
edits land first, and the correction must leave every staff note on its own row exactly as
read, and every tool note on the row it names.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.model import RawTab, Severity
from kspo_sheets.stores.base import Mark
from kspo_sheets.stores.google.notes import fix_notes, plan_notes
from kspo_sheets.stores.google.reply import ReplyDigest

TITLE = "ผู้ผลิต"
NOTED = 1


def tool_text(rid: str) -> str:
    return f"[kspo-sheets] {rid}\n• ข้อผิดพลาด: เบอร์โทรศัพท์ไม่ถูกต้อง"


def apply(rows: list[dict[str, Any]], requests: list[dict[str, Any]]) -> None:
    """updateCells on the note field, by position, as Google applies them (rows[0] is the
    header)."""
    for req in requests:
        rng = req["updateCells"]["range"]
        assert rng["startColumnIndex"] == NOTED
        r = rng["startRowIndex"]
        cell = req["updateCells"]["rows"][0]["values"][0]
        if r < len(rows):
            rows[r]["note"] = cell.get("note")


def digest_of(rows: list[dict[str, Any]]) -> ReplyDigest:
    digest = ReplyDigest({TITLE: (0, {NOTED})})
    digest.seen = True
    for r, line in enumerate(rows):
        if line["id"]:
            digest.ids[TITLE][r] = line["id"]
        if line["note"]:
            digest.notes[(TITLE, NOTED)][r] = line["note"]
    return digest


EDIT = st.one_of(
    st.tuples(st.just("insert"), st.integers(1, 30), st.booleans()),
    st.tuples(st.just("delete"), st.integers(1, 30)),
    st.tuples(st.just("sort"), st.booleans()),
    st.tuples(st.just("swap"), st.integers(1, 30), st.integers(1, 30)),
)


@settings(max_examples=300, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(["plain", "staff", "old tool"]), min_size=1, max_size=10),
    due=st.lists(st.booleans(), max_size=10),
    edits=st.lists(EDIT, max_size=4),
)
def test_any_row_edit_between_the_read_and_the_write(kinds, due, edits) -> None:
    notes = {"plain": None, "staff": "staff", "old tool": "tool"}
    rows = [{"id": "รหัส", "note": None, "uid": -1}] + [
        {
            "id": f"P-{i:04d}",
            "uid": i,
            "note": (
                f"บันทึกของเจ้าหน้าที่ {i}"
                if notes[k] == "staff"
                else tool_text(f"P-{i:04d}") + " (เก่า)"
                if notes[k] == "tool"
                else None
            ),
        }
        for i, k in enumerate(kinds, start=1)
    ]
    read = [dict(r) for r in rows]
    tab = RawTab(
        TITLE,
        [[r["id"], "0812"] for r in read],
        sheet_id=5,
        meta={"notes": {(r, NOTED): line["note"] for r, line in enumerate(read) if line["note"]}},
    )
    marks = [
        Mark(TITLE, r + 1, NOTED, 0, line["id"], Severity.ERROR, tool_text(line["id"]))
        for r, line in enumerate(read)
        if r >= 1 and r - 1 < len(due) and due[r - 1]
    ]
    requests, state, _ = plan_notes(tab, 5, marks, 1, 0)

    # staff edit the rows (a note travels with its row) between the read and the write
    fresh = 100
    for e in edits:
        n = len(rows)
        if e[0] == "insert":
            fresh += 1
            rows.insert(1 + e[1] % n, {"id": f"P-{fresh:04d}", "note": None, "uid": fresh})
        elif e[0] == "delete" and n > 1:
            rows.pop(1 + e[1] % (n - 1))
        elif e[0] == "sort":
            rows[1:] = sorted(rows[1:], key=lambda line: line["id"], reverse=e[1])
        elif e[0] == "swap" and n > 1:
            a, b = 1 + e[1] % (n - 1), 1 + e[2] % (n - 1)
            rows[a], rows[b] = rows[b], rows[a]
    apply(rows, requests)
    if state is not None:
        for _ in range(2):
            fixes, _moved, _restored = fix_notes(TITLE, state, digest_of(rows))
            if not fixes:
                break
            apply(rows, fixes)
        assert not fix_notes(TITLE, state, digest_of(rows))[0]  # settled

    staff = {
        line["uid"]: line["note"] for line in read if line["note"] and "[kspo" not in line["note"]
    }
    wanted = {m.row_id for m in marks}
    for line in rows[1:]:
        note = line["note"]
        if line["uid"] in staff:
            assert note == staff[line["uid"]], (line, rows)
        elif line["id"] in wanted:
            assert note == tool_text(line["id"]), (line, rows)
        else:
            assert note is None, (line, rows)


def test_a_row_with_no_id_is_known_by_the_row_with_an_id_above_it() -> None:
    """A row inserted above: the staff note on a row with no ID goes back to that row."""
    read = [["รหัส", "โทร"], ["P-0001", "0812"], [None, "081"], ["P-0003", "0812"]]
    tab = RawTab(TITLE, read, sheet_id=5, meta={"notes": {(2, NOTED): "ยังไม่มีรหัส"}})
    marks = [Mark(TITLE, 4, NOTED, 0, "P-0003", Severity.ERROR, tool_text("P-0003"))]
    requests, state, _ = plan_notes(tab, 5, marks, 1, 0)
    assert state is not None
    rows = [{"id": r[0] or "", "note": None} for r in read]
    rows[2]["note"] = "ยังไม่มีรหัส"
    rows.insert(1, {"id": "P-0000", "note": None})  # staff insert a row at the top
    apply(rows, requests)  # the tool's note for P-0003 lands on the row with no ID
    assert rows[3]["note"] == tool_text("P-0003")
    fixes, moved, restored = fix_notes(TITLE, state, digest_of(rows))
    apply(rows, fixes)
    assert (moved, restored) == (1, 1)
    assert [r["note"] for r in rows] == [None, None, None, "ยังไม่มีรหัส", tool_text("P-0003")]
