"""`crawl URL [--region NAME] [--years 2021-2023] [--as-of D] [--jobdir DIR] [--listing-first]`: crawl one region now.

The domain core never imports Scrapy (a crawl is a separate process: Twisted's reactor cannot restart,
and a crashed crawl must not take the caller with it), so this runs `python -m scrapy crawl reports` from
the project root, where scrapy.cfg points at settings.py, passing the arguments as spider arguments.
While it runs, the crawl's progress lines are shown on stderr; afterwards one summary line is read from
the store (not from the crawl's log), so it says what was really recorded.

Re-checks are cheap by default: every page is kept in a per-region cache beside the database
(`<db folder>/httpcache/<region>`, crawlers/revalidate.py) and asked for again with its validators, so an
unchanged page costs the site a 304.  `--listing-first` goes further (crawlers/recheck_plan.py): it reads only
the listing pages the last full crawl recorded and fetches documents only for new or changed rows — the
scheduler's daily re-check; its weekly full check walks the whole site.

Exit status: 0 when the run finished (findings or not), 1 when it failed or was interrupted (with
--jobdir it can be resumed by running the same command again), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from monitor.cli.common import CliError, add_as_of, add_db, as_of
from monitor.portals import default_region_name

if TYPE_CHECKING:
    from monitor.store import Store

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SPIDER = "reports"
_PROGRESS = re.compile(r"\[nianbao\.progress\] INFO: progress (?P<fields>.*)$")
_PROBLEM = re.compile(r"\] (ERROR|CRITICAL): |Traceback|Error: ")
_SETTING = re.compile(r"^[A-Z][A-Z0-9_]*=.*$")
CACHE_SETTING = "NIANBAO_RECHECK_CACHE_DIR"  # crawlers.revalidate.SETTING (the domain core imports no Scrapy code)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("crawl", help="crawl one region's portal now: find, fetch, archive, check, store")
    p.add_argument("url", metavar="URL", help="the region's portal, e.g. http://www.example.gov.cn/")
    p.add_argument("--region", help="the region's name (default: the region already stored for this portal, "
                                    "else the portal's host and path prefix)")
    p.add_argument("--years", metavar="YYYY[-YYYY]", help="report years to look for (default: the three latest)")
    p.add_argument("--jobdir", type=Path, metavar="DIR",
                   help="keep the crawl's state here so an interrupted crawl (Ctrl-C, kill) resumes when rerun")
    p.add_argument("--allow-host", action="append", default=[], metavar="HOST[:PORT]",
                   help="another host of the region (repeatable; needed for private or loopback addresses)")
    p.add_argument("--ignore-robots", action="store_true", help="do not obey robots.txt (it is obeyed by default)")
    p.add_argument("--listing-first", action="store_true",
                   help="re-check: read only the listing pages the last full crawl recorded, fetch documents only "
                        "for new or changed rows (a full crawl when there is none)")
    p.add_argument("--no-recheck-cache", action="store_true",
                   help="do not keep pages in the per-region cache beside the database (re-checks then download "
                        "everything again)")
    p.add_argument("--setting", "-s", action="append", default=[], metavar="NAME=VALUE",
                   help="a Scrapy setting for this crawl (advanced; repeatable)")
    add_as_of(p)
    add_db(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from monitor.regions import ConfigError, parse_years
    from monitor.store import Store, StoreError

    url = args.url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CliError(f"not a web address (http:// or https://): {url!r}")
    today = as_of(args)
    try:
        years = parse_years(args.years, "--years").through(today) if args.years else default_years(today)
    except ConfigError as exc:
        raise CliError(str(exc)) from None
    years = [y for y in years if y <= today.year]
    if not years:
        raise CliError(f"--years {args.years}: no report year up to {today}")
    bad = [s for s in args.setting if not _SETTING.match(s)]
    if bad:
        raise CliError(f"--setting must look like NAME=VALUE (got {bad[0]!r})")
    if args.db.exists() and not args.db.is_file():
        raise CliError(f"--db {args.db} is not a file")
    try:
        with Store.open(args.db) as store:  # create or migrate now: a bad --db is an argument error
            region = args.region or region_of(store, url)
    except StoreError as exc:
        raise CliError(str(exc)) from None
    if args.jobdir is not None and args.jobdir.exists() and not args.jobdir.is_dir():
        raise CliError(f"--jobdir {args.jobdir} is not a folder")

    with tempfile.TemporaryDirectory(prefix="nianbao-crawl-") as tmp:
        info_file = Path(tmp) / "run.json"
        command = scrapy_command(url, args, years, today, info_file, region)
        code, problems = _run_showing_progress(command, verbose=getattr(args, "verbose", False))
        if not info_file.exists():
            detail = re.sub(r"^[\w.]+Error: ", "", problems[-1]) if problems else f"scrapy exited with status {code}"
            raise CliError(f"the crawl did not start: {detail}", exit_code=1)
        info = json.loads(info_file.read_text(encoding="utf-8"))
    try:
        with Store.open(args.db) as store:
            run_row = store.run(int(info["run_id"]))
    except StoreError as exc:
        raise CliError(f"the crawl ran but its run cannot be read back: {exc}", exit_code=1) from None
    print(summary_line(run_row))
    if run_row["state"] == "finished":
        return 0
    for line in problems[-5:]:
        print(line, file=sys.stderr)
    return 1


def default_years(today: dt.date) -> list[int]:
    return list(range(today.year - 3, today.year))


def region_of(store: "Store", url: str) -> str:
    """The region a portal URL is (monitor.portals): the stored region with this portal, else a new name."""
    known = store.region_of_portal(url)
    return known["name"] if known else default_region_name(url)


def scrapy_command(url: str, args: argparse.Namespace, years: list[int], today: dt.date, info_file: Path,
                   region: str) -> list[str]:
    years_text = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    spider_args = {"start_url": url, "years": years_text, "as_of": today.isoformat(), "db": str(args.db.resolve()),
                   "region": region}
    if args.allow_host:
        spider_args["hosts"] = ",".join(h.strip() for h in args.allow_host)
    if args.listing_first:
        spider_args["mode"] = "listing"
    settings = {"NIANBAO_RUN_INFO": str(info_file), "LOG_LEVEL": "INFO"}
    if not args.no_recheck_cache:
        settings[CACHE_SETTING] = str(recheck_cache_dir(args.db, region))
    if args.jobdir is not None:
        settings["JOBDIR"] = str(args.jobdir.resolve())
    if args.ignore_robots:
        settings["ROBOTSTXT_OBEY"] = "False"
    command = [sys.executable, "-m", "scrapy", "crawl", SPIDER]
    for key, value in spider_args.items():
        command += ["-a", f"{key}={value}"]
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    for setting in args.setting:
        command += ["-s", setting]
    return command


def recheck_cache_dir(db: Path, region: str) -> Path:
    """The region's re-check cache: beside the database, one folder per region (a file-system-safe name)."""
    safe = re.sub(r'[/\\:*?"<>|\s]+', "_", region).strip("._") or "region"
    return db.resolve().parent / "httpcache" / safe


def _run_showing_progress(command: list[str], verbose: bool) -> tuple[int, list[str]]:
    """Run the crawl; show its progress lines (all log lines with -v); keep the last problems seen."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    problems: deque[str] = deque(maxlen=20)
    proc = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", errors="replace")
    assert proc.stderr is not None
    try:
        for line in proc.stderr:
            line = line.rstrip("\n")
            if verbose:
                print(line, file=sys.stderr)
            match = _PROGRESS.search(line)
            if match and not verbose:
                print(f"crawling: {_progress_text(match['fields'])}", file=sys.stderr)
            elif _PROBLEM.search(line):
                problems.append(line)
        return proc.wait(), list(problems)
    except KeyboardInterrupt:
        # The crawl got the same SIGINT and shuts down gracefully (its state stays in --jobdir).
        print("interrupted: waiting for the crawl to stop cleanly …", file=sys.stderr)
        return proc.wait(), list(problems)


def _progress_text(fields: str) -> str:
    values = dict(part.split("=", 1) for part in fields.split() if "=" in part)
    return (f"{values.get('pages', '?')} pages, {values.get('reports', '?')} reports, "
            f"{values.get('agencies', '?')} agencies, {values.get('failures', '?')} failures, "
            f"{values.get('elapsed', '?')}")


def summary_line(run: dict) -> str:
    stats = run.get("stats") or {}
    flags = f"; flags: {', '.join(run['flags'])}" if run.get("flags") else ""
    state = {"finished": "finished", "failed": f"failed ({run.get('error')})",
             "running": "interrupted (run the same command again to resume)"}.get(run["state"], run["state"])
    return (f"crawl {run['region']} as of {run['as_of']}: {stats.get('reports_found', 0)} reports found, "
            f"{stats.get('agencies_seen', 0)} agencies, {stats.get('fetch_failures', 0)} failed fetches, "
            f"run {run['id']} {state}{flags}")
