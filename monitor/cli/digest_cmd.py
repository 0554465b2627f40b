"""`digest --out FILE [--since D] [--as-of D] [--smtp HOST:PORT --to ADDR]`: write (and mail) the digest.

--since defaults to the as-of date of the last digest written for this database (the first digest covers
the week before as-of).  The file is written first; a mail that cannot be delivered is an error (exit 1)
but the digest stays written and remembered.
"""

from __future__ import annotations

import argparse
import re
import smtplib
from pathlib import Path

from monitor.cli.common import CliError, add_as_of, add_db, as_of, iso_date
from monitor.cli.dashboard_cmd import open_existing_store

_SMTP = re.compile(r"^\[?(?P<host>[^\[\]]+?)\]?:(?P<port>\d{1,5})$")


def _smtp(value: str) -> tuple[str, int]:
    match = _SMTP.match(value.strip())
    if not match or not 0 < int(match["port"]) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, e.g. 127.0.0.1:25 (got {value!r})")
    return match["host"], int(match["port"])


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("digest", help="write (and optionally mail) the digest of what changed")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="HTML file to write")
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD",
                   help="start of the period, exclusive (default: the last digest's as-of date)")
    p.add_argument("--smtp", type=_smtp, metavar="HOST:PORT", help="mail the digest through this SMTP server")
    p.add_argument("--to", metavar="ADDR", help="recipient address (with --smtp)")
    p.add_argument("--from", dest="sender", default="nianbao@localhost", metavar="ADDR",
                   help="sender address (default nianbao@localhost)")
    p.add_argument("--region", help="only this region (default: every region)")
    add_as_of(p)
    add_db(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from monitor.digest import build_digest, default_since, record_digest, send
    from monitor.regions import ConfigError
    from monitor.store import StoreError

    if bool(args.smtp) != bool(args.to):
        raise CliError("--smtp and --to go together")
    if args.out.is_dir():
        raise CliError(f"--out {args.out} is a folder; give a file name such as digest.html")
    today = as_of(args)
    with open_existing_store(args.db) as store:
        since, basis = (args.since, "") if args.since else default_since(store, today)
        if since >= today:
            raise CliError(f"--since {since} must be before the as-of date {today}")
        try:
            digest = build_digest(store, since, today, basis, region=args.region)
        except (StoreError, ConfigError) as exc:
            raise CliError(f"{args.db}: {exc}") from None
        try:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(digest.html, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from None
        print(f"digest {since} .. {today}: {args.out.resolve()}")
        mailed = None
        if args.smtp:
            host, port = args.smtp
            try:
                send(digest, host, port, args.sender, args.to)
            except (OSError, smtplib.SMTPException) as exc:
                record_digest(store, digest, args.out)
                raise CliError(f"digest written but not mailed: SMTP {host}:{port}: {exc}", exit_code=1) from None
            mailed = args.to
            print(f"mailed to {args.to} via {host}:{port}")
        record_digest(store, digest, args.out, mailed)
    return 0
