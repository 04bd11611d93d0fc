"""Replay real Google traffic (gspread's recorded cassettes) against the Sheets stand-in.

Each Sheets API interaction of every cassette is sent, in order, to a stand-in seeded with
the spreadsheet as the cassette's first metadata answer shows it. The stand-in must give
the same status and a JSON answer of the same shape (same keys at every level, same value
types, same list lengths) with the same values, except where Google's values cannot be
reproduced (ids it invents are mapped, editor e-mails and auto-fit pixel widths ignored).

Skipped on purpose, each with its reason: Drive API calls (the cassettes create and delete
files through Drive), request kinds the stand-in does not model, and everything after such
a request in the same spreadsheet (the recorded state no longer matches).

The cassettes are read from ../shared/reference/gspread-cassettes, never copied here.
Run this file directly for a per-cassette table: ``python tests/test_standin_conformance.py``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import requests

from kspo_sheets.standin import SheetsState, StandIn
from kspo_sheets.standin.batch_update import HANDLERS

CASSETTES = Path(__file__).resolve().parents[3] / "shared" / "reference" / "gspread-cassettes"

# ids Google invents: learnt from each answer, substituted into later requests
ID_KEYS = ("sheetId", "protectedRangeId", "bandedRangeId", "namedRangeId")
# values that are legitimately not reproducible: the recording account's e-mail among
# protected-range editors, and column widths chosen by autoResize from font metrics
UNREPRODUCIBLE = {"users", "pixelSize"}


@dataclass
class Outcome:
    verdict: str  # "pass" | "skip" | "fail"
    label: str
    detail: str = ""


def _cassette_names() -> list[str]:
    return sorted(p.name for p in CASSETTES.glob("*.json")) if CASSETTES.is_dir() else []


def _interactions(name: str) -> list[dict[str, Any]]:
    return list(json.loads((CASSETTES / name).read_text(encoding="utf-8"))["interactions"])


def _text(body: Any) -> str | None:
    if isinstance(body, dict):
        body = body.get("string")
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return body or None


def _spreadsheet_id(path: str) -> str | None:
    match = re.match(r"^/v4/spreadsheets/([^/:]+)", path)
    return unquote(match.group(1)) if match else None


def _first_state(interactions: list[dict[str, Any]], sid: str) -> tuple[int | None, Any]:
    """(status, resource) of the first metadata GET of ``sid`` in the cassette."""
    for it in interactions:
        url = urlsplit(it["request"]["uri"])
        if _spreadsheet_id(url.path) != sid or it["request"]["method"] != "GET":
            continue
        code = it["response"]["status"]["code"]
        if code != 200:
            return code, None
        if re.match(r"^/v4/spreadsheets/[^/:]+$", url.path) and "fields" not in parse_qs(url.query):
            return 200, json.loads(it["response"]["body"]["string"])
    return None, None


def _map_ids(obj: Any, ids: dict[Any, Any]) -> Any:
    if isinstance(obj, list):
        return [_map_ids(x, ids) for x in obj]
    if isinstance(obj, dict):
        return {k: ids.get(v, v) if k in ID_KEYS else _map_ids(v, ids) for k, v in obj.items()}
    return obj


def _learn_ids(expected: Any, actual: Any, ids: dict[Any, Any]) -> None:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            if key in ID_KEYS and key in actual and value != actual[key]:
                ids[value] = actual[key]
            elif key in actual:
                _learn_ids(value, actual[key], ids)
    elif isinstance(expected, list) and isinstance(actual, list):
        for a, b in zip(expected, actual, strict=False):
            _learn_ids(a, b, ids)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def differences(expected: Any, actual: Any, ids: dict[Any, Any], path: str = "$") -> list[str]:
    """Where ``actual`` departs from ``expected``: keys, types, lengths, then values."""
    out: list[str] = []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {_kind(actual)}"]
        out += [f"{path}.{k}: missing" for k in sorted(expected.keys() - actual.keys())]
        out += [f"{path}.{k}: unexpected" for k in sorted(actual.keys() - expected.keys())]
        for key in sorted(expected.keys() & actual.keys()):
            exp, act = expected[key], actual[key]
            if key in ID_KEYS:
                if ids.get(exp, exp) != act:
                    out.append(f"{path}.{key}: {exp!r} != {act!r}")
            elif key in UNREPRODUCIBLE:
                if _kind(exp) != _kind(act):
                    out.append(f"{path}.{key}: {_kind(exp)} != {_kind(act)}")
            else:
                out += differences(exp, act, ids, f"{path}.{key}")
    elif isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {_kind(actual)}"]
        if len(expected) != len(actual):
            out.append(f"{path}: {len(expected)} items expected, got {len(actual)}")
        for i, (exp, act) in enumerate(zip(expected, actual, strict=False)):
            out += differences(exp, act, ids, f"{path}[{i}]")
    elif _kind(expected) != _kind(actual):
        out.append(f"{path}: {expected!r} ({_kind(expected)}) != {actual!r} ({_kind(actual)})")
    elif expected != actual:
        out.append(f"{path}: {expected!r} != {actual!r}")
    return out


def replay(standin: StandIn, name: str) -> list[Outcome]:
    """Send every interaction of one cassette to ``standin`` (given fresh state)."""
    standin.state = SheetsState()
    interactions = _interactions(name)
    outcomes: list[Outcome] = []
    seeded: set[str] = set()
    diverged: dict[str, str] = {}
    ids: dict[Any, Any] = {}
    session = requests.Session()
    for index, it in enumerate(interactions):
        rq, rs = it["request"], it["response"]
        url = urlsplit(rq["uri"])
        label = f"{rq['method']} {unquote(url.path)}"
        if url.netloc != "sheets.googleapis.com":
            outcomes.append(
                Outcome("skip", label, "Drive API: replayed by test_drive_conformance.py")
            )
            changed = re.match(r"^/(?:upload/)?drive/v[23]/files/([^/]+)(/copy)?$", url.path)
            if changed and (rq["method"] == "PUT" or changed.group(2)):
                diverged[unquote(changed.group(1))] = f"state diverged after Drive call #{index}"
            continue
        sid = _spreadsheet_id(url.path)
        if sid and sid not in seeded:
            seeded.add(sid)
            code, resource = _first_state(interactions, sid)
            if resource is not None:
                standin.state.load_spreadsheet(resource)
            elif code == 403:
                standin.state.create_spreadsheet("private", spreadsheet_id=sid, private=True)
        if sid in diverged:
            outcomes.append(Outcome("skip", label, diverged[sid]))
            continue
        body = _text(rq["body"])
        if body:
            parsed = json.loads(body)
            if url.path.endswith(":batchUpdate") and "/values" not in url.path:
                missing = {k for r in parsed.get("requests", []) for k in r} - HANDLERS.keys()
                if missing:
                    reason = f"request kind not modelled: {', '.join(sorted(missing))}"
                    outcomes.append(Outcome("skip", label, reason))
                    if rs["status"]["code"] == 200 and sid:
                        diverged[sid] = f"state diverged after #{index} ({reason})"
                    continue
            body = json.dumps(_map_ids(parsed, ids))
        response = session.request(
            rq["method"],
            standin.url + url.path + (f"?{url.query}" if url.query else ""),
            data=body.encode("utf-8") if body else None,
            headers={"Content-Type": "application/json"} if body else {},
        )
        problems = []
        if response.status_code != rs["status"]["code"]:
            problems.append(f"status {response.status_code}, Google said {rs['status']['code']}")
        recorded = _text(rs["body"])
        if recorded:
            expected = json.loads(recorded)
            try:
                actual = response.json()
            except ValueError:
                actual = None
            _learn_ids(expected, actual, ids)
            problems += differences(expected, actual, ids)
        elif response.content:
            problems.append("Google answered with an empty body")
        outcomes.append(Outcome("fail" if problems else "pass", label, "; ".join(problems[:8])))
    return outcomes


def _params() -> list[Any]:
    names = _cassette_names()
    if not names:
        reason = f"reference cassettes not found at {CASSETTES}"
        return [pytest.param(None, 0, marks=pytest.mark.skip(reason=reason), id="no-cassettes")]
    return [
        pytest.param(name, index, id=f"{name.removesuffix('.json')}#{index}")
        for name in names
        for index in range(len(_interactions(name)))
    ]


@pytest.fixture(scope="module")
def replayed() -> Any:
    """Replays each cassette once (on first use) on one shared stand-in."""
    cache: dict[str, list[Outcome]] = {}
    with StandIn() as standin:

        def outcomes(name: str) -> list[Outcome]:
            if name not in cache:
                cache[name] = replay(standin, name)
                assert not standin.internal_errors, standin.internal_errors[0]
            return cache[name]

        yield outcomes


@pytest.mark.parametrize(("cassette", "index"), _params())
def test_interaction_matches_google(replayed: Any, cassette: str, index: int) -> None:
    outcome = replayed(cassette)[index]
    if outcome.verdict == "skip":
        pytest.skip(outcome.detail)
    assert outcome.verdict == "pass", f"{outcome.label}: {outcome.detail}"


def test_differences_catches_shape_and_value_changes() -> None:
    """The comparison itself must notice what a conformance failure looks like."""
    google = {"range": "Sheet1!A1:B2", "values": [["a", "1"]], "majorDimension": "ROWS"}
    assert differences(google, dict(google), {}) == []
    assert differences(google, {**google, "values": [["a", 1]]}, {}) == [
        "$.values[0][1]: '1' (str) != 1 (number)"
    ]
    assert differences(google, {"range": "Sheet1!A1:B2", "majorDimension": "ROWS"}, {}) == [
        "$.values: missing"
    ]
    assert differences({"sheetId": 7}, {"sheetId": 9}, {7: 9}) == []


def main() -> None:
    """Print a per-cassette pass/skip/fail table."""
    totals: Counter[str] = Counter()
    with StandIn() as standin:
        for name in _cassette_names():
            counts = Counter(o.verdict for o in replay(standin, name))
            totals.update(counts)
            print(
                f"{name:75} pass {counts['pass']:3}  skip {counts['skip']:3}  fail {counts['fail']:3}"
            )
    print(f"{'total':75} pass {totals['pass']:3}  skip {totals['skip']:3}  fail {totals['fail']:3}")


if __name__ == "__main__":
    main()
