"""Benchmark: our crawl against a naive sequential crawler, on a slow simulated web.

A 20-region world (every family, dealt round-robin) is served in a child process with a realistic delay on
every response (default 100–500 ms, like county servers).  Every report page and file is fetched once
first, so both crawlers meet a warm server (the generator's rendering cost is not counted for either).

* Ours: `python -m monitor crawl` per region, production settings (AutoThrottle, robots.txt, retries, WARC,
  checking every document, the store), several regions at once as a deployment shards them
  (--parallel, default 4).  Figures: pages/s and reports/s over the whole run, the share of pages that
  needed a browser, peak memory (RSS of a crawl's process tree, browser included, and of all crawls at
  once), and the same rates per region for the static-family regions.
* Naive: `requests` + BeautifulSoup, one page at a time, breadth-first over every same-host <a href>,
  on the regions of the static families (where plain link following reaches the reports: Hanweb classic,
  gkmlpt, VSB, matrix), counting pages whose <title> reads like an annual report.

    .venv/bin/python bench/crawl_bench.py [--regions 20] [--delay-ms 100-500] [--parallel 4] [--naive-regions 2]

Prints the figures and the ratios (goal: ours ≥ 5× the naive crawler; browser share ≤ 10 %).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import psutil  # noqa: E402
import requests  # noqa: E402
from bs4 import BeautifulSoup  # noqa: E402

from monitor.store import Store  # noqa: E402

TODAY = date(2024, 6, 1)
STATIC_FAMILIES = ("hanweb_classic", "gkmlpt", "vsb", "matrix")
REPORT_TITLE = re.compile(r"(?:19|20)\d{2}.*(?:政府信息公开|政务公开).*(?:年度报告|年报)")


def serve(args: argparse.Namespace, conn) -> None:
    """The simulated web, in its own process (one event loop, as in real use)."""
    from simweb.model import build_world
    from simweb.server import SimServer

    lo, hi = (int(x) for x in args.delay_ms.split("-"))

    async def main() -> None:
        world = build_world(args.seed, args.regions, today=TODAY, scale=args.scale, years=range(2022, 2024))
        server = SimServer(world, today=TODAY, delay_ms=(lo, hi), cache_dir=Path(args.cache_dir))
        await server.start()
        conn.send(server.manifest(rules=False))
        await asyncio.Event().wait()

    asyncio.run(main())


async def warm(urls: list[str], concurrency: int = 64) -> None:
    queue = list(urls)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:

        async def worker() -> None:
            while queue:
                url = queue.pop()
                try:
                    async with session.get(url) as resp:
                        await resp.read()
                except aiohttp.ClientError:
                    pass

        await asyncio.gather(*(worker() for _ in range(concurrency)))


@dataclass
class Crawl:
    region: dict
    seconds: float
    pages: int
    rendered: int
    reports: int
    peak_rss: int
    returncode: int


class MemoryWatch:
    """Peak RSS of each crawl's process tree (python + a browser if it started one) and of all of them."""

    def __init__(self) -> None:
        self.procs: dict[int, psutil.Process] = {}
        self.peak: dict[int, int] = {}
        self.peak_total = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def watch(self, pid: int) -> None:
        self.procs[pid] = psutil.Process(pid)
        self.peak[pid] = 0

    def forget(self, pid: int) -> None:
        self.procs.pop(pid, None)

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            total = 0
            for pid, proc in list(self.procs.items()):
                try:
                    tree = [proc, *proc.children(recursive=True)]
                    rss = sum(p.memory_info().rss for p in tree if p.is_running())
                except psutil.Error:
                    continue
                self.peak[pid] = max(self.peak[pid], rss)
                total += rss
            self.peak_total = max(self.peak_total, total)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def our_crawl(region: dict, db: Path, watch: MemoryWatch) -> Crawl:
    cmd = [sys.executable, "-m", "monitor", "crawl", region["portal_url"], "--region", region["name"],
           "--years", "2022-2023", "--as-of", TODAY.isoformat(), "--db", str(db)]
    for url in region["hosts"].values():
        cmd += ["--allow-host", url.split("//", 1)[1]]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watch.watch(proc.pid)
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    watch.forget(proc.pid)
    pages = rendered = reports = 0
    if proc.returncode == 0:
        with Store.open(db) as store:
            run = [r for r in store.runs(region["name"])][-1]
            stats = run["stats"]
            pages, rendered, reports = stats.get("pages", 0), stats.get("rendered_pages", 0), stats.get("reports_found", 0)
    else:
        print(f"  {region['id']} {region['family']}: crawl failed: {err.strip().splitlines()[-1:]}", file=sys.stderr)
    return Crawl(region, seconds, pages, rendered, reports, watch.peak.get(proc.pid, 0), proc.returncode)


def expected_reports(region: dict) -> int:
    return sum(1 for r in region["reports"] if r["visible"])


def naive_crawl(portal: str) -> tuple[int, int, set[str], float]:
    """requests + BeautifulSoup, breadth-first, one page at a time.

    Returns (pages, pages whose title reads like an annual report, URLs fetched, seconds)."""
    host = urlsplit(portal).netloc
    seen, queue = {portal}, deque([portal])
    fetched: set[str] = set()
    pages = reports = 0
    session = requests.Session()
    start = time.perf_counter()
    while queue:
        url = queue.popleft()
        try:
            resp = session.get(url, timeout=30)
        except requests.RequestException:
            continue
        pages += 1
        fetched.add(url)
        if "html" not in resp.headers.get("Content-Type", ""):
            continue
        soup = BeautifulSoup(resp.content, "html.parser")
        if soup.title and REPORT_TITLE.search(soup.title.get_text()):
            reports += 1
        for a in soup.find_all("a", href=True):
            link = urljoin(url, a["href"]).split("#", 1)[0]
            if link.startswith("http") and urlsplit(link).netloc == host and link not in seen:
                seen.add(link)
                queue.append(link)
    return pages, reports, fetched, time.perf_counter() - start


def reports_reached(region: dict, urls: set[str]) -> int:
    """Distinct real reports (the manifest's) one of whose pages is among `urls`."""
    return sum(1 for r in region["reports"] if r["visible"] and urls & set(r["urls"]))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--regions", type=int, default=20)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--scale", default="demo")
    p.add_argument("--delay-ms", default="100-500")
    p.add_argument("--parallel", type=int, default=4, help="region crawls at once (ours)")
    p.add_argument("--naive-regions", type=int, default=2, help="static-family regions the naive crawler walks")
    p.add_argument("--cache-dir", default=str(Path(tempfile.gettempdir()) / "nianbao-bench-docs"))
    args = p.parse_args()

    parent, child = mp.Pipe()
    server = mp.get_context("spawn").Process(target=serve, args=(args, child), daemon=True)
    server.start()
    try:
        manifest = parent.recv()
        regions = [r for r in manifest["regions"] if not r["blocked"]]
        n_reports = sum(1 for r in regions for e in r["reports"] if e["visible"])
        print(f"world: {len(manifest['regions'])} regions ({len(regions)} reachable), {n_reports} visible reports, "
              f"delay {args.delay_ms} ms per response")
        urls = [u for r in regions for e in r["reports"] if e["visible"] for u in [*e["urls"], *e["attachment_urls"]]]
        t = time.perf_counter()
        asyncio.run(warm(urls))
        print(f"warm-up: {len(urls)} report URLs fetched once in {time.perf_counter() - t:.0f} s")

        with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp, MemoryWatch() as watch:
            db = Path(tmp) / "data" / "monitor.db"
            Store.open(db).close()  # created and migrated once, before the crawls share it
            start = time.perf_counter()
            with ThreadPoolExecutor(args.parallel) as pool:
                crawls = list(pool.map(lambda r: our_crawl(r, db, watch), regions))
            wall = time.perf_counter() - start
        pages = sum(c.pages for c in crawls)
        reports = sum(c.reports for c in crawls)
        rendered = sum(c.rendered for c in crawls)
        print(f"\nours: {len(crawls)} regions, {args.parallel} at a time: {pages} pages, {reports} reports in {wall:.0f} s")
        for c in crawls:
            print(f"  {c.region['id']} {c.region['family']:15} {c.pages:5} pages {c.reports:4}/{expected_reports(c.region):<4}"
                  f" reports {c.seconds:6.1f} s  {c.pages / c.seconds:5.1f} pages/s  peak {c.peak_rss / 2**20:6.0f} MiB")
        print(f"  reports found: {reports} of {sum(expected_reports(c.region) for c in crawls)} in the manifest")
        ours_pps, ours_rps = pages / wall, reports / wall
        static = [c for c in crawls if c.region["family"] in STATIC_FAMILIES]
        per_region_pps = sum(c.pages for c in static) / sum(c.seconds for c in static)
        per_region_rps = sum(c.reports for c in static) / sum(c.seconds for c in static)

        naive_regions = [c.region for c in static][: args.naive_regions]
        n_pages = n_reached = 0
        n_seconds = 0.0
        for region in naive_regions:
            pg, looks_like, fetched, sec = naive_crawl(region["portal_url"])
            reached = reports_reached(region, fetched)
            print(f"naive: {region['id']} {region['family']:15} {pg:5} pages {reached:4}/{expected_reports(region):<4} "
                  f"reports reached ({looks_like} report-like pages, twins and 解读 included) {sec:6.1f} s")
            n_pages, n_reached, n_seconds = n_pages + pg, n_reached + reached, n_seconds + sec
        naive_pps, naive_rps = n_pages / n_seconds, n_reached / n_seconds

        print("\nfigures")
        print(f"  ours, whole run ({args.parallel} regions at a time): {ours_pps:6.2f} pages/s  {ours_rps:6.2f} reports/s")
        print(f"  ours, one region crawl (static families):   {per_region_pps:6.2f} pages/s  {per_region_rps:6.2f} reports/s")
        print(f"  naive sequential (static families):          {naive_pps:6.2f} pages/s  {naive_rps:6.2f} reports/s")
        print(f"  ratio, whole run vs naive:   {ours_pps / naive_pps:5.1f}× pages/s  {ours_rps / naive_rps:5.1f}× reports/s "
              f"(goal ≥ 5×)")
        print(f"  ratio, one region vs naive:  {per_region_pps / naive_pps:5.1f}× pages/s  "
              f"{per_region_rps / naive_rps:5.1f}× reports/s")
        print(f"  pages needing a browser: {rendered}/{pages} = {rendered / max(pages, 1):.1%} (goal ≤ 10%)")
        print(f"  peak memory: one crawl {max(c.peak_rss for c in crawls) / 2**20:.0f} MiB (process tree), "
              f"all crawls at once {watch.peak_total / 2**20:.0f} MiB")
        failed = [c.region["id"] for c in crawls if c.returncode != 0]
        if failed:
            print(f"  crawls that failed: {', '.join(failed)}")
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
