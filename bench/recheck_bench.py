"""Benchmark: what a re-check of an unchanged region costs the site, against the full crawl.

One simulated region (default: a TRS site with 20 departments, 8 townships, report years 2021–2023, no
faults) is crawled with `python -m monitor crawl` and the re-check cache (crawlers/revalidate.py), then
crawled again on the same simulated day (nothing changed).  The cost is read from the simulated sites'
own counters (simweb.server.Traffic: requests received, body bytes sent), i.e. what the government's
server paid.  Goal: the re-check ≤ 10 % of the full crawl.

    .venv/bin/python bench/recheck_bench.py [--family trs] [--departments 20] [--townships 8] [--seed 7]
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

from simweb.model import build_world  # noqa: E402
from simweb.server import SimWeb  # noqa: E402

TODAY = date(2024, 6, 1)
GOAL = 0.10


def crawl(region: dict, db: Path, cache: Path) -> None:
    cmd = [sys.executable, "-m", "monitor", "crawl", region["portal_url"], "--region", region["name"],
           "--years", "2021-2023", "--as-of", TODAY.isoformat(), "--db", str(db),
           "--setting", f"NIANBAO_RECHECK_CACHE_DIR={cache}", "--setting", "AUTOTHROTTLE_ENABLED=False"]
    for url in region["hosts"].values():
        cmd += ["--allow-host", url.split("//", 1)[1]]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"crawl failed: {proc.stderr[-2000:]}")
    print(f"  {proc.stdout.strip()}")


def measured(sim: SimWeb, region: dict, db: Path, cache: Path) -> dict[str, int]:
    before = sim.traffic()
    crawl(region, db, cache)
    after = sim.traffic()
    return {k: after[k] - before[k] for k in after}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--family", default="trs")
    ap.add_argument("--departments", type=int, default=20)
    ap.add_argument("--townships", type=int, default=8)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    world = build_world(args.seed, 1, today=TODAY, families=[args.family], years=[2021, 2022, 2023],
                        overrides={0: {"departments": args.departments, "townships": args.townships, "faults": {}}})
    with tempfile.TemporaryDirectory(prefix="recheck-bench-") as tmp, SimWeb(world, today=TODAY) as sim:
        region = sim.manifest(rules=False)["regions"][0]
        db, cache = Path(tmp) / "monitor.db", Path(tmp) / "httpcache" / region["id"]
        print(f"region {region['name']} ({args.family}, {len(region['agencies'])} agencies, "
              f"{sum(r['visible'] for r in region['reports'])} reports online)")
        full = measured(sim, region, db, cache)
        again = measured(sim, region, db, cache)
    ok = True
    for key in ("requests", "bytes"):
        ratio = again[key] / full[key] if full[key] else float("nan")
        met = ratio <= GOAL
        ok &= met
        print(f"{key:9s} full crawl {full[key]:>10,}  unchanged re-check {again[key]:>10,}  "
              f"ratio {ratio:7.2%}  (goal ≤ {GOAL:.0%}: {'met' if met else 'NOT met'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
