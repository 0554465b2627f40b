"""Running the `reports` spider against simweb regions in subprocesses and reading what it yielded.

Scrapy cannot run twice in one process, so each crawl is `python -m scrapy crawl reports … -O items.jl`
(document bytes are written as sha256/size by crawlers/discovery_feed.py).  Crawls of several regions
run side by side.  The evidence pipeline is switched off: these runs test discovery, not checking.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

CRAWL_SETTINGS = {
    "ITEM_PIPELINES": "{}",
    "AUTOTHROTTLE_ENABLED": "False",  # 127.0.0.1 needs no politeness delays
    "NIANBAO_RETRY_BACKOFF_BASE": "0.1",
    "DOWNLOAD_TIMEOUT": "60",  # simweb renders a DOC/WPS with LibreOffice on first request
    "LOG_LEVEL": "INFO",
}
SHARE = re.compile(r"browser share: (\d+) of (\d+) pages rendered")
PLAYWRIGHT_STARTED = "Starting download handler. Versions: scrapy-playwright"  # scrapy-playwright's INFO line


@dataclass
class Crawl:
    region: dict[str, Any]  # the region's manifest
    items: list[dict[str, Any]]
    log: str
    seconds: float
    returncode: int
    reports: dict[tuple[str, int], list[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for item in self.items:
            if "agency_kind" in item:
                self.reports.setdefault((item["agency"], item["year"]), []).append(item)

    def of(self, kind: str) -> list[dict[str, Any]]:
        """Items of one kind: agency | report | failure | looked."""
        keys = {"agency": "aliases", "report": "agency_kind", "failure": "failure", "looked": "complete"}
        return [i for i in self.items if keys[kind] in i]

    @property
    def rendered(self) -> tuple[int, int]:
        m = SHARE.search(self.log)
        return (int(m.group(1)), int(m.group(2))) if m else (0, 0)

    @property
    def started_playwright(self) -> bool:
        """Whether the crawl started Playwright's driver (crawlers/browser_handler.py: only when needed)."""
        return PLAYWRIGHT_STARTED in self.log


def crawl_command(region: dict[str, Any], out: Path, db: Path, years: str, *, name: bool = True,
                  settings: dict[str, str] | None = None) -> list[str]:
    hosts = ",".join(u.split("//", 1)[1] for u in region["hosts"].values())
    cmd = [sys.executable, "-m", "scrapy", "crawl", "reports", "-a", f"start_url={region['portal_url']}",
           "-a", f"years={years}", "-a", "as_of=2024-06-01", "-a", f"db={db}", "-a", f"hosts={hosts}", "-O", str(out)]
    if name:
        cmd += ["-a", f"region={region['name']}"]
    for key, value in {**CRAWL_SETTINGS, **(settings or {})}.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def run_crawls(jobs: dict[str, tuple[dict[str, Any], list[str], Path]], *, parallel: int = 4,
               timeout: float = 600) -> dict[str, Crawl]:
    """Run crawl commands side by side: job name → (region manifest, command, feed file)."""

    def one(name: str) -> tuple[str, Crawl]:
        region, cmd, out = jobs[name]
        started = time.monotonic()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        seconds = time.monotonic() - started
        items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
        return name, Crawl(region, items, proc.stderr, seconds, proc.returncode)

    with ThreadPoolExecutor(parallel) as pool:
        return dict(pool.map(one, jobs))
