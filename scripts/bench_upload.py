"""Time the upload of a meeting pack to Google Drive, on the project's stand-in over HTTP.

Builds the pack for --rows synthetic producers (as scripts/bench_pack.py does), then runs
what `kspo pack` does after building it: find or make the packs' folder, upload the file
over a resumable session in 8 MiB chunks, list every pack in the spreadsheet's packs tab
(one batchUpdate); then once more for the same meeting and data date (a new revision of
the same file). Prints the pack's size, seconds, HTTP calls and peak memory.

    .venv/bin/python scripts/bench_upload.py --rows 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    from bench_pack import AS_OF, synthetic_data

    from kspo_sheets.commands.publish import publish_pack
    from kspo_sheets.pack.build import build_pack, meeting_from_config
    from kspo_sheets.standin import StandIn
    from kspo_sheets.stores.google import drive
    from kspo_sheets.stores.google.store import GoogleStore

    config, result, progress = synthetic_data(args.rows)
    with tempfile.TemporaryDirectory() as work, StandIn() as standin:
        started = time.perf_counter()
        path = build_pack(config, result, progress, out_dir=Path(work))
        built = time.perf_counter() - started
        key = standin.state.create_spreadsheet("ทะเบียน", {"Sheet1": [["x"]]})
        store = GoogleStore(key, root=standin.url)
        snapshot = store.read()
        meeting = meeting_from_config(config)
        out = {"rows": args.rows, "pack_bytes": path.stat().st_size, "build_s": round(built, 2)}
        for run in ("first upload", "re-upload"):
            standin.reset_counts()
            started = time.perf_counter()
            done = publish_pack(
                config,
                store,
                snapshot,
                {"xlsx": path},
                meeting=meeting,
                as_of=AS_OF,
                include_personal=False,
                now=dt.datetime.now(dt.UTC),
            )
            seconds = time.perf_counter() - started
            (f,) = [
                x
                for x in standin.state.drive.files.values()
                if x.app_properties.get("kspo") == "pack"
            ]
            assert f.content == path.read_bytes()
            out[run] = {
                "seconds": round(seconds, 2),
                "http_calls": standin.request_count,
                "chunks": standin.count("PUT", "/upload/"),
                "revision": f.revisions,
                "replaced": done.uploads[0][1],
            }
            snapshot = store.read()
        out["chunk_mib"] = drive.CHUNK / 2**20
        out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
