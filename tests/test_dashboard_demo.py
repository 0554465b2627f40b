"""`python -m monitor demo` end to end on a small world (the bundled one is the same code, bigger):
simulated sites served on 127.0.0.1, the real crawl, the dashboard written, its path and the portal printed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from monitor.status import judge
from monitor.store import Store

ROOT = Path(__file__).resolve().parents[1]


def test_demo_serves_crawls_and_writes_the_dashboard(tmp_path):
    config = tmp_path / "demo.yml"
    config.write_text("seed: 7\ntoday: 2024-02-20\nyears: 2022-2023\nregions:\n"
                      "  - {family: trs, departments: 3, townships: 1}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "monitor", "demo", "--config", str(config), "--out", str(tmp_path / "d")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    index = tmp_path / "d" / "dashboard" / "index.html"
    assert f"dashboard: {index.resolve().as_uri()}" in done.stdout
    portal = next(line.split(": ", 1)[1] for line in done.stdout.splitlines() if line.startswith("portal"))
    assert urlsplit(portal).hostname == "127.0.0.1"
    assert "crawling:" in done.stderr  # progress shown while crawling
    with Store.open(tmp_path / "d" / "monitor.db") as store:
        statuses = judge(store, "2024-02-20")
        assert store.reports() and len(statuses) == 2 * len(store.agencies())
    assert index.is_file() and (tmp_path / "d" / "dashboard" / "downloads" / "export.json").is_file()


def test_demo_rejects_a_bad_config(tmp_path):
    config = tmp_path / "demo.yml"
    config.write_text("regions: []\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "monitor", "demo", "--config", str(config), "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "regions" in done.stderr and "Traceback" not in done.stderr
