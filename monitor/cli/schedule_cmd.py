"""`schedule [--config FILE] [--db PATH]`: run the scheduler in the foreground (monitor.scheduler).

Exit status: 0 when stopped (Ctrl-C, SIGTERM, or the end of a simulation), 2 for bad arguments, an
unreadable region file or database, or when another scheduler already runs on the same job store.
"""

from __future__ import annotations

import argparse
import shlex
from datetime import datetime
from pathlib import Path

from monitor.cli.common import CliError, add_db
from monitor.cli.digest_cmd import _smtp

DEFAULT_CONFIG = Path("regions.yaml")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("schedule", help="run the scheduler in the foreground (re-checks, weekly check, digest)")
    p.add_argument("--config", type=Path, default=DEFAULT_CONFIG, metavar="FILE",
                   help=f"region file (YAML, see monitor/regions.py; default {DEFAULT_CONFIG})")
    p.add_argument("--jobs", type=Path, metavar="PATH",
                   help="SQLite job store (default: scheduler.db beside --db); one scheduler per job store")
    p.add_argument("--digest-dir", type=Path, metavar="DIR",
                   help="where the Monday digest is written (default: digests/ beside --db)")
    p.add_argument("--smtp", type=_smtp, metavar="HOST:PORT", help="mail each digest through this SMTP server")
    p.add_argument("--to", metavar="ADDR", help="digest recipient (with --smtp)")
    p.add_argument("--crawl-option", action="append", default=[], metavar="ARG",
                   help="an extra argument for every crawl, e.g. --crawl-option=--ignore-robots (repeatable)")
    p.add_argument("--crawl-timeout", type=float, default=6 * 3600, metavar="SECONDS",
                   help="stop a crawl that runs longer than this (default 6 hours)")
    p.add_argument("--monitor-command", metavar="CMD",
                   help="the command run for each crawl and digest (default: this Python with -m monitor)")
    p.add_argument("--simulate-from", type=_instant, metavar="YYYY-MM-DDTHH:MM[+08:00]",
                   help="run on a simulated clock from this instant (Beijing time unless an offset is given), "
                        "jumping straight to each next job; for demos and tests")
    p.add_argument("--simulate-until", type=_instant, metavar="YYYY-MM-DDTHH:MM[+08:00]",
                   help="with --simulate-from: stop when the simulated clock would pass this instant")
    add_db(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from monitor.regions import ConfigError, load_regions
    from monitor.scheduler import clock as clocks
    from monitor.scheduler.runner import AlreadyRunning, JobStoreError, Options
    from monitor.scheduler.runner import run as run_scheduler
    from monitor.store import Store, StoreError

    if bool(args.smtp) != bool(args.to):
        raise CliError("--smtp and --to go together")
    if args.simulate_until is not None and args.simulate_from is None:
        raise CliError("--simulate-until needs --simulate-from")
    if args.simulate_from is not None and args.simulate_until is not None and args.simulate_until <= args.simulate_from:
        raise CliError("--simulate-until must be after --simulate-from")
    if args.crawl_timeout <= 0:
        raise CliError("--crawl-timeout must be positive")
    try:
        command = tuple(shlex.split(args.monitor_command)) if args.monitor_command else None
    except ValueError as exc:
        raise CliError(f"--monitor-command: {exc}") from None
    if command == ():
        raise CliError("--monitor-command is empty")
    try:
        regions = load_regions(args.config)
    except ConfigError as exc:
        raise CliError(str(exc)) from None
    jobs = args.jobs or args.db.parent / "scheduler.db"
    if jobs.resolve() == args.db.resolve():
        raise CliError("--jobs must be a file of its own, not the --db database")
    if jobs.exists() and not jobs.is_file():
        raise CliError(f"--jobs {jobs} is not a file")
    try:
        Store.open(args.db).close()  # create or migrate now: a bad --db is an argument error
    except StoreError as exc:
        raise CliError(str(exc)) from None

    options = Options(config=args.config, db=args.db, jobs=jobs, digest_dir=args.digest_dir or args.db.parent / "digests",
                      crawl_options=tuple(args.crawl_option), crawl_timeout=args.crawl_timeout,
                      smtp=f"{args.smtp[0]}:{args.smtp[1]}" if args.smtp else None, to=args.to,
                      **({"command": command} if command else {}))
    clock = clocks.SimulatedClock(args.simulate_from) if args.simulate_from else clocks.SystemClock()

    def ready(scheduler) -> None:
        mode = f"simulated clock from {args.simulate_from.isoformat()}" if args.simulate_from else "real clock"
        print(f"scheduler running ({mode}): {len(regions)} regions from {args.config}, job store {jobs}", flush=True)
        for job in sorted(scheduler.get_jobs(), key=lambda j: j.id):
            print(f"  {job.id}: next run {job.next_run_time.isoformat() if job.next_run_time else 'none'}", flush=True)

    try:
        run_scheduler(options, clock, until=args.simulate_until, on_ready=ready)
    except (AlreadyRunning, JobStoreError) as exc:
        raise CliError(str(exc)) from None
    print("scheduler stopped", flush=True)
    return 0


def _instant(value: str) -> datetime:
    """argparse type: an ISO 8601 instant; without an offset it is Beijing time."""
    from monitor.scheduler.clock import TZ

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date-time (YYYY-MM-DDTHH:MM[+08:00]): {value!r}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=TZ)
