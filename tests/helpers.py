"""Building small registers in memory, the way staff would type them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kspo_sheets.config import Config, load_config
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
