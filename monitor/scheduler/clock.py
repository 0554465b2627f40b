"""The scheduler's clock: real time in production, a simulated one for tests and demos.

Why a clock of our own: "today" is a parameter everywhere in this project (every crawl is told its
`--as-of`), and the scheduler is what turns wall-clock time into that parameter.  With a simulated clock
the same scheduler — the same APScheduler triggers, job store, misfire and coalescing rules — can be run
through weeks of deadlines in seconds, and what it decided can be checked against hand-computed dates.

APScheduler 3.x reads `datetime.now()` directly (when looking for due jobs and when deciding whether a run
was missed) and offers no hook for another clock.  `apscheduler_reads(clock)` therefore points those two
module-level names at the clock for the lifetime of a simulated scheduler; with the real clock nothing is
patched.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import apscheduler.executors.base
import apscheduler.schedulers.base

TZ = ZoneInfo("Asia/Shanghai")
"""The product's time zone: deadlines, "today" and the Monday digest are Beijing time."""


class SystemClock:
    simulated = False

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class SimulatedClock:
    """A clock that only moves when told to (the scheduler moves it to each next fire time)."""

    simulated = True

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("the simulated clock needs a time zone-aware start")
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            if moment < self._now:
                raise ValueError(f"the simulated clock cannot go back from {self._now} to {moment}")
            self._now = moment


Clock = SystemClock | SimulatedClock

_current: Clock = SystemClock()


def current() -> Clock:
    return _current


def today(clock: Clock | None = None) -> date:
    """The date in Beijing on the clock: the `--as-of` of everything a job starts."""
    return (clock or _current).now().astimezone(TZ).date()


@contextmanager
def running_on(clock: Clock) -> Iterator[None]:
    """For the life of a scheduler: job functions (in its process) and APScheduler itself read `clock`."""
    global _current
    previous, _current = _current, clock
    try:
        with apscheduler_reads(clock):
            yield
    finally:
        _current = previous


@contextmanager
def apscheduler_reads(clock: Clock) -> Iterator[None]:
    """While active, APScheduler's own `datetime.now()` calls read `clock` (a no-op for the real clock)."""
    if not clock.simulated:
        yield
        return

    class ClockDatetime(datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206 - datetime.now's signature
            moment = clock.now()
            return moment.astimezone(tz) if tz is not None else moment.astimezone().replace(tzinfo=None)

    modules = (apscheduler.schedulers.base, apscheduler.executors.base)
    saved = [m.datetime for m in modules]
    for module in modules:
        module.datetime = ClockDatetime
    try:
        yield
    finally:
        for module, original in zip(modules, saved):
            module.datetime = original
