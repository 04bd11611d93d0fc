"""Time validation of the ผู้ผลิต (producers) register: kspo against pandera and plain pandas.

    .venv/bin/python scripts/bench_validate.py                 # 10k, 100k and 1M rows
    .venv/bin/python scripts/bench_validate.py --sizes 10000,100000
    .venv/bin/python scripts/bench_validate.py --ids wide      # unique IDs, see --help
    .venv/bin/python scripts/bench_validate.py --one kspo 100000   # one case, JSON on stdout

Each (implementation, size) runs in its own process so peak memory is that case's alone.
The same synthetic strings (scripts/_synth.py) go to all three: kspo gets a Snapshot of
rows of str, pandera and pandas a DataFrame of them. Only validation is timed, followed by
a gc.collect() inside the timing (kspo pauses the cycle collector while it validates, so
this charges it for the collector work it would otherwise leave to its caller).

The pandera and pandas versions implement the same checks (ID form and uniqueness, village
reference, enums with aliases, national ID check digit, phone layouts, BE dates, conditional
requirements, areas and numbers, yes/no, certificate expiry) for the layouts the generator
types; they are not general parsers, so they are if anything flattered. pandera's checks
share each column's parse through a per-run memo (its best case). Each implementation's
finding counts per code are printed side by side so a reader can see all did the same work.

pandas stores strings in Python objects unless pyarrow is installed; with pyarrow (not a
dependency here) pandas and pandera run faster. The machine facts in the JSON say which.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import _synth  # noqa: E402

from kspo_sheets.config.province import Config, load_config  # noqa: E402
from kspo_sheets.thai.gazetteer import Gazetteer  # noqa: E402

IMPLS = ("kspo", "pandera", "pandas")
DEFAULT_SIZES = "10000,100000,1000000"
CONFIG = ROOT / "configs" / "phuket.yaml"
OUT = ROOT / "bench-results" / "validate.json"
MIB = 1024 * 1024


# --- memory ----------------------------------------------------------------------------------


def _rss_now() -> int:
    """Resident memory now, in bytes (Linux /proc; else the peak so far)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return _rss_peak()


def _rss_peak() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (Linux 4.0+), so building the input is not the peak."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


# --- the pandas and pandera implementations -------------------------------------------------

# The same text normalisation kspo_sheets.thai_text.normalise does: invisible characters out,
# odd spaces to spaces, runs collapsed, trimmed, Thai digits as Arabic, NFC.
_NORM = str.maketrans(
    {
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", None),
        **dict.fromkeys("\u00a0\u2007\u202f\u3000\t\r\n\u2028\u2029\x0b\x0c", " "),
        **{thai: str(i) for i, thai in enumerate("๐๑๒๓๔๕๖๗๘๙")},
    }
)
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-", "\uff0d": "-"})
_NID_SEPARATORS = str.maketrans("", "", " -.–")
_PHONE_PUNCT = str.maketrans("", "", " -.()–—")
_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+"
_AREA_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+"
_AREA_WORDS = (
    rf"(?:({_AREA_NUM})\s*ไร่)?\s*(?:({_AREA_NUM})\s*งาน)?\s*"
    rf"(?:({_AREA_NUM})\s*(?:ตร\.?\s*ว\.?|ตารางวา|ตาราง\s*วา|วา))?"
)
_YES = {"ใช่", "มี", "เป็น", "ยินยอม", "เข้าร่วม", "จริง", "ได้", "✓", "✔", "☑", "✅", "/"}
_YES |= {"y", "yes", "true", "1", "1.0"}
_NO = {"ไม่" + w for w in ("ใช่", "มี", "เป็น", "ยินยอม", "เข้าร่วม", "จริง", "ได้")}
_NO |= {"ไม่", "เท็จ", "✗", "✘", "☒", "❌", "x", "n", "no", "false", "0", "0.0"}
_CERTIFIED = ("GAP", "เกษตรอินทรีย์", "PGS")


def _month_keys() -> dict[str, int]:
    from kspo_sheets.thai.dates import THAI_MONTHS, THAI_MONTHS_ABBR

    keys: dict[str, int] = {}
    for i, (full, abbr) in enumerate(zip(THAI_MONTHS, THAI_MONTHS_ABBR, strict=True)):
        keys[full] = keys[abbr.replace(".", "")] = i + 1
    return keys


def _enum_keys(config: Config, key: str) -> dict[str, str]:
    col = config.registers["producers"].column(key)

    def k(text: str) -> str:
        t = unicodedata.normalize("NFC", text.translate(_NORM).strip())
        return t.replace(" ", "").replace(".", "").casefold()

    out = {k(v): v for v in col.values}
    for alias, target in (col.aliases or {}).items():
        out.setdefault(k(alias), target)
    return out


class Vector:
    """Vectorised parsers over a column of strings, shared by the pandas and pandera versions."""

    def __init__(self, config: Config, gazetteer: Gazetteer, village_ids: list[str]) -> None:
        import numpy as np

        self.id_pattern = config.registers["producers"].column("producer_id").pattern or ""

        self.np = np
        self.province = gazetteer.province_code
        self.tambons = [t.code for t in gazetteer.tambons()]
        self.village_ids = village_ids
        self.kinds = _enum_keys(config, "kind")
        self.categories = _enum_keys(config, "category")
        self.certs = _enum_keys(config, "certification")
        self.months = _month_keys()
        self.weights = np.arange(13, 1, -1, dtype=np.int64)

    @staticmethod
    def norm(s: Any) -> Any:
        t = s.str.translate(_NORM)
        t = t.str.replace(r" {2,}", " ", regex=True).str.strip()
        return t.str.normalize("NFC")

    @staticmethod
    def blank(s: Any) -> Any:
        return s.str.strip() == ""

    def id_checks(self, s: Any) -> dict[str, Any]:
        t = self.norm(s)
        blank = self.blank(s)
        ok = t.str.match(self.id_pattern)
        dup = ok & t.where(ok).duplicated(keep=False)
        return {"required.missing": blank, "id.format": ~blank & ~ok, "id.duplicate": dup}

    def village(self, s: Any) -> dict[str, Any]:
        t = self.norm(s).str.replace(r"[\s\-\u2010-\u2015\u2212]", "", regex=True)
        blank = self.blank(s)
        is8 = t.str.fullmatch(r"[0-9]{8}")
        province = is8 & (t.str[:2] != self.province)
        tambon = is8 & ~province & ~t.str[:6].isin(self.tambons)
        moo00 = is8 & ~province & ~tambon & (t.str[6:] == "00")
        valid = is8 & ~province & ~tambon & ~moo00
        return {
            "required.missing": blank,
            "village.code_format": (~blank & ~is8) | moo00,
            "village.code_province": province | tambon,
            "ref.missing": valid & ~t.isin(self.village_ids),
        }

    def enum(self, s: Any, keys: dict[str, str]) -> tuple[Any, Any]:
        """(parsed values, enum.invalid mask)."""
        key = self.norm(s).str.replace(" ", "").str.replace(".", "").str.casefold()
        parsed = key.map(keys)
        return parsed, (key != "") & parsed.isna()

    def national_id(self, s: Any) -> dict[str, Any]:
        np = self.np
        t = self.norm(s).str.translate(_NID_SEPARATORS)
        blank = self.blank(s)
        is13 = t.str.fullmatch(r"[0-9]{13}")
        d13 = t[is13]
        digits = np.frombuffer("".join(d13).encode("ascii"), dtype=np.uint8)
        digits = digits.reshape(-1, 13).astype(np.int64) - 48
        check = (11 - (digits[:, :12] @ self.weights) % 11) % 10
        bad = is13.copy()
        bad[is13] = check != digits[:, 12]
        valid = is13 & ~bad
        return {
            "blank": blank,
            "national_id.invalid": ~blank & ~is13,
            "national_id.checksum": bad,
            "value.duplicate": valid & t.where(valid).duplicated(keep=False),
        }

    def phone(self, s: Any) -> dict[str, Any]:
        d = self.norm(s).str.translate(_PHONE_PUNCT).str.removeprefix("+")
        d = d.str.replace(r"^660", "0", regex=True)
        d = d.str.replace(r"^66(?=[0-9]{8,9}$)", "0", regex=True)
        ok = d.str.fullmatch(r"0(?:[689][0-9]{8}|[23457][0-9]{7})|1[0-9]{3}")
        zero = d.str.fullmatch(r"[689][0-9]{8}|[23457][0-9]{7}")
        return {"phone.invalid": ~self.blank(s) & ~ok & ~zero, "phone.missing_zero": zero}

    def dates(self, s: Any) -> tuple[Any, dict[str, Any]]:
        """(dates as datetime64, masks by code)."""
        import pandas as pd

        t = self.norm(s)
        dmy = t.str.extract(
            r"^([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{4}|[0-9]{2})$"
        )
        named = t.str.extract(
            r"^([0-9]{1,2})\s*[-/]?\s*([\u0e01-\u0e4e][\u0e01-\u0e4e. ]*?)\s*[-/]?\s*([0-9]{4}|[0-9]{2})$"
        )
        month_named = named[1].str.replace(".", "").str.replace(" ", "").map(self.months)
        day = pd.to_numeric(dmy[0].fillna(named[0]))
        month = pd.to_numeric(dmy[1]).fillna(month_named)
        ytext = dmy[2].fillna(named[2])
        year = pd.to_numeric(ytext)
        year = year.where(ytext.str.len() != 2, year + 2500)
        matched = day.notna() & month.notna() & year.notna()
        be = matched & year.between(2400, 2700)
        ce = matched & year.between(1900, 2200)
        double = matched & year.between(2943, 3243)
        ce_year = year.where(~be, year - 543)
        when = pd.to_datetime(
            pd.DataFrame({"year": ce_year.where(be | ce), "month": month, "day": day}),
            errors="coerce",
        )
        blank = self.blank(s)
        return when, {
            "date.invalid": ~blank & (~matched | ~(be | ce | double)),
            "date.impossible": (be | ce) & when.isna(),
            "date.ce_year": ce & when.notna(),
            "date.double_converted": double,
        }

    def area(self, s: Any) -> dict[str, Any]:
        t = self.norm(s).str.translate(_MINUS)
        neg = t.str.startswith("-")
        body = t.where(~neg, t.str[1:].str.lstrip())
        dashed = body.str.extract(r"^([0-9]+)\s*-\s*([0-9]+)\s*-\s*([0-9]+(?:\.[0-9]+)?)$")
        dashed = dashed.astype(float)
        d_ok = dashed[0].notna()
        d_bad = d_ok & ((dashed[1] > 3) | (dashed[2] >= 100))
        words = body.str.extract(f"^{_AREA_WORDS}$")
        w_any = words.notna().any(axis=1)
        w = words.apply(lambda c: c.str.replace(",", "").astype(float)).fillna(0.0)
        w_bad = w_any & (
            (words[0].notna() & (w[1] >= 4))
            | ((words[0].notna() | words[1].notna()) & (w[2] >= 100))
        )
        plain = body.str.fullmatch(_AREA_NUM)
        plain_x = body.where(plain).str.replace(",", "").astype(float)
        x = (dashed[0] + dashed[1] / 4 + dashed[2] / 400).where(
            d_ok, (w[0] + w[1] / 4 + w[2] / 400).where(w_any, plain_x)
        )
        x = x.where(~neg, -x)
        blank = self.blank(s)
        invalid = (~blank & ~d_ok & ~w_any & ~plain) | d_bad | w_bad
        return {"area.invalid": invalid, "number.negative": ~invalid & (x < 0)}

    def number(self, s: Any) -> dict[str, Any]:
        t = self.norm(s).str.translate(_MINUS)
        m = t.str.extract(rf"^([+-]?)\s*({_NUM})\.?\s*([^0-9]*)$")
        unit = m[2].str.strip()
        multiplied = unit.str.match(r"(?:ล้าน|แสน|หมื่น|พัน(?!ธ)|[kKmM](?![a-zA-Z]))")
        unit_ok = (unit == "") | (
            ~multiplied & unit.str.fullmatch(r"[\u0e01-\u0e4eA-Za-z][\u0e01-\u0e4eA-Za-z. /]*")
        )
        ok = m[1].notna() & unit_ok
        x = m[1].where(ok).str.replace(",", "").str.replace(" ", "").astype(float)
        x = x.where(m[0] != "-", -x)
        return {"number.invalid": ~self.blank(s) & ~ok, "number.negative": ok & (x < 0)}

    def yesno(self, s: Any) -> Any:
        key = self.norm(s).str.replace(" ", "").str.casefold().str.rstrip(".")
        return (key != "") & ~key.isin(_YES | _NO)


def _pandas_validate(df: Any, vec: Vector, as_of: dt.date) -> Any:
    """Every check once per column, reusing parsed columns; findings as a DataFrame."""
    import numpy as np
    import pandas as pd

    masks: list[tuple[str, str, Any]] = []

    def add(column: str, checks: dict[str, Any]) -> None:
        for code, mask in checks.items():
            masks.append((column, code, mask))

    add("producer_id", vec.id_checks(df["producer_id"]))
    add("village_id", vec.village(df["village_id"]))
    add("name", {"required.missing": vec.blank(df["name"])})
    kind, kind_bad = vec.enum(df["kind"], vec.kinds)
    add("kind", {"required.missing": vec.blank(df["kind"]), "enum.invalid": kind_bad})
    nid = vec.national_id(df["national_id"])
    nid["required.missing"] = nid.pop("blank") & (kind == "บุคคล")
    add("national_id", nid)
    add("phone", vec.phone(df["phone"]))
    add("category", {"enum.invalid": vec.enum(df["category"], vec.categories)[1]})
    cert, cert_bad = vec.enum(df["certification"], vec.certs)
    add("certification", {"enum.invalid": cert_bad})
    when, date_masks = vec.dates(df["cert_expiry"])
    certified = cert.isin(_CERTIFIED)
    date_masks["required.missing"] = vec.blank(df["cert_expiry"]) & certified
    ts = pd.Timestamp(as_of)
    ok = certified & when.notna()
    date_masks["cert.expired"] = ok & (when < ts)
    date_masks["cert.expiring"] = ok & (when >= ts) & (when <= ts + pd.Timedelta(days=90))
    add("cert_expiry", date_masks)
    add("area_rai", vec.area(df["area_rai"]))
    add("monthly_kg", vec.number(df["monthly_kg"]))
    add("consent", {"yesno.invalid": vec.yesno(df["consent"])})
    frames = []
    for column, code, mask in masks:
        rows = np.flatnonzero(mask.to_numpy(dtype=bool))
        if len(rows):
            frames.append(
                pd.DataFrame(
                    {
                        "row": rows + 2,
                        "column": column,
                        "code": code,
                        "value": df[column].to_numpy()[rows],
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def _pandera_schema(vec: Vector, as_of: dt.date) -> tuple[Any, dict[str, Any]]:
    """The same checks as a pandera DataFrameSchema, and the per-run memo its checks share.

    A column's checks (and the frame-wide ones) share its parse through the memo, which the
    caller empties before each validation: pandera at its best, each column parsed once.
    """
    import pandas as pd
    import pandera.pandas as pa

    memo: dict[str, Any] = {}

    def once(name: str, fn: Callable[[Any], Any], s: Any) -> Any:
        hit = memo.get(name)
        if hit is None:
            hit = memo[name] = fn(s)
        return hit

    def check(column: str, code: str, failing: Callable[[Any], Any]) -> Any:
        return pa.Check(lambda s: ~failing(s), name=f"{column}:{code}")

    def each(column: str, fn: Callable[[Any], dict[str, Any]], codes: list[str]) -> list[Any]:
        return [check(column, c, lambda s, c=c: once(column, fn, s)[c]) for c in codes]

    def col(checks: list[Any]) -> Any:
        return pa.Column(str, checks=checks)

    def kind(s: Any) -> Any:
        return once("kind", lambda s: vec.enum(s, vec.kinds), s)

    def cert(s: Any) -> Any:
        return once("certification", lambda s: vec.enum(s, vec.certs), s)

    def dates(s: Any) -> Any:
        return once("cert_expiry", vec.dates, s)

    ts = pd.Timestamp(as_of)

    def certified(df: Any) -> Any:
        return cert(df["certification"])[0].isin(_CERTIFIED)

    def cert_dates(df: Any) -> Any:
        return dates(df["cert_expiry"])[0].where(certified(df))

    frame_checks = [
        pa.Check(
            lambda df: ~(vec.blank(df["national_id"]) & (kind(df["kind"])[0] == "บุคคล")),
            name="national_id:required.missing",
        ),
        pa.Check(
            lambda df: ~(vec.blank(df["cert_expiry"]) & certified(df)),
            name="cert_expiry:required.missing",
        ),
        pa.Check(lambda df: ~(cert_dates(df) < ts), name="cert_expiry:cert.expired"),
        pa.Check(
            lambda df: ~cert_dates(df).between(ts, ts + pd.Timedelta(days=90)),
            name="cert_expiry:cert.expiring",
        ),
    ]
    date_codes = ["date.invalid", "date.impossible", "date.ce_year", "date.double_converted"]
    schema = pa.DataFrameSchema(
        {
            "producer_id": col(
                each(
                    "producer_id", vec.id_checks, ["required.missing", "id.format", "id.duplicate"]
                )
            ),
            "village_id": col(
                each(
                    "village_id",
                    vec.village,
                    [
                        "required.missing",
                        "village.code_format",
                        "village.code_province",
                        "ref.missing",
                    ],
                )
            ),
            "name": col([check("name", "required.missing", vec.blank)]),
            "kind": col(
                [
                    check("kind", "required.missing", vec.blank),
                    check("kind", "enum.invalid", lambda s: kind(s)[1]),
                ]
            ),
            "national_id": col(
                each(
                    "national_id",
                    vec.national_id,
                    ["national_id.invalid", "national_id.checksum", "value.duplicate"],
                )
            ),
            "phone": col(each("phone", vec.phone, ["phone.invalid", "phone.missing_zero"])),
            "category": col(
                [check("category", "enum.invalid", lambda s: vec.enum(s, vec.categories)[1])]
            ),
            "products": col([]),
            "certification": col([check("certification", "enum.invalid", lambda s: cert(s)[1])]),
            "cert_expiry": col(
                [check("cert_expiry", c, lambda s, c=c: dates(s)[1][c]) for c in date_codes]
            ),
            "area_rai": col(each("area_rai", vec.area, ["area.invalid", "number.negative"])),
            "monthly_kg": col(
                each("monthly_kg", vec.number, ["number.invalid", "number.negative"])
            ),
            "consent": col([check("consent", "yesno.invalid", vec.yesno)]),
        },
        checks=frame_checks,
    )
    return schema, memo


# --- one case --------------------------------------------------------------------------------


Case = tuple[Callable[[], Any], Callable[[Any], Counter[str]], Counter[str]]


def _kspo_case(n: int, config: Config, id_digits: int) -> Case:
    from kspo_sheets.checks.validate import validate
    from kspo_sheets.model import RawTab, Snapshot

    syn = _synth.producers(n, config, Gazetteer(config.province_code), id_digits=id_digits)
    tabs = [
        RawTab(config.registers["villages"].tab, [syn.village_header, *syn.villages]),
        RawTab(config.registers["producers"].tab, [syn.producer_header, *syn.producers]),
    ]
    snapshot = Snapshot("bench", {t.title: t for t in tabs})
    planted = syn.planted
    del syn

    def run() -> Any:
        gaz = Gazetteer(config.province_code)  # fresh: no memo carried between repeats
        return validate(
            snapshot,
            config,
            as_of=_synth.AS_OF,
            gazetteer=gaz,
            registers=["villages", "producers"],
        )

    def count(result: Any) -> Counter[str]:
        if any(f.register != "producers" for f in result.findings):
            raise SystemExit("the synthetic villages tab should validate clean")
        return Counter(f.code for f in result.findings)

    return run, count, planted


def _frame_case(n: int, config: Config, impl: str, id_digits: int) -> Case:
    import pandas as pd

    gaz = Gazetteer(config.province_code)
    syn = _synth.producers(n, config, gaz, id_digits=id_digits)
    keys = [c.key for c in config.registers["producers"].columns]
    df = pd.DataFrame(syn.producers, columns=keys)
    vec = Vector(config, gaz, syn.village_ids)
    planted = syn.planted
    del syn
    if impl == "pandas":

        def run() -> Any:
            return _pandas_validate(df, vec, _synth.AS_OF)

        def count(found: Any) -> Counter[str]:
            return Counter(dict(found["code"].value_counts().items()))

        return run, count, planted

    import pandera.pandas as pa

    schema, memo = _pandera_schema(vec, _synth.AS_OF)

    def run_pandera() -> Any:
        memo.clear()
        try:
            schema.validate(df, lazy=True)
        except pa.errors.SchemaErrors as e:
            return e.failure_cases
        return pd.DataFrame({"check": [], "index": []})

    def count_pandera(cases: Any) -> Counter[str]:
        # A frame-wide check lists a failing row once per column: count rows, not cells.
        rows = cases[["check", "index"]].drop_duplicates()
        out: Counter[str] = Counter()
        for name, k in rows["check"].value_counts().items():
            out[str(name).split(":", 1)[1]] += int(k)
        return out

    return run_pandera, count_pandera, planted


def _config(ids: str) -> tuple[Config, int]:
    """The contract as it is, or (ids="wide") with producer IDs of 7 digits, and that width."""
    config = load_config(CONFIG)
    if ids == "contract":
        return config, 4
    spec = config.registers["producers"]
    columns = tuple(
        dataclasses.replace(c, pattern=r"^P-\d{7}$", example="P-0000001")
        if c.key == "producer_id"
        else c
        for c in spec.columns
    )
    registers = {**config.registers, "producers": dataclasses.replace(spec, columns=columns)}
    return dataclasses.replace(config, registers=registers), 7


def run_one(impl: str, n: int, repeat: int, ids: str = "contract") -> dict[str, Any]:
    """Build the input, then time `repeat` validations of it; memory as measured here."""
    config, id_digits = _config(ids)
    if impl != "kspo":
        import pandas  # noqa: F401
        import pandera.pandas  # noqa: F401
    gc.collect()
    rss_imports = _rss_now()
    if impl == "kspo":
        run, count, planted = _kspo_case(n, config, id_digits)
    else:
        run, count, planted = _frame_case(n, config, impl, id_digits)
    gc.collect()
    rss_input = _rss_now()
    build_peak = _rss_peak()
    reset = _reset_peak()
    baseline = rss_input if reset else build_peak
    times: list[float] = []
    cpu: list[float] = []
    cpu_bare: list[float] = []
    counts: Counter[str] = Counter()
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = run()
        cpu_bare.append(time.process_time() - c0)
        # Pay the cycle collector for what validation left behind, inside the timing: no
        # implementation hands its collector work to the caller.
        gc.collect()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        counts = count(result)
        del result
        gc.collect()
    peak = _rss_peak()
    best = min(times)
    return {
        "impl": impl,
        "ids": ids,
        "rows": n,
        "seconds": best,
        "seconds_all": times,
        "rows_per_s": n / best,
        "cpu_seconds": min(cpu),
        "cpu_seconds_all": cpu,
        "rows_per_cpu_s": n / min(cpu),
        "cpu_seconds_without_gc": min(cpu_bare),
        "rss_after_imports": rss_imports,
        "rss_with_input": rss_input,
        "input_bytes": rss_input - rss_imports,
        "build_peak": build_peak,
        "peak_rss": peak,
        "peak_increase": peak - baseline,
        "peak_reset": reset,
        "planted": dict(sorted(planted.items())),
        "findings": sum(counts.values()),
        "findings_by_code": dict(sorted(counts.items())),
    }


# --- the whole run ---------------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    import numpy
    import pandas
    import pandera

    mem = None
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) * 1024
    except OSError:
        pass
    storage = str(getattr(pandas.DataFrame([["x"]]).dtypes.iloc[0], "storage", "object"))
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "cpu_count": os.cpu_count(),
        "memory_bytes": mem,
        "pandas": pandas.__version__,
        "pandas_string_storage": storage,
        "pandera": pandera.__version__,
        "numpy": numpy.__version__,
    }


def _repeats(n: int) -> int:
    return max(1, min(5, 300_000 // n))


def _mib(b: float) -> str:
    return f"{b / MIB:,.0f}"


def _table(cases: list[dict[str, Any]]) -> str:
    head = (
        f"{'impl':<8} {'rows':>9} {'wall s':>7} {'rows/s':>9} {'cpu s':>7} {'(no gc)':>7} {'rows/cpu-s':>10}"
        f" {'vs pandera':>10} {'input MiB':>9} {'peak MiB':>8} {'+peak MiB':>9} {'findings':>9}"
    )
    lines = [head, "-" * len(head)]
    by = {(c["impl"], c["rows"]): c for c in cases}
    for c in cases:
        ref = by.get(("pandera", c["rows"]))
        ratio = f"{c['rows_per_cpu_s'] / ref['rows_per_cpu_s']:.1f}x" if ref else "-"
        lines.append(
            f"{c['impl']:<8} {c['rows']:>9,} {c['seconds']:>7.2f} {c['rows_per_s']:>9,.0f}"
            f" {c['cpu_seconds']:>7.2f} {c['cpu_seconds_without_gc']:>7.2f}"
            f" {c['rows_per_cpu_s']:>10,.0f} {ratio:>10}"
            f" {_mib(c['input_bytes']):>9} {_mib(c['peak_rss']):>8}"
            f" {_mib(c['peak_increase']):>9} {c['findings']:>9,}"
        )
    return "\n".join(lines)


def _codes_table(cases: list[dict[str, Any]], n: int) -> str:
    here = [c for c in cases if c["rows"] == n]
    codes = sorted({k for c in here for k in c["findings_by_code"]})
    lines = [f"findings by code at {n:,} rows:", f"  {'code':<24}" + "".join(f"{c['impl']:>10}" for c in here)]  # fmt: skip
    for code in codes:
        cells = [c["findings_by_code"].get(code, 0) for c in here]
        flag = "" if len(set(cells)) == 1 else "   <- differs"
        lines.append(f"  {code:<24}" + "".join(f"{x:>10,}" for x in cells) + flag)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated row counts")
    ap.add_argument("--impls", default=",".join(IMPLS), help="comma-separated: kspo,pandera,pandas")
    ap.add_argument("--one", nargs=2, metavar=("IMPL", "ROWS"), help="run one case, print JSON")
    ap.add_argument("--repeat", type=int, default=0, help="timed runs per case (default: by size)")
    ap.add_argument(
        "--ids",
        choices=("contract", "wide"),
        default="contract",
        help="producer IDs: the contract's ^P-\\d{4}$ (wrapping past 10,000 rows), or 'wide':"
        " the pattern widened to 7 digits so every ID is unique",
    )
    ap.add_argument("--out", type=Path, default=None, help=f"JSON results (default {OUT})")
    args = ap.parse_args(argv)

    if args.one:
        impl, n = args.one[0], int(args.one[1])
        if impl not in IMPLS:
            ap.error(f"unknown implementation {impl!r}: use one of {', '.join(IMPLS)}")
        print(json.dumps(run_one(impl, n, args.repeat or _repeats(n), args.ids)))
        return 0

    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    impls = [x.strip() for x in args.impls.split(",") if x.strip()]
    cases: list[dict[str, Any]] = []
    for n in sizes:
        for impl in impls:
            cmd = [sys.executable, str(Path(__file__).resolve()), "--one", impl, str(n)]
            cmd += ["--ids", args.ids]
            if args.repeat:
                cmd += ["--repeat", str(args.repeat)]
            print(f"· {impl} {n:,} rows", file=sys.stderr, flush=True)
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                sys.stderr.write(done.stderr)
                return done.returncode
            cases.append(json.loads(done.stdout.strip().splitlines()[-1]))

    machine = _machine()
    print(
        f"Validation of the ผู้ผลิต register, {machine['platform']}, Python {machine['python']},"
        f" {machine['cpu_count']} CPUs, pandas {machine['pandas']}"
        f" (strings: {machine['pandas_string_storage']}), pandera {machine['pandera']}"
    )
    print(_table(cases))
    print(
        "\nTimed: validation, then gc.collect() so no implementation leaves collector work"
        " behind; best of the timed runs. cpu s is process time, which a busy machine"
        " disturbs less than wall time; (no gc) is cpu s before that gc.collect()."
        " 'vs pandera' compares rows per CPU second, gc included."
        " input MiB: resident memory the built input adds after imports. peak MiB: peak RSS"
        " of the case's own process. +peak MiB: peak during validation above the RSS with"
        " the input built."
    )
    if args.ids == "wide":
        print(
            "\nIDs: the producer ID pattern is widened to ^P-\\d{7}$ for this run (not the"
            " contract's ^P-\\d{4}$), so every ID is unique and only planted mistakes and"
            " certificate dates give findings."
        )
    elif any(n > _synth.ID_SPACE for n in sizes):
        print(
            f"\nIDs: the contract's producer ID is ^P-\\d{{4}}$, so only {_synth.ID_SPACE:,}"
            " IDs exist. The generator numbers rows over that space and wraps, so above"
            f" {_synth.ID_SPACE:,} rows nearly every row carries an id.duplicate finding"
            " (each implementation reports them all). --ids wide shows the same run with"
            " unique IDs."
        )
    for n in sizes:
        planted = next(c["planted"] for c in cases if c["rows"] == n)
        rows = sum(planted.values())
        print(
            f"\n{rows:,} of {n:,} rows ({rows / n:.1%}) carry a planted mistake"
            f" of {len(planted)} kinds (scripts/_synth.py PLANTS)."
        )
        print(_codes_table(cases, n))
    out = args.out or (OUT if args.ids == "contract" else OUT.with_name("validate-wide-ids.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": machine,
        "as_of": _synth.AS_OF.isoformat(),
        "seed": _synth.SEED,
        "ids": args.ids,
        "plant_rate": _synth.PLANT_RATE,
        "cases": cases,
    }
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
