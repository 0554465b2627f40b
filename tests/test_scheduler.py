"""Scheduling mechanics of `python -m monitor schedule`, run as a real process on a simulated clock.

Each crawl and digest the scheduler starts goes to a stand-in program (`--monitor-command`) that only
records its arguments, so these tests see exactly what ran, when (its --as-of) and how often.  What is
due is decided from an empty store: no region was ever crawled to completion, so every re-check crawls
both regions in full (calendar.py; the calendar itself is tested in test_scheduler_calendar.py).

Fire times (Beijing time, hand-computed): recheck daily 06:00, full-check Mondays 01:00, digest Mondays
08:00.  2024-01-15, 2024-01-22 and 2024-01-29 are Mondays.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from monitor.cli import main
from tests.crawl_support.runner import ROOT

CONFIG = """
regions:
  - name: 示例区
    portal_url: http://127.0.0.1:9/
    years: 2021-2023
  - name: 另一区
    portal_url: http://127.0.0.1:8/
    years: "2022-"
"""

FAKE = """
import json, os, pathlib, signal, sys, time
argv = sys.argv[1:]
log = pathlib.Path({log!r})
with log.open("a", encoding="utf-8") as f:
    f.write(json.dumps({{"argv": argv, "pid": os.getpid()}}, ensure_ascii=False) + "\\n")
if argv[0] == "digest":
    out = pathlib.Path(argv[argv.index("--out") + 1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("digest", encoding="utf-8")
if os.environ.get("FAKE_SLEEP"):
    try:
        time.sleep(float(os.environ["FAKE_SLEEP"]))
    except KeyboardInterrupt:
        with log.open("a", encoding="utf-8") as f:
            f.write(json.dumps({{"interrupted": os.getpid()}}) + "\\n")
        sys.exit(130)
print("fake", argv[0], "done")
"""


class Setup:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.config = tmp / "regions.yaml"
        self.config.write_text(CONFIG, encoding="utf-8")
        self.db = tmp / "data" / "monitor.db"
        self.jobs = tmp / "data" / "scheduler.db"
        self.log = tmp / "calls.jsonl"
        self.fake = tmp / "fake_monitor.py"
        self.fake.write_text(textwrap.dedent(FAKE.format(log=str(self.log))), encoding="utf-8")

    def args(self, *extra: str) -> list[str]:
        return [sys.executable, "-m", "monitor", "schedule", "--config", str(self.config), "--db", str(self.db),
                "--monitor-command", f"{sys.executable} {self.fake}", *extra]

    def simulate(self, start: str, until: str, **kw) -> subprocess.CompletedProcess:
        proc = subprocess.run(self.args("--simulate-from", start, "--simulate-until", until), cwd=ROOT,
                              capture_output=True, text=True, timeout=60, **kw)
        assert proc.returncode == 0, proc.stderr
        return proc

    def calls(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]

    def history(self) -> list[tuple[str, str, str, str]]:
        with sqlite3.connect(self.jobs) as conn:
            return conn.execute("SELECT job_id, scheduled_for, ran_at, outcome FROM nianbao_job_runs ORDER BY id").fetchall()

    def stored_jobs(self) -> list[tuple[str, float]]:
        with sqlite3.connect(self.jobs) as conn:
            return conn.execute("SELECT id, next_run_time FROM apscheduler_jobs ORDER BY id").fetchall()


def crawl(region: str, url: str, years: str, as_of: str, db: Path) -> list[str]:
    return ["crawl", url, "--region", region, "--years", years, "--as-of", as_of, "--db", str(db)]


def both_regions(as_of: str, db: Path) -> list[list[str]]:
    return [crawl("示例区", "http://127.0.0.1:9/", "2021-2023", as_of, db),
            crawl("另一区", "http://127.0.0.1:8/", "2022-2023", as_of, db)]


def digest(as_of: str, s: Setup) -> list[str]:
    return ["digest", "--out", str(s.db.parent / "digests" / f"digest-{as_of}.html"), "--as-of", as_of,
            "--db", str(s.db)]


def ts(iso: str) -> float:
    from datetime import datetime
    return datetime.fromisoformat(iso).timestamp()


def test_jobs_fire_survive_a_restart_coalesce_and_respect_their_grace_times(tmp_path):
    s = Setup(tmp_path)
    # Sunday noon → Tuesday noon: Monday's full check, re-checks on Monday and Tuesday, Monday's digest.
    s.simulate("2024-01-14T12:00", "2024-01-16T12:00")
    db = s.db.resolve()
    assert [c["argv"] for c in s.calls()] == [
        *both_regions("2024-01-15", db),  # full-check 01:00
        *both_regions("2024-01-15", db),  # recheck 06:00
        digest("2024-01-15", s),          # digest 08:00
        *both_regions("2024-01-16", db),  # recheck 06:00
    ]
    assert s.history() == [
        ("full-check", "2024-01-15T01:00:00+08:00", "2024-01-15T01:00:00+08:00", "executed"),
        ("recheck", "2024-01-15T06:00:00+08:00", "2024-01-15T06:00:00+08:00", "executed"),
        ("digest", "2024-01-15T08:00:00+08:00", "2024-01-15T08:00:00+08:00", "executed"),
        ("recheck", "2024-01-16T06:00:00+08:00", "2024-01-16T06:00:00+08:00", "executed"),
    ]
    # The stopped scheduler left its three jobs, with their next runs, in the job store.
    assert s.stored_jobs() == [("digest", ts("2024-01-22T08:00+08:00")), ("full-check", ts("2024-01-22T01:00+08:00")),
                               ("recheck", ts("2024-01-17T06:00+08:00"))]

    # Down from Tuesday noon to the next Monday 10:00: five re-checks (17th–22nd), one full check and one
    # digest were missed.  On restart each job runs once (coalesced), for its latest missed time, which
    # is within its grace time (recheck 12 h, full-check 2 days, digest 1 day).
    before = len(s.calls())
    s.simulate("2024-01-22T10:00", "2024-01-22T12:00")
    assert [c["argv"] for c in s.calls()[before:]] == [
        *both_regions("2024-01-22", db), *both_regions("2024-01-22", db), digest("2024-01-22", s)]
    assert s.history()[4:] == [
        ("recheck", "2024-01-22T06:00:00+08:00", "2024-01-22T10:00:00+08:00", "executed"),
        ("full-check", "2024-01-22T01:00:00+08:00", "2024-01-22T10:00:00+08:00", "executed"),
        ("digest", "2024-01-22T08:00:00+08:00", "2024-01-22T10:00:00+08:00", "executed"),
    ]
    assert [j[0] for j in s.stored_jobs()] == ["digest", "full-check", "recheck"]  # same ids, no duplicates

    # Down again until Thursday 2024-02-01 10:00: the re-check (latest missed 06:00, 4 h ago) still runs,
    # but Monday's full check (3 d 9 h ago) and digest (3 d 2 h ago) are past their grace: missed, not run.
    before = len(s.calls())
    s.simulate("2024-02-01T10:00", "2024-02-01T12:00")
    assert [c["argv"] for c in s.calls()[before:]] == both_regions("2024-02-01", db)
    assert sorted(s.history()[7:]) == [
        ("digest", "2024-01-29T08:00:00+08:00", "2024-02-01T10:00:00+08:00", "missed"),
        ("full-check", "2024-01-29T01:00:00+08:00", "2024-02-01T10:00:00+08:00", "missed"),
        ("recheck", "2024-02-01T06:00:00+08:00", "2024-02-01T10:00:00+08:00", "executed"),
    ]
    assert s.stored_jobs() == [("digest", ts("2024-02-05T08:00+08:00")), ("full-check", ts("2024-02-05T01:00+08:00")),
                               ("recheck", ts("2024-02-02T06:00+08:00"))]


def _start_real_clock(s: Setup, **kw) -> tuple[subprocess.Popen, str]:
    """A scheduler on the real clock (its next job is hours away); returns once it says it is running."""
    proc = subprocess.Popen(s.args(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("scheduler running (real clock)"), first + proc.stderr.read()
    return proc, first


def test_a_second_scheduler_on_the_same_job_store_is_refused(tmp_path):
    s = Setup(tmp_path)
    first, _ = _start_real_clock(s)
    try:
        second = subprocess.run(s.args(), cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert second.returncode == 2
        assert second.stderr.strip() == (f"error: another scheduler is already running on {s.jobs} "
                                          f"(pid {first.pid}); stop it first")
        assert second.stdout == ""
    finally:
        first.send_signal(signal.SIGTERM)
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert out.rstrip().endswith("scheduler stopped")
    # The lock went with the process: a new scheduler starts (and here runs a short simulation).
    s.simulate("2024-01-14T12:00", "2024-01-15T00:30")
    assert s.calls() == []


def test_stopping_the_scheduler_interrupts_a_running_crawl(tmp_path):
    s = Setup(tmp_path)
    proc = subprocess.Popen(s.args("--simulate-from", "2024-01-15T05:59", "--simulate-until", "2024-01-15T07:00"),
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**_env(), "FAKE_SLEEP": "120"})
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # wait until the 06:00 re-check has started its first crawl
            if line.startswith("recheck 2024-01-15: 2 of 2 regions due"):
                break
        _wait_for(lambda: len(s.calls()) == 1)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    calls = s.calls()
    # the crawl got SIGINT (a real crawl closes cleanly on it); the second region's crawl never started
    assert calls[0]["argv"][:4] == ["crawl", "http://127.0.0.1:9/", "--region", "示例区"]
    assert calls[1:] == [{"interrupted": calls[0]["pid"]}]
    assert "crawl 示例区 2021-2023: exit 130" in out


def _env() -> dict[str, str]:
    import os
    return dict(os.environ)


def _wait_for(condition, timeout: float = 30) -> None:
    import time
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.05)


@pytest.mark.parametrize("extra, message", [
    (["--simulate-until", "2024-01-15T00:00"], "error: --simulate-until needs --simulate-from"),
    (["--simulate-from", "2024-01-15T00:00", "--simulate-until", "2024-01-14T00:00"],
     "error: --simulate-until must be after --simulate-from"),
    (["--smtp", "127.0.0.1:25"], "error: --smtp and --to go together"),
    (["--jobs", "{db}"], "error: --jobs must be a file of its own, not the --db database"),
])
def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys, extra, message):
    s = Setup(tmp_path)
    s.db.parent.mkdir(parents=True)
    assert main(s.args(*[e.format(db=s.db) for e in extra])[3:]) == 2
    assert capsys.readouterr().err.strip() == message
    assert not s.jobs.exists()


def test_a_broken_region_file_exits_2_naming_the_key(tmp_path, capsys):
    s = Setup(tmp_path)
    s.config.write_text("regions:\n  - name: 示例区\n    portal_ulr: http://127.0.0.1:9/\n", encoding="utf-8")
    assert main(s.args()[3:]) == 2
    assert capsys.readouterr().err.strip() == (f"error: {s.config}: regions[0]: unknown key(s) portal_ulr "
                                               "(allowed: name, portal_url, years, deadlines)")


def test_a_job_store_that_is_not_sqlite_exits_2(tmp_path, capsys):
    s = Setup(tmp_path)
    s.jobs.parent.mkdir(parents=True)
    s.jobs.write_text("not a database", encoding="utf-8")
    assert main(s.args("--simulate-from", "2024-01-14T12:00", "--simulate-until", "2024-01-14T13:00")[3:]) == 2
    assert capsys.readouterr().err.strip() == (f"error: {s.jobs}: cannot use the job store "
                                               "(DatabaseError: file is not a database)")
    assert s.calls() == []
