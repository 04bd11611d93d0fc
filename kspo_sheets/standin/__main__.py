"""``python -m kspo_sheets.standin --port 8765 [--load file.json]``: serve until Ctrl-C."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .server import StandIn


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kspo_sheets.standin",
        description="Serve an in-memory stand-in for the Google Sheets API v4 on a local port.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any)")
    parser.add_argument(
        "--load",
        action="append",
        default=[],
        metavar="FILE",
        help="JSON spreadsheet resource to load (repeatable); a list of resources also works",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)

    standin = StandIn(args.host, args.port, verbose=args.verbose)
    for name in args.load:
        try:
            loaded = json.loads(Path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            print(f"cannot load {name}: {err}", file=sys.stderr)
            return 2
        for resource in loaded if isinstance(loaded, list) else [loaded]:
            sid = standin.state.load_spreadsheet(resource)
            print(f"loaded {sid} ({standin.state.get(sid).properties['title']}) from {name}")
    standin.start()
    print(f"Sheets API stand-in listening on {standin.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        standin.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
