"""Regenerate tests/golden/pack-sample.xlsx, the reviewed reference meeting pack.

Run it on purpose, after a change to the pack (or to the sample it is built from), then
look at the new pack (open it, or render it: soffice --headless --convert-to pdf) and at
the parts this script says changed before committing it:

    .venv/bin/python scripts/regen_golden.py
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "pack-sample.xlsx"
AS_OF = dt.date(2019, 9, 10)


def build_reference(work: Path) -> Path:
    """The sample workbook at AS_OF -> validate -> compute -> pack (masked): its path."""
    from kspo_sheets.commands.sample import build_sample
    from kspo_sheets.config.province import load_config
    from kspo_sheets.pack.build import build_pack
    from kspo_sheets.pipeline import run_validation
    from kspo_sheets.progress.indicators import compute

    source = work / "sample.xlsx"
    build_sample(source, as_of=AS_OF)
    config = load_config(ROOT / "configs" / "phuket.yaml")
    result, _ = run_validation(config, str(source), as_of=AS_OF)
    progress = compute(config, result)
    return build_pack(config, result, progress, out_dir=work / "packs")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def main() -> int:
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        made = build_reference(Path(tmp))
        if GOLDEN.exists():
            old, new = _parts(GOLDEN), _parts(made)
            changed = sorted(n for n in set(old) | set(new) if old.get(n) != new.get(n))
            print("unchanged" if not changed else "changed parts:\n  " + "\n  ".join(changed))
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made, GOLDEN)
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
