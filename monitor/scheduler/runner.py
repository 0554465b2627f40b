"""The scheduler process: APScheduler 3.x in the foreground over a persistent SQLite job store.

    python -m monitor schedule --config regions.yaml --db data/monitor.db

Choices, and why (models-to-learn-from.md, toolchain-notes.md):

* The job store is its own SQLite file (default data/scheduler.db beside the evidence database): the
  evidence store is the product's memory and must not depend on APScheduler's pickles.
* Three jobs with explicit ids — `recheck` (daily 06:00), `full-check` (Mondays 01:00), `digest`
  (Mondays 08:00), Beijing time — referenced as "monitor.scheduler.jobs:<function>" strings so the
  stored jobs survive code changes.  On start, a stored job whose function and trigger are unchanged
  keeps its next run time (so runs missed while the scheduler was down still happen, once); a changed or
  new one is (re)added with `replace_existing=True`; jobs not in this list are removed.
* `coalesce=True` and generous `misfire_grace_time`s: after downtime a job runs once, not once per missed
  day, and a digest late by hours is still sent.  `max_instances=1` and a single worker thread: jobs run
  one after the other, so two crawls never write the same region at once and the digest never reads a
  crawl half-written.
* One scheduler per job store: an exclusive `flock` on "<job store>.lock", held for the process's life
  (the kernel releases it if the process dies, so a crash never leaves a stale lock).  A second
  scheduler on the same store is refused (`AlreadyRunning`).
* A simulated clock (monitor.scheduler.clock) runs the same machinery in virtual time: the loop jumps
  straight to the next fire time once the running jobs have finished, and stops at `until`.
"""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.exc import SQLAlchemyError

from monitor.scheduler import clock as clocks
from monitor.scheduler.history import History

JOBS_MODULE = "monitor.scheduler.jobs"
HOUR = 3600
DAY = 24 * HOUR


@dataclass(frozen=True)
class Options:
    config: Path
    db: Path
    jobs: Path
    digest_dir: Path
    command: tuple[str, ...] = (sys.executable, "-m", "monitor")
    crawl_options: tuple[str, ...] = ()
    crawl_timeout: float = 6 * HOUR
    smtp: str | None = None
    to: str | None = None


@dataclass(frozen=True)
class JobSpec:
    id: str
    name: str
    func: str
    trigger: CronTrigger
    misfire_grace_time: int
    kwargs: dict[str, Any] = field(default_factory=dict)


def job_specs(options: Options) -> list[JobSpec]:
    """The scheduler's jobs.  Grace times: a daily re-check later than 12 h is superseded by the next
    day's; a weekly full check may run up to two days late; a digest up to a day late is still news."""
    crawl = dict(config=str(options.config.resolve()), db=str(options.db.resolve()), command=list(options.command),
                 crawl_options=list(options.crawl_options), crawl_timeout=options.crawl_timeout)
    return [
        JobSpec("recheck", "daily re-check around deadlines", f"{JOBS_MODULE}:recheck",
                CronTrigger(hour=6, minute=0, timezone=clocks.TZ), 12 * HOUR, crawl),
        JobSpec("full-check", "weekly full change check", f"{JOBS_MODULE}:full_check",
                CronTrigger(day_of_week="mon", hour=1, minute=0, timezone=clocks.TZ), 2 * DAY, crawl),
        JobSpec("digest", "weekly digest", f"{JOBS_MODULE}:digest",
                CronTrigger(day_of_week="mon", hour=8, minute=0, timezone=clocks.TZ), DAY,
                dict(db=str(options.db.resolve()), command=list(options.command),
                     digest_dir=str(options.digest_dir.resolve()), smtp=options.smtp, to=options.to)),
    ]


class AlreadyRunning(Exception):
    """Another scheduler holds the job store's lock."""


class JobStoreError(Exception):
    """The job store file cannot be used (not SQLite, unreadable)."""


def lock_path(jobs: Path) -> Path:
    return jobs.with_name(jobs.name + ".lock")


@contextmanager
def job_store_lock(jobs: Path) -> Iterator[Path]:
    """Hold the exclusive lock of the job store `jobs`, or raise AlreadyRunning (naming the holder's pid)."""
    path = lock_path(jobs)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise AlreadyRunning(
                f"another scheduler is already running on {jobs} (pid {holder}); stop it first"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock


class MonitorScheduler(BlockingScheduler):
    """BlockingScheduler that syncs its jobs on start, records every run, and can run in virtual time."""

    def __init__(self, options: Options, clock: clocks.Clock, *, until: datetime | None = None,
                 on_ready: Callable[[MonitorScheduler], None] | None = None):
        super().__init__(
            timezone=clocks.TZ,
            jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{options.jobs.resolve()}")},
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        self.specs = job_specs(options)
        self.clock = clock
        self.until = until
        self.history = History(options.jobs)
        self._on_ready = on_ready
        self._outstanding = 0
        self._idle = threading.Condition()
        self.add_listener(self._submitted, EVENT_JOB_SUBMITTED)
        self.add_listener(self._finished, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)

    def run(self) -> None:
        """Start and block until stopped (signal, `stop()`) or, in virtual time, until `until`."""
        self.start(paused=True)  # BlockingScheduler.start: job stores open, then our _main_loop
        if self.state != STATE_STOPPED:
            self.shutdown(wait=True)

    def stop(self) -> None:
        """Thread- and signal-safe: stop taking new runs (running jobs finish or are interrupted)."""
        def _shutdown() -> None:
            try:
                self.shutdown(wait=False)
            except SchedulerNotRunningError:
                pass  # stopped already (or by another signal)
            with self._idle:
                self._idle.notify_all()
        threading.Thread(target=_shutdown, name="nianbao-scheduler-stop").start()

    def sync_jobs(self) -> None:
        """Make the job store hold exactly our jobs, keeping the next run time of unchanged ones."""
        wanted = {spec.id for spec in self.specs}
        for job in self.get_jobs():
            if job.id not in wanted:
                self.remove_job(job.id)
        for spec in self.specs:
            options = dict(name=spec.name, kwargs=spec.kwargs, misfire_grace_time=spec.misfire_grace_time,
                           coalesce=True, max_instances=1)
            job = self.get_job(spec.id)
            if job is not None and job.func_ref == spec.func and repr(job.trigger) == repr(spec.trigger):
                self.modify_job(spec.id, **options)  # keeps its next run time, missed or not
            else:
                self.add_job(spec.func, spec.trigger, id=spec.id, replace_existing=True, **options)

    # ------------------------------------------------------------------ internals

    def _main_loop(self) -> None:
        self.sync_jobs()
        try:
            self.resume()
        except SchedulerNotRunningError:
            return  # a signal arrived while starting
        if self._on_ready is not None:
            self._on_ready(self)
        if self.clock.simulated:
            self._virtual_loop()
        else:
            super()._main_loop()

    def _virtual_loop(self) -> None:
        assert isinstance(self.clock, clocks.SimulatedClock)
        while self.state != STATE_STOPPED:
            wait = self._process_jobs()
            self._wait_until_idle()
            if wait is None or self.state == STATE_STOPPED:
                return
            moment = self.clock.now() + timedelta(seconds=wait)
            if self.until is not None and moment > self.until:
                self.clock.set(max(self.until, self.clock.now()))
                return
            self.clock.set(moment)

    def _wait_until_idle(self) -> None:
        with self._idle:
            self._idle.wait_for(lambda: self._outstanding <= 0 or self.state == STATE_STOPPED)

    def _submitted(self, event: JobSubmissionEvent) -> None:
        with self._idle:
            self._outstanding += len(event.scheduled_run_times)

    def _finished(self, event: JobExecutionEvent) -> None:
        outcome = {EVENT_JOB_EXECUTED: "executed", EVENT_JOB_ERROR: "error", EVENT_JOB_MISSED: "missed"}[event.code]
        detail = event.retval if outcome == "executed" else (
            {"exception": repr(event.exception)} if outcome == "error" else {})
        if outcome == "missed":
            print(f"{event.job_id}: run scheduled for {event.scheduled_run_time} was missed "
                  "(more than its grace time ago); waiting for the next one", flush=True)
        try:
            self.history.record(event.job_id, event.scheduled_run_time, self.clock.now(), outcome, detail)
        finally:
            with self._idle:
                self._outstanding -= 1
                self._idle.notify_all()


def run(options: Options, clock: clocks.Clock | None = None, *, until: datetime | None = None,
        on_ready: Callable[[MonitorScheduler], None] | None = None) -> MonitorScheduler:
    """Run the scheduler in this process until stopped; raises AlreadyRunning if the store is taken,
    JobStoreError if it cannot be used."""
    from monitor.scheduler import jobs

    clock = clock or clocks.SystemClock()
    with job_store_lock(options.jobs), clocks.running_on(clock):
        jobs.accept_children()
        try:
            scheduler = MonitorScheduler(options, clock, until=until, on_ready=on_ready)
            previous = _on_signals(lambda *_: (scheduler.stop(), jobs.stop_children()))
            try:
                scheduler.run()
            finally:
                _restore_signals(previous)
                jobs.stop_children()
        except (sqlite3.Error, SQLAlchemyError) as exc:
            raise JobStoreError(f"{options.jobs}: cannot use the job store ({exc.__class__.__name__}: "
                                f"{' '.join(str(getattr(exc, 'orig', None) or exc).split())})") from exc
    return scheduler


def _on_signals(handler: Callable[..., Any]) -> dict[int, Any]:
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}


def _restore_signals(previous: dict[int, Any]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)
