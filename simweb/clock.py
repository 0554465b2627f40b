"""The simulated clock: the "today" every served page is computed for.

Sites are rendered on demand from the world model, so moving the clock is all it takes for a report
to appear, change or vanish.  The clock is set at start, moved by tests in-process
(`clock.set(date)`) or over HTTP (POST /__admin/today on the admin port).  It never reads the real
clock.
"""

from __future__ import annotations

import threading
from datetime import date


class Clock:
    def __init__(self, today: date) -> None:
        self._today = today
        self._lock = threading.Lock()

    @property
    def today(self) -> date:
        return self._today

    def set(self, today: date) -> None:
        if not isinstance(today, date):
            raise TypeError("today must be a datetime.date")
        with self._lock:
            self._today = today
