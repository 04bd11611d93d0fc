"""Highlight rules reconciled after a write, for any staff edit of the rules list.

A model of Google's rules list (delete by index, add at an index, a batch applied whole)
against reconcile(): whatever staff do between the read and the write, and again between
the write and the correction, the correction leaves every staff rule as staff left it (in
their order, none twice, none lost) and exactly the tool rules the run wants.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kspo_sheets.stores.google.cells import CF_MARK
from kspo_sheets.stores.google.rules import (
    Mismatch,
    RuleOp,
    SheetRules,
    is_tool_rule,
    reconcile,
    rule_key,
)

SID = 7


def tool(n: int, col: int = 3) -> dict[str, Any]:
    return {
        "ranges": [
            {"sheetId": SID, "startRowIndex": 1, "startColumnIndex": col, "endColumnIndex": col + 1}
        ],
        "booleanRule": {
            "condition": {
                "type": "CUSTOM_FORMULA",
                "values": [{"userEnteredValue": f'=AND({CF_MARK},OR($A2="P-{n:04d}"))'}],
            },
            "format": {"backgroundColor": {"red": 0.9}},
        },
    }


def staff(n: int) -> dict[str, Any]:
    return {
        "ranges": [
            {"sheetId": SID, "startRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 1}
        ],
        "booleanRule": {
            "condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": f"staff {n}"}]},
            "format": {"backgroundColor": {"green": 0.5}},
        },
    }


def apply(rules: list[dict[str, Any]], ops: list[RuleOp]) -> list[Any] | None:
    """Google's batch: every op in order on a copy, or None (400, nothing applied)."""
    replies: list[Any] = []
    for op in ops:
        if op.kind == "delete":
            if not 0 <= op.index < len(rules):
                return None
            replies.append({"deleteConditionalFormatRule": {"rule": rules.pop(op.index)}})
        else:
            if not 0 <= op.index <= len(rules):
                return None
            rules.insert(op.index, op.rule)
            replies.append({})
    return replies


def write_ops(read: list[dict[str, Any]], new: list[dict[str, Any]]) -> SheetRules:
    """The write's rule requests: old tool rules deleted by the indexes read, new at the top."""
    sheet = SheetRules(SID)
    for i in sorted((i for i, r in enumerate(read) if is_tool_rule(r)), reverse=True):
        sheet.ops.append(RuleOp("delete", i, len(sheet.ops)))
    for rule in new:
        sheet.ops.append(RuleOp("add", 0, len(sheet.ops), rule))
        sheet.wanted[rule_key(rule)] += 1
    return sheet


# A staff edit of the list: ("add", at, n), ("delete", at), ("move", from, to); indexes are
# taken modulo the list's length when the edit is made.
EDIT = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 20), st.integers(100, 199)),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 20)),
)


def edit(rules: list[dict[str, Any]], edits: list[tuple[Any, ...]]) -> None:
    for e in edits:
        if e[0] == "add":
            rules.insert(e[1] % (len(rules) + 1), staff(e[2]))
        elif rules and e[0] == "delete":
            rules.pop(e[1] % len(rules))
        elif rules:
            rule = rules.pop(e[1] % len(rules))
            rules.insert(e[2] % (len(rules) + 1), rule)


def staff_of(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rules if not is_tool_rule(r)]


def tools_of(rules: list[dict[str, Any]]) -> Counter[Any]:
    return Counter(rule_key(r) for r in rules if is_tool_rule(r))


@settings(max_examples=300, deadline=None)
@given(
    layout=st.lists(st.booleans(), max_size=8),  # True: a tool rule, False: staff's
    new=st.lists(st.integers(0, 5), max_size=5),
    first=st.lists(EDIT, max_size=4),
    second=st.lists(EDIT, max_size=3),
)
def test_any_staff_edit_before_the_write_or_the_correction(layout, new, first, second) -> None:
    read = [tool(i) if t else staff(i) for i, t in enumerate(layout)]
    wanted = [tool(n, col=4) for n in new]
    sheet = write_ops(read, wanted)
    rules = [dict(r) for r in read]
    edit(rules, first)  # staff, between the read and the write
    before = staff_of(rules)
    replies = apply(rules, sheet.ops)
    if replies is None:
        return  # Google refuses the batch; the store reads the rules again (tested end to end)
    ops, _back, _gone, shown = reconcile(sheet, rules, replies)
    sheet.ops = ops
    sheet.wanted = shown
    settled = [dict(r) for r in rules]
    assert apply(settled, [RuleOp(o.kind, o.index, o.request, o.rule) for o in ops]) is not None
    assert staff_of(settled) == before  # each staff rule, once, in staff's order
    assert tools_of(settled) == Counter(rule_key(r) for r in wanted)

    # staff again, between the write and the correction; then the round after it, which
    # keeps the staff rules the correction put back and loses none staff left
    edit(rules, second)
    before = staff_of(rules)
    put_back = [o.rule for o in ops if o.kind == "add"]
    for i, op in enumerate(ops):  # alone in its batch here
        op.request = i
    replies = apply(rules, ops)
    if replies is None:
        return
    try:
        ops, _back, _gone, _shown = reconcile(sheet, rules, replies)
    except Mismatch:
        return  # the reply cannot be read against the batch: nothing is touched
    assert apply(rules, ops) is not None
    final = staff_of(rules)
    assert Counter(map(repr, final)) == Counter(map(repr, before + put_back))
    assert _in_order(before, final)
    assert tools_of(rules) <= Counter(rule_key(r) for r in wanted)  # one staff removed: next run


def _in_order(sub: list[Any], seq: list[Any]) -> bool:
    it = iter(seq)
    return all(any(x == y for y in it) for x in sub)


def test_a_staff_rule_added_above_is_put_back_and_the_stale_tool_rule_goes() -> None:
    read = [tool(1), tool(2), staff(1)]
    sheet = write_ops(read, [tool(3, col=4)])
    rules = [staff(0), *read]  # staff add a rule at the top after the read
    replies = apply(rules, sheet.ops)
    assert replies is not None
    # the deletes by index (1, then 0) took tool(1) and staff(0); tool(2) stayed
    gone = [x.get("deleteConditionalFormatRule", {}).get("rule") for x in replies]
    assert [r for r in gone if r] == [tool(1), staff(0)]
    ops, back, gone, _ = reconcile(sheet, rules, replies)
    assert (back, gone) == (1, 1)
    assert apply(rules, ops) is not None
    assert rules == [tool(3, col=4), staff(0), staff(1)]
