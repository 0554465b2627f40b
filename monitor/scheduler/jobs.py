"""The scheduler's job functions (referenced by APScheduler as "monitor.scheduler.jobs:<name>").

Each crawl and each digest runs as a subprocess of the `python -m monitor` CLI: Scrapy's reactor cannot
be restarted in one process, a crashed or hung crawl must not take the scheduler with it, and the CLI is
the contract (exit codes, --as-of) already tested on its own.  The command prefix is configurable
(`--monitor-command`) so a deployment can wrap it (nice, a container) and tests can substitute it.

Jobs re-read the region file on every run, so editing it takes effect at the next run without a
restart, and a broken file is reported by the job rather than killing the scheduler.  "Today" is the
scheduler's clock (monitor.scheduler.clock), passed to every subprocess as --as-of.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from monitor.regions import ConfigError, RegionConfig, load_regions
from monitor.scheduler import clock
from monitor.scheduler.calendar import DueCrawl, due_crawls, full_crawls
from monitor.status import judge
from monitor.store import Store, StoreError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STOP_GRACE_SECONDS = 60
"""How long a crawl asked to stop (timeout, scheduler shutdown) may take to close cleanly before it is killed."""

_children: set[subprocess.Popen] = set()
_children_lock = threading.Lock()
_interrupted: set[int] = set()
_stopping = threading.Event()


@dataclass(frozen=True)
class Finished:
    code: int
    output: str  # stdout and stderr, interleaved


def recheck(*, config: str, db: str, command: list[str], crawl_options: list[str], crawl_timeout: float) -> dict:
    """Daily: crawl the regions the deadline calendar says are due today (see calendar.py)."""
    today = clock.today()
    try:
        regions = load_regions(config)
        with Store.open(db) as store:
            sync_regions(store, regions)
            statuses = judge(store, today)
            runs = store.runs(as_of=today)
    except (ConfigError, StoreError) as exc:
        return _failed("recheck", today, str(exc))
    due = due_crawls(regions, statuses, runs, today)
    _say(f"recheck {today}: {len(due)} of {len(regions)} regions due"
         + "".join(f"\n  {d.region}: {d.reason}" for d in due))
    return _crawl_all("recheck", today, due, db, command, crawl_options, crawl_timeout)


def full_check(*, config: str, db: str, command: list[str], crawl_options: list[str], crawl_timeout: float) -> dict:
    """Weekly: crawl every region for all its years (finds changed and removed reports)."""
    today = clock.today()
    try:
        regions = load_regions(config)
        with Store.open(db) as store:
            sync_regions(store, regions)
            runs = store.runs(as_of=today)
    except (ConfigError, StoreError) as exc:
        return _failed("full-check", today, str(exc))
    due = full_crawls(regions, runs, today)
    _say(f"full-check {today}: {len(due)} of {len(regions)} regions to crawl")
    return _crawl_all("full-check", today, due, db, command, crawl_options, crawl_timeout)


def digest(*, db: str, command: list[str], digest_dir: str, smtp: str | None = None, to: str | None = None,
           timeout: float = 3600) -> dict:
    """Weekly: write (and mail) the digest of what changed since the last one."""
    today = clock.today()
    out = Path(digest_dir) / f"digest-{today.isoformat()}.html"
    args = ["digest", "--out", str(out), "--as-of", today.isoformat(), "--db", db]
    if smtp and to:
        args += ["--smtp", smtp, "--to", to]
    done = run_monitor(command, args, timeout)
    _say(f"digest {today}: exit {done.code}{_tail(done.output)}")
    return {"job": "digest", "as_of": today.isoformat(), "out": str(out), "exit": done.code}


def sync_regions(store: Store, regions: list[RegionConfig]) -> None:
    """Keep the store's region configs (deadline rules, years: what the judge reads) equal to the file."""
    with store.transaction():
        for region in regions:
            store.upsert_region(region.name, region.portal_url, region.to_mapping())


def crawl_args(due: DueCrawl, today: date, db: str, crawl_options: list[str]) -> list[str]:
    """The `crawl` arguments for one due crawl (--years is a range: the crawl takes A-B)."""
    return ["crawl", due.portal_url, "--region", due.region, "--years", f"{due.years[0]}-{due.years[-1]}",
            "--as-of", today.isoformat(), "--db", db, *(["--listing-first"] if due.listing_first else []),
            *crawl_options]


def run_monitor(command: list[str], args: list[str], timeout: float) -> Finished:
    """Run `command + args` in its own process group; past `timeout` seconds it is interrupted, then killed."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    with _children_lock:  # checked and registered together, so stop_children() never misses a child
        if _stopping.is_set():
            return Finished(130, "not started: the scheduler is stopping")
        try:
            proc = subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                    encoding="utf-8", errors="replace", env=env, start_new_session=True)
        except OSError as exc:
            return Finished(127, f"cannot start {command[0]}: {exc.strerror or exc}")
        _children.add(proc)
    try:
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with _children_lock:
                again = proc.pid in _interrupted
                _interrupted.add(proc.pid)
            if not again:
                _interrupt(proc)
            output, _ = proc.communicate()
            output += f"\n(stopped after {timeout:g} s)"
        return Finished(proc.returncode, output)
    finally:
        with _children_lock:
            _children.discard(proc)
            _interrupted.discard(proc.pid)


def accept_children() -> None:
    """The scheduler is (re)starting: subprocesses may be started again."""
    _stopping.clear()


def stop_children() -> None:
    """Ask every running crawl or digest to stop (SIGINT: a crawl closes cleanly), kill the stubborn ones,
    and start no new ones (a job queued behind a running one would otherwise start after the stop).
    Each child is interrupted once: a second SIGINT makes Scrapy abandon its clean shutdown."""
    _stopping.set()
    with _children_lock:
        running = [proc for proc in _children if proc.pid not in _interrupted]
        _interrupted.update(proc.pid for proc in running)
    for proc in running:
        threading.Thread(target=_interrupt, args=(proc,), daemon=True).start()


def _interrupt(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGINT, STOP_GRACE_SECONDS), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _crawl_all(job: str, today: date, due: list[DueCrawl], db: str, command: list[str], crawl_options: list[str],
               timeout: float) -> dict:
    results = []
    for item in due:
        done = run_monitor(command, crawl_args(item, today, db, crawl_options), timeout)
        _say(f"{job} {today}: crawl {item.region} {item.years[0]}-{item.years[-1]}: exit {done.code}{_tail(done.output)}")
        results.append({"region": item.region, "years": list(item.years), "reason": item.reason, "exit": done.code})
    return {"job": job, "as_of": today.isoformat(), "crawls": results}


def _failed(job: str, today, message: str) -> dict:
    _say(f"{job} {today}: error: {message}")
    return {"job": job, "as_of": today.isoformat(), "error": message}


def _tail(output: str, lines: int = 3) -> str:
    kept = [line for line in output.strip().splitlines() if line.strip()][-lines:]
    return "".join(f"\n    {line}" for line in kept)


def _say(message: str) -> None:
    """The scheduler runs in the foreground: what it does is its output."""
    print(message, flush=True)
