"""Command line: parses options, calls one library function, maps KspoError to exit codes.

Only this module imports click.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import functools
import logging
import math
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from kspo_sheets import __version__
from kspo_sheets.config.limits import MEETING_NUMBER_MAX, MEETING_PLACE_MAX
from kspo_sheets.errors import EXIT_CONFIG, EXIT_FINDINGS, EXIT_OK, KspoError
from kspo_sheets.logs import counted

F = TypeVar("F", bound=Callable[..., Any])

SEVERITY_CHOICES = ("error", "warning", "notice")


# Run and meeting dates the date rules can work with (a year either side of a date is
# still a date); the programme began in BE 2559.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2399, 12, 31)
MAX_TIMEOUT = 7 * 24 * 3600  # a week


def parse_as_of(text: str | None, option: str = "--as-of") -> dt.date:
    """--as-of: ISO (2019-09-10) or any Buddhist-Era form the registers accept (10/09/2562)."""
    if not text:
        return dt.date.today()
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        from kspo_sheets.thai.dates import parse_date

        parsed, issue = parse_date(text)
        if parsed is None or (issue is not None and issue.severity.value == "error"):
            raise click.BadParameter(
                f"{_shown(text)} is not a date; use 2019-09-10 or 10/09/2562", param_hint=option
            ) from None
        if issue is not None and issue.code == "date.ce_year":
            # Day/month/year dates are Buddhist Era here, as in the registers: a CE year is a
            # slip that would shift the fiscal year and every date rule; refused, not guessed.
            be = text.replace(str(parsed.year), str(parsed.year + 543))
            raise click.BadParameter(
                f"{_shown(text)} has a Christian-Era year; write {_shown(be)} (Buddhist Era)"
                f" or {parsed.isoformat()}",
                param_hint=option,
            ) from None
        value = parsed
    if not EARLIEST <= value <= LATEST:
        raise click.BadParameter(
            f"{_shown(text)} is out of range; give a date between {EARLIEST.year} and"
            f" {LATEST.year} (BE {EARLIEST.year + 543}-{LATEST.year + 543}), e.g. 2019-09-10"
            " or 10/09/2562",
            param_hint=option,
        )
    return value


def _shown(text: str, limit: int = 60) -> str:
    """An operator's value in a message: quoted, and cut short when it is long."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


class Seconds(click.FloatRange):
    """A number of seconds from 1 to a week; NaN is no number of seconds."""

    name = "seconds"

    def __init__(self) -> None:
        super().__init__(min=1, max=MAX_TIMEOUT)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        seconds = super().convert(value, param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{value!r} is not a number of seconds.", param, ctx)
        return seconds


class FilePath(click.Path):
    """click.Path that refuses, as a usage error, what no file can be called: a name with a
    NUL character, or one longer than the system allows."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = os.fsdecode(value) if isinstance(value, bytes) else str(value)
        if "\x00" in text:
            self.fail("a file name cannot contain a NUL character.", param, ctx)
        try:
            os.stat(text)
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                self.fail(f"{_shown(text)} is too long for a file name here.", param, ctx)
        return super().convert(value, param, ctx)


def short_text(limit: int) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    """A click callback refusing a text option longer than `limit` characters."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None and len(value) > limit:
            raise click.BadParameter(
                f"{_shown(value)} is {len(value):,} characters long; at most {limit} are allowed."
            )
        return value

    return check


def handle_errors(fn: F) -> F:
    """Turn library errors into a message and the documented exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KspoError as exc:
            from kspo_sheets.logs import event

            event(
                "error",
                exc.message,
                logging.ERROR,
                exit_code=exc.exit_code,
                kind=exc.__class__.__name__,
                hint=exc.hint,
            )
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def config_options(fn: F) -> F:
    fn = click.option(
        "--config",
        "config_path",
        type=FilePath(dir_okay=False, path_type=Path),
        default=None,
        help="Province config YAML. Default: $KSPO_CONFIG, else configs/phuket.yaml.",
    )(fn)
    return fn


credentials_option = click.option(
    "--credentials",
    type=FilePath(dir_okay=False),
    default=None,
    envvar="GOOGLE_APPLICATION_CREDENTIALS",
    help="Google credentials: a service-account key, or the file kspo auth login wrote (or"
    " GOOGLE_APPLICATION_CREDENTIALS).",
)


def source_options(fn: F) -> F:
    fn = click.option(
        "--source",
        default=None,
        help="Workbook path (.xlsx), or a Google spreadsheet URL or key. Default: the config's source.",
    )(fn)
    fn = credentials_option(fn)
    fn = click.option(
        "--as-of",
        "as_of",
        default=None,
        help="Run date for date rules and the fiscal year: 2019-09-10 or 10/09/2562. Default: today.",
    )(fn)
    return fn


def run_options(fn: F, log_help: str = "Append run events to this file (text lines).") -> F:
    """Options every unattended command shares."""
    fn = click.option(
        "--log-file",
        type=FilePath(dir_okay=False, path_type=Path),
        default=None,
        help=log_help,
    )(fn)
    fn = click.option(
        "--timeout",
        type=Seconds(),
        default=None,
        help="Whole-run time budget in seconds; past it the run stops with exit 6, nothing half-written.",
    )(fn)
    return fn


@contextlib.contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise RunTimeout in the main thread once `seconds` have passed."""
    if not seconds:
        yield
        return
    from kspo_sheets.errors import RunTimeout

    def expire(signum: int, frame: object) -> None:
        raise RunTimeout(
            f"The run took longer than --timeout {seconds:g} s and was stopped.",
            hint="Nothing was half-written (writes are atomic). Raise --timeout or look at what was slow with -v.",
        )

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


class Progress:
    """Stage messages on stderr at a terminal; silent under cron (no TTY) unless verbose."""

    def __init__(self, verbose: bool = False, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.verbose = verbose

    def __call__(self, message: str) -> None:
        from kspo_sheets.logs import event

        event("stage", message)
        if self.enabled or self.verbose:
            click.echo(f"· {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kspo")
def cli() -> None:
    """kspo-sheets: validate the Pracharat registers, write status back, build meeting packs.

    Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or config error,
    3 source unreadable, 4 write refused, 5 locked by another run, 6 Google API gave up
    or --timeout expired, 7 credentials problem.
    """


@cli.command()
@config_options
@source_options
@click.option(
    "--lang",
    type=click.Choice(["th", "en"]),
    default="th",
    show_default=True,
    help="Language of the report.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table for people, json or csv for programs.",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITY_CHOICES),
    default="error",
    show_default=True,
    help="Exit 1 when a finding of this severity or worse exists.",
)
@click.option(
    "--bom/--no-bom",
    default=True,
    show_default=True,
    help="Begin --format csv with a UTF-8 byte-order mark, so Excel on a Thai Windows desktop"
    " reads the Thai text as UTF-8 (--no-bom for programs that do not expect one).",
)
@click.option("-v", "--verbose", is_flag=True, help="Say what is being done on stderr.")
@run_options
@handle_errors
def validate(
    config_path: Path | None,
    source: str | None,
    credentials: str | None,
    as_of: str | None,
    lang: str,
    fmt: str,
    fail_on: str,
    bom: bool,
    verbose: bool,
    log_file: Path | None,
    timeout: float | None,
) -> None:
    """Read every register, check each row, and report the findings (writes nothing)."""
    from kspo_sheets.checks.report import format_csv, format_json, format_table
    from kspo_sheets.config.province import load_config
    from kspo_sheets.logs import event, setup
    from kspo_sheets.pipeline import run_validation
    from kspo_sheets.stores.sources import open_store

    setup(log_file=log_file, json_lines=False)
    progress = Progress(verbose)
    config = load_config(config_path)
    date = parse_as_of(as_of)
    with time_budget(timeout):
        store = open_store(source, config, credentials=credentials, timeout=timeout)
        say_credentials(store, progress)
        result, _ = run_validation(config, source, as_of=date, progress=progress, store=store)
    event("done", "validated", counts=result.counts())
    if fmt == "json":
        click.echo(format_json(result, config))
    elif fmt == "csv":
        click.echo(format_csv(result, bom=bom), nl=False)
    else:
        click.echo(format_table(result, config, lang))
    sys.exit(exit_for(result.findings, fail_on))


def say_credentials(store: Any, progress: Progress) -> None:
    """Which Google credentials a command uses (at a terminal, with -v, and in the log)."""
    who = getattr(store, "who", None)
    if who is not None:
        line = who()
        if line:
            progress(f"using {line}")


def exit_for(findings: list[Any], fail_on: str) -> int:
    from kspo_sheets.model import Severity

    level = Severity(fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank >= level for f in findings) else EXIT_OK


@cli.command()
@config_options
@source_options
@click.option(
    "--dry-run",
    is_flag=True,
    help="Read, validate and compute, print what would change, write nothing.",
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITY_CHOICES),
    default=None,
    help="Also exit 1 when a finding of this severity or worse exists (default: exit 0 once written).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print run events as JSON lines on stdout; the last line is the summary.",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Print the summary and stages even when not at a terminal.",
)
@functools.partial(
    run_options, log_help="Append run events to this file (text lines; JSON lines with --json)."
)
@handle_errors
def sync(
    config_path: Path | None,
    source: str | None,
    credentials: str | None,
    as_of: str | None,
    dry_run: bool,
    fail_on: str | None,
    as_json: bool,
    verbose: bool,
    log_file: Path | None,
    timeout: float | None,
) -> None:
    """Validate, compute progress, and write status tabs, highlights and history back.

    Staff values are never changed. Quiet on success under cron; -v for a summary.
    """
    from kspo_sheets.config.indicators import columns_read, has_target
    from kspo_sheets.config.province import load_config
    from kspo_sheets.logs import event, setup
    from kspo_sheets.pipeline import run_sync
    from kspo_sheets.progress.wording import as_json as indicator_json
    from kspo_sheets.stores.sources import open_store

    setup(log_file=log_file, json_lines=as_json)
    progress = Progress(verbose and not as_json, enabled=False if as_json else None)
    config = load_config(config_path)
    date = parse_as_of(as_of)
    with time_budget(timeout):
        store = open_store(source, config, credentials=credentials, timeout=timeout)
        say_credentials(store, progress)
        outcome = run_sync(
            config, source, as_of=date, dry_run=dry_run, progress=progress, store=store
        )
    counts = outcome.result.counts()
    report = outcome.report
    figures = outcome.progress.indicators
    # "N of M achieved" is out of the figures that have a target to reach.
    targeted = {ind["id"] for ind in config.indicators if has_target(ind)}
    achieved = sum(1 for r in figures if r.status == "achieved")
    with_target = sum(1 for r in figures if r.id in targeted)
    reads = {ind["id"]: columns_read(ind, config.registers) for ind in config.indicators}
    event(
        "done",
        "dry run: nothing written" if dry_run else f"wrote {report.sidecar or report.target}",
        target=report.target,
        dry_run=dry_run,
        written=report.changed,
        sidecar=report.sidecar,
        backup=report.backup,
        counts=counts,
        indicators_achieved=achieved,
        indicators_with_target=with_target,
        indicators=[indicator_json(r, r.id in targeted, reads.get(r.id)) for r in figures],
        details=report.details,
    )
    if not as_json and (dry_run or verbose or sys.stdout.isatty()):
        head = "Dry run: nothing written. Would write" if dry_run else "Wrote"
        click.echo(f"{head} {report.sidecar or report.target}")
        for line in report.details:
            click.echo(f"  - {line}")
        click.echo(
            f"  findings: {counted(counts['error'], 'error')}, {counted(counts['warning'], 'warning')},"
            f" {counted(counts['notice'], 'notice')}"
        )
        line = f"  indicators: {achieved} of {with_target} with a target achieved"
        if len(figures) > with_target:
            line += f" ({len(figures) - with_target} more without a target)"
        partial = sum(1 for r in figures if r.excluded_rows)
        if partial:
            line += (
                f"; {partial} leave out rows with errors in the values they read"
                " (the progress tab says which and why)"
            )
        click.echo(line)
        if not dry_run:
            tabs = ", ".join(t.title for t in outcome.plan.owned)
            click.echo(f"Look at the tabs {tabs} in {report.sidecar or report.target}.")
    sys.exit(exit_for(outcome.result.findings, fail_on) if fail_on else EXIT_OK)


@cli.command()
@config_options
@click.option(
    "--source",
    default=None,
    help="Google spreadsheet URL or key to provision (share it with the service account first).",
)
@click.option(
    "--xlsx",
    "xlsx",
    type=FilePath(dir_okay=False, path_type=Path),
    default=None,
    help="Create or complete a local workbook instead.",
)
@credentials_option
@handle_errors
def init(
    config_path: Path | None, source: str | None, xlsx: Path | None, credentials: str | None
) -> None:
    """Lay out the registers: tabs, headers, frozen rows, dropdowns, protected status tabs.

    Only missing tabs are added; running it again changes nothing.
    """
    from kspo_sheets.commands.init import check_target, init_google, init_xlsx
    from kspo_sheets.config.province import load_config
    from kspo_sheets.config.tab_names import check_workbook_tab_names
    from kspo_sheets.errors import ConfigError
    from kspo_sheets.stores.sources import google_key, workbook_path

    config = load_config(config_path)
    if xlsx is not None:
        check_target(workbook_path(str(xlsx), "--xlsx"))
        check_workbook_tab_names({k: spec.tab for k, spec in config.registers.items()}, config.path)
        added, notes = init_xlsx(config, xlsx)
        for note in notes:
            click.echo(f"Note: {note}")
        target = str(xlsx)
    else:
        key = google_key(source or config.source_google or "")
        if key is None:
            raise ConfigError(
                "kspo init needs --xlsx PATH or a Google spreadsheet (--source URL or source.google in the config)",
                hint="Create an empty spreadsheet, share it with the service account, and pass its URL.",
            )
        from kspo_sheets.stores.google.store import GoogleStore

        store = GoogleStore(key, credentials=credentials or config.credentials)
        click.echo(f"Using {store.who()}")
        added = init_google(config, store)
        target = f"Google spreadsheet {key}"
    if added:
        click.echo(f"Added {counted(len(added), 'tab')} to {target}: {', '.join(added)}")
    else:
        click.echo(f"{target} already has every tab; nothing changed.")


@cli.command()
@config_options
@click.option(
    "--source",
    default=None,
    help="Workbook path or Google spreadsheet URL/key. Default: the config's source.",
)
@credentials_option
def doctor(config_path: Path | None, source: str | None, credentials: str | None) -> None:
    """Check config, credentials, access to the source, registers, status tabs and the lock.

    One line per check, with the fix when it fails; exits with the first failure's code.
    """
    from kspo_sheets.commands.doctor import run_checks

    checks = run_checks(config_path, source, credentials)
    for c in checks:
        click.echo(c.line())
    failed = [c for c in checks if not c.ok]
    if failed:
        click.echo(f"{len(failed)} of {len(checks)} checks failed.")
        sys.exit(failed[0].exit_code)
    click.echo(f"All {len(checks)} checks passed.")


@cli.command()
@click.option(
    "--out",
    type=FilePath(dir_okay=False, path_type=Path),
    default=Path("sample/kspo-phuket-sample.xlsx"),
    show_default=True,
    help="Where to write the sample workbook.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option(
    "--seed",
    type=int,
    default=2562,
    show_default=True,
    help="Random seed (same seed, same workbook).",
)
@handle_errors
def demo(out: Path, force: bool, seed: int) -> None:
    """Write a realistic sample workbook for Phuket, with known mistakes planted in it."""
    from kspo_sheets.commands.sample import build_sample
    from kspo_sheets.errors import WriteError

    if out.exists() and not force:
        click.echo(f"{out} exists; keeping it (use --force to write it again).", err=True)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        planted = build_sample(out, seed=seed)
    except OSError as exc:
        raise WriteError(
            f"Cannot write {out}: {exc.strerror or exc}",
            hint="Choose a file in a folder you can write to with --out.",
        ) from None
    click.echo(f"Wrote {out} with {len(planted)} planted mistakes.")
    click.echo(f"Next: kspo validate --source {out} --as-of 2019-09-10")


@cli.command()
@config_options
@source_options
@click.option(
    "--meeting",
    "meeting_number",
    default=None,
    callback=short_text(MEETING_NUMBER_MAX),
    help="Meeting number, e.g. 4/2562. Default: the config's meeting.number.",
)
@click.option(
    "--date",
    "meeting_date",
    default=None,
    help="Meeting date: 2019-09-10 or 10/09/2562. Default: the config's meeting.date.",
)
@click.option(
    "--place",
    default=None,
    callback=short_text(MEETING_PLACE_MAX),
    help="Meeting place. Default: the config's meeting.place.",
)
@click.option(
    "--out-dir",
    type=FilePath(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the pack. Default: the config's meeting.output_dir (packs).",
)
@click.option(
    "--include-personal",
    is_flag=True,
    help="Show national IDs, phones and personal names unmasked; every sheet is marked confidential.",
)
@click.option("--force", is_flag=True, help="Replace an existing pack of the same name.")
@click.option("--pdf", is_flag=True, help="Also write a PDF beside the pack (needs LibreOffice).")
@click.option(
    "--upload/--no-upload",
    default=None,
    help="Google source: put the pack in Google Drive and list it in the spreadsheet's packs"
    " tab. Default: the config's drive.upload (on).",
)
@click.option(
    "--days-before",
    type=click.IntRange(min=0),
    default=None,
    help="Do nothing (exit 0) unless the meeting is this many days after --as-of (today):"
    " for a daily cron line that builds the pack the morning before.",
)
@click.option("-v", "--verbose", is_flag=True, help="Say what is being done on stderr.")
@run_options
@handle_errors
def pack(
    config_path: Path | None,
    source: str | None,
    credentials: str | None,
    as_of: str | None,
    meeting_number: str | None,
    meeting_date: str | None,
    place: str | None,
    out_dir: Path | None,
    include_personal: bool,
    force: bool,
    pdf: bool,
    upload: bool | None,
    days_before: int | None,
    verbose: bool,
    log_file: Path | None,
    timeout: float | None,
) -> None:
    """Build the printable meeting pack (.xlsx, and .pdf with --pdf) for a committee meeting.

    Sheets follow the agenda: cover, summary and charts, target products, the safe-food
    network, honours, and a data-quality appendix. Personal data are masked unless
    --include-personal. Writes nothing to the registers. From a Google spreadsheet the pack
    goes to Google Drive (re-running for the same meeting and data date updates the same
    file) and is listed, with links, in the spreadsheet's packs tab.
    """
    from kspo_sheets.config.province import load_config
    from kspo_sheets.logs import setup

    setup(log_file=log_file, json_lines=False)
    progress = Progress(verbose)
    config = load_config(config_path)
    run_date = parse_as_of(as_of)
    when = parse_as_of(meeting_date, "--date") if meeting_date else None
    if days_before is not None:
        from kspo_sheets.pack.build import meeting_from_config

        day = meeting_from_config(config, meeting_number, when, place).date
        if day is None:
            raise click.UsageError(
                "--days-before needs the meeting's date: --date, or meeting.date in the config."
            )
        if (day - run_date).days != days_before:
            progress(
                f"the meeting on {day.isoformat()} is not {days_before} day(s) away: nothing to do"
            )
            return
    with time_budget(timeout):
        _pack(
            config,
            source,
            credentials,
            run_date,
            when,
            meeting_number,
            place,
            out_dir,
            include_personal,
            force,
            pdf,
            upload,
            progress,
            timeout,
        )


def _pack(
    config: Any,
    source: str | None,
    credentials: str | None,
    run_date: dt.date,
    when: dt.date | None,
    meeting_number: str | None,
    place: str | None,
    out_dir: Path | None,
    include_personal: bool,
    force: bool,
    pdf: bool,
    upload: bool | None,
    progress: Progress,
    timeout: float | None,
) -> None:
    from kspo_sheets.pack.build import build_pack, convert_pdf
    from kspo_sheets.pipeline import run_validation
    from kspo_sheets.progress.indicators import compute
    from kspo_sheets.stores.sources import google_key, open_store, resolve_source

    if include_personal:
        click.echo(
            "Warning: --include-personal writes national IDs, phone numbers and personal names"
            " unmasked (PDPA). The pack is marked ลับ (CONFIDENTIAL): keep it inside the committee.",
            err=True,
        )
    src = resolve_source(source, config)
    google = google_key(src) is not None
    if upload and not google:
        raise click.UsageError(
            "--upload needs a Google spreadsheet as --source; a workbook's pack is written to"
            " --out-dir (meeting.output_dir)."
        )
    to_drive = google and (upload if upload is not None else config.drive_upload)
    scopes = None
    if to_drive:
        from kspo_sheets.stores.google.credentials import SHEETS_SCOPE, drive_scope

        scopes = (SHEETS_SCOPE, drive_scope(config.drive_access))
    store = open_store(src, config, credentials=credentials, scopes=scopes, timeout=timeout)
    say_credentials(store, progress)
    result, snapshot = run_validation(config, src, as_of=run_date, progress=progress, store=store)
    if to_drive:
        from kspo_sheets.commands.publish import check_packs_tab

        check_packs_tab(config, snapshot)  # before anything is built or uploaded
    progress("computing progress")
    prog = compute(config, result)
    with contextlib.ExitStack() as stack:
        folder = out_dir
        if to_drive and out_dir is None:
            # Drive is where the pack goes: no copy is left on this machine's disk.
            import tempfile

            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kspo-pack-")))
        progress("writing the meeting pack")
        path = build_pack(
            config,
            result,
            prog,
            out_dir=folder,
            meeting_number=meeting_number,
            meeting_date=when,
            place=place,
            include_personal=include_personal,
            overwrite=force,
        )
        files = {"xlsx": path}
        keep = not to_drive or out_dir is not None
        if keep:
            click.echo(f"Wrote {path}")
        if pdf:
            progress("converting to PDF with LibreOffice")
            files["pdf"] = convert_pdf(path)
            if keep:
                click.echo(f"Wrote {files['pdf']}")
        if to_drive:
            _publish(
                config,
                store,
                snapshot,
                files,
                result.as_of,
                when,
                meeting_number,
                place,
                include_personal,
                progress,
            )


def _publish(
    config: Any,
    store: Any,
    snapshot: Any,
    files: dict[str, Path],
    as_of: dt.date,
    when: dt.date | None,
    meeting_number: str | None,
    place: str | None,
    include_personal: bool,
    progress: Progress,
) -> None:
    from kspo_sheets.commands.publish import publish_pack
    from kspo_sheets.pack.build import meeting_from_config

    meeting = meeting_from_config(config, meeting_number, when, place)
    done = publish_pack(
        config,
        store,
        snapshot,
        files,
        meeting=meeting,
        as_of=as_of,
        include_personal=include_personal,
        say=progress,
    )
    if done.made_folder:
        click.echo(
            f"Made the folder '{done.folder.name}' in Google Drive: {done.folder.link}"
            " (share it with the committee once; files in it follow)."
        )
    for f, replaced in done.uploads:
        how = "a new revision of the same file, same link" if replaced else "a new file"
        click.echo(f"Uploaded {f.name} to Google Drive ({how}): {f.link}")
    click.echo(
        f"Listed {done.listed} pack(s) in the tab {done.tab} of {store.description}"
        f" (as {store.who()})."
    )


@cli.group()
def auth() -> None:
    """Sign in to Google as a person, for offices without a service account."""


@auth.command("login")
@click.option(
    "--client-secrets",
    type=FilePath(dir_okay=False, path_type=Path),
    envvar="KSPO_OAUTH_CLIENT",
    default=None,
    help="The OAuth client's JSON (a 'Desktop app' client from the Google Cloud console; or"
    " KSPO_OAUTH_CLIENT). Default: the client of the sign-in already at --out.",
)
@click.option(
    "--out",
    type=FilePath(dir_okay=False, path_type=Path),
    default=None,
    help="Where to save the sign-in, readable by you only. Default:"
    " ~/.config/kspo-sheets/authorized_user.json.",
)
@click.option(
    "--no-browser",
    is_flag=True,
    help="For a server without a browser: print the address to open on any computer, then"
    " paste back the address the browser was sent to.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Loopback port Google sends the browser back to (0: any free one; fix it to tunnel"
    " with ssh -L PORT:127.0.0.1:PORT).",
)
@config_options
@handle_errors
def auth_login(
    client_secrets: Path | None,
    out: Path | None,
    no_browser: bool,
    port: int,
    config_path: Path | None,
) -> None:
    """Sign in once with a Google account and save it for --credentials (and cron).

    Asks for Google Sheets and for Drive files kspo-sheets makes (drive.file), or all of
    Drive when the config says drive.access: full.
    """
    from kspo_sheets.config.province import load_config
    from kspo_sheets.stores.google.credentials import SHEETS_SCOPE, drive_scope, scope_name
    from kspo_sheets.stores.google.oauth_login import default_credentials_path, login

    config = load_config(config_path)
    target = out or default_credentials_path()
    scopes = [SHEETS_SCOPE, drive_scope(config.drive_access)]
    click.echo(f"Asking Google for: {', '.join(scope_name(s) for s in scopes)}.")
    who = login(
        client_secrets,
        target,
        scopes,
        open_browser=not no_browser,
        port=port,
        say=click.echo,
        read_line=(lambda: input("> ")) if no_browser else None,
    )
    click.echo(f"Signed in as {who.email or 'the Google account above'}.")
    click.echo(f"Saved {target} (readable by you only). Use it as --credentials {target}")
    click.echo(f"or: export GOOGLE_APPLICATION_CREDENTIALS={target}")


@cli.command()
@click.option(
    "--port",
    type=int,
    default=8765,
    show_default=True,
    help="Loopback port to listen on (0: any free port).",
)
@click.option(
    "--load",
    "workbooks",
    multiple=True,
    type=FilePath(exists=True, dir_okay=False, path_type=Path),
    help="Workbook(s) to load as spreadsheets, cells as staff typed them (repeatable).",
)
@handle_errors
def standin(port: int, workbooks: tuple[Path, ...]) -> None:
    """Serve the project's local stand-in for the Google Sheets API, for trying Google mode.

    No Google account needed: point the tool at it with KSPO_SHEETS_API_ROOT and use the
    printed key as --source. Data lives in memory until Ctrl-C.
    """
    import time

    from kspo_sheets.standin import StandIn
    from kspo_sheets.stores.xlsx.store import read_workbook

    server = StandIn("127.0.0.1", port)
    keys = []
    for path in workbooks:
        snap = read_workbook(path)
        sheets = {
            t.title: [
                [
                    {"userEnteredValue": {"stringValue": v}} if isinstance(v, str) else _plain(v)
                    for v in row
                ]
                for row in t.rows
            ]
            for t in snap.tabs.values()
        }
        keys.append((path, server.state.create_spreadsheet(path.stem, sheets)))
    try:
        server.start()
    except OSError as exc:
        from kspo_sheets.errors import ConfigError

        raise ConfigError(
            f"Cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}",
            hint="Another program (perhaps another stand-in) uses that port: pass --port with"
            " another number, or --port 0 for any free one.",
        ) from None
    click.echo(f"Sheets API stand-in listening on {server.url}")
    for path, key in keys:
        click.echo(f"  {path} -> spreadsheet key {key}")
    if keys:
        click.echo(
            f"Try: KSPO_SHEETS_API_ROOT={server.url} kspo sync --source {keys[0][1]} --as-of 2019-09-10 -v"
        )
    click.echo("Ctrl-C to stop.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def _plain(value: Any) -> Any:
    """A workbook cell for the stand-in: formulas keep their text, dates stay dates."""
    from kspo_sheets.model import CellError, Formula

    if isinstance(value, Formula):
        return value.text
    if isinstance(value, CellError):
        return value.code
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def main() -> None:  # pragma: no cover
    try:
        cli(prog_name="kspo")
    except KeyboardInterrupt:
        sys.exit(EXIT_CONFIG)
