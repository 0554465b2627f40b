"""Benchmark: what a re-check of an unchanged region costs the site, against the full crawl.

For each family asked for, one simulated region (20 departments, 8 townships, report years 2021–2023, no
faults) is crawled in full with `python -m monitor crawl` (which keeps every page in the re-check cache
beside the database), then re-checked twice on the same simulated day, when nothing changed:

* the weekly full check — the whole site walked again, every page asked for with its validators
  (crawlers/revalidate.py: a 304 costs the site no body);
* the daily listing-first re-check — `crawl --listing-first` (crawlers/recheck_plan.py): only the listing
  pages where a report still awaited (pending, missing) would appear, no report page or file unless a row
  is new or changed.

The cost is read from the simulated sites' own counters (simweb.server.Traffic: requests received, body
bytes sent), i.e. what the government's server paid.  Goal: the re-check ≤ 10 % of the full crawl.  The
re-checks must also leave every status as the full crawl judged it (checked here: nothing changed, so a
cheap re-check that changes an answer is wrong).

With --deadline-month it also measures what the cheap re-check is for: between a full crawl on 2024-01-20
and a listing-first re-check on 2024-02-20 reports appear; how many of them (the manifest's truth) does the
re-check find, against a full crawl the same day?

    .venv/bin/python bench/recheck_bench.py [--family trs --family gkmlpt | --family all] [--seed 7] [--deadline-month]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.status import judge  # noqa: E402
from monitor.store import Store  # noqa: E402
from simweb.families import family_names  # noqa: E402
from simweb.model import build_world  # noqa: E402
from simweb.server import SimWeb  # noqa: E402

TODAY = date(2024, 6, 1)
BEFORE, AFTER = date(2024, 1, 20), date(2024, 2, 20)  # around the departments' deadline (01-31)
GOAL = 0.10


def crawl(region: dict, db: Path, today: date, *extra: str) -> None:
    cmd = [sys.executable, "-m", "monitor", "crawl", region["portal_url"], "--region", region["name"],
           "--years", "2021-2023", "--as-of", today.isoformat(), "--db", str(db),
           "--setting", "AUTOTHROTTLE_ENABLED=False", *extra]
    for url in region["hosts"].values():
        cmd += ["--allow-host", url.split("//", 1)[1]]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"crawl failed: {proc.stderr[-2000:]}")
    print(f"    {proc.stdout.strip()}")


def measured(sim: SimWeb, region: dict, db: Path, *extra: str, today: date = TODAY) -> dict[str, int]:
    before = sim.traffic()
    crawl(region, db, today, *extra)
    after = sim.traffic()
    return {k: after[k] - before[k] for k in after}


def statuses(db: Path) -> dict[tuple[str, int], str]:
    with Store.open(db) as store:
        return {(s.agency, s.year): s.status for s in judge(store, TODAY)}


def found_in_last_run(db: Path) -> set[tuple[str, int]]:
    with Store.open(db) as store:
        last = store.runs()[-1]["id"]
        return {(o["agency"], o["year"]) for o in store.observations() if o["run_id"] == last and o["outcome"] == "found"}


def deadline_month(sim: SimWeb, folder: Path) -> None:
    """What the cheap re-check is for: reports appear between two looks around the deadline.  Crawled in
    full on BEFORE; on AFTER a listing-first re-check, then a full crawl: how many of the reports that
    appeared in between (the manifest's truth) each one found, and at what cost."""
    db = folder / "deadline.db"
    sim.set_today(BEFORE)
    region = sim.manifest(rules=False)["regions"][0]
    full = measured(sim, region, db, today=BEFORE)
    sim.set_today(AFTER)
    truth = sim.manifest(rules=False)["regions"][0]
    appeared = {(r["agency"], r["year"]) for r in truth["reports"]
                if r["visible"] and r["appears_on"] and BEFORE < date.fromisoformat(r["appears_on"]) <= AFTER}
    daily = measured(sim, region, db, "--listing-first", today=AFTER)
    daily_found = found_in_last_run(db) & appeared
    weekly = measured(sim, region, db, today=AFTER)
    weekly_found = found_in_last_run(db) & appeared
    sim.set_today(TODAY)
    print(f"    deadline month {BEFORE} → {AFTER}: {len(appeared)} reports appeared; listing-first re-check found "
          f"{len(daily_found)} ({daily['requests']} requests), a full crawl {len(weekly_found)} "
          f"({weekly['requests']} requests; the first crawl took {full['requests']})")


def bench_family(family: str, args: argparse.Namespace) -> list[bool]:
    world = build_world(args.seed, 1, today=TODAY, families=[family], years=[2021, 2022, 2023],
                        overrides={0: {"departments": args.departments, "townships": args.townships, "faults": {}}})
    with tempfile.TemporaryDirectory(prefix="recheck-bench-") as tmp, SimWeb(world, today=TODAY) as sim:
        region = sim.manifest(rules=False)["regions"][0]
        db = Path(tmp) / "monitor.db"
        print(f"{family}: region {region['name']} ({len(region['agencies'])} agencies, "
              f"{sum(r['visible'] for r in region['reports'])} reports online)")
        full = measured(sim, region, db)
        judged = [statuses(db)]
        weekly = measured(sim, region, db)
        judged.append(statuses(db))
        daily = measured(sim, region, db, "--listing-first")
        judged.append(statuses(db))
        if args.deadline_month:
            deadline_month(sim, Path(tmp))
    same = judged[0] == judged[1] == judged[2]
    print(f"    statuses of {len(judged[0])} agency-years after each run: {'the same' if same else 'DIFFERENT'}")
    results = [same]
    for name, again in (("weekly full check (conditional GETs)", weekly), ("daily listing-first re-check", daily)):
        for key in ("requests", "bytes"):
            ratio = again[key] / full[key] if full[key] else float("nan")
            met = ratio <= GOAL
            if name.startswith("daily"):
                results.append(met)
            print(f"    {name:37s} {key:8s} {again[key]:>10,} of {full[key]:>10,}  ratio {ratio:7.2%}"
                  + (f"  (goal ≤ {GOAL:.0%}: {'met' if met else 'NOT met'})" if name.startswith("daily") else ""))
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--family", action="append", help="a simweb family (repeatable), or 'all' (default: trs)")
    ap.add_argument("--departments", type=int, default=20)
    ap.add_argument("--townships", type=int, default=8)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--deadline-month", action="store_true",
                    help=f"also measure what a listing-first re-check finds of the reports that appear {BEFORE} → {AFTER}")
    args = ap.parse_args()
    families = args.family or ["trs"]
    if "all" in families:
        families = family_names()
    unknown = [f for f in families if f not in family_names()]
    if unknown:
        ap.error(f"unknown family {unknown[0]!r}; known: {', '.join(family_names())}")
    outcomes = {family: bench_family(family, args) for family in families}
    print("summary: " + ", ".join(f"{f} {'met' if all(ok) else 'NOT met'}" for f, ok in outcomes.items()))
    return 0 if all(all(ok) for ok in outcomes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
