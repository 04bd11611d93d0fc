"""A province file anywhere: outside configs/, with the contract and indicators shipped in the
package, paths relative to the file, and errors that name the key to change."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import PHUKET, ROOT

from kspo_sheets.cli import cli
from kspo_sheets.commands.sample import build_sample
from kspo_sheets.config import province
from kspo_sheets.config.province import DEFAULT_CONTRACT, DEFAULT_INDICATORS, load_config
from kspo_sheets.errors import EXIT_CONFIG, ConfigError

AS_OF = "2019-09-10"


def findings(args: list[str]) -> list[dict[str, object]]:
    res = CliRunner().invoke(cli, ["validate", "--format", "json", "--as-of", AS_OF, *args])
    assert res.exit_code == 1, res.output  # the sample's planted mistakes
    return json.loads(res.output)["findings"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "kspo-phuket-sample.xlsx"
    build_sample(path)
    return path


def test_a_province_file_outside_the_project_validates_the_sample(
    tmp_path: Path, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    etc = tmp_path / "etc" / "kspo-sheets"
    etc.mkdir(parents=True)
    (etc / "registers").mkdir()
    (etc / "registers" / "phuket.xlsx").write_bytes(sample.read_bytes())
    # No contract:, no indicators:, a workbook named relative to the file.
    (etc / "83.yaml").write_text(
        'province: {code: "83"}\nsource: {xlsx: registers/phuket.xlsx}\n', encoding="utf-8"
    )
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("KSPO_CONFIG", raising=False)
    anywhere = findings(["--config", str(etc / "83.yaml")])
    reference = findings(["--config", str(PHUKET), "--source", str(sample)])
    assert anywhere == reference and len(anywhere) > 40


def test_the_shipped_contract_and_indicators_are_the_ones_in_configs() -> None:
    assert DEFAULT_CONTRACT.read_bytes() == (ROOT / "configs" / "registers.yaml").read_bytes()
    assert DEFAULT_INDICATORS.read_bytes() == (ROOT / "configs" / "indicators.yaml").read_bytes()
    small = load_config(PHUKET)
    assert small.indicators and len(small.registers) == 6


def test_paths_in_a_province_file_are_relative_to_it(tmp_path: Path) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "key.json").write_text("{}", encoding="utf-8")
    (conf / "p.yaml").write_text(
        'province: {code: "84"}\n'
        "source: {xlsx: data/reg.xlsx, credentials: key.json}\n"
        "meeting: {output_dir: ../packs}\n",
        encoding="utf-8",
    )
    c = load_config(conf / "p.yaml")
    assert Path(c.source_xlsx or "") == conf / "data" / "reg.xlsx"
    assert Path(c.credentials or "") == conf / "key.json"
    assert Path(c.meeting["output_dir"]) == tmp_path / "packs"  # shown as the operator reads it
    # through a symbolic link, ".." is the real folder's parent: kept as written
    elsewhere = tmp_path / "deep" / "real"
    elsewhere.mkdir(parents=True)
    (elsewhere / "p.yaml").write_bytes((conf / "p.yaml").read_bytes())
    (elsewhere / "key.json").write_text("{}", encoding="utf-8")
    (tmp_path / "link").symlink_to(elsewhere)
    linked = load_config(tmp_path / "link" / "p.yaml")
    assert Path(linked.meeting["output_dir"]) == tmp_path / "link" / ".." / "packs"
    assert Path(linked.meeting["output_dir"]).resolve() == tmp_path / "deep" / "packs"
    absolute = tmp_path / "abs.xlsx"
    (conf / "q.yaml").write_text(
        f'province: {{code: "84"}}\nsource: {{xlsx: "{absolute}"}}\n', encoding="utf-8"
    )
    assert Path(load_config(conf / "q.yaml").source_xlsx or "") == absolute


@pytest.mark.parametrize("key", ["contract", "indicators"])
def test_a_named_file_that_is_missing_names_its_key(tmp_path: Path, key: str) -> None:
    path = tmp_path / "84.yaml"
    path.write_text(f'province: {{code: "84"}}\n{key}: my-{key}.yaml\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    text = str(err.value) + " " + (err.value.hint or "")
    assert f"key '{key}'" in text and f"my-{key}.yaml" in text
    assert str(tmp_path) in text  # where it looked
    assert "relative to its folder" in text and f"remove it to use the {key} shipped" in text
    assert "Pass --config" not in text  # the old hint sent users the wrong way
    res = CliRunner().invoke(cli, ["validate", "--config", str(path), "--source", "x.xlsx"])
    assert res.exit_code == EXIT_CONFIG and f"key '{key}'" in res.output


def test_a_named_contract_beside_the_file_is_used(tmp_path: Path) -> None:
    text = DEFAULT_CONTRACT.read_text(encoding="utf-8").replace("tab: หมู่บ้าน", "tab: ทะเบียนหมู่บ้าน")
    (tmp_path / "mine.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "84.yaml").write_text('province: {code: "84"}\ncontract: mine.yaml\n', "utf-8")
    assert load_config(tmp_path / "84.yaml").registers["villages"].tab == "ทะเบียนหมู่บ้าน"


def test_no_config_anywhere_says_how_to_give_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KSPO_CONFIG", raising=False)
    monkeypatch.setattr(province, "CHECKOUT_CONFIG", tmp_path / "nowhere.yaml")
    res = CliRunner().invoke(cli, ["validate", "--source", "x.xlsx"])
    assert res.exit_code == EXIT_CONFIG
    assert "--config" in res.output and "KSPO_CONFIG" in res.output
    assert "Traceback" not in res.output


def test_the_shipped_files_are_package_data() -> None:
    """What a wheel carries besides modules: the defaults must be listed as package data."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = data["tool"]["setuptools"]["package-data"]["kspo_sheets"]
    package = ROOT / "kspo_sheets"
    shipped = {p for g in globs for p in package.glob(g)}
    assert {
        package / "config" / "defaults" / n for n in ("registers.yaml", "indicators.yaml")
    } <= shipped


def test_installed_outside_the_checkout_a_province_file_anywhere_works(
    tmp_path: Path, sample: Path
) -> None:
    """The package as an install puts it (files copied, symlinks followed, no configs/ beside
    it): the shipped contract and indicators are found, and a one-line province file outside
    the project validates the sample to the same findings."""
    site = tmp_path / "site"
    shutil.copytree(
        ROOT / "kspo_sheets",
        site / "kspo_sheets",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    conf = tmp_path / "etc"
    conf.mkdir()
    (conf / "83.yaml").write_text('province: {code: "83"}\n', encoding="utf-8")
    run = tmp_path / "cwd"
    run.mkdir()
    # -S: no site-packages .pth files, so the editable install of this checkout is not seen;
    # the dependencies come from the virtualenv's site-packages, after the copy.
    env = {
        "PYTHONPATH": os.pathsep.join([str(site), sysconfig.get_paths()["purelib"]]),
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
    }
    code = (
        "import kspo_sheets, sys; from kspo_sheets.cli import cli;"
        f" assert kspo_sheets.__file__.startswith({str(site)!r}), kspo_sheets.__file__;"
        " cli(sys.argv[1:])"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", code, "validate", "--config", str(conf / "83.yaml"),
         "--source", str(sample), "--as-of", AS_OF, "--format", "json"],
        cwd=run, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 1, out.stderr
    installed = json.loads(out.stdout)["findings"]
    assert installed == findings(["--config", str(PHUKET), "--source", str(sample)])
