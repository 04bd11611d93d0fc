"""Rules across rows and registers: uniqueness, references, places, certificates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from kspo_sheets.checks.sink import sink_for
from kspo_sheets.config.contract import RegisterSpec
from kspo_sheets.config.province import Config
from kspo_sheets.model import NO_COLUMN, Finding, Record, RegisterResult, Severity, with_error
from kspo_sheets.thai.dates import format_be
from kspo_sheets.thai.display import display
from kspo_sheets.thai.gazetteer import Gazetteer
from kspo_sheets.thai.text import normalise


def _shown(value: Any) -> str:
    if value.__class__ is str:
        return value
    if isinstance(value, dt.date):
        return format_be(value)
    code = getattr(value, "code8", None) or getattr(value, "name_th", None)
    return str(code) if code is not None else str(value)


def _rows_text(rows: list[int], limit: int = 5) -> str:
    head = ", ".join(map(str, rows[:limit]))
    return head + (f" และอีก {len(rows) - limit} แถว" if len(rows) > limit else "")


def _rows_text_en(rows: list[int], limit: int = 5) -> str:
    head = ", ".join(map(str, rows[:limit]))
    return head + (f" and {len(rows) - limit} more" if len(rows) > limit else "")


def _unique(spec: RegisterSpec, result: RegisterResult, findings: list[Finding]) -> None:
    sink = sink_for(spec, result, findings)
    records = result.records
    for col in spec.columns:
        if not col.unique or col.key not in result.columns:
            continue
        key = col.key
        # One dict entry per value and a list only for values seen twice: a million unique
        # national IDs are not a million one-element lists.
        first: dict[Any, Record] = {}
        repeats: dict[Any, list[Record]] = {}
        setdefault, repeated = first.setdefault, repeats.get
        all_text = True  # every value a str, which is then its own key
        for rec in records:
            v = rec.values.get(key)
            if v is None:
                continue
            if v.__class__ is str:
                k = v
            else:
                k = getattr(v, "code8", v)
                all_text = False
            seen = setdefault(k, rec)
            if seen is not rec:
                group = repeated(k)
                if group is None:
                    repeats[k] = [seen, rec]
                else:
                    group.append(rec)
        if not repeats:
            continue
        is_id = key == spec.id_key
        code = "id.duplicate" if is_id else "value.duplicate"
        severity = Severity.ERROR if col.unique == "error" else Severity.WARNING
        header = sink.headers[key]
        add = sink.adder(key, code, severity)
        # Nothing to mask and a column to place on: findings made here, as add() would.
        plain = sink.plain(key, code, severity) if all_text else None
        if plain is not None:
            register, tab, column, letter, sev, append = plain
        is_error = severity is Severity.ERROR
        one = with_error(None, key, code)  # what a repeat's errors become (shared)
        th_head, th_tail = f"'{header}' ซ้ำกับแถว ", " แต่ละแถวต้องไม่ซ้ำกัน"
        en_head, en_tail = f"'{header}' is the same as on row(s) ", "; it must be unique."
        # Groups in the order their values first appear, as the findings have always come.
        for k in first:
            recs = repeated(k)
            if recs is None:
                continue
            rows = [r.row for r in recs]
            if len(set(rows)) != len(rows):  # never from validate_register
                _unique_group_slow(recs, rows, key, code, header, add, is_error)
                continue
            # Distinct rows: a row's message names the first five other rows of its group
            # and how many more there are. For the first five rows that list skips the row
            # itself; past them it is the same five rows for all, made once.
            n = len(recs)
            shown = [str(r) for r in rows[:6]]
            if plain is not None:
                text_k = k if len(k) <= 200 else k[:200] + "…"
            more = n - 6  # other rows (n - 1) beyond the five named
            more_th = f" และอีก {more} แถว" if more > 0 else ""
            more_en = f" and {more} more" if more > 0 else ""
            for i, rec in enumerate(recs):
                if i < 5:
                    named = ", ".join(shown[:i] + shown[i + 1 : 6])
                    th = f"{th_head}{named}{more_th}{th_tail}"
                    en = f"{en_head}{named}{more_en}{en_tail}"
                elif i == 5:
                    named = ", ".join(shown[:5])
                    th = f"{th_head}{named}{more_th}{th_tail}"
                    en = f"{en_head}{named}{more_en}{en_tail}"
                if plain is not None:
                    row = rec.row
                    append(
                        Finding(
                            register,
                            tab,
                            row,
                            rec.row_id,
                            column,
                            key,
                            "" if row is None else f"{letter}{row}",
                            text_k,
                            sev,
                            code,
                            th,
                            en,
                        )
                    )
                else:
                    values = rec.values
                    if all_text:
                        text = k  # the row's value, equal to the group's
                    else:
                        v = values[key]
                        text = v if v.__class__ is str else _shown(v)
                    add(rec.row, rec.row_id, text, th, en, values)
                if is_error:
                    # The first of the rows sharing a value counts; its repeats do not.
                    errors = rec.errors
                    if i:
                        rec.errors = one if errors is None else with_error(errors, key, code)
                    elif errors is None:
                        rec.errors = NO_COLUMN


def _unique_group_slow(
    recs: list[Record],
    rows: list[int],
    key: str,
    code: str,
    header: str,
    add: Callable[..., Any],
    is_error: bool,
) -> None:
    """One group of repeats whose rows are not all distinct (never from validate_register)."""
    for i, rec in enumerate(recs):
        others = [r for r in rows if r != rec.row]
        th = f"'{header}' ซ้ำกับแถว {_rows_text(others)} แต่ละแถวต้องไม่ซ้ำกัน"
        en = f"'{header}' is the same as on row(s) {_rows_text_en(others)}; it must be unique."
        values = rec.values
        add(rec.row, rec.row_id, _shown(values[key]), th, en, values)
        if is_error:
            if i:
                rec.add_error(key, code)
            else:
                rec.flag_error()


def _refs(
    spec: RegisterSpec,
    results: Mapping[str, RegisterResult],
    config: Config,
    findings: list[Finding],
) -> None:
    result = results[spec.key]
    sink = sink_for(spec, result, findings)
    for col in spec.columns:
        if not col.ref or col.key not in result.columns:
            continue
        target = results.get(col.ref)
        if target is None or not target.present or not target.columns:
            continue  # the missing register is reported on its own
        tspec = config.registers[col.ref]
        ids = {
            getattr(r.values.get(tspec.id_key), "code8", r.values.get(tspec.id_key))
            for r in target.records
        }
        ids.discard(None)
        for rec in result.records:
            v = rec.values.get(col.key)
            if v is None:
                continue
            key = getattr(v, "code8", v)
            if key in ids:
                continue
            sink.add(
                row=rec.row,
                row_id=rec.row_id,
                column_key=col.key,
                raw=_shown(v),
                code="ref.missing",
                values=rec.values,
                th=f"ไม่พบรหัส {key} ในแท็บ '{target.tab}' เพิ่มแถวนั้นก่อน หรือแก้รหัสให้ถูก",
                en=f"No row with ID {key} in tab '{target.tab}'; add that row first or correct the ID.",
            )
            rec.add_error(col.key, "ref.missing")


def _village_place(
    spec: RegisterSpec, result: RegisterResult, rule: Mapping[str, Any], findings: list[Finding]
) -> None:
    sink = sink_for(spec, result, findings)
    code_key: str = rule["code"]
    moo_key: str = rule.get("moo", "")
    tambon_key: str = rule.get("tambon", "")
    amphoe_key: str = rule.get("amphoe", "")
    for rec in result.records:
        vc = rec.values.get(code_key)
        if vc is None:
            continue
        tb = vc.tambon
        moo = rec.values.get(moo_key) if moo_key else None
        if moo is not None and int(moo) != vc.moo:
            sink.add(
                row=rec.row,
                row_id=rec.row_id,
                column_key=moo_key,
                raw=str(int(moo)),
                code="village.moo_mismatch",
                values=rec.values,
                th=f"หมู่ที่ {int(moo)} ไม่ตรงกับรหัสหมู่บ้าน {vc.code8} (ลงท้าย {vc.moo:02d}) แก้ให้ตรงกัน",
                en=f"Moo {int(moo)} disagrees with village code {vc.code8} (ends in {vc.moo:02d}); make them agree.",
            )
            rec.add_error(moo_key, "village.moo_mismatch")
        typed_tb = rec.values.get(tambon_key) if tambon_key else None
        if typed_tb is not None and typed_tb.code != tb.code:
            sink.add(
                row=rec.row,
                row_id=rec.row_id,
                column_key=tambon_key,
                raw=typed_tb.name_th,
                code="village.code_tambon",
                values=rec.values,
                th=f"ตำบล{typed_tb.name_th} ไม่ตรงกับรหัสหมู่บ้าน {vc.code8} (ตำบล{tb.name_th}) แก้รหัสหรือตำบลให้ตรงกัน",
                en=f"Tambon {typed_tb.name_th} disagrees with village code {vc.code8} (tambon {tb.name_th}).",
            )
            rec.add_error(tambon_key, "village.code_tambon")
            continue
        typed_am = rec.values.get(amphoe_key) if amphoe_key else None
        if typed_am is not None and typed_am.code != tb.amphoe_code and typed_tb is None:
            sink.add(
                row=rec.row,
                row_id=rec.row_id,
                column_key=amphoe_key,
                raw=typed_am.name_th,
                code="village.code_tambon",
                values=rec.values,
                th=f"อำเภอ{typed_am.name_th} ไม่ตรงกับรหัสหมู่บ้าน {vc.code8} (ตำบล{tb.name_th}) แก้รหัสหรืออำเภอให้ตรงกัน",
                en=f"Amphoe {typed_am.name_th} disagrees with village code {vc.code8} (tambon {tb.name_th}).",
            )
            rec.add_error(amphoe_key, "village.code_tambon")


def _cert_expiry(
    spec: RegisterSpec,
    result: RegisterResult,
    rule: Mapping[str, Any],
    findings: list[Finding],
    as_of: dt.date,
) -> None:
    sink = sink_for(spec, result, findings)
    col, cert_key = rule["column"], rule["certification"]
    certified = set(rule.get("certified", ()))
    days = int(rule.get("notice_days", 90))
    soon = as_of + dt.timedelta(days=days)
    expired = sink.adder(col, "cert.expired")
    expiring = sink.adder(col, "cert.expiring")
    # What is said about a date depends on the date alone: word it once per date, not once
    # per row (a register holds a few thousand distinct expiry dates at most).
    said: dict[Any, tuple[Callable[..., Any], str, str, str] | None] = {}
    for rec in result.records:
        values = rec.values
        expiry = values.get(col)
        if expiry is None or values.get(cert_key) not in certified:
            continue
        if expiry in said:
            words = said[expiry]
        else:
            words = said[expiry] = _expiry_words(expiry, as_of, soon, expired, expiring)
        if words is not None:
            add, shown, th, en = words
            add(rec.row, rec.row_id, shown, th, en, values)


def _expiry_words(
    expiry: Any,
    as_of: dt.date,
    soon: dt.date,
    expired: Callable[..., Any],
    expiring: Callable[..., Any],
) -> tuple[Callable[..., Any], str, str, str] | None:
    if expiry < as_of:
        return (
            expired,
            display(expiry),
            f"ใบรับรองหมดอายุแล้วเมื่อ {format_be(expiry, 'long')} ต่ออายุหรือแก้มาตรฐานเป็น 'อยู่ระหว่างขอรับรอง'",
            f"The certificate expired on {format_be(expiry)}; renew it or set the standard to 'อยู่ระหว่างขอรับรอง'.",
        )
    if expiry <= soon:
        left = (expiry - as_of).days
        return (
            expiring,
            display(expiry),
            f"ใบรับรองจะหมดอายุใน {left} วัน ({format_be(expiry, 'long')}) เตรียมต่ออายุ",
            f"The certificate expires in {left} days ({format_be(expiry)}); plan the renewal.",
        )
    return None


def together_key(values: Mapping[str, Any], keys: list[str]) -> tuple[Any, ...] | None:
    """What unique_together compares: the values of `keys`, text without case or spaces
    ("มหาวิทยาลัยราชภัฏ ภูเก็ต" is "มหาวิทยาลัยราชภัฏภูเก็ต"); None when one is blank."""
    parts = []
    for k in keys:
        v = values.get(k)
        if v is None:
            return None
        parts.append(normalise(v).casefold().replace(" ", "") if isinstance(v, str) else v)
    return tuple(parts)


def _unique_together(
    spec: RegisterSpec, result: RegisterResult, rule: Mapping[str, Any], findings: list[Finding]
) -> None:
    sink = sink_for(spec, result, findings)
    keys = list(rule["columns"])
    severity = Severity(rule.get("severity", "warning"))
    code = rule.get("code", "value.duplicate")
    seen: dict[tuple[Any, ...], Record] = {}
    for rec in result.records:
        tup = together_key(rec.values, keys)
        if tup is not None:
            first = seen.get(tup)
            if first is None:
                seen[tup] = rec
                continue
            names = " + ".join(sink.headers[k] for k in keys)
            sink.add(
                row=rec.row,
                row_id=rec.row_id,
                column_key=keys[0],
                raw=rec.values.get(keys[0]),
                code=code,
                severity=severity,
                values=rec.values,
                th=f"{names} ซ้ำกับแถว {first.row} ({first.row_id}) ตรวจสอบว่าเสนอซ้ำหรือไม่",
                en=f"{names} repeats row {first.row} ({first.row_id}); check for a double nomination.",
            )
            if severity is Severity.ERROR:
                # The later nomination repeats the first: its columns of the rule are out.
                for k in keys:
                    rec.add_error(k, code)


def apply_rules(
    config: Config,
    results: dict[str, RegisterResult],
    findings: list[Finding],
    *,
    gazetteer: Gazetteer,
    as_of: dt.date,
) -> None:
    """Run uniqueness, reference and the registers' named rules, appending findings."""
    for key, result in results.items():
        if not result.present or not result.columns:
            continue
        spec = config.registers[key]
        _unique(spec, result, findings)
        _refs(spec, results, config, findings)
        for rule in spec.rules:
            name = rule["rule"]
            if name == "village_place":
                _village_place(spec, result, rule, findings)
            elif name == "cert_expiry":
                _cert_expiry(spec, result, rule, findings, as_of)
            elif name == "unique_together":
                _unique_together(spec, result, rule, findings)
