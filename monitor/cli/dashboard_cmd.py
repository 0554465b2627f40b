"""`dashboard --out DIR [--as-of D]`: write the static HTML dashboard (opens from file://)."""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from monitor.cli.common import CliError, add_as_of, add_db, as_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dashboard", help="write the static HTML dashboard into a folder")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write (created; our files are overwritten)")
    add_as_of(p)
    add_db(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from monitor.dashboard import build_dashboard
    from monitor.regions import ConfigError
    from monitor.store import StoreError

    if args.out.exists() and not args.out.is_dir():
        raise CliError(f"--out {args.out} is a file, not a folder")
    with open_existing_store(args.db) as store:
        try:
            result = build_dashboard(store, args.out, as_of(args), progress=lambda m: print(m, file=sys.stderr))
        except OSError as exc:
            raise CliError(f"cannot write the dashboard into {args.out}: {exc.strerror or exc}") from None
        except (StoreError, ConfigError) as exc:
            raise CliError(f"{args.db}: {exc}") from None
    print(f"dashboard: {result.index.resolve().as_uri()}")
    print(f"{result.pages} pages, {result.evidence_files} archived documents"
          f"{f' ({result.evidence_missing} not available)' if result.evidence_missing else ''}, "
          f"{result.bytes / 1024 / 1024:.1f} MB")
    return 0


@contextmanager
def open_existing_store(path: Path):
    """The evidence store at `path` for reading: a missing file is an error (opening would create an
    empty database and report "no data" instead of the typo), and so is a file that is not ours."""
    from monitor.store import Store, StoreError

    if not path.is_file():
        raise CliError(f"no database at {path} (run a crawl first, or pass --db)")
    try:
        store = Store.open(path)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    try:
        yield store
    finally:
        store.close()
