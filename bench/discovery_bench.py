"""Benchmark: what discovery costs — pages fetched per report found — on our simulated web and on the practice world.

Exploring by priority (crawlers/frontier.py) follows links whose words we do not know, so it could cost the
sites more requests than the old whitelist walk; this measures it, on a region of every simweb family and
on the three regions of the practice world (../shared/worlds/practice-1, written apart from us), for this
tree and — with --baseline REV — for an earlier revision checked out beside it, in the same run on the same
servers.  Per region: requests the crawl made (the run's `pages`: every response, files included), reports
found that the ground truth knows (simweb's manifest, the practice world's truth.json), recall, browser
renders, and requests per report found.  The ratio of the totals is the figure the goal is stated in
(≤ 1.5× the baseline's on simweb).

    .venv/bin/python bench/discovery_bench.py [--baseline 09281e9] [--families a,b] [--no-practice]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.store import Store  # noqa: E402
from tests.crawl_support import practice as practice_world  # noqa: E402

TODAY = date(2024, 6, 1)
YEARS = (2022, 2023)
PRACTICE = practice_world.WORLD
PRACTICE_DAY = "2024-01-20"


@dataclass
class Result:
    region: str
    pages: int
    rendered: int
    found: int
    expected: int
    seconds: float

    @property
    def per_report(self) -> float:
        return self.pages / self.found if self.found else float("inf")


def crawl(tree: Path, portal: str, db: Path, as_of: str, years: str, hosts: list[str], region: str | None) -> dict:
    """One `python -m monitor crawl` of `tree`'s code; the run's stats (an empty dict when it failed)."""
    cmd = [sys.executable, "-m", "monitor", "crawl", portal, "--as-of", as_of, "--years", years, "--db", str(db),
           "--setting", "AUTOTHROTTLE_ENABLED=False"]
    if region:
        cmd += ["--region", region]
    for host in hosts:
        cmd += ["--allow-host", host]
    proc = subprocess.run(cmd, cwd=tree, capture_output=True, text=True, timeout=1800,
                          env={**os.environ, "PYTHONPATH": str(tree)})
    if proc.returncode != 0:
        print(f"    crawl of {portal} failed: {proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return {}
    with Store.open(db) as store:
        run = store.runs()[-1]
        urls = {u["url"] for rows in store.report_urls(region=run["region"]).values() for u in rows}
        urls |= {d["url"] for d in store.documents()}
    return {**run["stats"], "urls": urls}


def simweb_results(tree: Path, work: Path, families: list[str]) -> list[Result]:
    from simweb.model import build_world
    from simweb.server import SimWeb

    world = build_world(7, len(families), today=TODAY, overrides={i: {"family": f} for i, f in enumerate(families)})
    sim = SimWeb(world, today=TODAY, cache_dir=work / "docs").start()
    try:
        manifest = sim.server.manifest(rules=False)
        out = []
        for region in manifest["regions"]:
            expected = [r for r in region["reports"] if r["visible"] and r["year"] in YEARS]
            hosts = [u.split("//", 1)[1] for u in region["hosts"].values()]
            start = time.perf_counter()
            stats = crawl(tree, region["portal_url"], work / f"{region['id']}.db", TODAY.isoformat(),
                          f"{YEARS[0]}-{YEARS[-1]}", hosts, region["name"])
            found = sum(1 for r in expected if set(r["urls"]) & stats.get("urls", set()))
            out.append(Result(region["family"], stats.get("pages", 0), stats.get("rendered_pages", 0), found,
                              len(expected), time.perf_counter() - start))
        return out
    finally:
        sim.stop()


def practice_results(tree: Path, work: Path) -> list[Result]:
    truth = practice_world.truth()
    with practice_world.served(PRACTICE_DAY, work) as base:
        out = []
        for region in truth["regions"]:
            prefix = region["portal_path"]
            expected = [r for r in truth["reports"] if r["url"].startswith(prefix) and r["year"] in truth["scored_years"]
                        and r["visible_from"] <= PRACTICE_DAY and not (r["removed_on"] and PRACTICE_DAY >= r["removed_on"])]
            start = time.perf_counter()
            # A database per region: reading a crawl's store with this tree's Store migrates it, and the
            # baseline's next crawl would then refuse a database newer than itself.
            db = work / f"practice-{prefix.strip('/')}.db"
            stats = crawl(tree, base + prefix, db, PRACTICE_DAY, "2021-2023", [], None)
            paths = {urlsplit(u).path + (f"?{urlsplit(u).query}" if urlsplit(u).query else "")
                     for u in stats.get("urls", set())}
            found = sum(1 for r in expected if {r["url"], *r["duplicate_urls"], *r["document_urls"]} & paths)
            out.append(Result(region["name"], stats.get("pages", 0), stats.get("rendered_pages", 0), found,
                              len(expected), time.perf_counter() - start))
        return out


def report(name: str, results: list[Result]) -> tuple[int, int, int]:
    print(f"  {name}")
    for r in results:
        print(f"    {r.region:16} {r.pages:5} requests  {r.rendered:3} rendered  {r.found:4}/{r.expected:<4} reports "
              f"({r.found / max(r.expected, 1):6.1%})  {r.per_report:5.2f} requests/report  {r.seconds:5.1f} s")
    pages, found, expected = (sum(getattr(r, k) for r in results) for k in ("pages", "found", "expected"))
    rendered = sum(r.rendered for r in results)
    print(f"    {'total':16} {pages:5} requests  {rendered:3} rendered  {found:4}/{expected:<4} reports "
          f"({found / max(expected, 1):6.1%})  {pages / max(found, 1):5.2f} requests/report  "
          f"browser {rendered / max(pages, 1):.1%} of requests")
    return pages, found, expected


def main() -> None:
    from simweb.families import family_names

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--baseline", metavar="REV", help="also crawl with this git revision's code (checked out beside)")
    p.add_argument("--families", help="comma-separated simweb families (default: every registered one)")
    p.add_argument("--no-practice", action="store_true", help="skip the practice world")
    args = p.parse_args()
    families = args.families.split(",") if args.families else family_names()
    trees = {"this tree": ROOT}
    with tempfile.TemporaryDirectory(prefix="nianbao-discovery-") as tmp:
        work = Path(tmp)
        if args.baseline:
            trees[f"baseline {args.baseline}"] = work / "baseline"
            subprocess.run(["git", "worktree", "add", "--detach", "-q", str(work / "baseline"), args.baseline], cwd=ROOT,
                           check=True)
        # Both trees are scored on the families both know; this tree's newer families are shown apart.
        common = [f for f in families if all((t / "simweb" / "families" / f"{f}.py").exists() for t in trees.values())]
        newer = [f for f in families if f not in common]
        totals: dict[str, dict[str, tuple[int, int, int]]] = {}
        try:
            for name, tree in trees.items():
                print(f"\n{name} ({tree})")
                run_dir = work / name.replace(" ", "_")
                run_dir.mkdir()
                totals[name] = {"simweb": report("simweb", simweb_results(tree, run_dir, common))}
                if newer and tree == ROOT:
                    report("simweb, families the baseline does not have", simweb_results(tree, run_dir, newer))
                if PRACTICE.exists() and not args.no_practice:
                    totals[name]["practice"] = report("practice world", practice_results(tree, run_dir))
        finally:
            if args.baseline:
                subprocess.run(["git", "worktree", "remove", "--force", str(work / "baseline")], cwd=ROOT)
        if args.baseline:
            this, base = totals["this tree"], totals[f"baseline {args.baseline}"]
            print("\nratios, this tree / baseline (requests per report found)")
            for world in this:
                (p1, f1, _), (p0, f0, _) = this[world], base[world]
                ratio = (p1 / max(f1, 1)) / (p0 / max(f0, 1))
                goal = " (goal ≤ 1.5×)" if world == "simweb" else ""
                print(f"  {world:10} {ratio:5.2f}×{goal}   reports found {f1} vs {f0}")
        shutil.rmtree(work / "docs", ignore_errors=True)


if __name__ == "__main__":
    main()
