"""Config is data, checked on load; every error names the file, the key and the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import PHUKET, ROOT

from kspo_sheets.config.province import load_config
from kspo_sheets.errors import EXIT_CONFIG, ConfigError


def copy_configs(tmp_path: Path) -> Path:
    for f in (ROOT / "configs").glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    return tmp_path / "phuket.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_phuket_loads_with_six_registers_and_indicators():
    c = load_config(PHUKET)
    assert c.province_code == "83"
    assert list(c.registers) == [
        "villages",
        "producers",
        "buyers",
        "linkages",
        "target_products",
        "honorees",
    ]
    assert c.registers["producers"].column("national_id").personal == "national_id"
    assert c.owned_tabs == {
        "findings": "สถานะการตรวจสอบ",
        "progress": "สรุปความก้าวหน้า",
        "history": "ประวัติการซิงก์",
    }
    assert {i["id"] for i in c.indicators} >= {"network_villages", "buyer_types_4r", "data_quality"}


def test_another_province_is_one_small_file(tmp_path):
    copy_configs(tmp_path)
    (tmp_path / "surat.yaml").write_text('province: {code: "84"}\n', encoding="utf-8")
    c = load_config(tmp_path / "surat.yaml")
    assert c.province_name_th == "สุราษฎร์ธานี"
    assert "สุราษฎร์ธานี" in c.committee_th


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ('code: "83"', 'code: "99"', "province.code"),
        ('code: "83"', "code: 83", "province.code"),
        ("  xlsx: ../sample", "  xlsxx: ../sample", "source"),
        ("overrides: {}", "overrides: {villagez: {tab: x}}", "overrides.villagez"),
        (
            "overrides: {}",
            "overrides: {villages: {headers: {nam: x}}}",
            "overrides.villages.headers.nam",
        ),
        ("overrides: {}", "targets: {no_such: 3}", "targets"),
        ("indicators: indicators.yaml", "indicators: missing.yaml", "missing.yaml"),
        ("overrides: {}", "overrides: [", "not valid YAML"),
    ],
)
def test_config_errors_name_file_and_key(tmp_path, old, new, expect):
    path = copy_configs(tmp_path)
    edit(path, old, new)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert expect in str(err.value)
    assert err.value.exit_code == EXIT_CONFIG


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ("type: yesno}", "type: bool}", "registers.villages.columns.6.type"),
        ("ref: villages}", "ref: village}", "ref"),
        ("id: producer_id", "id: producer", "registers.producers.id"),
        ("required: true, unique: error}", "required: yes please, unique: error}", "required"),
        ("required_if: {column: kind,", "required_if: {column: knd,", "required_if.column"),
        ("pattern: '^P-\\d{4}$'", "pattern: '^P-(\\d{4}$'", "pattern"),
    ],
)
def test_contract_errors_name_file_and_key(tmp_path, old, new, expect):
    path = copy_configs(tmp_path)
    edit(tmp_path / "registers.yaml", old, new)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "registers.yaml" in str(err.value)
    assert expect in str(err.value)


def test_indicator_errors(tmp_path):
    path = copy_configs(tmp_path)
    edit(tmp_path / "indicators.yaml", "computation: count\n", "computation: eval\n")
    with pytest.raises(ConfigError, match=r"indicators\.0\.computation"):
        load_config(path)
    path = copy_configs(tmp_path)
    edit(
        tmp_path / "indicators.yaml", "where: {safe_food_network: true}}", "where: {network: true}}"
    )
    with pytest.raises(ConfigError, match="no column 'network'"):
        load_config(path)


def test_override_renames_tab_and_header(tmp_path):
    path = copy_configs(tmp_path)
    edit(
        path, "overrides: {}", "overrides: {villages: {tab: ทะเบียนหมู่บ้าน, headers: {name: ชื่อชุมชน}}}"
    )
    c = load_config(path)
    assert c.registers["villages"].tab == "ทะเบียนหมู่บ้าน"
    col = c.registers["villages"].column("name")
    assert col.header == "ชื่อชุมชน"
    assert "ชื่อหมู่บ้าน/ชุมชน" in col.aliases_header


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(ConfigError, match="--config"):
        load_config(tmp_path / "nope.yaml")


def test_yaml_is_never_evaluated(tmp_path):
    path = copy_configs(tmp_path)
    edit(path, "overrides: {}", "overrides: !!python/object/apply:os.system ['touch pwned']")
    with pytest.raises(ConfigError):
        load_config(path)
    assert not Path("pwned").exists()
