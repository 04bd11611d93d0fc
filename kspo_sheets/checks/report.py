"""Turning a validation result into what an operator or another program reads."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from kspo_sheets.config.province import Config
from kspo_sheets.model import Finding, Severity, ValidationResult
from kspo_sheets.thai.text import display_width

JSON_KEYS = (
    "register",
    "row",
    "row_id",
    "column",
    "cell",
    "value",
    "severity",
    "code",
    "message_th",
    "message_en",
)

_LABELS = {
    "th": {
        "register": "ทะเบียน",
        "rows": "แถว",
        "clean": "ไม่มีข้อผิดพลาด",
        "error": "ข้อผิดพลาด",
        "warning": "คำเตือน",
        "notice": "แจ้งให้ทราบ",
        "missing": "ไม่พบแท็บ",
        "none": "ไม่พบปัญหา",
        "total": "รวม",
        "as_of": "ข้อมูล ณ วันที่",
    },
    "en": {
        "register": "Register",
        "rows": "Rows",
        "clean": "Clean",
        "error": "Errors",
        "warning": "Warnings",
        "notice": "Notices",
        "missing": "tab missing",
        "none": "No findings.",
        "total": "Total",
        "as_of": "Data as of",
    },
}


def summary_rows(result: ValidationResult, config: Config) -> list[dict[str, Any]]:
    """Per register: tab, rows, clean rows and counts per severity."""
    out = []
    for key, reg in result.registers.items():
        counts = {s.value: 0 for s in Severity}
        for f in result.findings:
            if f.register == key:
                counts[f.severity.value] += 1
        out.append(
            {
                "register": key,
                "tab": reg.tab,
                "present": reg.present,
                "rows": reg.rows_total,
                "clean_rows": reg.rows_clean,
                **counts,
            }
        )
    return out


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def format_table(result: ValidationResult, config: Config, lang: str = "th") -> str:
    lab = _LABELS[lang]
    lines: list[str] = []
    head = [lab["register"], lab["rows"], lab["clean"], lab["error"], lab["warning"], lab["notice"]]
    body = []
    for s in summary_rows(result, config):
        body.append(
            [
                s["tab"] + ("" if s["present"] else f" ({lab['missing']})"),
                str(s["rows"]),
                str(s["clean_rows"]),
                str(s["error"]),
                str(s["warning"]),
                str(s["notice"]),
            ]
        )
    widths = [max(display_width(r[i]) for r in [head, *body]) for i in range(len(head))]
    for r in [head, *body]:
        lines.append("  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip())
    lines.append("")
    if not result.findings:
        lines.append(lab["none"])
        return "\n".join(lines)
    for f in result.findings:
        where = f"{f.tab}!{f.cell}" if f.cell else f.tab
        rid = f" ({f.row_id})" if f.row_id else ""
        msg = f.message_th if lang == "th" else f.message_en
        sev = f.severity.th if lang == "th" else f.severity.value
        col = f" [{f.column}]" if f.column else ""
        val = f" «{f.value}»" if f.value else ""
        lines.append(f"{where}{rid}{col} {sev} {f.code}:{val} {msg}")
    counts = result.counts()
    lines.append("")
    lines.append(
        f"{lab['total']}: {lab['error']} {counts['error']}, {lab['warning']} {counts['warning']}, "
        f"{lab['notice']} {counts['notice']}"
    )
    return "\n".join(lines)


def finding_dict(f: Finding) -> dict[str, Any]:
    return f.as_json()


def format_json(
    result: ValidationResult, config: Config, extra: dict[str, Any] | None = None
) -> str:
    doc: dict[str, Any] = {
        "as_of": result.as_of.isoformat(),
        "province": config.province_code,
        "summary": summary_rows(result, config),
        "counts": result.counts(),
        "findings": [finding_dict(f) for f in result.findings],
    }
    if extra:
        doc.update(extra)
    return json.dumps(doc, ensure_ascii=False, indent=2)


BOM = "\ufeff"


def format_csv(result: ValidationResult, *, bom: bool = True) -> str:
    """The findings as CSV; with `bom`, led by the byte-order mark Excel needs to read UTF-8
    (without it, Excel on a Thai Windows desktop reads the file as TIS-620 and shows garbage)."""
    buf = io.StringIO()
    if bom:
        buf.write(BOM)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(JSON_KEYS)
    for f in result.findings:
        d = finding_dict(f)
        w.writerow(["" if d[k] is None else _csv_safe(str(d[k])) for k in JSON_KEYS])
    return buf.getvalue()


def _csv_safe(text: str) -> str:
    # A CSV opened in a spreadsheet must not run what staff typed as a formula.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
