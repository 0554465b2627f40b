"""`demo`: serve the bundled demo region of the simulated web, crawl it, judge, write the dashboard.

Everything stays on 127.0.0.1: the simulated government sites (simweb) listen on free local ports, the
crawl is the real `crawl` command in a subprocess (its progress lines are shown as it goes), and the
dashboard is written to data/demo/dashboard/.  The demo's "today" is fixed by data/demo-region.yml, so
every run shows the same picture.  The database is rebuilt on each run (data/demo/monitor.db).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from monitor.cli.common import CliError, add_db

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_CONFIG = PROJECT_ROOT / "data" / "demo-region.yml"
DEMO_DIR = PROJECT_ROOT / "data" / "demo"
CACHE_DIR = PROJECT_ROOT / "data" / "cache" / "simweb"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="serve the bundled demo region on 127.0.0.1, crawl it, write the dashboard")
    p.add_argument("--config", type=Path, default=DEMO_CONFIG, help=f"demo world (default {DEMO_CONFIG.name})")
    p.add_argument("--out", type=Path, default=DEMO_DIR, metavar="DIR",
                   help="folder for the demo database and dashboard (default data/demo)")
    add_db(p)
    p.set_defaults(run=run, db=None)


def load_config(path: Path) -> dict[str, Any]:
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CliError(f"cannot read the demo config {path}: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("regions"), list) or not raw["regions"]:
        raise CliError(f"{path}: expected a mapping with a non-empty 'regions' list")
    try:
        today = raw["today"] if isinstance(raw["today"], dt.date) else dt.date.fromisoformat(str(raw["today"]))
        first, _, last = str(raw["years"]).partition("-")
        years = range(int(first), int(last or first) + 1)
        seed = int(raw["seed"])
    except (KeyError, ValueError) as exc:
        raise CliError(f"{path}: seed, today (YYYY-MM-DD) and years (YYYY-YYYY) are required ({exc})") from None
    return {"seed": seed, "today": today, "years": years, "scale": raw.get("scale", "demo"), "regions": raw["regions"]}


def run(args: argparse.Namespace) -> int:
    from simweb.model import build_world
    from simweb.server import SimWeb

    config = load_config(args.config)
    out: Path = args.out
    db = args.db or out / "monitor.db"
    dashboard = out / "dashboard"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(out / "warc", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)

    overrides = {i: dict(region) for i, region in enumerate(config["regions"])}
    try:
        world = build_world(config["seed"], len(overrides), today=config["today"], years=config["years"],
                            scale=config["scale"], overrides=overrides)
    except (ValueError, KeyError, TypeError) as exc:
        raise CliError(f"{args.config}: cannot build the demo world: {exc}") from None
    started = time.monotonic()
    sim = SimWeb(world, today=config["today"], cache_dir=CACHE_DIR).start()
    try:
        manifest = sim.manifest()
        for region in manifest["regions"]:
            print(f"serving {region['name']} ({region['family']}) at {region['portal_url']}", file=sys.stderr)
        years = f"{config['years'][0]}-{config['years'][-1]}"
        with ThreadPoolExecutor(len(manifest["regions"])) as pool:
            codes = list(pool.map(lambda r: _crawl(r, years, config["today"], db), manifest["regions"]))
    finally:
        sim.stop()
    if any(code != 0 for code in codes):
        raise CliError("the demo crawl failed (see the messages above)", exit_code=1)
    print(f"crawled in {time.monotonic() - started:.0f} s; writing the dashboard …", file=sys.stderr)
    _dashboard(db, dashboard, config["today"])
    print(f"dashboard: {(dashboard / 'index.html').resolve().as_uri()}")
    for region in manifest["regions"]:
        print(f"portal ({region['name']}, stopped with the demo): {region['portal_url']}")
    print(f"database: {db}  (browse it: .venv/bin/datasette {db})")
    print(f"done in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return 0


def _crawl(region: dict[str, Any], years: str, today: dt.date, db: Path) -> int:
    """The real crawl command for one region; its progress goes to our stderr, prefixed with the region."""
    command = [sys.executable, "-m", "monitor", "crawl", region["portal_url"], "--region", region["name"],
               "--years", years, "--as-of", today.isoformat(), "--db", str(db)]
    for url in region["hosts"].values():
        command += ["--allow-host", url.split("//", 1)[1]]
    proc = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            encoding="utf-8", errors="replace")
    assert proc.stdout is not None
    for line in proc.stdout:
        print(f"[{region['name']}] {line.rstrip()}", file=sys.stderr)
    return proc.wait()


def _dashboard(db: Path, out: Path, today: dt.date) -> None:
    from monitor.dashboard import build_dashboard
    from monitor.store import Store

    with Store.open(db) as store:
        result = build_dashboard(store, out, today)
    print(f"{result.pages} pages, {result.evidence_files} archived documents, {result.bytes / 1e6:.1f} MB",
          file=sys.stderr)
