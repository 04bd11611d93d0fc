"""What goes into the tabs the tool owns, and the marks it leaves on staff cells.

Plain data only: each store renders an OwnedTab and the marks in its own medium.
"""

from __future__ import annotations

import datetime as dt
import getpass
import platform
from typing import Any

from kspo_sheets.checks.masking import mask_free_text
from kspo_sheets.config.province import Config
from kspo_sheets.model import Finding, Progress, Severity, ValidationResult
from kspo_sheets.progress.wording import LEFT_OUT_NOTE, MEAN_NOTE, items_text, left_out_text
from kspo_sheets.status.layout import break_lines, column_widths, lay_out_rows, wrapped_header
from kspo_sheets.stores.base import (
    APPEND_TEXT,
    MARKER,
    MARKER_TEXT,
    Mark,
    OwnedTab,
    WritePlan,
)
from kspo_sheets.thai.dates import format_be
from kspo_sheets.thai.text import safe_text

FINDINGS_HEADER = [
    "ทะเบียน (register)",
    "แถว (row)",
    "รหัส (ID)",
    "คอลัมน์ (column)",
    "เซลล์ (cell)",
    "ค่าที่กรอก (value)",
    "ระดับ (severity)",
    "รหัสปัญหา (code)",
    "ข้อความ",
    "Message",
]
# (min, max) points of text per column at 14 pt (see OwnedTab.widths): each column as wide
# as its widest value within these, so a findings list prints one A4 landscape page wide
# at about 80 %, the messages wrapping.
FINDINGS_BOUNDS = [
    (60.0, 100.0),
    (30.0, 50.0),
    (50.0, 80.0),
    (70.0, 120.0),
    (34.0, 50.0),
    (60.0, 90.0),
    (60.0, 72.0),
    (90.0, 170.0),
    (175.0, 175.0),
    (140.0, 140.0),
]
FINDINGS_WIDTHS = [high for _, high in FINDINGS_BOUNDS]

PROGRESS_HEADER = [
    "ตัวชี้วัด (indicator)",
    "กลุ่ม (group)",
    "ผลการดำเนินงาน (actual)",
    "เป้าหมาย (target)",
    "ร้อยละ (%)",
    "สถานะ (status)",
    "หน่วย (unit)",
    "แถวที่ไม่นับ (rows left out)",
    "รหัส (id)",
    "เหตุที่ไม่นับ (why left out)",
    "บรรลุกี่รายการ (items achieved)",
]
PROGRESS_BOUNDS = [
    (150.0, 220.0),
    (70.0, 110.0),
    (60.0, 90.0),
    (60.0, 90.0),
    (44.0, 60.0),
    (60.0, 80.0),
    (50.0, 70.0),
    (50.0, 70.0),
    (60.0, 160.0),
    (120.0, 240.0),
    (70.0, 110.0),
]
PROGRESS_WIDTHS = [high for _, high in PROGRESS_BOUNDS]

HISTORY_HEADER = [
    "เวลา (เวลาประเทศไทย)",
    "ผู้รัน (host/user)",
    "config",
    "แหล่งข้อมูล (source)",
    "ข้อมูล ณ วันที่ (as of)",
    "ข้อผิดพลาด (errors)",
    "คำเตือน (warnings)",
    "แจ้งให้ทราบ (notices)",
    "ตัวชี้วัด (indicators)",
    "ผลการรัน (outcome)",
]
HISTORY_BOUNDS = [
    (100.0, 110.0),
    (80.0, 120.0),
    (80.0, 120.0),
    (100.0, 150.0),
    (60.0, 70.0),
    (50.0, 60.0),
    (50.0, 60.0),
    (50.0, 64.0),
    (300.0, 300.0),
    (110.0, 110.0),
]
HISTORY_WIDTHS = [high for _, high in HISTORY_BOUNDS]
BANGKOK = dt.timezone(dt.timedelta(hours=7), "ICT")  # Thailand keeps no summer time

MAX_MARKS = 5_000  # highlighted cells per run at most; the status tab lists every finding

SEVERITY_LABEL = {
    Severity.ERROR: "ข้อผิดพลาด (error)",
    Severity.WARNING: "คำเตือน (warning)",
    Severity.NOTICE: "แจ้งให้ทราบ (notice)",
}


def _num(x: float | None) -> Any:
    if x is None:
        return ""
    return int(x) if float(x).is_integer() else round(x, 2)


def findings_tab(config: Config, result: ValidationResult) -> OwnedTab:
    tab = OwnedTab(
        "findings",
        config.owned_tabs["findings"],
        FINDINGS_HEADER,
        [],
        banner=MARKER_TEXT,
        autofilter=True,
    )
    for f in result.findings:
        i = len(tab.rows)
        tab.rows.append(
            [
                f.tab,
                f.row if f.row is not None else "",
                f.row_id,
                f.column,
                f.cell,
                f.value,
                SEVERITY_LABEL[f.severity],
                f.code,
                f.message_th,
                f.message_en,
            ]
        )
        tab.styles[(i, 6)] = f.severity.value
        if f.cell:
            tab.links[(i, 4)] = (f.tab, f.cell)
    # The messages are the tool's own text: broken between words here, so no viewer cuts one.
    return _laid_out(tab, FINDINGS_BOUNDS, own_text={8, 9})


def _laid_out(
    tab: OwnedTab,
    bounds: list[tuple[float, float]],
    skip: set[int] | None = None,
    own_text: set[int] | None = None,
) -> OwnedTab:
    """The tab with column widths from its rows, its headers broken to fit them, and the
    tool's own text in `own_text` columns broken between words (never a staff value)."""
    tab.widths = column_widths(tab.header, tab.rows, bounds, skip=skip)
    tab.header = wrapped_header(tab.header, tab.widths)
    for j in own_text or ():
        for i, row in enumerate(tab.rows):
            if j < len(row) and isinstance(row[j], str) and (not skip or i not in skip):
                row[j] = break_lines(row[j], tab.widths[j])
    lay_out_rows(tab)
    return tab


def progress_tab(config: Config, progress: Progress) -> OwnedTab:
    tab = OwnedTab(
        "progress",
        config.owned_tabs["progress"],
        PROGRESS_HEADER,
        [],
        banner=MARKER_TEXT,
    )

    def section(title: str) -> None:
        tab.rows.append([])
        tab.styles[(len(tab.rows), 0)] = "section"
        tab.rows.append([title])

    tab.rows.append(
        [f"ข้อมูล ณ วันที่ {format_be(progress.as_of, 'long')} · ปีงบประมาณ {progress.fiscal_year}"]
    )
    for r in progress.indicators:
        i = len(tab.rows)
        target: Any = _num(r.target)
        if r.threshold is not None and r.target is not None and not r.method:
            target = f"{_num(r.target)} (≥{_num(r.threshold)}%)"
        tab.rows.append(
            [
                r.label_th,
                r.group,
                _num(r.actual) if r.method != "mean" else "–",
                target if r.method != "mean" else "–",
                _num(r.percent),
                r.status_th,
                r.unit_th,
                r.excluded_rows,
                r.id,
                left_out_text(config, r),
                items_text(r),
            ]
        )
        tab.styles[(i, 5)] = r.status
    tab.rows.append(["หมายเหตุ: " + LEFT_OUT_NOTE])
    if any(r.method == "mean" for r in progress.indicators):
        tab.rows.append(["หมายเหตุ: " + MEAN_NOTE])
    section("รายอำเภอ (by amphoe)")
    cols = [
        ("amphoe", "อำเภอ"),
        ("villages", "หมู่บ้าน"),
        ("network_villages", "หมู่บ้านเครือข่าย"),
        ("producers", "ผู้ผลิต"),
        ("certified_producers", "ผู้ผลิตที่มีใบรับรอง"),
        ("regular_linkages", "การเชื่อมโยงส่งประจำ"),
    ]
    _table(tab, cols, progress.breakdowns.get("by_amphoe", []))
    section("รายคณะทำงาน (by working group)")
    cols = [
        ("working_group", "คณะทำงาน"),
        ("villages", "หมู่บ้าน"),
        ("network_villages", "หมู่บ้านเครือข่าย"),
        ("target_products", "ผลิตภัณฑ์เป้าหมาย"),
        ("achieved", "บรรลุเป้าหมาย"),
        ("actual", "ผลการดำเนินงาน (หน่วยเดียวกัน)"),
        ("target", "เป้าหมาย (หน่วยเดียวกัน)"),
        ("unit", "หน่วย"),
        ("percent", "ร้อยละ"),
    ]
    _table(tab, cols, progress.breakdowns.get("by_working_group", []))
    section("ความครอบคลุม 4 ร (4 ร coverage: regular linkages per buyer type)")
    cols = [
        ("village_id", "รหัสหมู่บ้าน"),
        ("name", "หมู่บ้าน"),
        ("amphoe", "อำเภอ"),
        ("โรงพยาบาล", "โรงพยาบาล"),
        ("โรงเรียน", "โรงเรียน"),
        ("โรงแรม", "โรงแรม"),
        ("ร้านอาหาร", "ร้านอาหาร"),
        ("types_covered", "ครบกี่ประเภท"),
    ]
    _table(tab, cols, progress.breakdowns.get("coverage_4r", []))
    # The data-date line and the section titles run across the tab: they set no width.
    titles = {i for i, row in enumerate(tab.rows) if len(row) == 1}
    return _laid_out(tab, PROGRESS_BOUNDS, skip=titles)


def _table(tab: OwnedTab, cols: list[tuple[str, str]], rows: list[dict[str, Any]]) -> None:
    i = len(tab.rows)
    tab.rows.append([label for _, label in cols])
    for c in range(len(cols)):
        tab.styles[(i, c)] = "subheader"
    for row in rows:
        tab.rows.append([_cell(row.get(k)) for k, _ in cols])


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float):
        return _num(v)
    if isinstance(v, str):
        return mask_free_text(v)  # a phone number typed into a name stays in the register
    return v


def history_row(
    config: Config,
    result: ValidationResult,
    progress: Progress,
    *,
    source: str,
    outcome: str,
    now: dt.datetime | None = None,
) -> list[Any]:
    now = now or dt.datetime.now(dt.UTC)
    try:
        user = getpass.getuser()
    except Exception:  # getuser raises when no user name is set (containers)
        user = "?"
    counts = result.counts()
    local = now.astimezone(BANGKOK)
    return [
        f"{format_be(local.date())} {local:%H:%M:%S}",
        f"{platform.node()}/{user}",
        str(config.path),
        source,
        format_be(result.as_of),
        counts["error"],
        counts["warning"],
        counts["notice"],
        indicators_text(progress),
        outcome,
    ]


def indicators_text(progress: Progress) -> str:
    """The indicators as a person reads them, one line each, groups side by side:
    "หมู่บ้านในเครือข่ายอาหารปลอดภัย 11/10 บรรลุ"."""
    lines: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for r in progress.indicators:
        labels.setdefault(r.id, r.label_th)
        lines.setdefault(r.id, []).append(
            " ".join(p for p in (r.group, _figure(r), _status(r)) if p)
        )
    out = []
    for key, parts in lines.items():
        if len(parts) == 1:
            out.append(f"{labels[key]} {parts[0]}")
        else:
            out.append(f"{labels[key]}: " + " · ".join(parts))
    return "\n".join(out)


def _figure(r: Any) -> str:
    """11/10 against a count target; 46.1% against a percentage threshold; 13 with no target."""
    if r.actual is None and r.percent is None:
        return "ไม่มีข้อมูล"
    if (r.threshold is not None or r.method == "mean") and r.percent is not None:
        return f"{_num(r.percent)}%"
    if r.target is not None and r.actual is not None:
        return f"{_num(r.actual):,}/{_num(r.target):,}"
    return f"{_num(r.actual):,}"


def _status(r: Any) -> str:
    return r.status_th if r.status in ("achieved", "not_achieved") else ""


def history_tab(config: Config, row: list[Any]) -> OwnedTab:
    tab = OwnedTab(
        "history",
        config.owned_tabs["history"],
        HISTORY_HEADER,
        [row],
        append_only=True,
        banner=APPEND_TEXT,
    )
    return _laid_out(tab, HISTORY_BOUNDS, own_text={8, 9})


def empty_status_tabs(config: Config) -> list[OwnedTab]:
    """The status tabs as `kspo init` lays them out in a workbook: marker, header, widths,
    print setup and the findings list's filter, no rows yet (a sync fills them)."""
    tabs = []
    for key, header, bounds, banner in (
        ("findings", FINDINGS_HEADER, FINDINGS_BOUNDS, MARKER_TEXT),
        ("progress", PROGRESS_HEADER, PROGRESS_BOUNDS, MARKER_TEXT),
        ("history", HISTORY_HEADER, HISTORY_BOUNDS, APPEND_TEXT),
    ):
        tab = OwnedTab(
            key,
            config.owned_tabs[key],
            list(header),
            [],
            append_only=key == "history",
            banner=banner,
            autofilter=key == "findings",
        )
        tabs.append(_laid_out(tab, bounds))
    return tabs


def note_text(findings: list[Finding]) -> str:
    """The Thai note on a staff cell: every finding on it, worst first."""
    lines = [f"[{MARKER}] {findings[0].row_id}".rstrip()]
    for f in sorted(findings, key=lambda f: -f.severity.rank):
        lines.append(f"• {f.severity.th}: {f.message_th}")
    # The row ID is as typed: a control character or lone surrogate in it is no note text.
    return safe_text("\n".join(lines))


def marks_for(config: Config, result: ValidationResult) -> list[Mark]:
    """One mark per staff cell with findings, coloured by its worst severity."""
    by_cell: dict[tuple[str, int, int], list[Finding]] = {}
    for f in result.findings:
        if f.row is None or not f.cell:
            continue
        reg = result.registers.get(f.register)
        if reg is None or f.column_key not in reg.columns or reg.header_row == f.row:
            continue
        by_cell.setdefault((f.tab, f.row, reg.columns[f.column_key]), []).append(f)
    marks = []
    for (tab, row, col), fs in by_cell.items():
        reg = result.registers[fs[0].register]
        id_col = reg.columns.get(config.registers[fs[0].register].id_key, -1)
        worst = max(fs, key=lambda f: f.severity.rank).severity
        marks.append(Mark(tab, row, col, id_col, fs[0].row_id, worst, note_text(fs)))
    if len(marks) > MAX_MARKS:
        # A broken sheet must not turn into a write of a million notes: the worst first,
        # and the status tab still lists every finding.
        marks.sort(key=lambda m: (-m.severity.rank, m.tab, m.row, m.col))
        marks = marks[:MAX_MARKS]
    marks.sort(key=lambda m: (m.tab, m.row, m.col))
    return marks


def build_plan(
    config: Config,
    result: ValidationResult,
    progress: Progress,
    *,
    history: list[Any],
) -> WritePlan:
    """The owned tabs' contents and the marks, ready for any store."""
    return WritePlan(
        owned=[
            findings_tab(config, result),
            progress_tab(config, progress),
            history_tab(config, history),
        ],
        marks=marks_for(config, result),
        register_tabs=[r.tab for r in result.registers.values() if r.present],
        header_rows={r.tab: r.header_row for r in result.registers.values() if r.header_row},
        id_columns={
            r.tab: r.columns[config.registers[key].id_key]
            for key, r in result.registers.items()
            if key in config.registers and config.registers[key].id_key in r.columns
        },
    )
