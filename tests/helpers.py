"""Building small registers in memory, the way staff would type them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kspo_sheets.config.province import Config, load_config
from kspo_sheets.model import RawTab, Snapshot

ROOT = Path(__file__).resolve().parents[1]
PHUKET = ROOT / "configs" / "phuket.yaml"

_config: Config | None = None


def phuket() -> Config:
    global _config
    if _config is None:
        _config = load_config(PHUKET)
    return _config


def headers(register: str, config: Config | None = None) -> list[str]:
    spec = (config or phuket()).registers[register]
    return [c.header for c in spec.columns]


def row(register: str, config: Config | None = None, **values: Any) -> list[Any]:
    """A data row in contract column order, blank where not given."""
    spec = (config or phuket()).registers[register]
    unknown = set(values) - {c.key for c in spec.columns}
    assert not unknown, unknown
    return [values.get(c.key) for c in spec.columns]


def tab(
    register: str, *rows: list[Any], title_rows: int = 0, config: Config | None = None
) -> RawTab:
    spec = (config or phuket()).registers[register]
    cells: list[list[Any]] = [[f"ทะเบียน {spec.tab}"] for _ in range(title_rows)]
    cells.append(headers(register, config))
    cells.extend(rows)
    return RawTab(spec.tab, cells)


def snapshot(*tabs: RawTab) -> Snapshot:
    return Snapshot(source="memory", tabs={t.title: t for t in tabs})


VILLAGE = dict(
    village_id="83020201",
    name="บ้านป่าตอง",
    moo="1",
    tambon="ป่าตอง",
    amphoe="กะทู้",
    nawatwithi="ใช่",
    safe_food_network="ใช่",
    joined_on="23/08/2562",
    working_group="เกษตร",
    coordinator="นายสมชาย ใจดี",
    phone="081-234-5678",
)

PRODUCER = dict(
    producer_id="P-0001",
    village_id="83020201",
    name="นางสมศรี มีสุข",
    kind="บุคคล",
    national_id="1-1012-00001-86-6",
    phone="0812345678",
    category="พืชผัก",
    products="ผักบุ้ง",
    certification="GAP",
    cert_expiry="30/09/2563",
    area_rai="5-2-30",
    monthly_kg="1,200",
    consent="ใช่",
)


def write_xlsx(path: Path, *tabs: RawTab) -> Path:
    """Save RawTabs as a workbook, strings kept as strings (never formulas)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for t in tabs:
        ws = wb.create_sheet(t.title)
        for r, line in enumerate(t.rows, start=1):
            for c, v in enumerate(line, start=1):
                if v is None:
                    continue
                cell = ws.cell(row=r, column=c, value=v)
                if isinstance(v, str):
                    cell.data_type = "s"
    wb.save(path)
    return path


def clean_tabs() -> list[RawTab]:
    """One valid row in each register."""
    return [
        tab("villages", row("villages", **VILLAGE)),
        tab("producers", row("producers", **PRODUCER)),
        tab(
            "buyers",
            row(
                "buyers",
                buyer_id="B-001",
                name="โรงพยาบาลป่าตอง",
                buyer_type="โรงพยาบาล",
                amphoe="กะทู้",
            ),
        ),
        tab(
            "linkages",
            row(
                "linkages",
                linkage_id="L-0001",
                producer_id="P-0001",
                buyer_id="B-001",
                product="ผักบุ้ง",
                monthly_kg="100",
                monthly_baht="2,500",
                started_on="1 ก.ค. 62",
                status="ส่งประจำ",
            ),
        ),
        tab(
            "target_products",
            row(
                "target_products",
                product_id="T-001",
                name="ผักปลอดภัย",
                field="เกษตร",
                village_id="83020201",
                target="100",
                actual="80",
                fiscal_year="2562",
            ),
        ),
        tab(
            "honorees",
            row(
                "honorees",
                honoree_id="H-001",
                organisation="โรงพยาบาลป่าตอง",
                sector="ภาครัฐ",
                contribution="รับซื้อผักปลอดภัยจากชุมชน",
                decision="รอพิจารณา",
                fiscal_year="2562",
            ),
        ),
    ]
