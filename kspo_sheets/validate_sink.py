"""Where findings are made: placing an issue on a cell, masking personal values."""

from __future__ import annotations

from typing import Any

from kspo_sheets.codes import severity_of
from kspo_sheets.columns import display
from kspo_sheets.config import ColumnSpec, RegisterSpec
from kspo_sheets.headers import a1
from kspo_sheets.masking import mask
from kspo_sheets.model import CellValue, Finding, Issue, RegisterResult, Severity


class FindingSink:
    """Collects findings for one register, masking personal values on the way in."""

    def __init__(self, spec: RegisterSpec, tab_title: str, out: list[Finding]) -> None:
        self.spec = spec
        self.tab = tab_title
        self.out = out
        self.headers: dict[str, str] = {c.key: c.header for c in spec.columns}
        self.col_index: dict[str, int] = {}

    def personal_kind(self, col: ColumnSpec, record_values: dict[str, Any] | None) -> str | None:
        if col.personal:
            return col.personal
        cond = col.personal_if
        if cond and record_values is not None and record_values.get(cond.column) in cond.values:
            return cond.as_kind or "text"
        return None

    def add(
        self,
        *,
        row: int | None,
        row_id: str,
        column_key: str,
        raw: CellValue,
        code: str,
        th: str,
        en: str,
        severity: Severity | None = None,
        values: dict[str, Any] | None = None,
    ) -> Finding:
        col = None
        for c in self.spec.columns:
            if c.key == column_key:
                col = c
                break
        text = display(raw)
        kind = self.personal_kind(col, values) if col is not None else None
        if kind and text:
            text = mask(text, kind)
        elif len(text) > 200:
            text = text[:200] + "…"
        if column_key == self.spec.id_key and col is not None and col.personal:
            row_id = mask(row_id, col.personal)
        idx = self.col_index.get(column_key)
        cell = a1(row, idx) if (row is not None and idx is not None) else ""
        f = Finding(
            register=self.spec.key,
            tab=self.tab,
            row=row,
            row_id=row_id,
            column=self.headers.get(column_key, column_key),
            column_key=column_key,
            cell=cell,
            value=text,
            severity=severity or severity_of(code),
            code=code,
            message_th=th,
            message_en=en,
        )
        self.out.append(f)
        return f

    def issue(
        self, row: int, row_id: str, key: str, raw: CellValue, issue: Issue, values: dict[str, Any]
    ) -> None:
        self.add(
            row=row,
            row_id=row_id,
            column_key=key,
            raw=raw,
            code=issue.code,
            th=issue.th,
            en=issue.en,
            severity=issue.severity,
            values=values,
        )


def sink_for(spec: RegisterSpec, result: RegisterResult, out: list[Finding]) -> FindingSink:
    """A sink placing findings on the columns as the register's header row has them."""
    sink = FindingSink(spec, result.tab, out)
    sink.col_index = dict(result.columns)
    sink.headers.update(result.headers)
    return sink
