"""Replay the Drive calls of gspread's recorded cassettes against the stand-in's Drive.

Each cassette runs in order on a fresh stand-in: Drive calls (create, get with a field
mask, list with a query, copy, comments, export, delete) are checked against what Google
answered (status, keys, value types, and values where Google's are reproducible: names,
MIME types, list lengths, exported text); the Sheets calls between them are sent too, so
the spreadsheet holds what the export then reads, but they are checked by
test_conformance.py. IDs Google made up are mapped to the stand-in's; times are checked
for their type only. Drive v2 calls (gspread's CSV import) are not modelled and skipped.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import requests

from kspo_sheets.standin import SheetsState, StandIn

CASSETTES = Path(__file__).resolve().parents[3] / "shared" / "reference" / "gspread-cassettes"
TIMES = {"createdTime", "modifiedTime"}
ID = re.compile(r"1[A-Za-z0-9_-]{43}")


def _cassettes() -> list[str]:
    if not CASSETTES.is_dir():
        return []
    names = []
    for p in sorted(CASSETTES.glob("*.json")):
        text = p.read_text(encoding="utf-8")
        if "/drive/v3/files" in text:
            names.append(p.name)
    return names


def _shape(expected: Any, actual: Any, ids: dict[str, str], path: str = "$") -> list[str]:
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object"]
        out = [f"{path}.{k}: missing" for k in expected if k not in actual]
        out += [f"{path}.{k}: unexpected" for k in actual if k not in expected]
        for k in expected.keys() & actual.keys():
            if k in TIMES:
                if not isinstance(actual[k], str) or not actual[k].endswith("Z"):
                    out.append(f"{path}.{k}: not a time")
            elif k == "id":
                if ids.setdefault(expected[k], actual[k]) != actual[k]:
                    out.append(f"{path}.id: {actual[k]} is not the file Google meant")
            else:
                out += _shape(expected[k], actual[k], ids, f"{path}.{k}")
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            return [f"{path}: {len(expected)} items expected, got {actual!r:.80}"]
        return [d for e, a in zip(expected, actual, strict=True) for d in _shape(e, a, ids, path)]
    return [] if expected == actual else [f"{path}: {expected!r} != {actual!r}"]


def replay(name: str) -> list[tuple[str, str, list[str]]]:
    """(label, verdict, problems) for each Drive call of one cassette."""
    interactions = json.loads((CASSETTES / name).read_text(encoding="utf-8"))["interactions"]
    out: list[tuple[str, str, list[str]]] = []
    ids: dict[str, str] = {}
    with StandIn(state=SheetsState()) as standin:
        session = requests.Session()
        for it in interactions:
            rq, rs = it["request"], it["response"]
            url = urlsplit(rq["uri"])
            path = unquote(url.path)
            label = f"{rq['method']} {path.split('/files')[-1] or 'files'}"
            drive = path.startswith("/drive/v3/")
            if path.startswith("/upload/drive/v2") or "/drive/v2/" in path:
                out.append((label, "skip", ["Drive v2 is not modelled"]))
                continue
            body = rq.get("body")
            if isinstance(body, dict):
                body = body.get("string")
            target = ID.sub(lambda m: ids.get(m.group(0), m.group(0)), url.path)
            query = ID.sub(lambda m: ids.get(m.group(0), m.group(0)), url.query)
            if body:
                body = ID.sub(lambda m: ids.get(m.group(0), m.group(0)), body)
            resp = session.request(
                rq["method"],
                standin.url + target + (f"?{query}" if query else ""),
                data=body.encode("utf-8") if body else None,
                headers={"Content-Type": "application/json"} if body else {},
            )
            if not drive:
                continue
            recorded = rs["body"].get("string") if isinstance(rs["body"], dict) else rs["body"]
            older = [i for i in ID.findall(url.path + (recorded or "")) if i not in ids]
            if older and rq["method"] != "POST" and rs["status"]["code"] == 200:
                # files that were in the recording account before this test began
                out.append((label, "skip", ["a file from before the recording"]))
                continue
            problems = []
            if resp.status_code != rs["status"]["code"]:
                problems.append(f"status {resp.status_code}, Google said {rs['status']['code']}")
            kind = (rs["headers"].get("Content-Type") or [""])[0]
            if recorded and kind.startswith("application/json"):
                try:
                    problems += _shape(json.loads(recorded), resp.json(), ids)
                except ValueError:
                    problems.append("the stand-in's answer is not JSON")
            elif recorded:
                if resp.text != recorded:
                    problems.append(f"body {resp.text!r:.60} != {recorded!r:.60}")
            out.append((label, "fail" if problems else "pass", problems))
        assert not standin.internal_errors, standin.internal_errors[0]
    return out


@pytest.mark.parametrize(
    "cassette", _cassettes() or [pytest.param(None, marks=pytest.mark.skip(reason="no cassettes"))]
)
def test_drive_calls_answer_as_google_did(cassette: str) -> None:
    results = replay(cassette)
    failed = [(label, problems) for label, verdict, problems in results if verdict == "fail"]
    assert not failed, failed[:3]
    assert any(verdict == "pass" for _, verdict, _ in results)


def main() -> None:
    total = {"pass": 0, "fail": 0, "skip": 0}
    for name in _cassettes():
        for label, verdict, problems in replay(name):
            total[verdict] += 1
            if verdict == "fail":
                print(name, label, problems[:3])
    print(total)


if __name__ == "__main__":
    main()
