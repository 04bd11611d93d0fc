"""The meeting pack's sheets, in the order of the committee's agenda."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook

from kspo_sheets.config.province import Config
from kspo_sheets.model import Progress, ValidationResult
from kspo_sheets.pack import agenda, network, producers, tables
from kspo_sheets.pack.layout import FONT, Formats, PageRef, Sheet, TablePos
from kspo_sheets.pack.tables import Col, Link, PackData, Row, Table, masked
from kspo_sheets.progress.wording import items_text
from kspo_sheets.thai.dates import format_be

CONFIDENTIAL = "ลับ – ใช้ภายในเท่านั้น (CONFIDENTIAL)"

# Sheet names (at most 31 characters) and what the contents list calls them.
COVER = "ปก"
SUMMARY = "สรุป"
CHARTS = "แผนภูมิ"
AGENDA_1 = "วาระที่ 1 ผลิตภัณฑ์เป้าหมาย"
AGENDA_2_1 = "วาระที่ 2.1 หมู่บ้านเครือข่าย"
AGENDA_2_2 = "วาระที่ 2.2 ความครอบคลุม 4 ร"
AGENDA_2_3 = "วาระที่ 2.3 ผู้ผลิต"
AGENDA_2_3_LIST = "วาระที่ 2.3 รายชื่อกลุ่มผู้ผลิต"
AGENDA_2_4 = "วาระที่ 2.4 การเชื่อมโยง"
AGENDA_3 = "วาระที่ 3 การเชิดชูเกียรติ"
QUALITY = "ภาคผนวก ก คุณภาพข้อมูล"
FINDINGS = "ภาคผนวก ข รายการที่ต้องแก้ไข"
CONTENTS: list[tuple[str, str]] = [
    (SUMMARY, "สรุปผลการดำเนินงานตามตัวชี้วัด"),
    (CHARTS, "แผนภูมิความก้าวหน้า"),
    (AGENDA_1, "ผลิตภัณฑ์เป้าหมาย 3 ด้าน เทียบเป้าหมาย"),
    (AGENDA_2_1, "เครือข่ายอาหารปลอดภัย: หมู่บ้านและสถานะ"),
    (AGENDA_2_2, "เครือข่ายอาหารปลอดภัย: ความครอบคลุมผู้ซื้อ 4 ร"),
    (AGENDA_2_3, "เครือข่ายอาหารปลอดภัย: สรุปผู้ผลิตและใบรับรองมาตรฐาน"),
    (AGENDA_2_3_LIST, "เครือข่ายอาหารปลอดภัย: รายชื่อกลุ่ม วิสาหกิจชุมชน และสหกรณ์"),
    (AGENDA_2_4, "เครือข่ายอาหารปลอดภัย: การเชื่อมโยงผลผลิตสู่ผู้ซื้อ"),
    (AGENDA_3, "การเชิดชูเกียรติหน่วยงาน องค์กรที่สนับสนุน (เพื่อพิจารณา)"),
    (QUALITY, "คุณภาพข้อมูลในทะเบียน"),
    (FINDINGS, "รายการที่ต้องแก้ไขในทะเบียน"),
]
CHART_ROWS = 10  # rows each chart takes
CHARTS_WIDTH = 930.0  # points two charts side by side span
NETWORK_MINIMUM = 10  # villages per province, the programme's national minimum
METHOD_TH = {"sum": "ผลรวม ÷ ผลรวมเป้าหมาย (หน่วยเดียวกัน)", "mean": "ค่าเฉลี่ยรายผลิตภัณฑ์ (หลายหน่วย)"}
GREEN, RED, GREY, BLUE = "#70AD47", "#C00000", "#A5A5A5", "#4472C4"


@dataclass(frozen=True)
class Meeting:
    """The meeting a pack is for; any part may be unknown."""

    number: str | None = None
    date: dt.date | None = None
    place: str | None = None

    def text(self) -> str:
        """ครั้งที่ 4/2562 วันที่ 10 กันยายน 2562"""
        parts = []
        if self.number:
            parts.append(f"ครั้งที่ {self.number}")
        if self.date:
            parts.append(f"วันที่ {format_be(self.date, 'long')}")
        return " ".join(parts)


def link_to(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'!A1"


class PackWriter:
    """Writes every sheet of one pack into an open xlsxwriter workbook."""

    def __init__(
        self,
        workbook: Workbook,
        config: Config,
        result: ValidationResult,
        progress: Progress,
        meeting: Meeting,
        *,
        include_personal: bool,
    ) -> None:
        self.wb = workbook
        self.formats = Formats(workbook)
        self.config = config
        self.result = result
        self.progress = progress
        self.meeting = meeting
        self.data = PackData(config, result, progress, include_personal=include_personal)
        self.confidential = CONFIDENTIAL if include_personal else None
        self.short = f"คสป. จังหวัด{config.province_name_th}"
        self.as_of_text = f"ข้อมูล ณ วันที่ {format_be(result.as_of, 'long')}"
        self.sheets: list[Sheet] = []

    def sheet(self, name: str, pages_tall: int = 0) -> Sheet:
        head = " ".join(p for p in (self.short, self.meeting.text()) if p)
        s = Sheet(
            self.wb,
            self.formats,
            name,
            header_left=head,
            footer_left=self.as_of_text,
            confidential=self.confidential,
            pages_tall=pages_tall,
        )
        self.sheets.append(s)
        return s

    def print_all(self) -> None:
        """Write every measured sheet, each knowing its first page and the pack's last."""
        starts: dict[str, int] = {}
        page = 1
        for s in self.sheets:
            starts[s.name] = page
            page += s.pages.count
        for s in self.sheets:
            s.write(starts[s.name], page - 1, starts)

    def subtitle(self) -> str:
        parts = [self.short, self.meeting.text(), self.as_of_text]
        return " · ".join(p for p in parts if p)

    def write(self) -> None:
        self.cover()
        self.summary()
        self.charts()
        self.simple(
            AGENDA_1,
            "วาระที่ 1 ผลิตภัณฑ์เป้าหมายของคณะทำงาน 3 ด้าน",
            agenda.target_products(self.data)[0],
        )
        self.simple(
            AGENDA_2_1,
            "วาระที่ 2 เครือข่ายอาหารปลอดภัย: หมู่บ้านชุมชนท่องเที่ยว OTOP นวัตวิถีและสถานะ",
            network.villages_table(self.data),
        )
        self.simple(
            AGENDA_2_2,
            "วาระที่ 2 เครือข่ายอาหารปลอดภัย: การเชื่อมโยงส่งประจำถึงผู้ซื้อ 4 ร",
            network.coverage_table(self.data)[0],
        )
        self.simple(
            AGENDA_2_3,
            "วาระที่ 2 เครือข่ายอาหารปลอดภัย: สรุปผู้ผลิตและใบรับรองมาตรฐาน",
            producers.summary_table(self.data),
        )
        self.simple(
            AGENDA_2_3_LIST,
            "วาระที่ 2 เครือข่ายอาหารปลอดภัย: รายชื่อกลุ่ม วิสาหกิจชุมชน และสหกรณ์ผู้ผลิต",
            producers.list_table(self.data),
        )
        self.simple(
            AGENDA_2_4,
            "วาระที่ 2 เครือข่ายอาหารปลอดภัย: การเชื่อมโยงผลผลิต ปริมาณและมูลค่าต่อเดือน",
            network.linkages_table(self.data),
        )
        self.simple(
            AGENDA_3,
            "วาระที่ 3 การเชิดชูเกียรติหน่วยงาน องค์กรที่สนับสนุนการพัฒนาเศรษฐกิจฐานรากและประชารัฐ",
            agenda.honorees_table(self.data),
        )
        self.simple(QUALITY, "ภาคผนวก ก คุณภาพข้อมูลในทะเบียน", tables.quality_table(self.data))
        # Findings are masked where they are made (values, and messages that quote them):
        # the examples in their messages (เช่น 081-234-5678) are not anyone's number.
        findings = tables.findings_table(self.data)
        self.simple(FINDINGS, "ภาคผนวก ข รายการที่ต้องแก้ไขในทะเบียน", findings, mask=False)
        self.print_all()

    # --- sheets ------------------------------------------------------------------------

    def cover(self) -> None:
        s = self.sheet(COVER, pages_tall=1)
        s.line("เอกสารประกอบการประชุม", size=22, bold=True)
        s.line(self.config.committee_th, size=20, bold=True)
        s.line(f"จังหวัด{self.config.province_name_th}", size=18)
        if self.meeting.text():
            s.line(self.meeting.text(), size=18, bold=True)
        if self.meeting.place:
            s.line(f"ณ {self.meeting.place}", size=18)
        s.line(f"{self.as_of_text} (ปีงบประมาณ พ.ศ. {self.progress.fiscal_year})", size=18)
        s.skip()
        s.line("สารบัญ", size=18, bold=True)
        rows = [
            Row([n, title, Link(name, link_to(name)), PageRef(name)])
            for n, (name, title) in enumerate(CONTENTS, start=1)
        ]
        s.table(
            [
                Col("ลำดับ", "center", 7, 8),
                Col("เรื่อง", "text", 40, 80),
                Col("แผ่นงาน", "text"),
                Col("หน้า", "int", 8, 10),
            ],
            rows,
        )
        s.skip()
        counts = self.result.counts()
        s.line(
            f"รายการที่ต้องแก้ไขในทะเบียน: ข้อผิดพลาด {counts['error']:,}"
            f" · คำเตือน {counts['warning']:,} · แจ้งให้ทราบ {counts['notice']:,}"
            " (ตัวเลขแต่ละตัวไม่นับเฉพาะแถวที่ค่าที่ใช้คำนวณมีข้อผิดพลาด หน้าสรุปบอกจำนวนและเหตุ)",
        )
        if self.confidential:
            s.line(
                "เอกสารนี้มีข้อมูลส่วนบุคคลที่ไม่ได้ปกปิด ใช้ภายในคณะกรรมการเท่านั้น ห้ามเผยแพร่หรือส่งต่อ",
                bold=True,
                color="#C00000",
            )
        else:
            s.line(
                "ข้อมูลส่วนบุคคล (ชื่อบุคคล เลขประจำตัวประชาชน โทรศัพท์) ถูกปกปิด"
                " และไม่แสดงรายชื่อผู้ผลิตที่ไม่ยินยอมเปิดเผยข้อมูล",
                color="#404040",
            )
        s.finish()

    def masked(self, table: Table) -> Table:
        """Phone numbers and IDs typed into any text masked, unless personal data is asked for."""
        return table if self.data.personal else masked(table)

    def simple(self, name: str, title: str, table: Table, *, mask: bool = True) -> None:
        s = self.sheet(name)
        s.title(title, self.subtitle())
        if mask:
            table = self.masked(table)
        s.table(table.cols, table.rows, main=True)
        self.notes(s, table.notes)
        s.finish()

    @staticmethod
    def notes(s: Sheet, notes: list[str]) -> None:
        if notes:
            s.skip()
        for note in notes:
            s.line("หมายเหตุ: " + note, size=14, color="#404040")

    def summary(self) -> None:
        s = self.sheet(SUMMARY)
        s.title("สรุปผลการดำเนินงานตามตัวชี้วัด", self.subtitle())
        t = self.masked(tables.indicators_table(self.data))
        s.table(t.cols, t.rows, main=True)
        self.notes(s, t.notes)
        s.finish()

    def charts(self) -> None:
        s = self.sheet(CHARTS)
        s.min_total = CHARTS_WIDTH
        s.title("แผนภูมิความก้าวหน้า", self.subtitle())
        top = s.next_row
        s.skip(2 * CHART_ROWS + 1)
        # The charts print on one page; the figures they draw stay below, on screen only.
        s.line("ข้อมูลประกอบแผนภูมิ (แสดงบนจอ ไม่พิมพ์)", size=18, bold=True)

        actual, target = self._network_figures()
        net = s.table(
            [Col("หมู่บ้านในเครือข่ายอาหารปลอดภัย"), Col("หมู่บ้าน", "int")],
            [Row(["ผลการดำเนินงาน", actual]), Row(["เป้าหมาย", target])],
        )
        s.skip()
        amphoe = tables.amphoe_series(self.data)
        amp = s.table(
            [Col("อำเภอ"), Col("หมู่บ้านทั้งหมด", "int"), Col("ในเครือข่าย", "int")],
            [Row(list(a)) for a in amphoe],
        )
        s.skip()
        _, per_type = network.coverage_table(self.data)
        cov = s.table(
            [Col("ประเภทผู้ซื้อ (4 ร)"), Col("ส่งประจำ (รายการ)", "int"), Col("หมู่บ้านที่ส่ง", "int")],
            [Row(list(p)) for p in per_type],
        )
        s.skip()
        _, figures = agenda.target_products(self.data)
        fields = [f for f in figures if f != "รวม"]
        prod = s.table(
            [
                Col("ผลิตภัณฑ์เป้าหมาย ด้าน"),
                Col("ร้อยละของเป้าหมาย", "pct"),
                Col("เป้าหมาย", "pct"),
                Col("บรรลุ (ผลิตภัณฑ์)", "center"),
                Col("วิธีคิดร้อยละ"),
            ],
            [
                Row(
                    [
                        f"ด้าน{f}",
                        figures[f].percent,
                        figures[f].threshold or 100.0,
                        items_text(figures[f]).removeprefix("บรรลุ "),
                        METHOD_TH.get(figures[f].method, ""),
                    ]
                )
                for f in fields
            ],
        )

        name = s.name
        met = target is not None and actual >= target
        c1 = self.chart("column", f"หมู่บ้านในเครือข่ายอาหารปลอดภัย (เป้าหมาย {target})")
        c1.add_series(
            {
                **self._series(name, net, 1),
                "points": [{"fill": {"color": GREEN if met else RED}}, {"fill": {"color": GREY}}],
            }
        )
        c1.set_legend({"none": True})
        s.chart(c1, row=top, slot=0, height_rows=CHART_ROWS)

        c2 = self.chart("column", "หมู่บ้าน OTOP นวัตวิถี จำแนกตามอำเภอ")
        c2.add_series({**self._series(name, amp, 1), "fill": {"color": BLUE}})
        c2.add_series({**self._series(name, amp, 2), "fill": {"color": GREEN}})
        s.chart(c2, row=top, slot=1, height_rows=CHART_ROWS)

        c3 = self.chart("column", "4 ร: การเชื่อมโยงส่งประจำตามประเภทผู้ซื้อ")
        c3.add_series({**self._series(name, cov, 1), "fill": {"color": BLUE}})
        c3.add_series({**self._series(name, cov, 2), "fill": {"color": GREEN}})
        s.chart(c3, row=top + CHART_ROWS + 1, slot=0, height_rows=CHART_ROWS)

        c4 = self.chart("column", "ผลิตภัณฑ์เป้าหมาย: ร้อยละของเป้าหมายตามด้าน")
        c4.add_series({**self._series(name, prod, 1, "0.0"), "fill": {"color": BLUE}, "gap": 80})
        line = self.wb.add_chart({"type": "line"})
        assert line is not None
        line.add_series(
            {
                **self._series(name, prod, 2, "0"),
                "line": {"color": RED, "width": 2, "dash_type": "dash"},
                "marker": {"type": "none"},
                "data_labels": {"value": False},
            }
        )
        c4.combine(line)
        s.chart(c4, row=top + CHART_ROWS + 1, slot=1, height_rows=CHART_ROWS)
        s.finish()

    # --- charts ------------------------------------------------------------------------

    def _network_figures(self) -> tuple[int, int]:
        for ind in self.progress.indicators:
            if ind.id == "network_villages":
                target = int(ind.target) if ind.target is not None else NETWORK_MINIMUM
                return int(ind.actual or 0), target
        n = sum(1 for v in self.data.villages.values() if v.values.get("safe_food_network"))
        return n, NETWORK_MINIMUM

    def chart(self, kind: str, title: str) -> Chart:
        ch = self.wb.add_chart({"type": kind})
        assert ch is not None
        ch.set_title({"name": title, "name_font": {"name": FONT, "size": 15, "bold": True}})
        ch.set_legend({"position": "bottom", "font": {"name": FONT, "size": 14}})
        ch.set_x_axis({"num_font": {"name": FONT, "size": 14}})
        ch.set_y_axis(
            {
                "num_font": {"name": FONT, "size": 12},
                "min": 0,
                "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
            }
        )
        ch.set_chartarea({"border": {"color": "#BFBFBF"}})
        return ch

    @staticmethod
    def _series(sheet: str, pos: TablePos, col: int, num_format: str = "#,##0") -> dict[str, Any]:
        """A series from a chart-data table: labels in column A, values in column `col`."""
        return {
            "name": [sheet, pos.header_row, col],
            "categories": [sheet, pos.first_row, 0, pos.last_row, 0],
            "values": [sheet, pos.first_row, col, pos.last_row, col],
            "data_labels": {
                "value": True,
                "num_format": num_format,
                "font": {"name": FONT, "size": 13},
            },
        }
