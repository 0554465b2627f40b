"""`python -m simweb serve …`: run the simulated government web by hand.

Prints each region's portal URL and the admin URL, then serves until interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date
from pathlib import Path


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def _range(text: str) -> tuple[int, int]:
    try:
        lo, _, hi = text.partition("-")
        a, b = int(lo), int(hi or lo)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected N or N-M, got {text!r}") from None
    if a < 0 or b < a:
        raise argparse.ArgumentTypeError(f"bad range {text!r}")
    return a, b


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m simweb", description="Simulated county government websites.")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve a world on 127.0.0.1 and print the portal URLs")
    s.add_argument("--regions", type=int, default=1, help="number of regions (default 1)")
    s.add_argument("--seed", type=int, default=1, help="world seed (default 1)")
    s.add_argument("--today", type=_date, required=True, help="simulated today, YYYY-MM-DD")
    s.add_argument("--families", default="", help="comma-separated family names (default: all)")
    s.add_argument("--years", type=_range, help="report years, e.g. 2019-2023 (default 2019 … today-1)")
    s.add_argument("--scale", default="demo", choices=("demo", "full", "bench"), help="units per region")
    s.add_argument("--faults", default="none", choices=("none", "transient", "mixed"), help="fault profile")
    s.add_argument("--delay-ms", type=_range, help="per-response delay range in ms, e.g. 100-500")
    s.add_argument("--base-port", type=int, help="first port to use (default: free ports)")
    s.add_argument("--cache-dir", type=Path, help="disk cache for rendered documents")
    s.add_argument("--manifest", type=Path, help="also write the manifest (JSON) to this file")
    return p


async def _serve(args: argparse.Namespace) -> int:
    from simweb.families import FAMILIES
    from simweb.model import build_world
    from simweb.server import SimServer

    families = [f for f in args.families.split(",") if f] or None
    unknown = [f for f in families or [] if f not in FAMILIES]
    if unknown:
        print(f"error: unknown family {', '.join(unknown)} (have: {', '.join(FAMILIES)})", file=sys.stderr)
        return 2
    if args.regions < 1:
        print("error: --regions must be at least 1", file=sys.stderr)
        return 2
    years = range(args.years[0], args.years[1] + 1) if args.years else None
    world = build_world(
        args.seed, args.regions, today=args.today, families=families, years=years, scale=args.scale, faults=args.faults
    )
    server = SimServer(world, delay_ms=args.delay_ms, cache_dir=args.cache_dir, base_port=args.base_port)
    try:
        await server.start()
    except OSError as exc:
        print(f"error: cannot listen: {exc}", file=sys.stderr)
        await server.stop()
        return 2
    for region in world.regions:
        print(f"{region.id}  {region.name}  {region.family:<15} {server.portal_urls[region.id]}")
    print(f"admin  {server.admin_url}/__admin/manifest  (POST {server.admin_url}/__admin/today)")
    if args.manifest:
        args.manifest.write_text(json.dumps(server.manifest(), ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"manifest written to {args.manifest}")
    sys.stdout.flush()
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return asyncio.run(_serve(args))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
