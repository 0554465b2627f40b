"""`status [--as-of D] [--json] [--region NAME]`: per agency and year, the status on a date and why.

A thin view of monitor.status.judge: the judging is there, this only prints it — a table for people (one
line per agency × year, grouped by region, with the reason in the officials' words) or, with --json, the
list of status objects of interface.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter

from monitor.cli.common import CliError, add_as_of, add_db, as_of
from monitor.cli.dashboard_cmd import open_existing_store

STATUS_LABEL = {"on_time": "按时", "late": "逾期", "missing": "未发布", "pending": "未到期", "unknown": "无法判断"}
NAME_WIDTH = 28


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="per agency and year: published on time, late, missing, pending or unknown")
    p.add_argument("--json", action="store_true", help="print the statuses as a JSON list")
    p.add_argument("--region", help="only this region (default: every region)")
    add_as_of(p)
    add_db(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from monitor.regions import ConfigError
    from monitor.status import judge
    from monitor.store import StoreError

    today = as_of(args)
    with open_existing_store(args.db) as store:
        try:
            statuses = judge(store, today, args.region)
        except (StoreError, ConfigError) as exc:
            raise CliError(f"{args.db}: {exc}") from None
    if args.json:
        json.dump([s.to_json() for s in statuses], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not statuses:
        print(f"as of {today}: nothing known yet (crawl a region first)")
        return 0
    region = None
    for s in statuses:
        if s.region != region:
            region = s.region
            print(f"{region} (as of {today})")
        label = f"{STATUS_LABEL[s.status]} {s.status}"
        print(f"  {_pad(s.agency, NAME_WIDTH)} {s.year}  {_pad(label, 18)} {s.reason}")
    counts = Counter(s.status for s in statuses)
    print(", ".join(f"{status} {counts[status]}" for status in STATUS_LABEL))
    return 0


def _pad(text: str, width: int) -> str:
    """Pad to a display width (CJK characters take two columns in a terminal)."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - shown)
