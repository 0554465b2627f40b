"""What the scheduler did: one row per job run (or missed run), kept in the job store's file.

APScheduler's job store only knows the *next* run of each job.  Operators ask about the past ("did the
digest go out on Monday?", "was anything missed while the server was down?"), and the tests check that
coalescing turned several missed runs into one — so every executed, failed and missed run is recorded
with the time it was scheduled for and the clock time it ran at.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

_TABLE = """
CREATE TABLE IF NOT EXISTS nianbao_job_runs (
    id             INTEGER PRIMARY KEY,
    job_id         TEXT NOT NULL,
    scheduled_for  TEXT NOT NULL,
    ran_at         TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('executed', 'error', 'missed')),
    detail         TEXT NOT NULL DEFAULT '{}'
)
"""


class History:
    def __init__(self, path: Path):
        self.path = path
        with closing(self._connect()) as conn, conn:
            conn.execute(_TABLE)

    def record(self, job_id: str, scheduled_for: datetime, ran_at: datetime, outcome: str, detail: Any = None) -> None:
        with closing(self._connect()) as conn, conn:
            conn.execute(
                "INSERT INTO nianbao_job_runs (job_id, scheduled_for, ran_at, outcome, detail) VALUES (?, ?, ?, ?, ?)",
                [job_id, scheduled_for.isoformat(), ran_at.isoformat(), outcome,
                 json.dumps(detail or {}, ensure_ascii=False, default=str)],
            )

    def runs(self) -> list[dict[str, Any]]:
        with closing(self._connect()) as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute("SELECT * FROM nianbao_job_runs ORDER BY id").fetchall()
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in rows]

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(str(self.path), timeout=30)
