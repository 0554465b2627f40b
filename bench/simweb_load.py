"""Benchmark: can the simulated web outrun a crawler at benchmark scale?

Builds the benchmark world (default 50 regions × 60 agencies × 5 years, families dealt round-robin),
serves it in a child process (one event loop, as in real use), and drives it from this process with
an aiohttp client at a fixed concurrency:

* list pages — page 1 of every 年报 column (the family's own list mechanism: TRS static pages,
  Hanweb datastore pages, JPaaS gateway JSON, …);
* report pages, cold — every visible report page once (the generator renders each body);
* report pages, warm — the same pages again (bodies cached).

    .venv/bin/python bench/simweb_load.py [--regions 50] [--scale bench] [--concurrency 32] [--limit 4000]

Prints requests/s and latency percentiles per phase.  The server process is one core; the client gets
the other.

Measured on the 2-core build machine (shared, load average 4–6 from other jobs), all eight families,
concurrency 32: world built in 1.9 s; list pages 1,482 req/s (p95 40 ms); report pages cold 331 req/s
(each body rendered by the generator, p95 223 ms), warm 1,959 req/s (p95 32 ms); no errors.  A
crawler that also parses and checks each report (a few hundred reports/s per core) is the bottleneck,
not the server.  Attachments are not in these figures: DOC/WPS go through LibreOffice (~1 s each,
cached on disk by the generator and by the server's cache_dir).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp  # noqa: E402

TODAY = date(2024, 6, 1)


def serve(args: argparse.Namespace, conn) -> None:
    from simweb.model import build_world
    from simweb.server import SimServer

    async def main() -> None:
        t0 = time.perf_counter()
        world = build_world(args.seed, args.regions, today=TODAY, scale=args.scale, families=args.families or None)
        built = time.perf_counter() - t0
        server = SimServer(world)
        await server.start()
        t1 = time.perf_counter()
        manifest = server.manifest(rules=False)
        conn.send({"build_s": built, "manifest_s": time.perf_counter() - t1, "manifest": manifest,
                   "agencies": sum(len(r.agencies) for r in world.regions),
                   "reports": sum(len(r.reports) for r in world.regions)})
        await asyncio.Event().wait()

    asyncio.run(main())


async def drive(urls: list[str], concurrency: int) -> tuple[float, list[float], int]:
    latencies: list[float] = []
    errors = 0
    queue = list(reversed(urls))
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal errors
            while queue:
                url = queue.pop()
                t = time.perf_counter()
                async with session.get(url) as resp:
                    await resp.read()
                    if resp.status != 200:
                        errors += 1
                latencies.append(time.perf_counter() - t)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - start, latencies, errors


def report(name: str, elapsed: float, latencies: list[float], errors: int) -> None:
    q = statistics.quantiles(latencies, n=100)
    print(f"{name:<24} {len(latencies):>6} req  {len(latencies) / elapsed:>8.0f} req/s  "
          f"p50 {q[49] * 1000:6.1f} ms  p95 {q[94] * 1000:6.1f} ms  errors {errors}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--regions", type=int, default=50)
    p.add_argument("--scale", default="bench")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--families", nargs="*")
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--limit", type=int, default=4000, help="max requests per phase")
    args = p.parse_args()

    parent, child = mp.Pipe()
    proc = mp.get_context("spawn").Process(target=serve, args=(args, child), daemon=True)
    proc.start()
    try:
        info = parent.recv()
        manifest = info["manifest"]
        print(f"world: {len(manifest['regions'])} regions, {info['agencies']} agencies, {info['reports']} reports; "
              f"built in {info['build_s']:.1f} s, manifest in {info['manifest_s']:.1f} s "
              f"({len(json.dumps(manifest, ensure_ascii=False)) / 1e6:.1f} MB)")
        lists = [c["url"] for r in manifest["regions"] if not r["blocked"] for c in r["columns"]][: args.limit]
        pages = [e["canonical_url"] for r in manifest["regions"] if not r["blocked"]
                 for e in r["reports"] if e.get("visible") and e["doc_form"] == "html"][: args.limit]
        report("list pages", *asyncio.run(drive(lists, args.concurrency)))
        report("report pages (cold)", *asyncio.run(drive(pages, args.concurrency)))
        report("report pages (warm)", *asyncio.run(drive(pages, args.concurrency)))
    finally:
        proc.terminate()
        proc.join()


if __name__ == "__main__":
    main()
