"""Regenerate the README's generated sections (finding codes, CLI reference).

python scripts/docs.py          # rewrite README.md
python scripts/docs.py --check  # exit 1 if README.md is not current (the tests run this)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kspo_sheets.cli import cli  # noqa: E402
from kspo_sheets.codes import CODES  # noqa: E402


def codes_section() -> str:
    lines = ["| code | severity | meaning |", "|---|---|---|"]
    for code, (severity, text) in CODES.items():
        lines.append(f"| `{code}` | {severity.value} | {text} |")
    return "\n".join(lines)


def cli_section() -> str:
    out = []
    # The group's context settings (-h as well as --help) reach every command, as when run.
    ctx = click.Context(
        cli, info_name="kspo", terminal_width=80, max_content_width=80, **cli.context_settings
    )
    out.append("```text\n" + cli.get_help(ctx).rstrip() + "\n```")
    for name in sorted(cli.commands):
        cmd = cli.commands[name]
        sub = click.Context(
            cmd, info_name=name, parent=ctx, terminal_width=80, max_content_width=80
        )
        out.append(f"### kspo {name}\n\n```text\n" + cmd.get_help(sub).rstrip() + "\n```")
    return "\n\n".join(out)


def render(text: str) -> str:
    for name, body in (("codes", codes_section()), ("cli", cli_section())):
        pattern = re.compile(rf"(<!-- {name}-start -->\n).*?(<!-- {name}-end -->)", re.S)
        text = pattern.sub(lambda m, b=body: m.group(1) + b + "\n" + m.group(2), text)
    return text


def main() -> int:
    path = ROOT / "README.md"
    text = path.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in sys.argv:
        if new != text:
            print("README.md is out of date: run python scripts/docs.py", file=sys.stderr)
            return 1
        return 0
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
