"""Command line: parses options, calls one library function, maps KspoError to exit codes."""

from __future__ import annotations

import click


@click.group()
def cli() -> None:
    """kspo-sheets: validate the Pracharat registers, write status back, build meeting packs."""
