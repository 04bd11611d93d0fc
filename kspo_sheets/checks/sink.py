"""Where findings are made: placing an issue on a cell, masking personal values.

A personal column's value is masked by its kind. Any other value is free text as far as
PDPA goes: a phone number or an ID typed into it is masked, in the value and in the
messages that quote it (checks/masking.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kspo_sheets.checks.masking import mask, mask_free_text
from kspo_sheets.codes import severity_of
from kspo_sheets.config.contract import ColumnSpec, RegisterSpec
from kspo_sheets.model import CellValue, Finding, Issue, RegisterResult, Severity, column_letter
from kspo_sheets.thai.display import display


class FindingSink:
    """Collects findings for one register, masking personal values on the way in."""

    def __init__(self, spec: RegisterSpec, tab_title: str, out: list[Finding]) -> None:
        self.spec = spec
        self.tab = tab_title
        self.out = out
        self.headers: dict[str, str] = {c.key: c.header for c in spec.columns}
        self.col_index: dict[str, int] = {}
        self._columns: dict[str, ColumnSpec] = {}
        for c in spec.columns:
            self._columns.setdefault(c.key, c)
        self._letters: dict[int, str] = {}

    def personal_kind(self, col: ColumnSpec, record_values: Mapping[str, Any] | None) -> str | None:
        if col.personal:
            return col.personal
        cond = col.personal_if
        if cond is None:
            return None
        # Unknown (not parsed, or unusable) counts as personal: mask rather than leak.
        if record_values is None or record_values.get(cond.column) in (*cond.values, None):
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
        values: Mapping[str, Any] | None = None,
    ) -> Finding:
        # Called once per finding: a million times for a register whose every row has one.
        col = self._columns.get(column_key)
        text = raw if raw.__class__ is str else display(raw)
        kind = None
        if col is not None:
            kind = col.personal or (
                self.personal_kind(col, values) if col.personal_if is not None else None
            )
        if kind and text:
            text = mask(text, kind)
        else:
            text, th, en = _free_text(text, th, en)
        if column_key == self.spec.id_key and col is not None and col.personal:
            row_id = mask(row_id, col.personal)
        idx = self.col_index.get(column_key)
        if row is not None and idx is not None:
            letter = self._letters.get(idx)
            if letter is None:
                letter = self._letters[idx] = column_letter(idx)
            cell = f"{letter}{row}"
        else:
            cell = ""
        f = Finding(
            self.spec.key,
            self.tab,
            row,
            row_id,
            self.headers.get(column_key, column_key),
            column_key,
            cell,
            text,
            severity or severity_of(code),
            code,
            th,
            en,
        )
        self.out.append(f)
        return f

    def plain(
        self, column_key: str, code: str, severity: Severity | None = None
    ) -> tuple[str, str, str, str, Severity, Callable[[Finding], None]] | None:
        """What adder() fills in of a finding on this column with this code, when it needs
        no masking and has a column to place on (else None): register, tab, column header,
        column letter, severity, and out.append. For callers that make many at once.
        """
        col = self._columns.get(column_key)
        idx = self.col_index.get(column_key)
        if idx is None or (
            col is not None and (col.personal or col.personal_if is not None or col.type == "text")
        ):
            return None
        header = self.headers.get(column_key, column_key)
        return (
            self.spec.key,
            self.tab,
            header,
            column_letter(idx),
            severity or severity_of(code),
            self.out.append,
        )

    def adder(
        self, column_key: str, code: str, severity: Severity | None = None
    ) -> Callable[[int | None, str, CellValue, str, str, Mapping[str, Any] | None], Finding]:
        """add() for many findings of one column and code: add(row, row_id, raw, th, en, values).

        What add() works out per call from the column alone is worked out here once.
        """
        col = self._columns.get(column_key)
        sev = severity or severity_of(code)
        header = self.headers.get(column_key, column_key)
        idx = self.col_index.get(column_key)
        letter = column_letter(idx) if idx is not None else None
        conditional = col is not None and not col.personal and col.personal_if is not None
        fixed_kind = col.personal if col is not None else None
        mask_id = column_key == self.spec.id_key and col is not None and col.personal
        register, tab, out = self.spec.key, self.tab, self.out
        append = out.append

        if not conditional and not fixed_kind and not mask_id and letter is not None:
            # Nothing to mask and a column to place on: the common case, kept lean.
            def add_plain(
                row: int | None,
                row_id: str,
                raw: CellValue,
                th: str,
                en: str,
                values: Mapping[str, Any] | None = None,
            ) -> Finding:
                text = raw if raw.__class__ is str else display(raw)
                text, th, en = _free_text(text, th, en)
                f = Finding(
                    register,
                    tab,
                    row,
                    row_id,
                    header,
                    column_key,
                    "" if row is None else f"{letter}{row}",
                    text,
                    sev,
                    code,
                    th,
                    en,
                )
                append(f)
                return f

            return add_plain

        def add(
            row: int | None,
            row_id: str,
            raw: CellValue,
            th: str,
            en: str,
            values: Mapping[str, Any] | None = None,
        ) -> Finding:
            text = raw if raw.__class__ is str else display(raw)
            kind = fixed_kind
            if conditional:
                assert col is not None
                kind = self.personal_kind(col, values)
            if kind and text:
                text = mask(text, kind)
            else:
                text, th, en = _free_text(text, th, en)
            if mask_id:
                assert col is not None and col.personal
                row_id = mask(row_id, col.personal)
            cell = f"{letter}{row}" if (row is not None and letter is not None) else ""
            f = Finding(
                register, tab, row, row_id, header, column_key, cell, text, sev, code, th, en
            )
            out.append(f)
            return f

        return add

    def issue(
        self,
        row: int,
        row_id: str,
        key: str,
        raw: CellValue,
        issue: Issue,
        values: Mapping[str, Any],
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


def _free_text(text: str, th: str, en: str) -> tuple[str, str, str]:
    """A value that is not personal as a column: phones and IDs in it masked, here and in
    the messages (which may quote it); at most 200 characters kept."""
    masked = mask_free_text(text)
    if masked is not text:
        text, th, en = masked, mask_free_text(th), mask_free_text(en)
    if len(text) > 200:
        text = text[:200] + "…"
    return text, th, en


def sink_for(spec: RegisterSpec, result: RegisterResult, out: list[Finding]) -> FindingSink:
    """A sink placing findings on the columns as the register's header row has them."""
    sink = FindingSink(spec, result.tab, out)
    sink.col_index = dict(result.columns)
    sink.headers.update(result.headers)
    return sink
