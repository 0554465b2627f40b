"""`export --format json|csv [--as-of D] [--out FILE] [--region NAME]`: everything known, as data.

A thin wrapper over monitor.export (the schema is interface.md's).  JSON goes to --out or to stdout; CSV
is one file per table, so it needs --out naming a folder.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from monitor.cli.common import CliError, add_as_of, add_db, as_of
from monitor.cli.dashboard_cmd import open_existing_store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="everything known (agencies, reports, statuses, findings) as JSON or CSV")
    p.add_argument("--format", choices=("json", "csv"), default="json", help="json (default) or csv")
    p.add_argument("--out", type=Path, metavar="FILE",
                   help="JSON: the file to write (default: stdout); CSV: the folder to write one file per table into")
    p.add_argument("--region", help="only this region (default: every region)")
    add_as_of(p)
    add_db(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from monitor.export import export, write_export
    from monitor.regions import ConfigError
    from monitor.store import StoreError

    if args.format == "csv" and args.out is None:
        raise CliError("CSV export writes one file per table: give --out FOLDER")
    if args.out is not None:
        if args.format == "json" and args.out.is_dir():
            raise CliError(f"--out {args.out} is a folder; give a file name such as export.json")
        if args.format == "csv" and args.out.exists() and not args.out.is_dir():
            raise CliError(f"--out {args.out} is a file; CSV export needs a folder")
    today = as_of(args)
    with open_existing_store(args.db) as store:
        try:
            if args.out is None:
                sys.stdout.write(export(store, today, "json", args.region)["export.json"])
                return 0
            paths = write_export(store, today, args.format, args.out, args.region)
        except (StoreError, ConfigError) as exc:
            raise CliError(f"{args.db}: {exc}") from None
        except OSError as exc:
            raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"wrote {', '.join(str(p) for p in paths)}", file=sys.stderr)
    return 0
