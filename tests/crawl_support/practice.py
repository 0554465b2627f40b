"""The practice world (../shared/worlds/practice-1, beside the project): where it lies and its server.

A simulated web written apart from ours, used where it lies — never copied into the project — by the
suite (tests/test_practice_world.py) and the discovery benchmark (bench/discovery_bench.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

WORLD = Path(__file__).resolve().parents[3] / "shared" / "worlds" / "practice-1"


def truth() -> dict[str, Any]:
    return json.loads((WORLD / "truth.json").read_text(encoding="utf-8"))


@contextmanager
def served(today: str, work: Path) -> Iterator[str]:
    """The world's stdlib server on a free 127.0.0.1 port, its clock at `today`; yields its base URL."""
    port_file = work / "practice.port"
    server = subprocess.Popen([sys.executable, str(WORLD / "server.py"), "--port", "0", "--today", today,
                               "--port-file", str(port_file), "--quiet"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port_file.read_text().strip()}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def set_clock(base: str, today: str) -> None:
    """Move the world's simulated date: reports appear, are changed and taken down on their dates."""
    urllib.request.urlopen(f"{base}/__clock?today={today}").read()
