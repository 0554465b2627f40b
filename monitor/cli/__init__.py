"""The command-line interface: one module per command, wired together here.

The commands, options and JSON they print are a public contract (../shared/docs/interface.md): add
options freely, never rename or remove one.  Every command takes `--db`; bad arguments or unreadable input
exit with status 2 and a one-line error, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys

from monitor.cli import check_cmd
from monitor.cli.common import CliError

from monitor.cli import dashboard_cmd  # noqa: E402
from monitor.cli import digest_cmd  # noqa: E402
from monitor.cli import demo_cmd  # noqa: E402
from monitor.cli import crawl_cmd, export_cmd, status_cmd  # noqa: E402

from monitor.cli import schedule_cmd  # noqa: E402
COMMANDS = (check_cmd, dashboard_cmd, digest_cmd, crawl_cmd, status_cmd, export_cmd, schedule_cmd, demo_cmd)


class _Parser(argparse.ArgumentParser):
    """argparse already exits 2 on bad arguments; keep its message to one line."""

    def error(self, message: str) -> None:  # pragma: no cover - exercised through the CLI tests
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m monitor", description="年报哨兵: annual-report monitor.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        return int(args.run(args) or 0)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
