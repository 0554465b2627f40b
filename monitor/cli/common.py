"""Options and helpers shared by every command."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

DEFAULT_DB = Path("data/monitor.db")


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status `exit_code` (2 = bad input)."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


def iso_date(value: str) -> dt.date:
    """argparse type for YYYY-MM-DD (argparse turns the ValueError into an exit-2 message)."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"SQLite database (default {DEFAULT_DB})")


def add_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of", type=iso_date, default=None, metavar="YYYY-MM-DD",
        help="'today' for observing and judging (default: the real date)",
    )


def as_of(args: argparse.Namespace) -> dt.date:
    """The date the command judges on: --as-of, else the real date (read only here, at the edge)."""
    return args.as_of or dt.date.today()
