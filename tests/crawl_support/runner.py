"""Running crawls in subprocesses (Scrapy cannot run twice in one process) and reading the truth."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PROBE = ROOT / "tests" / "crawl_support" / "probe_spider.py"

FAST_SETTINGS = {
    # Tests move fast: no politeness delays, short backoff; everything else as in production.
    "AUTOTHROTTLE_ENABLED": "False",
    "NIANBAO_RETRY_BACKOFF_BASE": "0.1",
    "DOWNLOAD_TIMEOUT": "5",
    "LOG_LEVEL": "INFO",
    "NIANBAO_PROGRESS_INTERVAL": "1",
}


def region_truth(manifest: dict[str, Any], region_id: str, years: list[int]) -> dict[str, Any]:
    """The probe spider's answer sheet for one region: agencies, visible reports in `years`, their URLs."""
    region = next(r for r in manifest["regions"] if r["id"] == region_id)
    reports = [
        {
            "url": r["canonical_url"], "duplicates": r["duplicate_urls"], "agency": r["agency"], "kind": r["kind"],
            "year": r["year"], "title": r["title"], "shown_date": r["shown_date"], "doc_form": r["doc_form"],
            "attachments": r["attachment_urls"],
        }
        for r in region["reports"]
        if r["visible"] and r["year"] in years
    ]
    agencies = [{"name": a["name"], "kind": a["kind"]} for a in region["agencies"]]
    return {"region": region["name"], "hosts": region["hosts"], "agencies": agencies, "reports": reports}


def probe_command(truth_file: Path, truth: dict[str, Any], *, db: Path, as_of: str, years: str,
                  settings: dict[str, str] | None = None, follow: int = 1, start_url: str | None = None,
                  spider_args: dict[str, str] | None = None) -> list[str]:
    hosts = ",".join(u.split("//", 1)[1] for u in truth["hosts"].values())
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(PROBE),
           "-a", f"start_url={start_url or truth['hosts']['www'] + '/'}", "-a", f"region={truth['region']}",
           "-a", f"years={years}", "-a", f"as_of={as_of}", "-a", f"db={db}", "-a", f"hosts={hosts}",
           "-a", f"truth={truth_file}", "-a", f"follow={follow}"]
    for key, value in (spider_args or {}).items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in {**FAST_SETTINGS, **(settings or {})}.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def run_probe(tmp: Path, truth: dict[str, Any], *, timeout: float = 120, **kwargs: Any) -> subprocess.CompletedProcess:
    truth_file = tmp / "truth.json"
    truth_file.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(probe_command(truth_file, truth, **kwargs), cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})
