"""`kspo doctor`: one line per check, each with the fix when it fails."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kspo_sheets.checks.headers import find_header
from kspo_sheets.config.province import Config, load_config
from kspo_sheets.errors import EXIT_OK, KspoError, RemoteError
from kspo_sheets.model import Snapshot
from kspo_sheets.stores.base import MARKER
from kspo_sheets.stores.google.http import RetryPolicy, api_root, is_google, retry_budget
from kspo_sheets.stores.sources import google_key, open_store, resolve_source

DOCTOR_BUDGET = 4.0  # seconds of retries before doctor says Google cannot be reached


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    exit_code: int = EXIT_OK

    def line(self) -> str:
        mark = "✓" if self.ok else "✗"
        out = f"{mark} {self.name}: {self.detail}"
        if not self.ok and self.fix:
            out += f"\n    → {self.fix}"
        return out


def _fail(name: str, exc: KspoError) -> Check:
    return Check(name, False, exc.message, exc.hint or "", exc.exit_code)


def run_checks(
    config_path: Path | None, source: str | None, credentials: str | None
) -> list[Check]:
    """Config, credentials, access, layout and lock, stopping where a later check cannot run."""
    checks: list[Check] = []
    try:
        config = load_config(config_path)
    except KspoError as exc:
        return [_fail("config", exc)]
    checks.append(
        Check(
            "config",
            True,
            f"{config.path} (province {config.province_code} {config.province_name_th}, "
            f"{len(config.registers)} registers, {len(config.indicators)} indicators)",
        )
    )
    try:
        src = resolve_source(source, config)
    except KspoError as exc:
        return [*checks, _fail("source", exc)]
    key = google_key(src)
    creds_path = credentials or config.credentials
    if key is not None:
        try:
            checks.append(_credentials_check(creds_path))
        except KspoError as exc:  # KSPO_SHEETS_API_ROOT that is no URL
            return [*checks, _fail("credentials", exc)]
        if not checks[-1].ok:
            return checks
    try:
        store = open_store(src, config, credentials=creds_path, policy=_doctor_policy())
        snapshot = store.read()
    except RemoteError as exc:
        return [*checks, _unreachable(exc)]
    except KspoError as exc:
        return [*checks, _fail("access", exc)]
    checks.append(Check("access", True, f"read {store.description}: {len(snapshot.tabs)} tabs"))
    checks.extend(_layout_checks(config, snapshot))
    try:
        with store.lock():
            pass
        checks.append(Check("lock", True, "no other run holds the lock"))
    except KspoError as exc:
        checks.append(_fail("lock", exc))
    return checks


def _doctor_policy() -> RetryPolicy:
    """Doctor answers in seconds: a short retry budget of its own (never more than
    KSPO_RETRY_BUDGET), where a sync keeps trying for two minutes."""
    return RetryPolicy(base=0.25, cap=1.0, budget=min(DOCTOR_BUDGET, retry_budget()), timeout=5.0)


def _unreachable(exc: RemoteError) -> Check:
    root = api_root()
    where = "Google" if is_google(root) else root
    return Check(
        "access",
        False,
        f"cannot reach {where}: {exc.message}",
        "Check this machine's network (and proxy), then run kspo doctor again.",
        exc.exit_code,
    )


def _credentials_check(path: str | None) -> Check:
    """The credentials file is checked whatever the API root; it is sent only to Google's."""
    from kspo_sheets.stores.google.credentials import read_credentials_file, usable_at

    root = api_root()
    if not is_google(root) and not path:
        return Check(
            "credentials", True, f"API root {root} is not Google's: anonymous credentials are used"
        )
    if not path:
        return Check(
            "credentials",
            False,
            "no service-account key given",
            "Pass --credentials KEY.json, set GOOGLE_APPLICATION_CREDENTIALS, or source.credentials in the config.",
            7,
        )
    try:
        info, who = read_credentials_file(Path(path))
    except KspoError as exc:
        return _fail("credentials", exc)
    if who.is_service_account:
        detail = f"{path} is a private service-account key for {who.email} (share the spreadsheet with this e-mail as Editor)"
    else:
        email = (
            who.email or "an account whose e-mail it does not record (kspo auth login records it)"
        )
        grants = ", ".join(s.rsplit("/", 1)[-1] for s in who.scopes) or "unknown scopes"
        detail = f"{path} is a private sign-in (kspo auth login) for Google account {email}; it allows {grants}"
    if not is_google(root) and not usable_at(info, root, False):
        detail += f"; API root {root} is not Google's, so anonymous credentials are used"
    return Check("credentials", True, detail)


def _layout_checks(config: Config, snapshot: Snapshot) -> list[Check]:
    from kspo_sheets.checks.validate import find_tab

    out = []
    for spec in config.registers.values():
        tab = find_tab(snapshot, spec.tab)
        name = f"register {spec.tab}"
        if tab is None:
            out.append(
                Check(
                    name,
                    False,
                    "tab not found",
                    f"Add the tab, or map it: overrides.{spec.key}.tab in the config (kspo init adds missing tabs).",
                    3,
                )
            )
            continue
        match = find_header(tab.rows, spec)
        if match is None:
            out.append(
                Check(
                    name,
                    False,
                    "no header row found",
                    f"Put the headers in one row (for example '{spec.columns[0].header}').",
                    3,
                )
            )
            continue
        missing = [spec.column(k).header for k in match.missing]
        rows = sum(1 for r in tab.rows[match.row + 1 :] if any(v not in (None, "") for v in r))
        if missing:
            out.append(
                Check(
                    name,
                    False,
                    f"header row {match.row + 1}; missing columns: {', '.join(missing)}",
                    "Add the columns or fix the header text (or map renamed headers: overrides.<register>.headers).",
                    3,
                )
            )
        else:
            out.append(Check(name, True, f"header row {match.row + 1}, {rows} rows"))
    for key, title in [*config.owned_tabs.items(), ("packs", config.packs_tab)]:
        tab = snapshot.tabs.get(title)
        name = f"status tab {title}"
        if tab is None:
            first = "kspo pack to Google Drive" if key == "packs" else "sync"
            out.append(Check(name, True, f"not there yet; the first {first} creates it"))
        elif (
            tab.rows
            and tab.rows[0]
            and isinstance(tab.rows[0][0], str)
            and MARKER in tab.rows[0][0]
        ):
            out.append(Check(name, True, "made by kspo-sheets"))
        else:
            out.append(
                Check(
                    name,
                    False,
                    "a tab with this name exists but was not made by kspo-sheets",
                    f"Rename that tab, or map the tool's tab elsewhere: owned_tabs.{key} in the config.",
                    4,
                )
            )
    return out
