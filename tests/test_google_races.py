"""Staff editing a spreadsheet between kspo's read and its write, end to end on the stand-in.

Highlight rules: Google deletes a rule by index only, so the write deletes the tool's old
rules by the indexes it read; when staff add, remove or reorder rules meanwhile, the
correction call puts back any staff rule a delete took and removes any stale tool rule.
Notes: placed by position, so a row inserted, deleted or sorted meanwhile can put a tool
note over a staff note (or clear one); the correction restores the staff note as read.
For every race: every staff rule and note as staff left them, the tool's marks exactly as a
quiet run leaves them, and the next run changes nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from click.testing import CliRunner
from google_helpers import calls, seed, user_values
from helpers import PHUKET, clean_tabs, phuket, row, snapshot, tab

from kspo_sheets.cli import cli
from kspo_sheets.standin import StandIn
from kspo_sheets.stores.google.rules import is_tool_rule, rule_key

# How a sync reads these registers (text only): the sheets, the values, then the notes the
# write reads (stores/google/reader.py, read_notes.py).
READ = ["meta", "values", "notes"]

AS_OF = "2019-09-10"
PRODUCERS = "ผู้ผลิต"
COLUMNS = [c.key for c in phuket().registers["producers"].columns]
PHONE = COLUMNS.index("phone")
NAME = COLUMNS.index("name")
KG = COLUMNS.index("monthly_kg")
GROUP = {
    "village_id": "83020201",
    "kind": "กลุ่มเกษตรกร",
    "category": "พืชผัก",
    "certification": "ไม่มี",
}
# Staff's own highlight rules, as they make them in Format > Conditional formatting.
STAFF_RULES = [
    {
        "ranges": [{"startRowIndex": 1, "startColumnIndex": NAME, "endColumnIndex": NAME + 1}],
        "booleanRule": {
            "condition": {"type": "TEXT_CONTAINS", "values": [{"userEnteredValue": "ยุติ"}]},
            "format": {"backgroundColor": {"red": 1, "green": 0.8, "blue": 0.6}},
        },
    },
    {
        "ranges": [{"startRowIndex": 1, "startColumnIndex": KG, "endColumnIndex": KG + 1}],
        "gradientRule": {
            "minpoint": {"color": {"red": 1, "green": 1, "blue": 1}, "type": "MIN"},
            "maxpoint": {"color": {"green": 0.6, "blue": 0.3}, "type": "MAX"},
        },
    },
]
ADDED = {
    "ranges": [{"startRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 1}],
    "booleanRule": {
        "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": '=$A2=""'}]},
        "format": {"backgroundColor": {"red": 0.9, "green": 0.9, "blue": 0.9}},
    },
}


def producers(bad: set[int], count: int = 6) -> Any:
    """Producer groups P-0001.. with a phone of four digits (a finding, so a tool note and
    highlight on the phone cell) on the rows numbered in `bad`."""
    lines = [
        row(
            "producers",
            producer_id=f"P-{i:04d}",
            name=f"กลุ่มผักปลอดภัย {i}",
            phone="0812" if i in bad else f"08123456{i:02d}",
            monthly_kg=str(100 * i),
            **GROUP,
        )
        for i in range(1, count + 1)
    ]
    return tab("producers", *lines)


@pytest.fixture
def sheet(sheets_standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KSPO_SHEETS_API_ROOT", sheets_standin.url)
    tabs = {t.title: t for t in clean_tabs()}
    tabs[PRODUCERS] = producers({2, 4, 6})
    return seed(sheets_standin, snapshot(*tabs.values()))


def sync(key: str) -> None:
    res = CliRunner().invoke(
        cli, ["sync", "--config", str(PHUKET), "--as-of", AS_OF, "--source", key]
    )
    assert res.exit_code == 0, res.output + repr(res.exception)


def tool_rules(standin: StandIn, key: str) -> Counter[Any]:
    return Counter(rule_key(r) for r in standin.state.rules(key, PRODUCERS) if is_tool_rule(r))


def staff_rules(standin: StandIn, key: str) -> list[dict[str, Any]]:
    return [r for r in standin.state.rules(key, PRODUCERS) if not is_tool_rule(r)]


def ids(standin: StandIn, key: str) -> list[str]:
    return [line[0] if line else "" for line in standin.state.values(key, PRODUCERS)]


def notes(standin: StandIn, key: str) -> dict[tuple[str, int], str]:
    """Every note on the producers tab, by (row ID, column)."""
    row_ids = ids(standin, key)
    out = {}
    for r, line in enumerate(standin.state.sheet(key, PRODUCERS).rows):
        for c, cell in enumerate(line):
            if cell and cell.get("note"):
                assert r < len(row_ids) and row_ids[r], (r, c, cell["note"])
                out[(row_ids[r], c)] = cell["note"]
    return out


# --- highlight rules --------------------------------------------------------------------------


def _add_above(state: Any, key: str) -> None:
    state.add_rule(key, PRODUCERS, ADDED, index=0)


def _remove_a_tool_rule(state: Any, key: str) -> None:
    rules = state.rules(key, PRODUCERS)
    state.delete_rule(key, PRODUCERS, next(i for i, r in enumerate(rules) if is_tool_rule(r)))


def _reorder(state: Any, key: str) -> None:
    last = len(state.rules(key, PRODUCERS)) - 1
    state.move_rule(key, PRODUCERS, last, 0)  # the gradient first
    state.move_rule(key, PRODUCERS, 1, last)  # and one of the tool's last


def _all_three(state: Any, key: str) -> None:
    _reorder(state, key)
    _remove_a_tool_rule(state, key)
    _add_above(state, key)


@pytest.mark.parametrize(
    "edit",
    [_add_above, _remove_a_tool_rule, _reorder, _all_three],
    ids=["staff rule added above", "tool rule removed", "rules reordered", "all three"],
)
def test_highlight_rules_when_staff_edit_rules_mid_run(
    sheets_standin: StandIn, sheet: str, edit: Any
) -> None:
    for rule in STAFF_RULES:
        sheets_standin.state.add_rule(sheet, PRODUCERS, rule, index=0)
    sync(sheet)
    wanted = tool_rules(sheets_standin, sheet)
    assert sum(wanted.values()) >= 1 and len(staff_rules(sheets_standin, sheet)) == 2
    # the data changes too, so every rule the tool wants is new: P-0002 fixed, P-0005 not
    sheets_standin.state.set_values(sheet, PRODUCERS, 2, PHONE, [["0812345602"]])
    sheets_standin.state.set_values(sheet, PRODUCERS, 5, PHONE, [["0812"]])
    left: dict[str, Any] = {}

    def staff(state: Any) -> None:
        edit(state, sheet)
        left["staff"] = [r for r in state.rules(sheet, PRODUCERS) if not is_tool_rule(r)]

    sheets_standin.between(staff, after_path="spreadsheets/", before_method="POST")
    sheets_standin.reset_counts()
    sync(sheet)
    assert left, "the staff edit never ran"
    assert staff_rules(sheets_standin, sheet) == left["staff"]  # each, once, in their order
    after = tool_rules(sheets_standin, sheet)
    assert after and after != wanted  # the new findings' rules, and no stale one
    assert all('"P-0002"' not in key[0] for key in after)
    assert any('"P-0005"' in key[0] for key in after)
    # read, write, and at most a correction (or a fresh read of the rules and the write again)
    assert calls(sheets_standin) in (
        [*READ, "write"],
        [*READ, "write", "write"],
        [*READ, "write", "rules", "write"],
    )

    rules = sheets_standin.state.rules(sheet, PRODUCERS)
    sheets_standin.reset_counts()
    sync(sheet)  # quiet: changes no rule, and needs no correction
    assert sheets_standin.state.rules(sheet, PRODUCERS) == rules
    assert calls(sheets_standin) == [*READ, "write"]


def test_a_tool_rule_removed_where_no_staff_rule_follows(
    sheets_standin: StandIn, sheet: str
) -> None:
    """The delete by the last index read falls off the shortened list: Google refuses the
    whole batch, and the write reads the rules again and goes through."""
    sheets_standin.state.set_values(sheet, PRODUCERS, 3, KG, [["-5"]])  # a second rule
    sync(sheet)
    wanted = tool_rules(sheets_standin, sheet)
    assert sum(wanted.values()) >= 2 and not staff_rules(sheets_standin, sheet)
    staff_values = user_values(sheets_standin, sheet, [PRODUCERS])
    sheets_standin.between(
        lambda state: state.delete_rule(sheet, PRODUCERS, 0),
        after_path="spreadsheets/",
        before_method="POST",
    )
    sheets_standin.reset_counts()
    sync(sheet)
    assert calls(sheets_standin) == [*READ, "write", "rules", "write"]
    assert [r.status for r in sheets_standin.requests] == [200] * len(READ) + [400, 200, 200]
    assert tool_rules(sheets_standin, sheet) == wanted
    assert user_values(sheets_standin, sheet, [PRODUCERS]) == staff_values


def test_old_rules_go_from_a_tab_with_no_finding_left(sheets_standin: StandIn, sheet: str) -> None:
    """Every phone fixed: the write only deletes the old rules, by the indexes read, and
    staff add a rule above them meanwhile."""
    sheets_standin.state.add_rule(sheet, PRODUCERS, STAFF_RULES[0])
    sync(sheet)
    assert tool_rules(sheets_standin, sheet)
    for r in (2, 4, 6):
        sheets_standin.state.set_values(sheet, PRODUCERS, r, PHONE, [[f"081234560{r}"]])
    sheets_standin.between(
        lambda state: state.add_rule(sheet, PRODUCERS, ADDED, index=0),
        after_path="spreadsheets/",
        before_method="POST",
    )
    sync(sheet)
    assert not tool_rules(sheets_standin, sheet)
    assert staff_rules(sheets_standin, sheet) == [
        sheets_standin.state.rules(sheet, PRODUCERS)[0],
        sheets_standin.state.rules(sheet, PRODUCERS)[1],
    ]
    formulas = [
        r["booleanRule"]["condition"]["values"][0] for r in staff_rules(sheets_standin, sheet)
    ]
    assert formulas == [{"userEnteredValue": '=$A2=""'}, {"userEnteredValue": "ยุติ"}]
    assert not notes(sheets_standin, sheet)


# --- notes ------------------------------------------------------------------------------------

STAFF_NOTES = {1: "โทรนัดก่อนเข้าพบ", 3: "ประธานกลุ่มเปลี่ยนแล้ว", 5: "รอใบรับรอง GAP"}


def _insert_above(state: Any, key: str) -> None:
    new = row("producers", producer_id="P-0100", name="กลุ่มใหม่", phone="0812345699", **GROUP)
    state.insert_rows(key, PRODUCERS, 1, 1, values=[new])


def _delete_above(state: Any, key: str) -> None:
    state.delete_rows(key, PRODUCERS, 1, 1)


def _sort(state: Any, key: str) -> None:
    state.sort_rows(key, PRODUCERS, 1, 0, descending=True)


@pytest.mark.parametrize(
    "edit",
    [_insert_above, _delete_above, _sort],
    ids=["row inserted above a staff note", "row deleted above", "rows sorted"],
)
@pytest.mark.parametrize("notes_were", ["new", "old"])
def test_a_tool_note_never_replaces_a_staff_note(
    sheets_standin: StandIn, sheet: str, edit: Any, notes_were: str
) -> None:
    """Staff notes on the clean rows' phone cells, tool notes due on the rows between them:
    after the edit every tool note is written (or, `old`, cleared) over a staff note."""
    if notes_were == "old":  # a first run notes P-0002/4/6; then staff fix those phones
        sync(sheet)
        for r in (2, 4, 6):
            sheets_standin.state.set_values(sheet, PRODUCERS, r, PHONE, [[f"081234560{r}"]])
    for r, text in STAFF_NOTES.items():
        sheets_standin.state.set_note(sheet, PRODUCERS, r, PHONE, text)
    before = notes(sheets_standin, sheet)
    staff_notes = {k: v for k, v in before.items() if not v.startswith("[kspo-sheets]")}
    assert len(staff_notes) == 3
    landed: dict[str, Any] = {}

    def staff(state: Any) -> None:
        edit(state, sheet)
        landed["values"] = user_values(sheets_standin, sheet, [PRODUCERS])

    sheets_standin.between(staff, after_path="spreadsheets/", before_method="POST")
    sheets_standin.reset_counts()
    sync(sheet)
    after = notes(sheets_standin, sheet)
    for (rid, c), text in staff_notes.items():
        if rid in ids(sheets_standin, sheet):
            assert after.get((rid, c)) == text, (rid, after)
    tool = {k: v for k, v in after.items() if v.startswith("[kspo-sheets]")}
    for (rid, _c), text in tool.items():
        assert text.splitlines()[0] == f"[kspo-sheets] {rid}"  # on the row it names
    due = set() if notes_were == "old" else {"P-0002", "P-0004", "P-0006"}
    assert {rid for rid, _ in tool} == due & set(ids(sheets_standin, sheet))
    assert user_values(sheets_standin, sheet, [PRODUCERS]) == landed["values"]
    assert calls(sheets_standin) == [*READ, "write", "write"]

    sheets_standin.reset_counts()
    sync(sheet)
    assert notes(sheets_standin, sheet) == after
    assert calls(sheets_standin) == [*READ, "write"]
