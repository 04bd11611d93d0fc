"""Values exactly as typed in public Thai registers (tests/data/real/), each read by the
parsers as pinned: a value the source got wrong is pinned wrong, with the reason."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest
from corpus import REAL, is_valid, rows

ROWS = list(rows())


def test_each_source_says_where_it_is_from_and_its_licence() -> None:
    folders = [p for p in REAL.iterdir() if p.is_dir()]
    assert len(folders) >= 3
    for folder in folders:
        text = (folder / "SOURCE.md").read_text(encoding="utf-8")
        assert "https://" in text and "commit" in text and "Licence" in text, folder


def test_a_few_hundred_values_per_kind() -> None:
    per_kind = Counter(r.kind for r in ROWS)
    assert per_kind["phones"] >= 300 and per_kind["places"] >= 300, per_kind
    assert per_kind["dates"] >= 100 and per_kind["money"] >= 300, per_kind


def test_money_is_read_as_baht() -> None:
    """Every money value read clean is the typed amount in baht, commas dropped."""
    money = [r for r in ROWS if r.kind == "money" and is_valid(r.expected)]
    assert money
    for r in money:
        digits = r.fields["typed"].replace(",", "").removesuffix(".00")
        assert r.expected == digits, r.label


GROUPS = sorted({(r.source, r.kind) for r in ROWS})


@pytest.mark.parametrize(("source", "kind"), GROUPS, ids=[f"{s}-{k}" for s, k in GROUPS])
def test_every_value_reads_as_pinned(source: str, kind: str) -> None:
    group = [r for r in ROWS if (r.source, r.kind) == (source, kind)]
    wrong = [
        f"{r.label}: read {r.reading()!r}, pinned {r.expected!r}"
        for r in group
        if r.reading() != r.expected
    ]
    assert not wrong, "\n".join(wrong[:30])
    unexplained = [r.label for r in group if not is_valid(r.expected) and not r.note]
    assert not unexplained, f"a value read as wrong needs the reason: {unexplained[:10]}"


def test_the_forms_offices_write_are_in_the_corpus() -> None:
    phones = [r for r in ROWS if r.kind == "phones"]
    blocks = [r for r in phones if "-0" in r.expected and is_valid(r.expected)]
    lists = [r for r in phones if " " in r.expected and is_valid(r.expected)]
    extensions = [r for r in phones if "ext" in r.fields["typed"].lower()]
    assert len(blocks) >= 50 and len(lists) >= 50 and extensions, (len(blocks), len(lists))


def test_the_readme_table_is_the_measured_one() -> None:
    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location(
        "real_corpus", root / "scripts" / "real_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    readme = (root / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- corpus-start -->\n(.*?)\n<!-- corpus-end -->", readme, re.S)
    assert table is not None
    assert table.group(1) == script.report(), "run: python scripts/real_corpus.py report"
