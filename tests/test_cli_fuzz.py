"""The CLI under generated input: option values and province config files (hypothesis).

Whatever an operator or a config file gives, kspo ends with a code from README's table and,
when it fails, an `Error:` line (or doctor's failed check) - never a traceback, never the
bare exit 1 a crash gives, which cron would read as "findings". `--json` output is JSON.
Runs in-process with few examples, so the suite stays fast (KSPO_FUZZ_EXAMPLES=2000 for a
longer hunt); every path is under tmp.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from helpers import ROOT, clean_tabs, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kspo_sheets.cli import cli

CODES = {0, 1, 2, 3, 4, 5, 6, 7}
KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdef"

# A relative name (never an absolute path or ..: the fuzz writes only under tmp).
NAME = st.text(alphabet=st.sampled_from("abcxyzกขคงนบ0189-_. "), min_size=1, max_size=20).filter(
    lambda s: s.strip(". ") != "" and ".." not in s
)
ANY_TEXT = st.text(max_size=40)  # NUL, control characters, Thai, anything
LONG = st.integers(200, 6000).map(lambda n: "ก" * n)
# Names no file can have, or where nothing can be written (never outside tmp or /proc).
ODD_PATH = st.sampled_from(
    [
        "a\x00b",
        "ก" * 300,
        "/".join(["a" * 200] * 30),
        "/proc/kspo-nowhere/x",
        "loop-a.xlsx",
        "notes.xlsx/inside",
        ".",
    ]
)
DATES = st.one_of(
    st.dates().map(str),
    st.dates().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year + 543}"),
    st.sampled_from(["2019-09-10", "10/09/2562", "9999-12-31", "0001-01-01", "31/02/2562"]),
    ANY_TEXT,
)
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["1e300", "nan", "inf", "-1", "0", "1", "30", "604801"]),
    ANY_TEXT,
)


GOOD: dict[str, st.SearchStrategy[str]] = {
    "--as-of": st.one_of(
        st.sampled_from(["2019-09-10", "10/09/2562", "1 ต.ค. 2562"]),
        st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)).map(str),
    ),
    "--date": st.sampled_from(["2019-09-10", "10/09/2562"]),
    "--timeout": st.sampled_from(["30", "600.5"]),
    "--log-file": NAME.map(lambda s: s.strip() + ".log"),
    "--fail-on": st.sampled_from(["error", "warning", "notice"]),
    "--format": st.sampled_from(["table", "json", "csv"]),
    "--lang": st.sampled_from(["th", "en"]),
    "--meeting": st.one_of(st.sampled_from(["4/2562", "๕/๒๕๖๒"]), NAME),
    "--place": NAME,
    "--out-dir": NAME.map(lambda s: "packs-" + s.strip()),
}


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fuzz")
    configs = root / "configs"
    configs.mkdir()
    for f in (ROOT / "configs").glob("*.yaml"):
        shutil.copy(f, configs / f.name)
    workbook = write_xlsx(root / "registers.xlsx", *clean_tabs())
    os.symlink(root / "loop-b.xlsx", root / "loop-a.xlsx")
    os.symlink(root / "loop-a.xlsx", root / "loop-b.xlsx")
    (root / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    return {"root": root, "configs": configs, "workbook": workbook}


def sources(place: dict[str, Path]) -> st.SearchStrategy[str]:
    root = place["root"]
    return st.one_of(
        st.just(str(place["workbook"])),
        st.just(str(place["workbook"])),
        st.just(str(place["workbook"])),
        st.sampled_from(
            [
                str(root / "loop-a.xlsx"),
                str(root / "notes.xlsx"),
                str(root),
                KEY,
                f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0",
                "",
            ]
        ),
        NAME,
        ANY_TEXT,
        LONG,
        ODD_PATH,
    )


def province_doc() -> st.SearchStrategy[dict[str, Any]]:
    """A province's YAML as a dict: the known keys with odd values, and stray keys."""
    number = st.one_of(
        st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**6), 10**6), ANY_TEXT
    )
    tab_name = st.one_of(
        NAME, NAME, NAME, ANY_TEXT, LONG, st.sampled_from(["ผู้ผลิต", "History", "a/b"])
    )
    return st.fixed_dictionaries(
        {"province": st.fixed_dictionaries({"code": st.sampled_from(["83", "84", "99", "8"])})},
        optional={
            "contract": st.one_of(st.sampled_from(["registers.yaml", "missing.yaml"]), ODD_PATH),
            "indicators": st.sampled_from(["indicators.yaml", "registers.yaml", "nope.yaml"]),
            "targets": st.dictionaries(
                st.sampled_from(["network_villages", "buyer_types_4r", "unknown"]),
                st.one_of(st.integers(0, 100), st.floats(0, 1e6), number),
            ),
            "owned_tabs": st.dictionaries(
                st.sampled_from(["findings", "progress", "history", "other"]), tab_name
            ),
            "overrides": st.dictionaries(
                st.sampled_from(["villages", "producers", "nope"]),
                st.fixed_dictionaries({}, optional={"tab": tab_name}),
            ),
            "meeting": st.fixed_dictionaries(
                {},
                optional={
                    "number": st.one_of(NAME, LONG, ANY_TEXT),
                    "date": DATES,
                    "place": st.one_of(NAME, LONG),
                    "output_dir": st.one_of(NAME, ODD_PATH),
                },
            ),
            "backups": st.one_of(st.integers(-5, 200), ANY_TEXT),
            "source": st.fixed_dictionaries(
                {},
                optional={
                    "xlsx": st.one_of(NAME, ODD_PATH),
                    "google": ANY_TEXT,
                    "credentials": st.one_of(NAME, ODD_PATH),
                },
            ),
            "stray": ANY_TEXT,
        },
    )


@st.composite
def invocation(draw: st.DrawFn, place: dict[str, Path]) -> list[str]:
    configs = place["configs"]
    if draw(st.booleans()):
        config = configs / "phuket.yaml"
    else:
        config = configs / f"p{draw(st.integers(0, 10**9))}.yaml"
        if draw(st.integers(0, 9)) == 0:
            config.write_text(draw(ANY_TEXT), encoding="utf-8")
        else:
            doc = draw(province_doc())
            config.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    if draw(st.integers(0, 19)) == 0:
        config = Path(draw(ODD_PATH))
    command = draw(st.sampled_from(["validate", "sync", "pack", "init", "doctor", "demo"]))
    if command == "demo":
        out = draw(st.one_of(NAME.map(lambda s: s.strip() + ".xlsx"), ODD_PATH, LONG))
        return ["demo", "--out", out, "--seed", str(draw(st.integers(-(2**70), 2**70)))]
    args = [command, "--config", str(config)]
    opts: dict[str, st.SearchStrategy[Any]] = {}
    if command != "init" and draw(st.integers(0, 3)) > 0:
        args += ["--source", draw(sources(place))]
    if command in ("validate", "sync", "pack"):
        opts["--as-of"] = DATES
    if command in ("validate", "sync"):
        opts["--timeout"] = NUMBERS
        opts["--log-file"] = st.one_of(NAME, ANY_TEXT, ODD_PATH)
        opts["--fail-on"] = st.sampled_from(["error", "warning", "notice", "fatal"])
    if command == "validate":
        opts["--format"] = st.sampled_from(["table", "json", "csv", "xml"])
        opts["--lang"] = st.sampled_from(["th", "en", "fr"])
    if command == "pack":
        opts["--meeting"] = st.one_of(NAME, ANY_TEXT, LONG)
        opts["--date"] = DATES
        opts["--place"] = st.one_of(NAME, ANY_TEXT, LONG)
        opts["--out-dir"] = st.one_of(NAME, LONG, ODD_PATH)
    if command == "init":
        opts = {"--xlsx": st.one_of(NAME.map(lambda s: s + ".xlsx"), NAME, LONG, ODD_PATH)}
    if command == "doctor":
        opts["--credentials"] = st.one_of(NAME, ODD_PATH, st.just(str(place["workbook"])))
    for name, strategy in opts.items():
        if draw(st.booleans()):
            # mostly a usable value, so runs go deep; now and then anything at all
            good = GOOD.get(name)
            pick = strategy if good is None or draw(st.integers(0, 3)) == 0 else good
            args += [name, draw(pick)]
    if command == "sync":
        args += draw(st.lists(st.sampled_from(["--dry-run", "--json", "-v"]), unique=True))
    if command == "pack":
        args += draw(st.lists(st.sampled_from(["--force", "--include-personal"]), unique=True))
    return args


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _no_constant(name: str) -> None:
    raise AssertionError(f"bare {name} in JSON output")


def test_generated_options_and_configs_never_end_in_a_traceback(
    place: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(place["root"])
    # Google keys go to a closed local port, and give up at once: no network, no waiting.
    monkeypatch.setenv("KSPO_SHEETS_API_ROOT", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("KSPO_RETRY_BUDGET", "0")
    monkeypatch.delenv("KSPO_CONFIG", raising=False)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)

    @settings(
        max_examples=int(os.environ.get("KSPO_FUZZ_EXAMPLES", "60")),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(args=invocation(place))
    def run(args: list[str]) -> None:
        res = CliRunner().invoke(cli, args)
        crash = res.exception if not isinstance(res.exception, SystemExit) else None
        shown = [a if len(a) < 80 else a[:80] + "…" for a in args]
        assert crash is None, f"{shown}: {crash!r}\n{res.output[-2000:]}"
        assert res.exit_code in CODES, (shown, res.exit_code, res.output[-2000:])
        assert "Traceback" not in res.output, shown
        if res.exit_code >= 2:
            failed = "Error:" in res.output or (args[0] == "doctor" and "✗ " in res.output)
            assert failed, (shown, res.output[-2000:])
        if "--json" in args:
            for line in res.stdout.splitlines():
                json.loads(line, parse_constant=_no_constant)

    run()
    assert not (ROOT / "packs").exists() or (ROOT / "packs").is_dir()
