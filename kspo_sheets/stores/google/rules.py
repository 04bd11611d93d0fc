"""Highlight rules on staff tabs: the tool's conditional formats, known by their content.

The Sheets API deletes a conditional format by its index, and staff may add, remove or
reorder rules between the tool's read and its write: a delete by the index read may then
remove a staff rule and leave one of the tool's. So the write deletes the tool's old rules
by the indexes it read and adds the new ones at the top, and its reply carries what it did
(each delete's reply names the rule it removed) and the rules as they are after it. From
those two the rules just before the write are rebuilt exactly (a batch is applied whole,
in order), and the correction puts back every staff rule a delete removed, where it was
among the staff's rules, and removes every tool rule the run did not add. A tool rule is
one whose formula holds CF_MARK; nothing here goes by position or count alone.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from kspo_sheets.model import Snapshot
from kspo_sheets.stores.google.cells import CF_MARK

RuleKey = tuple[str, tuple[tuple[int, int | None, int, int | None], ...]]


def formula(rule: dict[str, Any]) -> str:
    values = ((rule.get("booleanRule") or {}).get("condition") or {}).get("values") or []
    return "".join(str((v or {}).get("userEnteredValue", "")) for v in values)


def is_tool_rule(rule: dict[str, Any]) -> bool:
    return CF_MARK in formula(rule)


def rule_key(rule: dict[str, Any]) -> RuleKey:
    """What tells two of the tool's rules apart: the formula and the cells it covers."""
    ranges = tuple(
        (
            int(r.get("startRowIndex") or 0),
            r.get("endRowIndex"),
            int(r.get("startColumnIndex") or 0),
            r.get("endColumnIndex"),
        )
        for r in rule.get("ranges") or []
    )
    return formula(rule).replace(" ", ""), ranges


@dataclass
class RuleOp:
    """One rule request of a batch: ``delete`` at an index (its reply names the rule
    removed) or ``add`` of a rule at an index. ``request`` is its place in the batch."""

    kind: str
    index: int
    request: int
    rule: dict[str, Any] | None = None


@dataclass
class SheetRules:
    """A staff tab's rules as the run handles them: what the last batch did to them, and
    the tool rules the run wants there (by key; as Google shows them once it has)."""

    sheet_id: int
    ops: list[RuleOp] = field(default_factory=list)
    wanted: Counter[RuleKey] = field(default_factory=Counter)


@dataclass(eq=False)  # two equal rules are still two rules
class _Item:
    rule: dict[str, Any]
    after: bool  # in the list the reply shows
    before: bool  # in the list just before the batch
    added: bool = False  # added by the batch


class Mismatch(ValueError):
    """The reply does not show what the batch did; nothing is corrected."""


def _history(after: list[dict[str, Any]], ops: list[RuleOp], replies: list[Any]) -> list[_Item]:
    """The rules after the batch merged with those it deleted, in sheet order: undoing the
    batch's requests in reverse on the list after it gives the list before it exactly."""
    items = [_Item(copy.deepcopy(r), after=True, before=True) for r in after]
    for op in reversed(ops):
        view = [it for it in items if it.before]
        if op.kind == "add":
            if not 0 <= op.index < len(view):
                raise Mismatch("an added rule is missing")
            it = view[op.index]
            if op.rule is None or is_tool_rule(it.rule) != is_tool_rule(op.rule):
                raise Mismatch("an added rule is not where the batch put it")
            it.before, it.added = False, True
            continue
        reply = replies[op.request] if op.request < len(replies) else None
        gone = ((reply or {}).get("deleteConditionalFormatRule") or {}).get("rule")
        if not isinstance(gone, dict) or not 0 <= op.index <= len(view):
            raise Mismatch("a delete's reply does not name its rule")
        new = _Item(gone, after=False, before=True)
        if op.index == len(view):
            items.append(new)
        else:
            items.insert(items.index(view[op.index]), new)
    return items


def reconcile(
    sheet: SheetRules, after: list[dict[str, Any]], replies: list[Any]
) -> tuple[list[RuleOp], int, int, Counter[RuleKey]]:
    """The rule requests that mend the sheet after a batch, as ops with their indexes in
    order: (ops, staff rules put back, stale tool rules removed, the wanted keys as Google
    shows them). Raises Mismatch when the reply cannot be read against the batch."""
    items = _history(after, sheet.ops, replies)
    left = Counter(sheet.wanted)
    keep: set[int] = set()
    shown: Counter[RuleKey] = Counter()
    # The rules this batch added are the run's; then those the run added earlier.
    tools = [i for i, it in enumerate(items) if it.after and is_tool_rule(it.rule)]
    for i in sorted(tools, key=lambda i: not items[i].added):
        key = rule_key(items[i].rule)
        if items[i].added or left[key] > 0:
            keep.add(i)
            shown[key] += 1
            if left[key] > 0:
                left[key] -= 1
    ops: list[RuleOp] = []
    restored = removed = 0
    pos = 0
    for i, it in enumerate(items):
        if it.after:
            if i in tools and i not in keep:
                ops.append(RuleOp("delete", pos, -1))
                removed += 1
            else:
                pos += 1
        elif not is_tool_rule(it.rule):
            rule = copy.deepcopy(it.rule)
            rule["ranges"] = [{**r, "sheetId": sheet.sheet_id} for r in rule.get("ranges") or []]
            ops.append(RuleOp("add", pos, -1, rule))
            restored += 1
            pos += 1
    return ops, restored, removed, shown


def rule_request(sheet_id: int, op: RuleOp) -> dict[str, Any]:
    if op.kind == "delete":
        return {"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": op.index}}
    return {"addConditionalFormatRule": {"index": op.index, "rule": op.rule}}


# A read of every sheet's rules and nothing else: what the write needs when a delete by
# an index read earlier fell off the end of a list staff shortened meanwhile.
RULES_FIELDS = (
    "sheets(properties(sheetId,title),conditionalFormats(ranges,booleanRule(condition(values))))"
)


def with_rules(snapshot: Snapshot, answer: Any) -> Snapshot:
    """The snapshot with each tab's rules as a fresh read shows them (by sheetId)."""
    fresh = {
        (s.get("properties") or {}).get("sheetId", 0): list(s.get("conditionalFormats") or [])
        for s in (answer or {}).get("sheets") or []
        if isinstance(s, dict)
    }
    tabs = {
        title: replace(tab, meta={**tab.meta, "conditional_formats": fresh[tab.sheet_id]})
        if tab.sheet_id in fresh
        else tab
        for title, tab in snapshot.tabs.items()
    }
    return replace(snapshot, tabs=tabs)


def refused_rule_index(message: str) -> bool:
    """Whether Google refused a batch for a rule request (an index past the list's end)."""
    return "ConditionalFormatRule" in message
